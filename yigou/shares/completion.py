"""Completion of reserved shares, summed from the ledger with one aggregate query, never stored.

What counts: purchases entered from paid platform orders (`Purchase.order` set — the ledger writes them only
when the buyer records payment) dated in the year, less their reversals (a refund writes a negated purchase
that keeps the order and the date). Unpaid orders have no purchase yet; off-platform purchases have no order.

Whose purchases count to a filing (the "owner", keyed by the filing unit's id):
- the unit itself under any buyer kind (unit, canteen, …) and its staff (cadres of the unit, `buyer_cadre.unit`);
- units whose canteen it shares (合并填报) and their staff;
- its union, when the union is registered as an assisting unit and linked on the filing — the ledger has no
  union buyer kind, so an unregistered union buys as the unit itself and is counted there;
- the contractor of an outsourced canteen: a registered enterprise (`buyer_unit`) or a buyer account
  (`order.buyer_user`).
A purchase is attributed once, by the first of: buying unit, cadre's unit, ordering account.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Q, QuerySet, Sum

from yigou.ledger.models import Purchase

from .enums import CanteenMode
from .models import ShareFiling

ZERO = Decimal("0.00")
CENT = Decimal("0.01")
SOURCES = {
    "unit": "本单位（含食堂）",
    "staff": "干部职工",
    "merged": "合并填报单位",
    "union": "工会",
    "contractor": "食堂承包方",
}


@dataclass
class Completion:
    by_source: dict[str, Decimal] = field(default_factory=lambda: defaultdict(lambda: ZERO))

    @property
    def total(self) -> Decimal:
        return sum(self.by_source.values(), ZERO)

    def breakdown(self) -> list[tuple[str, Decimal]]:
        return [(label, self.by_source.get(key, ZERO)) for key, label in SOURCES.items()]


@dataclass
class Owners:
    """Buyer identity → (owner unit id, source). Units without a filing own their own purchases."""

    units: dict[int, tuple[int, str]] = field(default_factory=dict)
    cadre_units: dict[int, tuple[int, str]] = field(default_factory=dict)
    users: dict[int, tuple[int, str]] = field(default_factory=dict)

    def add_filing(self, filing: ShareFiling) -> None:
        if filing.mode == CanteenMode.MERGED:
            owner = int(filing.host.unit_id)  # type: ignore[union-attr]
            self.units[filing.unit_id] = self.cadre_units[filing.unit_id] = (owner, "merged")
            return
        self.add_unit(filing.unit_id)
        if filing.union_unit_id:
            self.units[filing.union_unit_id] = (filing.unit_id, "union")
        if filing.contractor_unit_id:
            self.units[filing.contractor_unit_id] = (filing.unit_id, "contractor")
        if filing.contractor_user_id:
            self.users[filing.contractor_user_id] = (filing.unit_id, "contractor")

    def add_unit(self, unit_id: int) -> None:
        self.units.setdefault(unit_id, (unit_id, "unit"))
        self.cadre_units.setdefault(unit_id, (unit_id, "staff"))

    def owner_of(
        self, unit_id: int | None, cadre_unit_id: int | None, user_id: int | None
    ) -> tuple[int, str] | None:
        if unit_id is not None:
            return self.units.get(unit_id)
        if cadre_unit_id is not None:
            return self.cadre_units.get(cadre_unit_id)
        return self.users.get(user_id) if user_id is not None else None


def owners_for(unit_ids: Iterable[int], filings: Iterable[ShareFiling]) -> Owners:
    """Filings first (merged units, unions, contractors), then every other unit as its own owner."""
    owners = Owners()
    for filing in filings:
        owners.add_filing(filing)
    for unit_id in unit_ids:
        owners.add_unit(unit_id)
    return owners


def year_range(year: int) -> tuple[dt.date, dt.date]:
    return dt.date(year, 1, 1), dt.date(year, 12, 31)


def counted_purchases(owners: Owners, year: int) -> QuerySet[Purchase]:
    """The ledger rows that may count: paid platform purchases of the year by anyone the owners name."""
    start, end = year_range(year)
    who = Q(buyer_unit_id__in=list(owners.units)) | Q(buyer_cadre__unit_id__in=list(owners.cadre_units))
    if owners.users:
        who |= Q(
            buyer_unit__isnull=True, buyer_cadre__isnull=True, order__buyer_user_id__in=list(owners.users)
        )
    return Purchase.objects.filter(who, order__isnull=False, date__gte=start, date__lte=end)


@dataclass
class Totals:
    by_owner: dict[int, Completion]
    direct: dict[int, Decimal]  # what each unit and its staff bought themselves (for "never bought")

    def of(self, owner: int) -> Completion:
        return self.by_owner.get(owner) or Completion()


def compute(owners: Owners, year: int) -> Totals:
    """One aggregate query: sums grouped by buying unit, cadre's unit and ordering account."""
    rows = (
        counted_purchases(owners, year)
        .values("buyer_unit_id", "buyer_cadre__unit_id", "order__buyer_user_id")
        .annotate(amount=Sum("total"))
        .order_by()
    )
    by_owner: dict[int, Completion] = defaultdict(Completion)
    direct: dict[int, Decimal] = defaultdict(lambda: ZERO)
    for row in rows:
        unit_id, cadre_unit_id = row["buyer_unit_id"], row["buyer_cadre__unit_id"]
        hit = owners.owner_of(unit_id, cadre_unit_id, row["order__buyer_user_id"])
        if hit is None:
            continue
        amount = Decimal(row["amount"] or 0)
        by_owner[hit[0]].by_source[hit[1]] += amount
        if (unit_id or cadre_unit_id) is not None:
            direct[int(unit_id or cadre_unit_id)] += amount
    return Totals(dict(by_owner), dict(direct))


def rate(done: Decimal, target: Decimal) -> Decimal | None:
    """Completion in percent (two places), or None where nothing was reserved."""
    if target <= 0:
        return None
    return (done * 100 / target).quantize(CENT, rounding=ROUND_HALF_UP)


def elapsed_share(year: int, today: dt.date) -> Decimal:
    """How much of the year has passed, in percent: the pace a unit's completion is compared with."""
    start, end = year_range(year)
    if today < start:
        return ZERO
    if today >= end:
        return Decimal("100.00")
    days = (end - start).days + 1
    return (Decimal((today - start).days + 1) * 100 / days).quantize(CENT, rounding=ROUND_HALF_UP)
