"""Exporting the assisting-unit list to XLSX, with the filters and scope of the unit list page."""

from __future__ import annotations

from typing import Any

from yigou.accounts.scope import ensure_can
from yigou.core.xlsx import Cell, Sheet
from yigou.registry.exports import Export, Pii, finish_export, may_reveal

from . import selectors
from .models import AssistingUnit

UNIT_HEADERS = [
    "名称",
    "类型",
    "区划代码",
    "所在区划",
    "统一社会信用代码",
    "是否预算单位",
    "有无食堂",
    "有无工会",
    "职工人数",
    "联系人",
    "联系电话",
    "地址",
    "在岗干部数",
    "结对村数",
]


def _unit_row(u: AssistingUnit, pii: Pii) -> list[Cell]:
    return [
        u.name,
        u.get_kind_display(),
        u.region_id,
        u.region.name,
        u.uscc or "",
        "是" if u.is_budget_unit else "否",
        "有" if u.has_canteen else "无",
        "有" if u.has_union else "无",
        u.staff_count,
        u.contact_name,
        pii.phone(u.contact_phone),
        u.address,
        getattr(u, "cadre_count", 0),
        getattr(u, "village_count", 0),
    ]


def export_units(
    *, actor: Any, q: str = "", kind: str = "", region: str = "", budget: str = "", reveal: bool = False
) -> Export:
    ensure_can(actor, "export")
    pii = may_reveal(actor, reveal)
    rows = [_unit_row(u, pii) for u in selectors.units(actor, q=q, kind=kind, region=region, budget=budget)]
    sheet = Sheet(name="帮扶单位名单", headers=UNIT_HEADERS, rows=rows)
    return finish_export(
        actor=actor,
        what="帮扶单位名单",
        target_type="assist.assistingunit",
        sheet=sheet,
        rows=len(rows),
        pii=pii,
        filters={"q": q, "kind": kind, "region": region, "budget": budget},
    )
