"""Reads behind the household's income page: the entries of a card with their corrections, the ledger purchases
its 经营性 income comes from, the standing 三保障 check of each item, and one household's line in the scan.

Every read asks for `income.view` and the household's visibility first (a household out of scope is "not found").
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet

from yigou.accounts.scope import ensure_can, get_visible
from yigou.ledger.models import Beneficiary
from yigou.regions.models import Region
from yigou.registry.models import Household

from .checks import check_year
from .enums import SecurityItem
from .models import IncomeEntry, SecurityCheck
from .monitoring import Suggestion, scan
from .selectors import _latest, year_range


def visible_household(actor: Any, household: Household | int) -> Household:
    ensure_can(actor, "income.view")
    pk = household.pk if isinstance(household, Household) else household
    return get_visible(actor, Household.objects.select_related("village", "village__parent"), pk=pk)


def card_entries(actor: Any, household: Household | int, year: Any) -> list[IncomeEntry]:
    """Every entry of the household's card for the year in the order written, with who wrote it and, for a
    corrected entry, its offsetting entry (`entry.correction`)."""
    row = visible_household(actor, household)
    return list(
        IncomeEntry.objects.filter(household=row, year=check_year(year))
        .select_related("recorded_by", "corrects", "correction")
        .order_by("id")
    )


def entry(actor: Any, pk: int) -> IncomeEntry:
    """One income entry the reader may see (for its correction and its evidence file)."""
    ensure_can(actor, "income.view")
    return get_visible(actor, IncomeEntry.objects.select_related("household", "correction"), pk=pk)


@dataclass(frozen=True)
class Sale:
    """One ledger purchase that paid the household in the year: what its 经营性 income is read from."""

    purchase_id: int
    date: Any
    buyer: str
    amount: Decimal
    reversal: bool


def ledger_sales(actor: Any, household: Household | int, year: Any) -> list[Sale]:
    """The household's beneficiary rows of the year's purchases, reversals included (they are negative)."""
    row = visible_household(actor, household)
    rows: QuerySet[Beneficiary] = Beneficiary.objects.filter(
        household=row, purchase__date__range=year_range(check_year(year))
    ).select_related("purchase")
    return [
        Sale(
            b.purchase_id,
            b.purchase.date,
            b.purchase.buyer_name,
            b.amount,
            b.purchase.reverses_id is not None,
        )
        for b in rows.order_by("purchase__date", "purchase_id")
    ]


@dataclass(frozen=True)
class ItemCheck:
    item: str
    label: str
    check: SecurityCheck | None  # the standing (latest) check, or None when the item was not checked

    @property
    def gap(self) -> bool:
        return self.check is not None and not self.check.ok


def security_items(actor: Any, household: Household | int, year: Any) -> list[ItemCheck]:
    """Each 三保障 and drinking-water item with its standing check of the year (None: not checked yet)."""
    row = visible_household(actor, household)
    checks = SecurityCheck.objects.filter(household=row, year=check_year(year)).select_related("recorded_by")
    latest = {c.item: c for c in _latest(checks)}
    return [ItemCheck(item.value, item.label, latest.get(item.value)) for item in SecurityItem]


def security_history(actor: Any, household: Household | int, year: Any) -> list[SecurityCheck]:
    row = visible_household(actor, household)
    return list(
        SecurityCheck.objects.filter(household=row, year=check_year(year))
        .select_related("recorded_by")
        .order_by("checked_on", "id")
    )


def household_scan(actor: Any, household: Household | int, year: Any) -> Suggestion | None:
    """What the monitoring scan says of this household for the year (None: not flagged), scanning its village."""
    row = visible_household(actor, household)
    village = Region.objects.get(code=row.village_id)
    found = scan(village, check_year(year))
    return next((s for s in found.suggestions if s.household == row.number), None)
