"""The unsold-produce scan: for each supply entry still on sale, what is sold (ledger), ordered (live orders) and
left, the days left before its window closes or it spoils, the price trend, and the warning level that follows.

The level rule (`assess`) is a pure function of those figures and the thresholds in the settings, so each edge of
each threshold is pinned by unit tests. The figures are read set-based: one grouped query over the ledger lines
and one over live order lines for all entries of the scan, never one query per entry.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from statistics import median
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet, Sum

from yigou.ledger.models import PurchaseLine
from yigou.market.models import OrderLine, PreSaleItem, ReferencePrice
from yigou.market.ordering import LIVE
from yigou.regions.models import prefix_of

from .enums import Level
from .models import SupplyEntry, Warning

ZERO = Decimal("0")
LEVELS_HIGH_FIRST = (Level.SEVERE, Level.WARN, Level.WATCH)


@dataclass(frozen=True)
class Figures:
    quantity: Decimal
    sold: Decimal
    ordered: Decimal
    days_left: int
    expected_price: Decimal | None = None
    recent_price: Decimal | None = None  # median unit price of the product in the ledger, last N days
    reference_price: Decimal | None = None  # latest market reference price (county, else city, else anywhere)

    @property
    def left(self) -> Decimal:
        return max(self.quantity - self.sold - self.ordered, ZERO)

    @property
    def share_left(self) -> Decimal:
        return self.left / self.quantity if self.quantity else ZERO

    def fallen(self) -> list[tuple[str, Decimal]]:
        """The prices (ledger median, market reference) at least the configured share below the expected price."""
        if self.expected_price is None or self.expected_price <= 0:
            return []
        floor = self.expected_price * (1 - Decimal(str(settings.YIGOU_WARNING_PRICE_FALL)))
        seen = (("近期成交价", self.recent_price), ("市场参考价", self.reference_price))
        return [(what, price) for what, price in seen if price is not None and price <= floor]


@dataclass(frozen=True)
class Assessment:
    level: str
    reason: str


def _threshold(level: str) -> tuple[int, Decimal]:
    rule = settings.YIGOU_WARNING_LEVELS[level]
    return int(str(rule["days"])), Decimal(str(rule["share"]))


def _percent(share: Decimal) -> str:
    return f"{(share * 100).quantize(Decimal('1'))}%"


def _plain(number: Decimal) -> str:
    return f"{number.normalize():f}"


def assess(f: Figures, unit: str) -> Assessment | None:
    """The highest level whose days and share both apply; 关注 also when prices fell; None when nothing is left,
    the last sellable day has passed (the case, not the scan, handles what spoiled) or no rule applies."""
    if f.left <= 0 or f.days_left < 0:
        return None
    stock = f"剩余 {_plain(f.left)}{unit}（占预计 {_percent(f.share_left)}）"
    for level in LEVELS_HIGH_FIRST:
        days, share = _threshold(level)
        if f.days_left <= days and f.share_left >= share:
            return Assessment(
                level,
                f"{stock}，距销售期结束或保鲜期满还有 {f.days_left} 天（{Level(level).label}："
                f"不超过 {days} 天且剩余不低于 {_percent(share)}）",
            )
    fallen = f.fallen()
    if fallen and f.share_left >= _threshold(Level.WATCH)[1]:
        prices = "、".join(f"{what} {price} 元" for what, price in fallen)
        fall = _percent(Decimal(str(settings.YIGOU_WARNING_PRICE_FALL)))
        return Assessment(Level.WATCH, f"{stock}，{prices}低于预期价 {f.expected_price} 元 {fall}以上")
    return None


@dataclass(frozen=True)
class Finding:
    """One subject at risk: a supply entry, or a pre-sale item with stock left near its closing."""

    figures: Figures
    assessment: Assessment
    entry: SupplyEntry | None = None
    item: PreSaleItem | None = None

    @property
    def village_id(self) -> str:
        if self.entry is not None:
            return self.entry.village_id
        assert self.item is not None
        return self.item.presale_list.region_id

    @property
    def product(self) -> str:
        return self.entry.name if self.entry is not None else self.item.name  # type: ignore[union-attr]

    @property
    def unit(self) -> str:
        return self.entry.unit if self.entry is not None else self.item.unit  # type: ignore[union-attr]

    def as_dict(self) -> dict[str, Any]:
        return {
            "level": self.assessment.level,
            "region_code": self.village_id,
            "supply_id": self.entry.pk if self.entry is not None else None,
            "product": self.product,
            "unit": self.unit,
            "quantity_left": _plain(self.figures.left),
            "days_left": self.figures.days_left,
            "reason": self.assessment.reason,
        }


def entries_on_sale(day: dt.date, region: str = "") -> QuerySet[SupplyEntry]:
    rows = SupplyEntry.objects.filter(available_from__lte=day, available_to__gte=day)
    if region:
        rows = rows.filter(village__code__startswith=prefix_of(region))
    return rows.order_by("id")


# A village-level entry (no household, no producer) counts every sale of the product from the village's
# households and its own lists; a household's or producer's entry counts that seller's sales only.
def _seller_key(household_id: Any, producer_id: Any, village_id: str) -> tuple[str, Any]:
    if household_id:
        return ("h", household_id)
    if producer_id:
        return ("p", producer_id)
    return ("v", village_id)


def _entry_key(e: SupplyEntry) -> tuple[str, Any]:
    return _seller_key(e.household_id, e.producer_id, e.village_id)


def _sold(entries: list[SupplyEntry], day: dt.date) -> dict[tuple[Any, ...], list[tuple[dt.date, Decimal]]]:
    """Net ledger quantity per (seller, product, unit) and sale date, reversals included (they are negated)."""
    start = min(e.available_from for e in entries)
    names = {e.name for e in entries}
    rows = (
        PurchaseLine.objects.filter(purchase__date__gte=start, purchase__date__lte=day, product__in=names)
        .values_list(
            "purchase__seller_household_id",
            "purchase__seller_producer_id",
            "purchase__region_id",
            "product",
            "unit",
            "purchase__date",
        )
        .annotate(quantity=Sum("quantity"))
        .order_by()
    )
    found: dict[tuple[Any, ...], list[tuple[dt.date, Decimal]]] = defaultdict(list)
    for household_id, producer_id, village_id, product, unit, date, quantity in rows:
        for key in {_seller_key(household_id, producer_id, village_id), ("v", village_id)}:
            found[(key, product, unit)].append((date, quantity))
    return found


def _ordered(entries: list[SupplyEntry]) -> dict[tuple[Any, ...], Decimal]:
    """Quantity held by live (unpaid, uncancelled) orders per (seller, product, unit)."""
    rows = (
        OrderLine.objects.filter(order__status__in=LIVE, item__name__in={e.name for e in entries})
        .values_list(
            "item__seller_household_id",
            "item__seller_producer_id",
            "item__presale_list__region_id",
            "item__name",
            "item__unit",
        )
        .annotate(quantity=Sum("quantity"))
        .order_by()
    )
    found: dict[tuple[Any, ...], Decimal] = defaultdict(lambda: ZERO)
    for household_id, producer_id, village_id, name, unit, quantity in rows:
        for key in {_seller_key(household_id, producer_id, village_id), ("v", village_id)}:
            found[(key, name, unit)] += quantity
    return found


def _recent_prices(entries: list[SupplyEntry], day: dt.date) -> dict[tuple[str, str], Decimal]:
    """Median unit price per (product, unit) over the last N days, across every seller."""
    since = day - dt.timedelta(days=int(settings.YIGOU_WARNING_PRICE_DAYS))
    rows = PurchaseLine.objects.filter(
        purchase__date__gte=since,
        purchase__date__lte=day,
        product__in={e.name for e in entries},
        quantity__gt=0,
    ).values_list("product", "unit", "unit_price")
    prices: dict[tuple[str, str], list[Decimal]] = defaultdict(list)
    for product, unit, price in rows:
        prices[(product, unit)].append(price)
    return {key: Decimal(str(median(values))) for key, values in prices.items()}


def _references(entries: list[SupplyEntry], day: dt.date) -> dict[int, Decimal]:
    """The latest reference price of each entry's product and unit observed in the last N days: in its county,
    else its city, else anywhere, of any specification (a supply entry names none), in one query for the scan."""
    since = day - dt.timedelta(days=int(settings.YIGOU_WARNING_PRICE_DAYS))
    rows = ReferencePrice.objects.filter(
        name__in={e.name for e in entries}, observed_on__gte=since, observed_on__lte=day
    ).order_by("-observed_on", "-pk")
    latest: dict[tuple[str, str, str], Decimal] = {}
    for name, unit, region_id, price in rows.values_list("name", "unit", "region_id", "price"):
        for prefix in (region_id[:6], region_id[:4], ""):
            latest.setdefault((name, unit, prefix), price)
    found = {}
    for e in entries:
        for prefix in (e.county_code[:6], e.county_code[:4], ""):
            known = latest.get((e.name, e.unit, prefix))
            if known is not None:
                found[e.pk] = known
                break
    return found


def scan(day: dt.date, region: str = "") -> list[Finding]:
    """Assess every entry on sale on `day` (in `region`'s subtree) and return those that warrant a warning."""
    entries = list(entries_on_sale(day, region))
    if not entries:
        return presale_findings(day, region, covered=set())
    sold, ordered, prices = _sold(entries, day), _ordered(entries), _recent_prices(entries, day)
    references = _references(entries, day)
    findings = []
    for e in entries:
        key = (_entry_key(e), e.name, e.unit)
        sold_here = sum((q for d, q in sold.get(key, []) if e.available_from <= d <= day), ZERO)
        figures = Figures(
            quantity=e.quantity,
            sold=sold_here,
            ordered=ordered.get(key, ZERO),
            days_left=(e.last_day - day).days,
            expected_price=e.expected_price,
            recent_price=prices.get((e.name, e.unit)),
            reference_price=references.get(e.pk),
        )
        found = assess(figures, e.unit)
        if found is not None:
            findings.append(Finding(figures, found, entry=e))
    return findings + presale_findings(day, region, covered={_entry_key_named(e) for e in entries})


def _entry_key_named(e: SupplyEntry) -> tuple[Any, ...]:
    return (_entry_key(e), e.name, e.unit)


def items_on_sale(day: dt.date, region: str = "") -> QuerySet[PreSaleItem]:
    rows = PreSaleItem.objects.filter(
        presale_list__withdrawn=False, presale_list__opens_on__lte=day, presale_list__closes_on__gte=day
    )
    if region:
        rows = rows.filter(presale_list__region__code__startswith=prefix_of(region))
    return rows.order_by("id")


def presale_findings(day: dt.date, region: str, covered: set[tuple[Any, ...]]) -> list[Finding]:
    """Pre-sale items with stock left near their list's closing (or the end of their delivery window), except
    those a supply entry on sale already speaks for (the same seller, product and unit)."""
    findings = []
    for item in items_on_sale(day, region).select_related("presale_list"):
        village_id = item.presale_list.region_id
        key = (
            _seller_key(item.seller_household_id, item.seller_producer_id, village_id),
            item.name,
            item.unit,
        )
        if key in covered or (("v", village_id), item.name, item.unit) in covered:
            continue
        last_day = min(item.presale_list.closes_on, item.window_end)
        figures = Figures(
            quantity=item.quantity, sold=ZERO, ordered=item.reserved, days_left=(last_day - day).days
        )
        found = assess(figures, item.unit)
        if found is not None:
            where = f"预售清单“{item.presale_list.title}”（编号 {item.presale_list_id}）品种 {item.pk}："
            findings.append(Finding(figures, Assessment(found.level, where + found.reason), item=item))
    return findings


def _subject(f: Finding) -> dict[str, Any]:
    return {"supply": f.entry} if f.entry is not None else {"presale_item": f.item}


@transaction.atomic
def store(findings: list[Finding], day: dt.date, region: str = "") -> None:
    """Keep one warning per subject: update it, raise it anew, or mark it cleared when the subject on sale no
    longer warrants one or its sale has ended (the cleared row stays: a case names the warning it opened for)."""
    keep_entries = {f.entry.pk for f in findings if f.entry is not None}
    keep_items = {f.item.pk for f in findings if f.item is not None}
    open_rows = Warning.objects.filter(cleared_on__isnull=True)
    if region:
        open_rows = open_rows.filter(village__code__startswith=prefix_of(region))
    open_rows.exclude(supply_id__in=keep_entries).exclude(presale_item_id__in=keep_items).filter(
        scanned_on__lte=day
    ).update(cleared_on=day)
    existing = {("s", w.supply_id): w for w in Warning.objects.filter(supply_id__in=keep_entries)}
    existing |= {("p", w.presale_item_id): w for w in Warning.objects.filter(presale_item_id__in=keep_items)}
    for f in findings:
        key = ("s", f.entry.pk) if f.entry is not None else ("p", f.item.pk)  # type: ignore[union-attr]
        row = existing.get(key) or Warning(village_id=f.village_id, raised_on=day, **_subject(f))
        if row.cleared_on is not None:
            row.raised_on, row.cleared_on = day, None
        row.product, row.unit = f.product, f.unit
        row.level, row.scanned_on, row.reason = f.assessment.level, day, f.assessment.reason[:500]
        row.quantity_left, row.days_left = f.figures.left, f.figures.days_left
        row.save()
