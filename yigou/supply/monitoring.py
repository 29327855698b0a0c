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
from functools import cached_property
from statistics import median
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Q, QuerySet, Sum
from django.utils import timezone

from yigou.core.sessions import side_by_side
from yigou.ledger.models import Purchase, PurchaseLine
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

    @cached_property  # read several times by the level rule for each of 100,000 entries
    def left(self) -> Decimal:
        return max(self.quantity - self.sold - self.ordered, ZERO)

    @cached_property
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


Rules = dict[str, tuple[int, Decimal]]


def thresholds() -> Rules:
    """(days, share) per level from the settings, read once per scan rather than once per entry."""
    return {
        level: (int(str(rule["days"])), Decimal(str(rule["share"])))
        for level, rule in settings.YIGOU_WARNING_LEVELS.items()
    }


def _percent(share: Decimal) -> str:
    return f"{(share * 100).quantize(Decimal('1'))}%"


def _plain(number: Decimal) -> str:
    return f"{number.normalize():f}"


def assess(f: Figures, unit: str, rules: Rules | None = None) -> Assessment | None:
    """The highest level whose days and share both apply; 关注 also when prices fell; None when nothing is left,
    the last sellable day has passed (the case, not the scan, handles what spoiled) or no rule applies."""
    if f.left <= 0 or f.days_left < 0:
        return None
    rules = rules or thresholds()
    stock = f"剩余 {_plain(f.left)}{unit}（占预计 {_percent(f.share_left)}）"
    for level in LEVELS_HIGH_FIRST:
        days, share = rules[level]
        if f.days_left <= days and f.share_left >= share:
            return Assessment(
                level,
                f"{stock}，距销售期结束或保鲜期满还有 {f.days_left} 天（{Level(level).label}："
                f"不超过 {days} 天且剩余不低于 {_percent(share)}）",
            )
    fallen = f.fallen()
    if fallen and f.share_left >= rules[Level.WATCH][1]:
        prices = "、".join(f"{what} {price} 元" for what, price in fallen)
        fall = _percent(Decimal(str(settings.YIGOU_WARNING_PRICE_FALL)))
        return Assessment(Level.WATCH, f"{stock}，{prices}低于预期价 {f.expected_price} 元 {fall}以上")
    return None


@dataclass(frozen=True, slots=True)
class OnSale:
    """What the scan reads of a supply entry: building 100,000 model instances (timestamps, contact, notes) costs
    more than the scan's arithmetic, so entries are read as plain rows."""

    pk: int
    village_id: str
    county_code: str
    household_id: int | None
    producer_id: int | None
    name: str
    unit: str
    quantity: Decimal
    available_from: dt.date
    available_to: dt.date
    expected_price: Decimal | None
    keeps_days: int

    @property
    def last_day(self) -> dt.date:
        """As `SupplyEntry.last_day`: the window's end or spoilage, whichever first."""
        return min(self.available_to, self.available_from + dt.timedelta(days=self.keeps_days))


SCANNED = ["id", *(f for f in OnSale.__dataclass_fields__ if f != "pk")]


@dataclass(frozen=True)
class Finding:
    """One subject at risk: a supply entry, or a pre-sale item with stock left near its closing."""

    figures: Figures
    assessment: Assessment
    entry: OnSale | None = None
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


def _entry_key(e: OnSale) -> tuple[str, Any]:
    return _seller_key(e.household_id, e.producer_id, e.village_id)


# Sold per entry in its window, summed in the database: a household's or producer's entry counts that seller's
# sales, a village-level entry every sale from the village. One statement per kind of seller so each join can use
# its own index (seller household, seller producer, region), instead of shipping every ledger line to Python.
_SOLD_BY = (
    ("p.seller_household_id = e.household_id", "e.household_id IS NOT NULL"),
    ("p.seller_producer_id = e.producer_id", "e.producer_id IS NOT NULL"),
    ("p.region_id = e.village_id", "e.household_id IS NULL AND e.producer_id IS NULL"),
)
_SOLD_SQL = """
SELECT e.id, SUM(l.quantity)
FROM {entry} e
JOIN {purchase} p ON {match} AND p.date >= e.available_from AND p.date <= %s
JOIN {line} l ON l.purchase_id = p.id AND l.product = e.name AND l.unit = e.unit
WHERE e.available_from <= %s AND e.available_to >= %s AND e.village_id LIKE %s AND {which}
GROUP BY e.id
"""


def _sold(day: dt.date, region: str) -> dict[int, Decimal]:
    """Net ledger quantity sold per entry on sale on `day`, from its first day on; reversals are negative lines,
    so they take back what they reverse."""
    tables = {
        "entry": SupplyEntry._meta.db_table,
        "purchase": Purchase._meta.db_table,
        "line": PurchaseLine._meta.db_table,
    }
    sql = " UNION ALL ".join(
        _SOLD_SQL.format(match=match, which=which, **tables) for match, which in _SOLD_BY
    )
    pattern = prefix_of(region) + "%" if region else "%"
    params: list[dt.date | str] = [day, day, day, pattern] * len(_SOLD_BY)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return {pk: Decimal(str(quantity)) for pk, quantity in cursor.fetchall()}


def _ordered(entries: list[OnSale]) -> dict[tuple[Any, ...], Decimal]:
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


def _recent_prices(entries: list[OnSale], day: dt.date) -> dict[tuple[str, str], Decimal]:
    """Median unit price per (product, unit) over the last N days, across every seller. PostgreSQL computes it
    (percentile_cont: the mean of the two middle prices for an even count, as statistics.median), rounded to the
    tenth of a cent that mean can have; other databases get the prices and take the median here."""
    since = day - dt.timedelta(days=int(settings.YIGOU_WARNING_PRICE_DAYS))
    rows = PurchaseLine.objects.filter(  # by the lines' own date: the index ledger_line_sold_price
        purchase_date__gte=since,
        purchase_date__lte=day,
        product__in={e.name for e in entries},
        quantity__gt=0,
    )
    if connection.vendor == "postgresql":
        sql, params = rows.values_list("product", "unit", "unit_price").query.sql_with_params()
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT product, unit, round(percentile_cont(0.5) WITHIN GROUP (ORDER BY unit_price)::numeric, 3) "
                f"FROM ({sql}) AS recent GROUP BY product, unit",
                params,
            )
            return {(product, unit): _as_median(middle) for product, unit, middle in cursor.fetchall()}
    prices: dict[tuple[str, str], list[Decimal]] = defaultdict(list)
    for product, unit, price in rows.values_list("product", "unit", "unit_price"):
        prices[(product, unit)].append(price)
    return {key: Decimal(str(median(values))) for key, values in prices.items()}


def _as_median(value: Decimal) -> Decimal:
    """PostgreSQL's 5.500 written as statistics.median writes the same median of cent prices: 5.50 (and 5.505)."""
    cents = value.quantize(Decimal("0.01"))
    return cents if cents == value else value


def _references(entries: list[OnSale], day: dt.date) -> dict[int, Decimal]:
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

    def on_sale() -> tuple[list[OnSale], dict, dict, dict]:
        entries = [OnSale(*row) for row in entries_on_sale(day, region).values_list(*SCANNED)]
        if not entries:
            return entries, {}, {}, {}
        return entries, _ordered(entries), _recent_prices(entries, day), _references(entries, day)

    # The sold quantities (the longest aggregation) are summed while the entries and prices are read.
    (entries, ordered, prices, references), sold = side_by_side(on_sale, lambda: _sold(day, region))
    if not entries:
        return presale_findings(day, region, covered=set())
    rules = thresholds()
    findings = []
    for e in entries:
        key = (_entry_key(e), e.name, e.unit)
        figures = Figures(
            quantity=e.quantity,
            sold=sold.get(e.pk, ZERO),
            ordered=ordered.get(key, ZERO),
            days_left=(e.last_day - day).days,
            expected_price=e.expected_price,
            recent_price=prices.get((e.name, e.unit)),
            reference_price=references.get(e.pk),
        )
        found = assess(figures, e.unit, rules)
        if found is not None:
            findings.append(Finding(figures, found, entry=e))
    return findings + presale_findings(day, region, covered={_entry_key_named(e) for e in entries})


def _entry_key_named(e: OnSale) -> tuple[Any, ...]:
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


def _subject(f: Finding) -> tuple[int | None, int | None]:
    """(supply_id, presale_item_id) of the warning's one subject."""
    return (f.entry.pk, None) if f.entry is not None else (None, f.item.pk)  # type: ignore[union-attr]


WRITTEN = (
    "raised_on",
    "cleared_on",
    "product",
    "unit",
    "level",
    "scanned_on",
    "reason",
    "quantity_left",
    "days_left",
)
BATCH = 900  # under SQLite's limit of bound parameters per statement


def _subject_key(supply_id: int | None, presale_item_id: int | None) -> tuple[str, int]:
    return ("s", supply_id) if supply_id is not None else ("p", presale_item_id)  # type: ignore[return-value]


def _known_warnings(day: dt.date, region: str) -> dict[tuple[str, int], Any]:
    """Rows (named: id and the WRITTEN fields) of the rows the store may touch: every open warning of the region, and every row (open or
    cleared) of the subjects on sale on `day` — read in one statement whatever the number of findings."""
    scope = Q(cleared_on__isnull=True)
    if region:
        scope &= Q(village__code__startswith=prefix_of(region))
    scope |= Q(supply__in=entries_on_sale(day, region).values("pk"))
    scope |= Q(presale_item__in=items_on_sale(day, region).values("pk"))
    rows = Warning.objects.filter(scope).values_list(
        "supply_id", "presale_item_id", "id", *WRITTEN, named=True
    )
    return {_subject_key(row.supply_id, row.presale_item_id): row for row in rows}


def _written(f: Finding, day: dt.date, raised_on: dt.date) -> dict[str, Any]:
    return {
        "raised_on": raised_on,
        "cleared_on": None,
        "product": f.product,
        "unit": f.unit,
        "level": f.assessment.level,
        "scanned_on": day,
        "reason": f.assessment.reason[:500],
        "quantity_left": f.figures.left,
        "days_left": f.figures.days_left,
    }


@transaction.atomic
def store(findings: list[Finding], day: dt.date, region: str = "") -> None:
    """Keep one warning per subject: update it, raise it anew, or mark it cleared when the subject on sale no
    longer warrants one or its sale has ended (the cleared row stays: a case names the warning it opened for).
    Set-based: rows are created and updated in batches, and a row whose figures did not change is not written,
    so a second scan of the same day writes nothing."""
    known, now = _known_warnings(day, region), timezone.now()
    kept: set[tuple[str, int]] = set()
    created: list[tuple[Any, ...]] = []
    changed: list[tuple[Any, ...]] = []
    for f in findings:
        key = _subject_key(*_subject(f))
        kept.add(key)
        row = known.get(key)
        if row is None:
            created.append((f.village_id, *_subject(f), *_written(f, day, day).values(), now, now))
            continue
        values = _written(f, day, row.raised_on if row.cleared_on is None else day)
        if any(values[name] != getattr(row, name) for name in WRITTEN):
            changed.append((row.id, *(values[name] for name in WRITTEN), now))
    cleared = [
        row.id
        for key, row in known.items()
        if row.cleared_on is None and key not in kept and row.scanned_on <= day
    ]
    for start in range(0, len(cleared), BATCH):
        Warning.objects.filter(pk__in=cleared[start : start + BATCH]).update(cleared_on=day)
    _insert_rows(created)
    _update_rows(changed)


INSERTED = ("village_id", "supply_id", "presale_item_id", *WRITTEN, "created_at", "updated_at")


def _insert_rows(rows: list[tuple[Any, ...]]) -> None:
    """Add new warnings, rows in INSERTED order. The first scan of a season raises tens of thousands at once:
    on PostgreSQL they are COPYed (bulk_create spends most of its time building model instances and SQL)."""
    if not rows:
        return
    table, columns = Warning._meta.db_table, ", ".join(INSERTED)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            return
        placeholders = ", ".join(["%s"] * len(INSERTED))
        cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({placeholders})", rows)


def _update_rows(rows: list[tuple[Any, ...]]) -> None:
    """Rewrite warnings by id: rows are (id, *WRITTEN, updated_at). Each new day changes every open warning (its
    days left fall), so this is the scan's hot path: on PostgreSQL the rows are copied into a scratch table and
    applied in one UPDATE … FROM (Django's bulk_update builds a CASE per column per row, about ten times slower
    at 60,000 rows); elsewhere one prepared UPDATE runs for each row."""
    if not rows:
        return
    table, columns = Warning._meta.db_table, [*WRITTEN, "updated_at"]
    assignments = ", ".join(f"{c} = %s" for c in columns)
    with connection.cursor() as cursor:
        if connection.vendor != "postgresql":
            cursor.executemany(
                f"UPDATE {table} SET {assignments} WHERE id = %s", [(*row[1:], row[0]) for row in rows]
            )
            return
        cursor.execute(
            f"CREATE TEMP TABLE IF NOT EXISTS scratch_warning ON COMMIT DROP AS "
            f"SELECT id, {', '.join(columns)} FROM {table} WITH NO DATA"
        )
        with cursor.cursor.copy(f"COPY scratch_warning (id, {', '.join(columns)}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
        cursor.execute(
            f"UPDATE {table} AS w SET {', '.join(f'{c} = s.{c}' for c in columns)} "
            f"FROM scratch_warning AS s WHERE w.id = s.id"
        )
        cursor.execute("DROP TABLE scratch_warning")
