"""Importing assisting units (帮扶单位): one row per unit, all-or-nothing, through unit_register."""

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
    parse_bool,
    required_headers,
    required_text,
)
from yigou.core.errors import DomainError
from yigou.core.importing import ImportReport, require_headers, row_dicts
from yigou.core.tabular import Table
from yigou.core.validators import validate_uscc
from yigou.regions.models import Region
from yigou.registry.importers.common import (
    Duplicates,
    RegionLookup,
    WriteFailed,
    optional_phone,
    run_with_failures,
)

from .enums import UnitKind
from .models import AssistingUnit
from .services import unit_register

KINDS = Choices(
    UnitKind,
    {
        "机关": UnitKind.GOVERNMENT,
        "党政机关单位": UnitKind.GOVERNMENT,
        "事业": UnitKind.INSTITUTION,
        "国企": UnitKind.SOE,
        "国有": UnitKind.SOE,
        "民企": UnitKind.PRIVATE,
        "私营企业": UnitKind.PRIVATE,
        "社团": UnitKind.SOCIAL_ORG,
        "部队": UnitKind.ARMY,
    },
)
MAX_STAFF = 1_000_000

C_NAME, C_KIND, C_REGION, C_USCC = "名称", "类型", "区划代码", "统一社会信用代码"
C_BUDGET, C_CANTEEN, C_UNION, C_STAFF = "是否预算单位", "有无食堂", "有无工会", "职工人数"
C_CONTACT, C_PHONE, C_ADDRESS = "联系人", "联系电话", "地址"

COLUMNS = [
    Column(C_NAME, True, "单位全称；同一区划内不能重名。", "不超过200字", "遂宁市农业农村局"),
    Column(
        C_KIND, True, "单位类型。", "、".join(KINDS.labels) + "（也可写“机关”“国企”“部队”等）", "党政机关"
    ),
    Column(
        C_REGION,
        True,
        "单位所在地的12位区划代码（市、县、乡镇均可），须在您的管辖范围内。",
        "12位数字",
        "510900000000",
    ),
    Column(
        C_USCC, False, "有则填；校验位须正确，全系统不能重复。", "18位数字或大写字母", "11510900008800021B"
    ),
    Column(C_BUDGET, False, "是否财政预算单位（通过832平台采购）。留空按“否”。", "是、否", "是"),
    Column(
        C_CANTEEN, False, "是否有机关食堂；只有预算单位填写“有”。留空按“无”。", "有、无（或是、否）", "有"
    ),
    Column(C_UNION, False, "是否有工会；只有预算单位填写“有”。留空按“无”。", "有、无（或是、否）", "有"),
    Column(C_STAFF, False, "在编职工人数。留空按0。", "0或正整数", "85"),
    Column(C_CONTACT, False, "联系人姓名。", "不超过60字", "李科长"),
    Column(C_PHONE, False, "联系人电话。", "11位手机号，或固定电话如 0825-2221234", "0825-2221234"),
    Column(C_ADDRESS, False, "单位地址。", "不超过200字", "遂宁市船山区中心街1号"),
]


@dataclass
class UnitPlan:
    line: int
    name: str
    kind: str
    region: Region
    fields: dict[str, Any]


def _parse_staff(text: str) -> int:
    if not text:
        return 0
    if not text.isdigit() or int(text) > MAX_STAFF:
        raise CellError(C_STAFF, f"“{text}”不是有效的人数，应为0或正整数")
    return int(text)


def _flags(reader: RowReader) -> dict[str, Any]:
    flags = {
        "is_budget_unit": reader.get(C_BUDGET, lambda t: parse_bool(C_BUDGET, t)),
        "has_canteen": reader.get(C_CANTEEN, lambda t: parse_bool(C_CANTEEN, t)),
        "has_union": reader.get(C_UNION, lambda t: parse_bool(C_UNION, t)),
    }
    if flags["is_budget_unit"] is False:
        for key, column in (("has_canteen", C_CANTEEN), ("has_union", C_UNION)):
            if flags[key]:
                reader.error(column, f"只有预算单位登记{'机关食堂' if key == 'has_canteen' else '工会'}")
    return flags


def _parse_row(
    line: int, cells: dict[str, str], regions: RegionLookup, seen: Duplicates, report: ImportReport
) -> UnitPlan | None:
    reader = RowReader(line, cells, report)
    name = reader.get(C_NAME, required_text(C_NAME, 200))
    kind = reader.get(C_KIND, lambda t: KINDS.parse(C_KIND, t))
    region = reader.get(C_REGION, lambda t: regions.get(t, column=C_REGION, what="所在区划"))
    seen.check_name(reader, C_NAME, name, region)
    uscc = reader.get(C_USCC, lambda t: validate_uscc(t) if t else None)
    seen.check_code(reader, C_USCC, uscc)
    fields = {
        "uscc": uscc,
        **_flags(reader),
        "staff_count": reader.get(C_STAFF, _parse_staff),
        "contact_name": reader.get(C_CONTACT, optional_text(C_CONTACT, 60)),
        "contact_phone": reader.get(C_PHONE, optional_phone(C_PHONE)),
        "address": reader.get(C_ADDRESS, optional_text(C_ADDRESS, 200)),
    }
    if reader.failed or name is None or kind is None or region is None:
        return None
    return UnitPlan(line, name, kind, region, fields)


def _write(actor: Any, plans: list[UnitPlan]) -> int:
    for plan in plans:
        try:
            unit_register(actor=actor, region=plan.region, name=plan.name, kind=plan.kind, **plan.fields)
        except DomainError as exc:
            raise WriteFailed(plan.line, C_NAME, exc.message) from exc
    audit.record(
        actor=actor,
        action="import",
        target_type="assist.assistingunit",
        region_code=getattr(actor, "audit_region_code", ""),
        note=f"批量导入帮扶单位 {len(plans)} 个",
    )
    return len(plans)


def import_units(*, actor: Any, table: Table, dry_run: bool) -> ImportReport:
    """Check every row; unless dry_run, register all units in one transaction, or none when any row fails."""
    ensure_can(actor, "import")
    require_headers(table, required_headers(COLUMNS))
    rows = row_dicts(table)
    regions = RegionLookup(actor, {(cells.get(C_REGION) or "").strip() for _, cells in rows})
    seen = Duplicates.fetch(AssistingUnit, rows, code_column=C_USCC, name_column=C_NAME)
    report = ImportReport(total_rows=len(rows))
    plans = [p for line, cells in rows if (p := _parse_row(line, cells, regions, seen, report)) is not None]
    return run_with_failures(
        parsed=plans, report=report, dry_run=dry_run, write=lambda p: _write(actor, p), headers=table.headers
    )
