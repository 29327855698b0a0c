"""Recording purchases and reversing them. Every write updates the rollups in the same transaction."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import IntegrityError, transaction

from yigou.accounts.scope import can, ensure_can, ensure_visible, scope_for
from yigou.approval.locks import ensure_unlocked
from yigou.assist.models import AssistingUnit, Cadre
from yigou.core import audit
from yigou.core.errors import DomainError, PermissionDeniedError
from yigou.core.models import AuditEntry
from yigou.core.rows import insert_together
from yigou.market.models import Activity, Order, Outlet, Product
from yigou.registry import status as status_rules
from yigou.registry.models import Household, Producer

from . import rollups
from .attribution import LinkageBook, Share, StatusBook, by_rule, check_entered
from .buyers import buyer_key, check_buyer
from .contribution import add_measures, entities
from .enums import Attribution, Channel, LineSource, SellerKind, Source
from .models import Beneficiary, Purchase, PurchaseLine

CENT = Decimal("0.01")
EARLIEST = dt.date(2013, 1, 1)  # 精准扶贫 began in 2013; nothing earlier belongs in this ledger


@dataclass
class LineInput:
    product: str
    quantity: Decimal
    unit: str
    unit_price: Decimal
    amount: Decimal | None = None  # checked against quantity × unit price when given
    category: str = ""
    source: str = ""
    reference_price: Decimal | None = None
    catalog_product: Product | None = None  # a certified product; counts as certified when valid that day


@dataclass
class PurchaseInput:
    date: dt.date
    buyer_kind: str
    channel: str
    lines: Sequence[LineInput]
    seller_household: Household | None = None
    seller_producer: Producer | None = None
    buyer_unit: AssistingUnit | None = None
    buyer_cadre: Cadre | None = None
    buyer_name: str = ""
    outlet: Outlet | None = None
    activity: Activity | None = None
    attribution: str = ""
    beneficiaries: Sequence[tuple[Household, Decimal]] = field(default_factory=list)
    distributed: Decimal | None = None  # amount shared out by a rule; the whole total when not given
    total: Decimal | None = None
    external_id: str = ""
    note: str = ""
    source: str = Source.PAGE
    order: Order | None = None


def _money(value: Any, what: str) -> Decimal:
    try:
        amount = Decimal(str(value))
    except (InvalidOperation, TypeError):
        raise DomainError("invalid_input", detail=f"{what}“{value}”不是有效金额") from None
    if amount != amount.quantize(CENT):
        raise DomainError("invalid_input", detail=f"{what}“{value}”最多两位小数")
    return amount


def _seller_kind(data: PurchaseInput) -> str:
    if (data.seller_household is None) == (data.seller_producer is None):
        raise DomainError("invalid_input", detail="销售方必须是一户农户或一个经营主体（二选一）")
    if data.seller_household is not None:
        return SellerKind.HOUSEHOLD
    kind = data.seller_producer.kind  # type: ignore[union-attr]
    return SellerKind.HOUSEHOLD if kind == "household" else kind


def _default_source(seller_kind: str) -> str:
    defaults: dict[str, str] = {SellerKind.HOUSEHOLD: LineSource.OWN, SellerKind.COOPERATIVE: LineSource.COOP}
    return defaults.get(seller_kind, LineSource.ENTERPRISE)


def _certified(line: LineInput, data: PurchaseInput, n: int) -> bool:
    """A catalog product must be the seller's own; the sale counts as certified when it is valid that day."""
    if line.catalog_product is None:
        return False
    # The stored row decides, not a caller's copy that may predate a revocation.
    product = Product.objects.get(pk=line.catalog_product.pk)
    if data.seller_producer is not None:
        owns = product.producer_id == data.seller_producer.pk
    else:
        owns = Producer.objects.filter(pk=product.producer_id, household=data.seller_household).exists()
    if not owns:
        raise DomainError("invalid_input", detail=f"第{n}行认定产品“{product.name}”不属于销售方")
    return product.certified_on(data.date)


def _build_lines(data: PurchaseInput, seller_kind: str) -> list[PurchaseLine]:
    if not data.lines:
        raise DomainError("invalid_input", detail="至少需要一条购买明细")
    built = []
    for n, line in enumerate(data.lines, start=1):
        quantity, price = Decimal(str(line.quantity)), _money(line.unit_price, f"第{n}行单价")
        if quantity <= 0 or price < 0:
            raise DomainError("invalid_input", detail=f"第{n}行数量必须大于0，单价不能为负")
        amount = (quantity * price).quantize(CENT)
        if line.amount is not None and abs(_money(line.amount, f"第{n}行金额") - amount) > CENT:
            raise DomainError(
                "amounts_do_not_add_up", detail=f"第{n}行金额 {line.amount} 不等于数量×单价 {amount}"
            )
        source = line.source or _default_source(seller_kind)
        if source not in LineSource.values or (
            seller_kind == SellerKind.HOUSEHOLD and source != LineSource.OWN
        ):
            raise DomainError("invalid_input", detail=f"第{n}行产品来源“{source}”与销售方不符")
        if not line.product.strip() or not line.unit.strip():
            raise DomainError("invalid_input", detail=f"第{n}行须填写产品和单位")
        built.append(
            PurchaseLine(
                product=line.product.strip()[:100],
                category=line.category.strip()[:50],
                quantity=quantity,
                unit=line.unit.strip()[:16],
                unit_price=price,
                amount=_money(line.amount, "金额") if line.amount is not None else amount,
                reference_price=line.reference_price,
                source=source,
                catalog_product=line.catalog_product,
                certified=_certified(line, data, n),
            )
        )
    return built


def _check_total(data: PurchaseInput, lines: list[PurchaseLine]) -> Decimal:
    total = sum((line.amount for line in lines), Decimal("0.00"))
    if data.total is not None and _money(data.total, "总金额") != total:
        raise DomainError("amounts_do_not_add_up", detail=f"总金额 {data.total} 不等于明细合计 {total}")
    if total <= 0:
        raise DomainError("amounts_do_not_add_up", detail="总金额必须大于0")
    return total


def _shares(data: PurchaseInput, total: Decimal) -> tuple[str, list[Share]]:
    if data.seller_household is not None or (data.seller_producer and data.seller_producer.household_id):
        seller = data.seller_household
        household_id = seller.pk if seller else data.seller_producer.household_id  # type: ignore[union-attr]
        if data.attribution not in ("", Attribution.SELF) or data.beneficiaries:
            raise DomainError("invalid_input", detail="农户自销时受益农户就是销售农户本户，不能另行录入")
        return Attribution.SELF, [Share(household_id, total)]  # type: ignore[arg-type]
    producer = data.seller_producer
    assert producer is not None
    book = LinkageBook([producer.pk])
    rule = data.attribution or Attribution.ENTERED
    if rule == Attribution.ENTERED:
        shares = [Share(h.pk, _money(a, f"{h}的收入")) for h, a in data.beneficiaries]
        check_entered(book, producer, data.date, shares)
    else:
        if data.beneficiaries:
            raise DomainError("invalid_input", detail="按规则分配时不能再逐户录入受益农户")
        distributed = _money(data.distributed, "分配金额") if data.distributed is not None else total
        shares = by_rule(rule, book, producer, data.date, distributed)
    check_paid(shares, total)
    return rule, shares


def check_paid(shares: list[Share], total: Decimal) -> None:
    paid = sum((s.amount for s in shares), Decimal("0.00"))
    if paid > total:
        raise DomainError("amounts_do_not_add_up", detail=f"受益农户收入合计 {paid} 超过购买金额 {total}")


def beneficiary_rows(
    shares: list[Share], day: dt.date, households: dict[int, Household], book: StatusBook
) -> list[Beneficiary]:
    rows = []
    for share in shares:
        household = households[share.household_id]
        status = book.status(share.household_id, day)
        rows.append(
            Beneficiary(
                purchase_date=day,
                household_id=share.household_id,
                amount=share.amount,
                status=status,
                registered=status in status_rules.REGISTERED,
                village_id=household.village_id,
                village_poor=household.village.was_poor_in(day.year),
                county_code=household.county_code,
            )
        )
    return rows


def _check_channel(data: PurchaseInput) -> None:
    if data.channel not in Channel.values:
        raise DomainError("invalid_input", detail=f"渠道“{data.channel}”不在可选范围内")
    if (data.channel == Channel.OUTLET) != (data.outlet is not None):
        raise DomainError("invalid_input", detail="通过销售网点购买时须选择网点，其他渠道不选网点")
    outlet = data.outlet
    if outlet is not None and not (
        outlet.opened_on <= data.date and (outlet.closed_on is None or data.date < outlet.closed_on)
    ):
        raise DomainError(
            "outlet_closed",
            name=outlet.name,
            date=data.date,
            opened=outlet.opened_on,
            closed=outlet.closed_on or "—",
        )
    if data.activity is not None and data.activity.date != data.date:
        raise DomainError(
            "invalid_input", detail=f"活动“{data.activity.title}”在 {data.activity.date}，与购买日期不符"
        )


def check_may_record(
    actor: Any, *, seller_region_code: str, buyer_unit_id: int | None, seller_producer_id: int | None
) -> None:
    """Offices and villages record sales in their region; unit staff their unit's buying; producers their selling."""
    ensure_can(actor, "ledger.record")
    scope = scope_for(actor)
    if scope.kind == "unit":
        allowed = buyer_unit_id == scope.unit_id
    elif scope.kind == "producer":
        allowed = seller_producer_id == scope.producer_id
    else:
        allowed = scope.everything or seller_region_code.startswith(scope.region_prefix)
    if not allowed:
        raise PermissionDeniedError("out_of_scope")


def _buyer_unit_id(data: PurchaseInput) -> int | None:
    if data.buyer_unit is not None:
        return data.buyer_unit.pk
    return data.buyer_cadre.unit_id if data.buyer_cadre is not None else None


def _validate_dates(day: dt.date) -> None:
    if day > dt.date.today():
        raise DomainError("invalid_input", detail=f"购买日期 {day} 晚于今天")
    if day < EARLIEST:
        raise DomainError("invalid_input", detail=f"购买日期 {day} 早于2013年，不属于本台账")


def purchase_record(*, actor: Any, data: PurchaseInput) -> tuple[Purchase, bool]:
    """Record one purchase; returns (purchase, created). The same external id twice records it once."""
    if data.external_id:
        existing = Purchase.objects.filter(external_id=data.external_id).first()
        if existing is not None:
            ensure_visible(actor, existing)
            return existing, False
    try:
        return _record(actor, data), True
    except IntegrityError:
        # A concurrent post of the same external id won the race: that one is the record.
        existing = Purchase.objects.filter(external_id=data.external_id).first() if data.external_id else None
        if existing is None:
            raise
        return existing, False


@transaction.atomic
def _record(actor: Any, data: PurchaseInput) -> Purchase:
    _validate_dates(data.date)
    seller_kind = _seller_kind(data)
    seller_region = data.seller_household.village if data.seller_household else data.seller_producer.region  # type: ignore[union-attr]
    check_may_record(
        actor,
        seller_region_code=seller_region.code,
        buyer_unit_id=_buyer_unit_id(data),
        seller_producer_id=data.seller_producer.pk if data.seller_producer else None,
    )
    ensure_unlocked(seller_region.code, data.date)  # an approved month is locked (yigou.approval)
    check_buyer(data)
    _check_channel(data)
    lines = _build_lines(data, seller_kind)
    total = _check_total(data, lines)
    rule, shares = _shares(data, total)
    purchase = Purchase.objects.create(
        external_id=data.external_id.strip()[:64] or None,
        date=data.date,
        region=seller_region,
        county_code=seller_region.county_code,
        buyer_kind=data.buyer_kind,
        buyer_unit=data.buyer_unit,
        buyer_cadre=data.buyer_cadre,
        buyer_name=data.buyer_name.strip()[:100],
        buyer_key=buyer_key(data),
        channel=data.channel,
        outlet=data.outlet,
        activity=data.activity,
        seller_kind=seller_kind,
        seller_household=data.seller_household,
        seller_producer=data.seller_producer,
        total=total,
        attribution=rule,
        note=data.note.strip()[:300],
        source=data.source,
        order=data.order,
        recorded_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    households, book = _households(data, [share.household_id for share in shares])
    beneficiaries = beneficiary_rows(shares, data.date, households, book)
    for beneficiary in beneficiaries:  # the rows the answer names, already in memory
        beneficiary.household = households[beneficiary.household_id]
        beneficiary.village = beneficiary.household.village
    entry = audit.unsaved_entry(
        actor=actor,
        action="purchase",
        target=purchase,
        changes={"total": str(total), "beneficiaries": len(beneficiaries), "rule": rule},
    )
    _write_rows(purchase, lines, beneficiaries, entry)
    _write_rollups(purchase, lines, beneficiaries, seller_region)
    _remember(purchase, "lines", lines)
    _remember(purchase, "beneficiaries", beneficiaries)
    Purchase.reversal.related.set_cached_value(purchase, None)  # type: ignore[attr-defined]  # a new entry
    return purchase


def _households(data: PurchaseInput, ids: list[int]) -> tuple[dict[int, Household], StatusBook]:
    """The beneficiary households with their villages and status histories.

    The API and the entry page name the seller and the beneficiaries through `references`, which reads them with
    both: those are used as they are. Anything else (a producer's linked households, a caller's bare rows) is read.
    """
    named = [data.seller_household, *(household for household, _ in data.beneficiaries)]
    known = {h.pk: h for h in named if h is not None and _with_history(h)}
    if not all(pk in known for pk in ids):
        return Household.objects.select_related("village").in_bulk(ids), StatusBook(ids)
    book = StatusBook([])
    for pk in ids:
        book.events[pk] = sorted(known[pk].events.all(), key=lambda event: (event.date, event.pk))
    return {pk: known[pk] for pk in ids}, book


def _with_history(household: Household) -> bool:
    village_read = Household._meta.get_field("village").is_cached(household)
    return village_read and "events" in getattr(household, "_prefetched_objects_cache", {})


def _remember(purchase: Purchase, name: str, rows: Sequence[Any]) -> None:
    """Keep what was just written as if prefetched, so the caller's answer reads no row again."""
    related = getattr(purchase, name).all()
    related._result_cache = list(rows)
    related._prefetch_done = True
    purchase.__dict__.setdefault("_prefetched_objects_cache", {})[name] = related


def _write_rows(
    purchase: Purchase, lines: list[PurchaseLine], beneficiaries: list[Beneficiary], entry: AuditEntry
) -> None:
    """The entry's lines, its beneficiaries and its audit entry, in one statement on PostgreSQL."""
    for line in lines:
        line.purchase, line.purchase_date = purchase, purchase.date
    for beneficiary in beneficiaries:
        beneficiary.purchase, beneficiary.purchase_date = purchase, purchase.date
    insert_together(lines, beneficiaries, [entry])


def _write_rollups(
    purchase: Purchase, lines: list[PurchaseLine], beneficiaries: list[Beneficiary], seller_region: Any
) -> None:
    """The statistics' share of the entry. Last before the commit: the rollup rows of the county, the city and
    the province are shared by every writer, and each holds them locked from here to its commit."""
    deltas = rollups.Deltas.empty()
    add_measures(purchase, lines, beneficiaries, deltas)
    sign = -1 if purchase.reverses_id else 1
    rollups.apply_presence(entities(purchase, beneficiaries, seller_region), purchase.date, sign, deltas)
    rollups.write(deltas)


@transaction.atomic
def purchase_reverse(*, actor: Any, purchase: Purchase, reason: str) -> Purchase:
    """The correction of a wrong entry: a mirror entry with every amount negated, audited with its reason."""
    if not (can(actor, "ledger.reverse")):
        raise PermissionDeniedError()
    ensure_visible(actor, purchase)
    purchase = Purchase.objects.select_for_update().get(pk=purchase.pk)
    ensure_unlocked(purchase.region_id, purchase.date)  # the reversal is dated in the purchase's month
    if purchase.reverses_id:
        raise DomainError("purchase_is_reversal")
    done = Purchase.objects.filter(reverses=purchase).first()
    if done is not None:
        raise DomainError("purchase_already_reversed", date=done.recorded_at.date())
    if not reason.strip():
        raise DomainError("invalid_input", detail="冲销必须填写原因")
    mirror = Purchase.objects.create(
        date=purchase.date,
        region_id=purchase.region_id,
        county_code=purchase.county_code,
        buyer_kind=purchase.buyer_kind,
        buyer_unit_id=purchase.buyer_unit_id,
        buyer_cadre_id=purchase.buyer_cadre_id,
        buyer_name=purchase.buyer_name,
        buyer_key=purchase.buyer_key,
        channel=purchase.channel,
        outlet_id=purchase.outlet_id,
        activity_id=purchase.activity_id,
        seller_kind=purchase.seller_kind,
        seller_household_id=purchase.seller_household_id,
        seller_producer_id=purchase.seller_producer_id,
        total=-purchase.total,
        attribution=purchase.attribution,
        reverses=purchase,
        note=reason.strip()[:300],
        order_id=purchase.order_id,
        source=purchase.source,
        recorded_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    lines = [_negated_line(line) for line in purchase.lines.all()]
    beneficiaries = [_negated_beneficiary(b) for b in purchase.beneficiaries.all()]
    entry = audit.unsaved_entry(
        actor=actor,
        action="purchase_reverse",
        target=purchase,
        note=reason,
        changes={"reversal": mirror.pk, "total": str(-purchase.total)},
    )
    _write_rows(mirror, lines, beneficiaries, entry)
    _write_rollups(mirror, lines, beneficiaries, purchase.region)
    return mirror


def _negated_line(line: PurchaseLine) -> PurchaseLine:
    return PurchaseLine(
        product=line.product,
        category=line.category,
        quantity=-line.quantity,
        unit=line.unit,
        unit_price=line.unit_price,
        amount=-line.amount,
        reference_price=line.reference_price,
        source=line.source,
        catalog_product_id=line.catalog_product_id,
        certified=line.certified,
    )


def _negated_beneficiary(b: Beneficiary) -> Beneficiary:
    return Beneficiary(
        household_id=b.household_id,
        amount=-b.amount,
        status=b.status,
        registered=b.registered,
        village_id=b.village_id,
        village_poor=b.village_poor,
        county_code=b.county_code,
    )
