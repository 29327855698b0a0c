"""Writes of the supply and demand books: record an entry (every field checked, a Chinese message for each
refusal, nothing written on refusal), and copy last season's supply into a new one."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction

from yigou.accounts.scope import ensure_can, ensure_region_in_scope, ensure_visible, scope_for
from yigou.assist.models import AssistingUnit
from yigou.core import audit
from yigou.core.errors import DomainError, PermissionDeniedError
from yigou.market.enums import ProductCategory
from yigou.regions.enums import Level
from yigou.regions.models import Region
from yigou.registry.models import Household, Producer

from .enums import Storage
from .models import DemandEntry, SupplyEntry

MAX_KEEPS_DAYS = 3650


@dataclass
class SupplyInput:
    name: str
    category: str
    unit: str
    quantity: Any
    available_from: dt.date
    available_to: dt.date
    keeps_days: Any
    expected_price: Any = None
    storage: str = Storage.AMBIENT
    contact_name: str = ""
    contact_phone: str = ""
    note: str = ""
    product: Any = None


def _decimal(value: Any, what: str, places: int, field: str) -> Decimal:
    try:
        number = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        raise DomainError("invalid_input", detail=f"{what}“{value}”不是数字", field=field) from None
    if not number.is_finite() or number <= 0:
        raise DomainError("invalid_input", detail=f"{what}须大于 0", field=field)
    if number != number.quantize(Decimal(1).scaleb(-places)):
        raise DomainError("invalid_input", detail=f"{what}最多 {places} 位小数", field=field)
    return number


def _keeps_days(value: Any) -> int:
    text = str(value).strip()
    if not text.isdigit() or not 1 <= int(text) <= MAX_KEEPS_DAYS:
        raise DomainError(
            "invalid_input", detail=f"保鲜天数须为 1 到 {MAX_KEEPS_DAYS} 的整数", field="keeps_days"
        )
    return int(text)


def check_supply(data: SupplyInput) -> dict[str, Any]:
    """Every field of an entry checked and normalised; a refusal names its field."""
    name, unit = data.name.strip(), data.unit.strip()
    if not name or len(name) > 100:
        raise DomainError("invalid_input", detail="品名须填写（不超过100字）", field="name")
    if not unit or len(unit) > 16:
        raise DomainError("invalid_input", detail="单位须填写（不超过16字）", field="unit")
    if data.category not in ProductCategory.values:
        raise DomainError("invalid_input", detail=f"品类“{data.category}”不在可选范围内", field="category")
    if data.storage not in Storage.values:
        raise DomainError("invalid_input", detail=f"储存方式“{data.storage}”不在可选范围内", field="storage")
    if data.available_to < data.available_from:
        raise DomainError(
            "invalid_input",
            detail=f"上市结束日期 {data.available_to} 早于开始日期 {data.available_from}",
            field="available_to",
        )
    price = None
    if data.expected_price not in (None, ""):
        price = _decimal(data.expected_price, "预期单价", 2, "expected_price")
    return {
        "name": name,
        "unit": unit,
        "category": data.category,
        "storage": data.storage,
        "quantity": _decimal(data.quantity, "预计可售数量", 3, "quantity"),
        "keeps_days": _keeps_days(data.keeps_days),
        "available_from": data.available_from,
        "available_to": data.available_to,
        "expected_price": price,
        "contact_name": data.contact_name.strip()[:60],
        "contact_phone": data.contact_phone.strip()[:20],
        "note": data.note.strip()[:300],
        "product": data.product,
        "season": data.available_from.year,
    }


def _ensure_may_enter(actor: Any, village: Region, producer: Producer | None) -> None:
    """Village staff and offices over the village enter for it; producer staff for their own producer only."""
    ensure_can(actor, "supply.enter")
    scope = scope_for(actor)
    if scope.kind == "producer":
        if producer is None or producer.pk != scope.producer_id:
            raise PermissionDeniedError("forbidden", "经营主体账号只能登记本主体的供给")
        return
    ensure_region_in_scope(actor, village.code)


def _seller(household: Household | None, producer: Producer | None, village: Region) -> None:
    if village.level != Level.VILLAGE:
        raise DomainError("invalid_input", detail=f"“{village.name}”不是村级区划，供给须登记到村")
    if household is not None and producer is not None:
        raise DomainError("invalid_input", detail="销售方为一户农户或一个经营主体（或整村），不能同时填写")
    if household is not None and household.village_id != village.code:
        raise DomainError("invalid_input", detail=f"农户{household.number}不属于{village.name}")


@transaction.atomic
def supply_record(
    *,
    actor: Any,
    village: Region,
    data: SupplyInput,
    household: Household | None = None,
    producer: Producer | None = None,
) -> SupplyEntry:
    _seller(household, producer, village)
    _ensure_may_enter(actor, village, producer)
    for seller in (household, producer):
        if seller is not None:
            ensure_visible(actor, seller)
    fields = check_supply(data)
    entry = SupplyEntry.objects.create(
        village=village,
        county_code=village.code[:6] + "000000",
        household=household,
        producer=producer,
        recorded_by=actor,
        **fields,
    )
    audit.record(
        actor=actor, action="supply_record", target=entry, note=f"{entry.name} {entry.quantity}{entry.unit}"
    )
    return entry


def _shifted(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


@transaction.atomic
def supply_copy_season(*, actor: Any, village: Region, from_season: int, to_season: int) -> list[SupplyEntry]:
    """Copy a village's entries of one season into another, dates moved by the years between; quantities and
    prices are kept for the clerk to correct. Refused when the target season already has entries."""
    if to_season <= from_season:
        raise DomainError("invalid_input", detail="复制的目标年度须晚于来源年度")
    _ensure_may_enter(actor, village, None)
    source = list(SupplyEntry.objects.filter(village=village, season=from_season).order_by("id"))
    if not source:
        raise DomainError("invalid_input", detail=f"{village.name}{from_season}年没有供给台账可复制")
    if SupplyEntry.objects.filter(village=village, season=to_season).exists():
        raise DomainError("invalid_input", detail=f"{village.name}{to_season}年已有供给台账，不能重复复制")
    years = to_season - from_season
    copies = []
    for e in source:
        e.pk, e.id = None, None
        e.available_from, e.available_to = _shifted(e.available_from, years), _shifted(e.available_to, years)
        e.season, e.recorded_by = to_season, actor
        e.save()
        copies.append(e)
    audit.record(
        actor=actor,
        action="supply_copy_season",
        target=copies[0],
        note=f"{village.name} {from_season} → {to_season}，{len(copies)} 条",
    )
    return copies


@dataclass
class DemandInput:
    buyer_name: str
    category: str
    window_start: dt.date
    window_end: dt.date
    name: str = ""
    unit: str = ""
    quantity: Any = None
    price_ceiling: Any = None
    contact_name: str = ""
    contact_phone: str = ""
    note: str = ""


def check_demand(data: DemandInput) -> dict[str, Any]:
    """Every field of a demand entry checked; a refusal names its field."""
    buyer = data.buyer_name.strip()
    if not buyer or len(buyer) > 100:
        raise DomainError("invalid_input", detail="购买方须填写（不超过100字）", field="buyer_name")
    if data.category not in ProductCategory.values:
        raise DomainError("invalid_input", detail=f"品类“{data.category}”不在可选范围内", field="category")
    if data.window_end < data.window_start:
        raise DomainError(
            "invalid_input",
            detail=f"需求结束日期 {data.window_end} 早于开始日期 {data.window_start}",
            field="window_end",
        )
    quantity = _decimal(data.quantity, "需求数量", 3, "quantity") if data.quantity not in (None, "") else None
    if quantity is not None and not data.unit.strip():
        raise DomainError("invalid_input", detail="填写需求数量时须填写单位", field="unit")
    ceiling = None
    if data.price_ceiling not in (None, ""):
        ceiling = _decimal(data.price_ceiling, "最高单价", 2, "price_ceiling")
    return {
        "buyer_name": buyer,
        "category": data.category,
        "name": data.name.strip()[:100],
        "unit": data.unit.strip()[:16],
        "quantity": quantity,
        "price_ceiling": ceiling,
        "window_start": data.window_start,
        "window_end": data.window_end,
        "contact_name": data.contact_name.strip()[:60],
        "contact_phone": data.contact_phone.strip()[:20],
        "note": data.note.strip()[:300],
    }


def _demand_region(actor: Any, unit: AssistingUnit | None, producer: Producer | None) -> Region:
    """A unit's staff enter their unit's demand, a producer's staff their enterprise's, an office for either
    in its region; the entry belongs to the buyer's region."""
    scope = scope_for(actor)
    buyer = unit or producer
    if buyer is None:
        raise DomainError("invalid_input", detail="须指定购买方（帮扶单位或企业）", field="buyer")
    if scope.kind == "unit" and (unit is None or unit.pk != scope.unit_id):
        raise PermissionDeniedError("forbidden", "单位账号只能登记本单位的需求")
    if scope.kind == "producer" and (producer is None or producer.pk != scope.producer_id):
        raise PermissionDeniedError("forbidden", "经营主体账号只能登记本主体的需求")
    if scope.kind not in ("unit", "producer"):
        ensure_can(actor, "supply.enter")
        ensure_visible(actor, buyer)
    return buyer.region


@transaction.atomic
def demand_record(
    *, actor: Any, data: DemandInput, unit: AssistingUnit | None = None, producer: Producer | None = None
) -> DemandEntry:
    if unit is not None and producer is not None:
        raise DomainError(
            "invalid_input", detail="购买方为一个帮扶单位或一个企业，不能同时填写", field="buyer"
        )
    region = _demand_region(actor, unit, producer)
    fields = check_demand(data)
    entry = DemandEntry.objects.create(
        region=region, buyer_unit=unit, buyer_producer=producer, recorded_by=actor, **fields
    )
    audit.record(actor=actor, action="demand_record", target=entry, note=str(entry))
    return entry
