"""Importing the supply book (供给台账): one row per expected sale, all-or-nothing, the same report and template
as the other imports. Each row goes through `services.supply_record`, so the checks live in one place."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from yigou.accounts.scope import ensure_can, restrict
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
from yigou.core.tabular import Table, parse_date
from yigou.market.enums import ProductCategory
from yigou.regions.models import Region
from yigou.registry.importers.common import RegionLookup, WriteFailed, optional_phone, run_with_failures
from yigou.registry.models import Household

from .enums import Storage
from .services import SupplyInput, check_supply, supply_record

C_VILLAGE, C_HOUSEHOLD, C_NAME, C_CATEGORY, C_UNIT = "村代码", "户编号", "品名", "品类", "单位"
C_QUANTITY, C_FROM, C_TO, C_KEEPS, C_PRICE = "预计可售数量", "上市开始", "上市结束", "保鲜天数", "预期单价"
C_STORAGE, C_CONTACT, C_PHONE, C_NOTE = "储存方式", "联系人", "联系电话", "说明"

FIELD_COLUMNS = {
    "name": C_NAME,
    "unit": C_UNIT,
    "category": C_CATEGORY,
    "storage": C_STORAGE,
    "quantity": C_QUANTITY,
    "keeps_days": C_KEEPS,
    "expected_price": C_PRICE,
    "available_to": C_TO,
}
CATEGORIES = Choices(ProductCategory)
STORAGES = Choices(Storage, default=Storage.AMBIENT)

COLUMNS = [
    Column(
        C_VILLAGE, True, "产品所在村的12位区划代码，须在您的管辖范围内。", "12位数字（村级）", "510903101001"
    ),
    Column(
        C_HOUSEHOLD, False, "销售农户的户编号；不填则为整村供给。", "本村农户的户编号", "5109031010010001"
    ),
    Column(C_NAME, True, "产品名称，与销售时的品名一致。", "不超过100字", "腊肉"),
    Column(C_CATEGORY, True, "产品品类。", "、".join(CATEGORIES.labels), "肉禽蛋奶"),
    Column(C_UNIT, True, "计量单位。", "不超过16字", "公斤"),
    Column(C_QUANTITY, True, "预计可以卖出的数量。", "大于0，最多3位小数", "500"),
    Column(C_FROM, True, "开始上市的日期。", "2018-04-01、2018/4/1 或 2018年4月1日", "2018-12-01"),
    Column(C_TO, True, "上市结束的日期，不早于开始日期。", "同上", "2019-01-31"),
    Column(C_KEEPS, True, "上市后多少天内不售出即变质。", "1 到 3650 的整数", "60"),
    Column(C_PRICE, False, "预期的销售单价（元）。", "大于0，最多2位小数", "60.00"),
    Column(C_STORAGE, False, "不填为常温。", "、".join(STORAGES.labels), "常温"),
    Column(C_CONTACT, False, "联系人姓名。", "不超过60字", "张德明"),
    Column(C_PHONE, False, "联系人电话。", "11位手机号，或固定电话", "13811112222"),
    Column(C_NOTE, False, "其他说明。", "不超过300字", ""),
]


@dataclass
class SupplyPlan:
    line: int
    village: Region
    household: Household | None
    data: SupplyInput


def _date(column: str) -> Any:
    def parse(text: str) -> dt.date:
        if not text:
            raise CellError(column, "不能为空")
        try:
            return parse_date(text)
        except DomainError as exc:
            raise CellError(column, exc.message) from None

    return parse


def _household(actor: Any, rows: list[tuple[int, dict[str, str]]]) -> dict[str, Household]:
    numbers = {(cells.get(C_HOUSEHOLD) or "").strip() for _, cells in rows} - {""}
    return {h.number: h for h in restrict(actor, Household.objects.filter(number__in=numbers))}


def _parse_row(
    line: int,
    cells: dict[str, str],
    regions: RegionLookup,
    households: dict[str, Household],
    report: ImportReport,
) -> SupplyPlan | None:
    reader = RowReader(line, cells, report)
    village = reader.get(C_VILLAGE, regions.village)
    number = reader.text(C_HOUSEHOLD)
    household = households.get(number) if number else None
    if number and household is None:
        reader.error(C_HOUSEHOLD, f"户编号 {number} 的农户不存在或不在您的管辖范围内")
    elif household is not None and village is not None and household.village_id != village.code:
        reader.error(C_HOUSEHOLD, f"农户{number}不属于{village.name}")
    data = SupplyInput(
        name=reader.get(C_NAME, required_text(C_NAME, 100)) or "",
        category=reader.get(C_CATEGORY, lambda t: CATEGORIES.parse(C_CATEGORY, t)) or "",
        unit=reader.get(C_UNIT, required_text(C_UNIT, 16)) or "",
        quantity=reader.get(C_QUANTITY, required_text(C_QUANTITY, 20)),
        available_from=reader.get(C_FROM, _date(C_FROM)) or dt.date.min,
        available_to=reader.get(C_TO, _date(C_TO)) or dt.date.min,
        keeps_days=reader.get(C_KEEPS, required_text(C_KEEPS, 6)),
        expected_price=reader.get(C_PRICE, optional_text(C_PRICE, 20)) or None,
        storage=reader.get(C_STORAGE, lambda t: STORAGES.parse(C_STORAGE, t)) or Storage.AMBIENT,
        contact_name=reader.get(C_CONTACT, optional_text(C_CONTACT, 60)) or "",
        contact_phone=reader.get(C_PHONE, optional_phone(C_PHONE)) or "",
        note=reader.get(C_NOTE, optional_text(C_NOTE, 300)) or "",
    )
    if reader.failed or village is None:
        return None
    try:
        check_supply(data)
    except DomainError as exc:
        reader.error(FIELD_COLUMNS.get(exc.field or "", C_NAME), str(exc.params.get("detail", exc.message)))
        return None
    return SupplyPlan(line, village, household, data)


def _write(actor: Any, plans: list[SupplyPlan]) -> int:
    for plan in plans:
        try:
            supply_record(actor=actor, village=plan.village, data=plan.data, household=plan.household)
        except DomainError as exc:
            raise WriteFailed(plan.line, C_NAME, exc.message) from exc
    audit.record(
        actor=actor,
        action="import",
        target_type="supply.supplyentry",
        region_code=getattr(actor, "audit_region_code", ""),
        note=f"批量导入供给台账 {len(plans)} 条",
    )
    return len(plans)


def import_supply(*, actor: Any, table: Table, dry_run: bool) -> ImportReport:
    """Check every row; unless dry_run, record every entry in one transaction, or none when any row fails."""
    ensure_can(actor, "supply.enter")
    require_headers(table, required_headers(COLUMNS))
    rows = row_dicts(table)
    regions = RegionLookup(actor, {(cells.get(C_VILLAGE) or "").strip() for _, cells in rows})
    households = _household(actor, rows)
    report = ImportReport(total_rows=len(rows))
    plans = [
        p for line, cells in rows if (p := _parse_row(line, cells, regions, households, report)) is not None
    ]
    return run_with_failures(
        parsed=plans, report=report, dry_run=dry_run, write=lambda p: _write(actor, p), headers=table.headers
    )
