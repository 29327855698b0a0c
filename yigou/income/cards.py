"""Reads behind the household's income page: the entries of a card with their corrections, the ledger purchases
its 经营性 income comes from, the standing 三保障 check of each item, and one household's line in the scan.

Every read asks for `income.view` and the household's visibility first (a household out of scope is "not found").
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Prefetch, QuerySet

from yigou.accounts.scope import ensure_can, ensure_region_in_scope, get_visible, restrict
from yigou.ledger.models import Beneficiary
from yigou.regions.models import Region, prefix_of
from yigou.regions.selectors import home_region
from yigou.registry.enums import Relation
from yigou.registry.models import Household, Member

from .checks import check_region, check_year
from .enums import SecurityItem
from .figures import ZERO
from .models import IncomeEntry, SecurityCheck
from .monitoring import Suggestion, scan
from .selectors import Gap, HouseholdIncome, _latest, gaps, incomes, year_range


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
        household=row, purchase_date__range=year_range(check_year(year))
    ).select_related("purchase")
    return [
        Sale(
            b.purchase_id,
            b.purchase.date,
            b.purchase.buyer_name,
            b.amount,
            b.purchase.reverses_id is not None,
        )
        for b in rows.order_by("purchase_date", "purchase_id")
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


@dataclass(frozen=True)
class CardRow:
    """One household's card of a year in a region's list and export, with its head member for the masked ID."""

    household: Household
    income: HouseholdIncome
    head_id_number: str
    gaps: list[Gap]

    def amount(self, component: str) -> Decimal:
        return self.income.amounts.get(component, ZERO)


def region_for(actor: Any, code: str) -> Region:
    """The region a list is asked for: the code given (within the reader's scope), else the reader's home."""
    ensure_can(actor, "income.view")
    text = (code or "").strip()
    if not text:
        home = home_region(actor)
        return home if home is not None else Region.objects.filter(parent__isnull=True).order_by("code")[0]
    region = check_region(text)
    ensure_region_in_scope(actor, region.code)
    return region


def region_cards(actor: Any, region: Region, year: Any) -> list[CardRow]:
    """Every household of the region subtree with a card for the year, by number, in a fixed number of queries."""
    ensure_can(actor, "income.view")
    ensure_region_in_scope(actor, region.code)
    year = check_year(year)
    prefix = prefix_of(region.code)
    found, found_gaps = incomes(year, prefix), gaps(year, prefix)
    households = (
        restrict(actor, Household.objects.filter(pk__in=list(found)))
        .select_related("village")
        .prefetch_related(Prefetch("members", Member.objects.filter(relation=Relation.HEAD), to_attr="heads"))
        .order_by("number")
    )
    return [
        CardRow(hh, found[hh.pk], hh.heads[0].id_number if hh.heads else "", found_gaps.get(hh.pk, []))
        for hh in households
    ]
