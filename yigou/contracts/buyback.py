"""Village buy-back (包村回购): the enterprise, its villages, enrolled households and deliveries at the floor price.

Ledger or not — decided once per buy-back, when it is set up, and never mixed:
- When the enterprise is also registered as an assisting unit of kind 民营企业 (`buyer_unit`), every delivery is
  also written to the purchase ledger as a purchase by that enterprise from the household (channel 合同供货), so it
  appears in the 以购助扶 statistics like any other enterprise purchase, and reversing a delivery reverses it there.
- Otherwise the delivery stays in the buy-back book only. The statistics count purchases by registered buyers
  (units, cadres, enterprises, organisations); an enterprise that only buys raw produce to process is not one, and
  counting its intake would count the same produce again when its processed goods are sold and recorded.
Either way the household's income shown here is read from the deliveries (and, for ledger-backed ones, only while
the ledger purchase stands), so the two books cannot disagree.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Q

from yigou.accounts.scope import ensure_can, ensure_visible, scope_for
from yigou.accounts.services import system_actor
from yigou.assist.enums import UnitKind
from yigou.assist.models import AssistingUnit
from yigou.core import audit
from yigou.core.errors import DomainError, PermissionDeniedError
from yigou.ledger.enums import BuyerKind, Channel
from yigou.ledger.services import LineInput, PurchaseInput, purchase_record, purchase_reverse
from yigou.market.enums import ProductCategory
from yigou.regions.enums import Level
from yigou.regions.models import Region
from yigou.registry.enums import ProducerKind
from yigou.registry.models import Household, Producer

from .enums import BuyBackStatus
from .models import BuyBack, BuyBackDelivery, BuyBackHousehold, BuyBackVillage
from .numbers import CENT, NO_MONEY, ZERO, money, quantity
from .regions import common_region


@dataclass
class BuyBackInput:
    title: str
    name: str
    category: str
    unit: str
    floor_price: Any
    season: str
    season_start: dt.date
    season_end: dt.date
    support: str


def _check_enterprise(actor: Any, enterprise: Producer, buyer_unit: AssistingUnit | None) -> None:
    if enterprise.kind != ProducerKind.ENTERPRISE:
        raise DomainError("invalid_input", detail=f"“{enterprise.name}”不是企业，包村回购须由企业承担")
    ensure_visible(actor, enterprise)
    if buyer_unit is not None:
        ensure_visible(actor, buyer_unit)
        if buyer_unit.kind != UnitKind.PRIVATE:
            raise DomainError(
                "invalid_input", detail=f"“{buyer_unit.name}”不是民营企业，不能作为回购企业记入台账"
            )


def _check_villages(actor: Any, villages: Sequence[Region]) -> None:
    if not villages:
        raise DomainError("invalid_input", detail="须至少选择一个回购村")
    if len({v.code for v in villages}) != len(villages):
        raise DomainError("invalid_input", detail="同一个村不能重复选择")
    scope = scope_for(actor)
    for village in villages:
        if village.level != Level.VILLAGE:
            raise DomainError(
                "region_level_mismatch",
                what="回购村",
                expected="村级",
                name=village.name,
                actual=village.get_level_display(),
            )
        if scope.kind == "region" and not village.code.startswith(scope.region_prefix):
            raise PermissionDeniedError("out_of_scope")
    if not (scope.everything or scope.kind == "region"):
        raise PermissionDeniedError()


def _check_input(data: BuyBackInput) -> dict[str, Any]:
    if not all(s.strip() for s in (data.title, data.name, data.unit, data.season, data.support)):
        raise DomainError("invalid_input", detail="项目名称、产品、单位、产季和提供的种苗/技术都必须填写")
    if data.category not in ProductCategory.values:
        raise DomainError("invalid_input", detail=f"品类“{data.category}”不在可选范围内")
    if data.season_end < data.season_start:
        raise DomainError(
            "invalid_input", detail=f"收购结束 {data.season_end} 早于收购开始 {data.season_start}"
        )
    return {
        "title": data.title.strip()[:200],
        "name": data.name.strip()[:100],
        "category": data.category,
        "unit": data.unit.strip()[:16],
        "floor_price": money(data.floor_price, "保底收购价"),
        "season": data.season.strip()[:60],
        "season_start": data.season_start,
        "season_end": data.season_end,
        "support": data.support.strip(),
    }


@transaction.atomic
def buyback_create(
    *,
    actor: Any,
    data: BuyBackInput,
    enterprise: Producer,
    villages: Sequence[Region],
    buyer_unit: AssistingUnit | None = None,
) -> BuyBack:
    """Offices set a buy-back up for villages in their region; `buyer_unit` decides ledger or not, for good."""
    ensure_can(actor, "contracts.manage")
    _check_enterprise(actor, enterprise, buyer_unit)
    _check_villages(actor, villages)
    fields = _check_input(data)
    buyback = BuyBack.objects.create(
        **fields,
        enterprise=enterprise,
        buyer_unit=buyer_unit,
        home_region=common_region(v.code for v in villages),
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    BuyBackVillage.objects.bulk_create([BuyBackVillage(buyback=buyback, village=v) for v in villages])
    audit.record(
        actor=actor,
        action="buyback_create",
        target=buyback,
        changes={
            "villages": [v.code for v in villages],
            "floor_price": str(buyback.floor_price),
            "in_ledger": buyback.in_ledger,
        },
    )
    return buyback


def _locked(actor: Any, buyback: BuyBack, capability: str) -> BuyBack:
    ensure_can(actor, capability)
    ensure_visible(actor, buyback)
    return BuyBack.objects.select_for_update().get(pk=buyback.pk)


@transaction.atomic
def buyback_enrol(
    *, actor: Any, buyback: BuyBack, household: Household, enrolled_on: dt.date, note: str = ""
) -> BuyBackHousehold:
    """Households of the buy-back's villages join it; the enterprise or an office enrols them."""
    locked = _locked(actor, buyback, "contracts.draw")
    _check_recorder(actor, locked)
    if scope_for(actor).kind != "producer":
        ensure_visible(actor, household)
    if not locked.villages.filter(village_id=household.village_id).exists():
        raise DomainError("invalid_input", detail=f"农户{household.number}不在本回购项目的村")
    if locked.households.filter(household=household).exists():
        raise DomainError("invalid_input", detail=f"农户{household.number}已加入本回购项目")
    row = BuyBackHousehold.objects.create(
        buyback=locked, household=household, enrolled_on=enrolled_on, note=note.strip()[:200]
    )
    audit.record(actor=actor, action="buyback_enrol", target=locked, changes={"household": household.number})
    return row


def _check_recorder(actor: Any, buyback: BuyBack) -> None:
    """The enterprise itself, an office or village over one of the villages, or an administrator."""
    scope = scope_for(actor)
    if scope.kind == "producer" and scope.producer_id != buyback.enterprise_id:
        raise PermissionDeniedError("out_of_scope")
    if scope.kind == "unit":
        raise PermissionDeniedError()


def _ledger_purchase(
    buyback: BuyBack, household: Household, day: dt.date, qty: Decimal, price: Decimal
) -> Any:
    data = PurchaseInput(
        date=day,
        buyer_kind=BuyerKind.ENTERPRISE,
        buyer_unit=buyback.buyer_unit,
        channel=Channel.CONTRACT,
        seller_household=household,
        lines=[
            LineInput(
                product=buyback.name,
                quantity=qty,
                unit=buyback.unit,
                unit_price=price,
                category=buyback.get_category_display(),
            )
        ],
        note=f"包村回购：{buyback.title}"[:300],
    )
    # The buy-back's own checks (enterprise, village, enrolment, floor price) stand for the recorder's checks.
    return purchase_record(actor=system_actor(), data=data)[0]


@transaction.atomic
def buyback_deliver(
    *,
    actor: Any,
    buyback: BuyBack,
    household: Household,
    day: dt.date,
    qty: Any,
    unit_price: Any,
    note: str = "",
    today: dt.date | None = None,
) -> BuyBackDelivery:
    """Record one delivery at or above the floor price; below it is refused and nothing is written."""
    locked = _locked(actor, buyback, "contracts.draw")
    _check_recorder(actor, locked)
    if locked.status != BuyBackStatus.ACTIVE:
        raise DomainError("invalid_input", detail=f"回购项目“{locked.title}”已结束，不能再登记交售")
    if not locked.households.filter(household=household).exists():
        raise DomainError("invalid_input", detail=f"农户{household.number}未加入本回购项目")
    scope = scope_for(actor)
    if scope.kind == "region" and not household.village_id.startswith(scope.region_prefix):
        raise PermissionDeniedError("out_of_scope")
    if not locked.season_start <= day <= locked.season_end or day > (today or dt.date.today()):
        raise DomainError(
            "invalid_input",
            detail=f"交售日期 {day} 不在收购期 {locked.season_start} 至 {locked.season_end} 内，或晚于今天",
        )
    amount_qty, price = quantity(qty, "交售数量"), money(unit_price, "收购价")
    if price < locked.floor_price:
        raise DomainError("buyback_below_floor", price=price, floor=locked.floor_price, unit=locked.unit)
    purchase = _ledger_purchase(locked, household, day, amount_qty, price) if locked.in_ledger else None
    delivery = BuyBackDelivery.objects.create(
        buyback=locked,
        household=household,
        date=day,
        quantity=amount_qty,
        unit_price=price,
        amount=(amount_qty * price).quantize(CENT),
        purchase=purchase,
        note=note.strip()[:300],
        recorded_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    audit.record(
        actor=actor,
        action="buyback_deliver",
        target=locked,
        changes={
            "household": household.number,
            "quantity": str(amount_qty),
            "price": str(price),
            "amount": str(delivery.amount),
            "purchase": purchase.pk if purchase else None,
        },
    )
    return delivery


@transaction.atomic
def buyback_delivery_reverse(*, actor: Any, delivery: BuyBackDelivery, reason: str) -> BuyBackDelivery:
    """A wrong delivery is corrected by a mirror row (and, when in the ledger, by reversing its purchase)."""
    locked = _locked(actor, delivery.buyback, "contracts.draw")
    _check_recorder(actor, locked)
    original = BuyBackDelivery.objects.select_for_update().get(pk=delivery.pk)
    if original.reverses_id is not None or BuyBackDelivery.objects.filter(reverses=original).exists():
        raise DomainError("invalid_input", detail="该交售记录已冲销或本身是冲销记录")
    if not reason.strip():
        raise DomainError("invalid_input", detail="冲销必须填写原因")
    mirror_purchase = None
    if original.purchase is not None and not original.purchase.is_reversal:
        mirror_purchase = purchase_reverse(
            actor=system_actor(), purchase=original.purchase, reason=reason.strip()
        )
    mirror = BuyBackDelivery.objects.create(
        buyback=locked,
        household_id=original.household_id,
        date=original.date,
        quantity=-original.quantity,
        unit_price=original.unit_price,
        amount=-original.amount,
        purchase=mirror_purchase,
        reverses=original,
        note=reason.strip()[:300],
        recorded_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    audit.record(
        actor=actor,
        action="buyback_delivery_reverse",
        target=locked,
        note=reason.strip()[:300],
        changes={"delivery": original.pk, "amount": str(-original.amount)},
    )
    return mirror


@transaction.atomic
def buyback_close(*, actor: Any, buyback: BuyBack, reason: str) -> BuyBack:
    """The season is over: no more deliveries; what was delivered stays."""
    locked = _locked(actor, buyback, "contracts.manage")
    if scope_for(actor).kind == "unit":
        raise PermissionDeniedError()
    if locked.status != BuyBackStatus.ACTIVE:
        raise DomainError(
            "contract_transition_illegal",
            title=locked.title,
            current=locked.get_status_display(),
            action="结束",
        )
    if not reason.strip():
        raise DomainError("invalid_input", detail="结束回购项目须填写说明")
    locked.status = BuyBackStatus.CLOSED
    locked.save(update_fields=["status", "updated_at"])
    audit.record(
        actor=actor,
        action="buyback_close",
        target=locked,
        note=reason.strip()[:300],
        changes={"status": [BuyBackStatus.ACTIVE, BuyBackStatus.CLOSED]},
    )
    return locked


def live_deliveries(buyback: BuyBack) -> Any:
    """Deliveries that stand: not reversed here, and — when in the ledger — not reversed there either."""
    return buyback.deliveries.filter(reverses__isnull=True, reversal__isnull=True).filter(
        Q(purchase__isnull=True) | Q(purchase__reversal__isnull=True)
    )


@dataclass
class HouseholdIncome:
    household: Household
    enrolled_on: dt.date
    deliveries: int
    quantity: Decimal
    income: Decimal


def household_incomes(buyback: BuyBack) -> list[HouseholdIncome]:
    totals: dict[int, tuple[int, Decimal, Decimal]] = {}
    for delivery in live_deliveries(buyback):
        n, q, a = totals.get(delivery.household_id, (0, ZERO, NO_MONEY))
        totals[delivery.household_id] = (n + 1, q + delivery.quantity, a + delivery.amount)
    rows = []
    for member in buyback.households.select_related("household__village").order_by("household__number"):
        n, q, a = totals.get(member.household_id, (0, ZERO, NO_MONEY))
        rows.append(HouseholdIncome(member.household, member.enrolled_on, n, q, a))
    return rows
