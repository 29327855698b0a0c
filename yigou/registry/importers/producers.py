"""Importing producers (cooperatives, leading enterprises, family farms): one row per producer, all-or-nothing."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from yigou.accounts.scope import ensure_can
from yigou.core import audit
from yigou.core.columns import (
    CellError,
    Choices,
    Column,
    RowReader,
    optional_text,
    required_headers,
    required_text,
)
from yigou.core.errors import DomainError
from yigou.core.importing import ImportReport, require_headers, row_dicts
from yigou.core.tabular import Table
from yigou.core.validators import validate_uscc
from yigou.regions.enums import Level
from yigou.regions.models import Region

from ..enums import EnterpriseGrade, ProducerKind
from ..models import Producer
from ..services import producer_register
from .common import Duplicates, RegionLookup, WriteFailed, optional_phone, run_with_failures

KINDS = Choices(
    ProducerKind,
    {
        "合作社": ProducerKind.COOPERATIVE,
        "专业合作社": ProducerKind.COOPERATIVE,
        "企业": ProducerKind.ENTERPRISE,
        "农业产业化龙头企业": ProducerKind.ENTERPRISE,
        "农场": ProducerKind.FAMILY_FARM,
    },
)
GRADES = Choices(
    EnterpriseGrade, {"国家": "national", "省": "provincial", "市": "city", "县": "county"}, default=""
)
NEEDS_USCC = {ProducerKind.COOPERATIVE, ProducerKind.ENTERPRISE}

C_KIND, C_NAME, C_USCC, C_REGION, C_GRADE = "类型", "名称", "统一社会信用代码", "区划代码", "龙头企业级别"
C_CONTACT, C_PHONE, C_ADDRESS, C_PRODUCTS = "联系人", "联系电话", "地址", "主营产品"

COLUMNS = [
    Column(
        C_KIND,
        True,
        "经营主体类型。个体销售的农户请在农户详情页登记，不能批量导入。",
        "农民专业合作社、龙头企业、家庭农场（也可写“合作社”“企业”）",
        "农民专业合作社",
    ),
    Column(C_NAME, True, "营业执照上的名称；同一区划内不能重名。", "不超过200字", "船山区石佛柑橘专业合作社"),
    Column(
        C_USCC,
        False,
        "合作社和龙头企业必填，家庭农场有则填；校验位须正确，全系统不能重复。",
        "18位数字或大写字母",
        "9351090300000XGN4C",
    ),
    Column(
        C_REGION,
        True,
        "主体所在的县、乡镇或村的12位区划代码，须在您的管辖范围内。",
        "12位数字（县级、乡级或村级）",
        "510903101000",
    ),
    Column(C_CONTACT, False, "联系人姓名。", "不超过60字", "赵社长"),
    Column(C_PHONE, False, "联系人电话。", "11位手机号，或固定电话如 0825-2221234", "13811112222"),
    Column(C_ADDRESS, False, "经营地址。", "不超过200字", "永兴镇永兴村3组"),
    Column(C_PRODUCTS, False, "主要产品，多个用顿号分隔。", "不超过300字", "蔬菜、鲜蛋"),
    Column(C_GRADE, False, "只有龙头企业填写。", "国家级、省级、市级、县级", ""),
]


@dataclass
class ProducerPlan:
    line: int
    kind: str
    name: str
    region: Region
    uscc: str | None
    fields: dict[str, Any]


def _parse_kind(text: str) -> str:
    kind = KINDS.parse(C_KIND, text)
    if kind == ProducerKind.HOUSEHOLD:
        raise CellError(C_KIND, "个体销售的农户请在农户详情页登记为经营主体，不能批量导入")
    return kind


def _parse_uscc(reader: RowReader, kind: str | None, seen: Duplicates) -> str | None:
    if not reader.text(C_USCC):
        if kind in NEEDS_USCC:
            reader.error(C_USCC, f"{ProducerKind(kind).label}必须填写统一社会信用代码")
        return None
    code = reader.get(C_USCC, validate_uscc)
    seen.check_code(reader, C_USCC, code)
    return code


def _parse_row(
    line: int, cells: dict[str, str], regions: RegionLookup, seen: Duplicates, report: ImportReport
) -> ProducerPlan | None:
    reader = RowReader(line, cells, report)
    kind = reader.get(C_KIND, _parse_kind)
    name = reader.get(C_NAME, required_text(C_NAME, 200))
    uscc = _parse_uscc(reader, kind, seen)
    region = reader.get(
        C_REGION,
        lambda t: regions.get(
            t, Level.COUNTY, Level.TOWNSHIP, Level.VILLAGE, column=C_REGION, what="所在区划"
        ),
    )
    seen.check_name(reader, C_NAME, name, region)
    grade = reader.get(C_GRADE, lambda t: GRADES.parse(C_GRADE, t))
    if grade and kind and kind != ProducerKind.ENTERPRISE:
        reader.error(C_GRADE, "只有龙头企业可以填写级别")
    fields = {
        "contact_name": reader.get(C_CONTACT, optional_text(C_CONTACT, 60)),
        "contact_phone": reader.get(C_PHONE, optional_phone(C_PHONE)),
        "address": reader.get(C_ADDRESS, optional_text(C_ADDRESS, 200)),
        "main_products": reader.get(C_PRODUCTS, optional_text(C_PRODUCTS, 300)),
        "grade": grade,
    }
    if reader.failed or kind is None or name is None or region is None:
        return None
    return ProducerPlan(line, kind, name, region, uscc, {k: v or "" for k, v in fields.items()})


def _write(actor: Any, plans: list[ProducerPlan]) -> int:
    for plan in plans:
        try:
            producer_register(
                actor=actor, kind=plan.kind, name=plan.name, region=plan.region, uscc=plan.uscc, **plan.fields
            )
        except DomainError as exc:
            raise WriteFailed(plan.line, C_NAME, exc.message) from exc
    audit.record(
        actor=actor,
        action="import",
        target_type="registry.producer",
        region_code=getattr(actor, "audit_region_code", ""),
        note=f"批量导入经营主体 {len(plans)} 个",
    )
    return len(plans)


def import_producers(*, actor: Any, table: Table, dry_run: bool) -> ImportReport:
    """Check every row; unless dry_run, register all producers in one transaction, or none when any row fails."""
    ensure_can(actor, "import")
    require_headers(table, required_headers(COLUMNS))
    rows = row_dicts(table)
    regions = RegionLookup(actor, {(cells.get(C_REGION) or "").strip() for _, cells in rows})
    seen = Duplicates.fetch(Producer, rows, code_column=C_USCC, name_column=C_NAME)
    report = ImportReport(total_rows=len(rows))
    plans = [p for line, cells in rows if (p := _parse_row(line, cells, regions, seen, report)) is not None]
    return run_with_failures(
        parsed=plans, report=report, dry_run=dry_run, write=lambda p: _write(actor, p), headers=table.headers
    )
