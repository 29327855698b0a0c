"""Exporting the registry lists to XLSX: the same filters and scope as the list pages, personal data masked.

Full ID numbers and phones appear only when the user may reveal personal data AND asked for it; that export
is audited as a reveal, on top of the audit entry every export writes.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from yigou.accounts.scope import can, ensure_can
from yigou.core import audit
from yigou.core.masking import mask_id_number, mask_phone, mask_text
from yigou.core.xlsx import Cell, Sheet, write_workbook

from . import selectors
from .enums import EnterpriseGrade
from .models import Household, Producer
from .selectors import HouseholdFilter


@dataclass
class Export:
    filename: str
    content: bytes
    rows: int
    revealed: bool


class Pii:
    """How personal fields are written in one export: in full, or masked."""

    def __init__(self, revealed: bool):
        self.revealed = revealed

    def id_number(self, value: str) -> str:
        return value if self.revealed else mask_id_number(value)

    def phone(self, value: str) -> str:
        return value if self.revealed else mask_phone(value)

    def text(self, value: str) -> str:
        return value if self.revealed else mask_text(value)

    @property
    def note(self) -> str:
        return "含完整个人信息，请妥善保管" if self.revealed else "身份证号、电话等个人信息已脱敏"


def may_reveal(actor: Any, asked: bool) -> Pii:
    """Asking is not enough: without the reveal permission the export is masked, without an error."""
    return Pii(bool(asked) and can(actor, "pii.reveal"))


def finish_export(
    *, actor: Any, what: str, target_type: str, sheet: Sheet, rows: int, pii: Pii, filters: dict[str, str]
) -> Export:
    """Write the file and its audit entries: every export, and a reveal when personal data went out in full."""
    stamp = timezone.localtime()
    sheet.title = f"{what}（导出时间 {stamp:%Y-%m-%d %H:%M}，共 {rows} 行，{pii.note}）"
    content = write_workbook([sheet])
    region = getattr(actor, "audit_region_code", "")
    used = {k: v for k, v in filters.items() if v}
    audit.record(
        actor=actor,
        action="export",
        target_type=target_type,
        region_code=region,
        changes={"filters": used, "revealed": pii.revealed},
        note=f"导出{what} {rows} 行",
    )
    if pii.revealed:
        audit.record(
            actor=actor,
            action="reveal_export",
            target_type=target_type,
            region_code=region,
            changes={"filters": used},
            note=f"导出含完整身份证号和电话的{what} {rows} 行",
        )
    return Export(f"{what}_{stamp:%Y%m%d_%H%M}.xlsx", content, rows, pii.revealed)


HOUSEHOLD_HEADERS = [
    "户编号",
    "村代码",
    "所在村",
    "姓名",
    "身份证号",
    "与户主关系",
    "性别",
    "劳动能力",
    "健康状况",
    "联系电话",
    "住址",
    "当前状态",
    "监测类型",
    "家庭人口",
]


def _household_rows(households: list[Household], pii: Pii) -> Iterator[list[Cell]]:
    for hh in households:
        for m in hh.members.all():
            yield [
                hh.number,
                hh.village_id,
                hh.village.name,
                m.name,
                pii.id_number(m.id_number),
                m.get_relation_display(),
                m.get_sex_display(),
                m.get_labour_display(),
                pii.text(m.health_label),
                pii.phone(hh.phone),
                hh.address,
                hh.get_status_display(),
                hh.get_monitor_type_display() if hh.monitor_type else "",
                hh.size,
            ]


def export_households(*, actor: Any, flt: HouseholdFilter, reveal: bool = False) -> Export:
    """One row per person, households in list order; the filters are those of the household list page."""
    ensure_can(actor, "export")
    pii = may_reveal(actor, reveal)
    households = list(selectors.households(actor, flt).prefetch_related("members"))
    rows = list(_household_rows(households, pii))
    sheet = Sheet(name="农户名单", headers=HOUSEHOLD_HEADERS, rows=rows)
    filters = {"q": flt.q, "region": flt.region, "status": flt.status, "monitor_type": flt.monitor_type}
    return finish_export(
        actor=actor,
        what="农户名单",
        target_type="registry.household",
        sheet=sheet,
        rows=len(rows),
        pii=pii,
        filters=filters,
    )


PRODUCER_HEADERS = [
    "类型",
    "名称",
    "统一社会信用代码",
    "区划代码",
    "所在区划",
    "联系人",
    "联系电话",
    "地址",
    "主营产品",
    "龙头企业级别",
    "带贫农户数",
    "状态",
]


def _producer_row(p: Producer, pii: Pii) -> list[Cell]:
    grade = EnterpriseGrade(p.grade).label if p.grade else ""
    return [
        p.get_kind_display(),
        p.name,
        p.uscc or "",
        p.region_id,
        p.region.name,
        p.contact_name,
        pii.phone(p.contact_phone),
        p.address,
        p.main_products,
        grade,
        getattr(p, "linked_households", 0),
        "有效" if p.is_active else "停用",
    ]


def export_producers(
    *, actor: Any, q: str = "", kind: str = "", region: str = "", sort: str = "name", reveal: bool = False
) -> Export:
    ensure_can(actor, "export")
    pii = may_reveal(actor, reveal)
    rows = [
        _producer_row(p, pii) for p in selectors.producers(actor, q=q, kind=kind, region=region, sort=sort)
    ]
    sheet = Sheet(name="经营主体名单", headers=PRODUCER_HEADERS, rows=rows)
    return finish_export(
        actor=actor,
        what="经营主体名单",
        target_type="registry.producer",
        sheet=sheet,
        rows=len(rows),
        pii=pii,
        filters={"q": q, "kind": kind, "region": region},
    )
