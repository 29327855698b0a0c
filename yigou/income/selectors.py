"""Reads of the income card: one household's card with the parts of each component, the per-household totals of a
region and year in SQL (for the monitoring scan), the 三保障 gaps, and the monitoring line of a year and region.

经营性收入 includes, read live and never copied, what the household earned from consumption-assistance sales: the
ledger's beneficiary rows of purchases dated in the year. A reversal is a negative row dated like the purchase it
reverses, so a reversed sale leaves the card by itself.
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, Exists, Min, OuterRef, Q, QuerySet, Sum
from django.utils import timezone

from yigou.accounts.scope import ensure_can, get_visible, restrict, scope_for
from yigou.assist.models import CadreHouseholdPairing
from yigou.core.errors import DomainError
from yigou.ledger.models import Beneficiary
from yigou.regions.models import Region, prefix_of
from yigou.registry.enums import MonitorType
from yigou.registry.models import Household

from .checks import check_year
from .enums import (
    OPEN_STATUSES,
    CaseStatus,
    Component,
    DeclarationStatus,
    MeasureStatus,
    RiskType,
    SecurityItem,
    Source,
)
from .figures import ZERO, money, net_income, per_capita
from .models import (
    NATIONAL,
    CaseStep,
    Declaration,
    IncomeEntry,
    Measure,
    MonitoringCase,
    MonitoringLine,
    SecurityCheck,
)

LEDGER = "ledger"
LEDGER_LABEL = "消费帮扶销售收入（台账）"


@dataclass(frozen=True)
class Part:
    """What one source adds to a component: the ledger (with its count of purchases) or entries of one source."""

    source: str
    label: str
    amount: Decimal
    count: int


@dataclass(frozen=True)
class ComponentTotal:
    component: str
    label: str
    amount: Decimal
    parts: list[Part]


@dataclass(frozen=True)
class IncomeCard:
    household: Household
    year: int
    components: list[ComponentTotal]
    net_income: Decimal
    size: int
    per_capita: Decimal

    def component(self, code: str) -> ComponentTotal:
        return next(c for c in self.components if c.component == code)


@dataclass
class HouseholdIncome:
    """One household's totals of a year as the scan reads them; `size` is the household size (members if 0)."""

    household_id: int
    number: str = ""
    status: str = ""
    size: int = 0
    amounts: dict[str, Decimal] = field(default_factory=dict)
    purchases: int = 0

    @property
    def net_income(self) -> Decimal:
        return net_income(self.amounts)

    @property
    def per_capita(self) -> Decimal | None:
        return per_capita(self.net_income, self.size) if self.size else None


def year_range(year: int) -> tuple[dt.date, dt.date]:
    return dt.date(year, 1, 1), dt.date(year, 12, 31)


def _live_entry() -> Q:
    """An entry that is neither a correction nor corrected: what says a card has data."""
    return Q(corrects__isnull=True, correction__isnull=True)


def _entry_sums(year: int, households: Q) -> QuerySet[Any, Any]:
    return (
        IncomeEntry.objects.filter(households, year=year)
        .order_by()
        .values("household_id", "component", "source")
        .annotate(total=Sum("amount"), entries=Count("id"), live=Count("id", filter=_live_entry()))
    )


def _ledger_sums(year: int, households: Q) -> QuerySet[Any, Any]:
    live = Q(purchase__reverses__isnull=True, purchase__reversal__isnull=True)
    return (
        Beneficiary.objects.filter(households, purchase_date__range=year_range(year))
        .order_by()
        .values("household_id")
        .annotate(total=Sum("amount"), purchases=Count("purchase_id", filter=live, distinct=True))
    )


def household_size(household: Household) -> int:
    return household.size or household.members.count()


def _parts(household: Household, year: int) -> dict[str, list[Part]]:
    parts: dict[str, list[Part]] = defaultdict(list)
    for ledger in _ledger_sums(year, Q(household_id=household.pk)):
        parts[Component.BUSINESS].append(
            Part(LEDGER, LEDGER_LABEL, money(ledger["total"]), ledger["purchases"])
        )
    order = {code: n for n, code in enumerate(Source.values)}
    rows = sorted(_entry_sums(year, Q(household_id=household.pk)), key=lambda r: order[r["source"]])
    for row in rows:
        label = Source(row["source"]).label
        parts[row["component"]].append(Part(row["source"], label, money(row["total"]), row["entries"]))
    return parts


def income_card(actor: Any, household: Household | int, year: Any) -> IncomeCard:
    """A household's income card for a year: each component with its parts, the net and per-capita net income."""
    ensure_can(actor, "income.view")
    pk = household.pk if isinstance(household, Household) else household
    row = get_visible(actor, Household.objects.all(), pk=pk)
    year = check_year(year)
    size = household_size(row)
    if size == 0:
        raise DomainError(
            "invalid_input", detail=f"农户{row.number}家庭人口为 0，无法计算人均纯收入，请先登记家庭成员"
        )
    parts = _parts(row, year)
    components = [
        ComponentTotal(c.value, c.label, sum((p.amount for p in parts[c]), ZERO), parts[c]) for c in Component
    ]
    net = net_income({c.component: c.amount for c in components})
    return IncomeCard(row, year, components, net, size, per_capita(net, size))


def incomes(year: int, region_prefix: str) -> dict[int, HouseholdIncome]:
    """Per-household totals of a year for every household of the region subtree that has a live income entry
    that year, in three grouped queries whatever the number of households. A household whose only income of
    the year is ledger sales has no card: the ledger covers one part of one component, and judging a household
    on it alone would take every seller for poor."""
    in_region = Q(household__village__code__startswith=region_prefix)
    totals: dict[int, dict[str, Decimal]] = defaultdict(dict)
    live: set[int] = set()
    for row in _entry_sums(year, in_region):
        amounts = totals[row["household_id"]]
        amounts[row["component"]] = amounts.get(row["component"], ZERO) + money(row["total"])
        if row["live"]:
            live.add(row["household_id"])
    found = {pk: HouseholdIncome(pk, amounts=totals[pk]) for pk in live}
    for row in _ledger_sums(year, in_region):
        income = found.get(row["household_id"])
        if income is not None:
            amounts = income.amounts
            amounts[Component.BUSINESS] = amounts.get(Component.BUSINESS, ZERO) + money(row["total"])
            income.purchases = row["purchases"]
    households = (
        Household.objects.filter(
            village__code__startswith=region_prefix, pk__in=_with_entries(year, region_prefix)
        )
        .annotate(member_count=Count("members"))
        .values_list("pk", "number", "status", "size", "member_count")
    )
    for pk, number, status, size, members in households:
        if pk in found:
            found[pk].number, found[pk].status, found[pk].size = number, status, size or members
    return found


def _with_entries(year: int, region_prefix: str) -> QuerySet[IncomeEntry, Any]:
    return (
        IncomeEntry.objects.filter(year=year, household__village__code__startswith=region_prefix)
        .order_by()
        .values("household_id")
    )


@dataclass(frozen=True)
class Gap:
    household_id: int
    number: str
    status: str
    item: str
    checked_on: dt.date
    evidence: str

    @property
    def label(self) -> str:
        return SecurityItem(self.item).label


def _latest(checks: QuerySet[SecurityCheck]) -> QuerySet[SecurityCheck]:
    """The latest check of each household, year and item (later date, then later entry)."""
    newer = SecurityCheck.objects.filter(
        household_id=OuterRef("household_id"), year=OuterRef("year"), item=OuterRef("item")
    ).filter(
        Q(checked_on__gt=OuterRef("checked_on")) | Q(checked_on=OuterRef("checked_on"), pk__gt=OuterRef("pk"))
    )
    return checks.filter(~Exists(newer))


def gaps(year: int, region_prefix: str) -> dict[int, list[Gap]]:
    """三保障 gaps of a region subtree and year: items whose latest check is not ok, per household, in one query."""
    checks = SecurityCheck.objects.filter(year=year, household__village__code__startswith=region_prefix)
    rows = (
        _latest(checks)
        .filter(ok=False)
        .order_by("household_id", "item")
        .values_list(
            "household_id", "household__number", "household__status", "item", "checked_on", "evidence"
        )
    )
    found: dict[int, list[Gap]] = defaultdict(list)
    for row in rows:
        found[row[0]].append(Gap(*row))
    return dict(found)


def security_gaps(actor: Any, household: Household | int, year: Any) -> list[Gap]:
    """One household's 三保障 gaps of a year, for a reader who may see the household."""
    ensure_can(actor, "income.view")
    pk = household.pk if isinstance(household, Household) else household
    row = get_visible(actor, Household.objects.all(), pk=pk)
    checks = SecurityCheck.objects.filter(year=check_year(year), household=row)
    return [
        Gap(row.pk, row.number, row.status, c.item, c.checked_on, c.evidence)
        for c in _latest(checks).filter(ok=False).order_by("item")
    ]


def province_of(region_code: str) -> str:
    return f"{region_code[:2]}{'0' * 10}"


def line_for(year: int, region_code: str) -> MonitoringLine | None:
    """The monitoring line of the region's province for the year, else the national one, else None."""
    rows = {
        line.province_code: line
        for line in MonitoringLine.objects.filter(
            year=year, province_code__in=[province_of(region_code), NATIONAL]
        )
    }
    return rows.get(province_of(region_code)) or rows.get(NATIONAL)


# --- 防止返贫动态监测: reads of cases, declarations, measures, a cadre's list and the dashboard ---


def _cases_visible(actor: Any) -> QuerySet[MonitoringCase]:
    ensure_can(actor, "monitoring.view")
    return restrict(actor, MonitoringCase.objects.select_related("household", "household__village"))


def monitoring_cases(
    actor: Any, *, region_code: str = "", status: str = "", group: str = "", channel: str = ""
) -> QuerySet[MonitoringCase]:
    """The cases the actor may see, newest discovery first, filtered by region subtree, status, group, channel."""
    rows = _cases_visible(actor)
    if region_code:
        rows = rows.filter(household__village__code__startswith=prefix_of(region_code))
    for name, value in (("status", status), ("group", group), ("channel", channel)):
        if value:
            rows = rows.filter(**{name: value})
    return rows


def monitoring_case(actor: Any, pk: Any) -> MonitoringCase:
    return get_visible(actor, _cases_visible(actor), pk=pk)


def household_cases(actor: Any, household: Household | int) -> QuerySet[MonitoringCase]:
    """A household's cases, newest first (the household page's monitoring tab)."""
    pk = household.pk if isinstance(household, Household) else household
    return _cases_visible(actor).filter(household_id=pk)


def case_steps(case: MonitoringCase) -> QuerySet[CaseStep]:
    return case.steps.select_related("recorded_by").prefetch_related("files").order_by("id")


def case_measures(case: MonitoringCase) -> QuerySet[Measure]:
    return case.measures.select_related("cadre").prefetch_related("follow_ups").order_by("started_on", "id")


def is_overdue(measure: Measure, today: dt.date | None = None) -> bool:
    """Open past its deadline (the deadline day itself is not overdue)."""
    return measure.status == MeasureStatus.OPEN and measure.deadline < (today or timezone.localdate())


def next_visit_due(measure: Measure) -> dt.date | None:
    """When an open measure's next visit is due: what its latest visit said, else its deadline."""
    if measure.status != MeasureStatus.OPEN:
        return None
    visits = sorted(measure.follow_ups.all(), key=lambda v: (v.date, v.pk))
    if visits:
        return visits[-1].next_due
    return measure.deadline


def declarations_pending(actor: Any, *, matched: bool | None = None) -> QuerySet[Declaration]:
    """Declarations not yet handled: matched ones show a flagged household; unmatched ones wait for the county."""
    ensure_can(actor, "monitoring.view")
    rows = restrict(actor, Declaration.objects.select_related("household")).filter(
        status=DeclarationStatus.NEW
    )
    if matched is not None:
        rows = rows.filter(household__isnull=not matched)
    return rows.order_by("created_at", "id")


@dataclass(frozen=True)
class CadreHousehold:
    household: Household
    case: MonitoringCase
    open_measures: int
    overdue_measures: int
    next_visit_due: dt.date | None


def cadre_households(actor: Any, cadre: Any, today: dt.date | None = None) -> list[CadreHousehold]:
    """A cadre's paired households (pairings running today) that have an open case, the next visit due first."""
    ensure_can(actor, "monitoring.view")
    day = today or timezone.localdate()
    pairings = CadreHouseholdPairing.objects.filter(
        cadre_id=getattr(cadre, "pk", cadre), start__lte=day
    ).filter(Q(end__isnull=True) | Q(end__gte=day))
    cases = (
        _cases_visible(actor)
        .filter(household_id__in=pairings.values("household_id"), status__in=OPEN_STATUSES)
        .prefetch_related("measures__follow_ups")
    )
    rows = []
    for case in cases:
        open_measures = [m for m in case.measures.all() if m.status == MeasureStatus.OPEN]
        dues = [d for m in open_measures if (d := next_visit_due(m)) is not None]
        rows.append(
            CadreHousehold(
                case.household,
                case,
                len(open_measures),
                sum(1 for m in open_measures if is_overdue(m, day)),
                min(dues) if dues else None,
            )
        )
    return sorted(rows, key=lambda r: (r.next_visit_due or dt.date.max, r.household.number))


@dataclass(frozen=True)
class Tally:
    code: str
    label: str
    count: int


@dataclass(frozen=True)
class Dashboard:
    region: Region
    open_cases: int
    by_status: list[Tally]
    by_group: list[Tally]
    by_risk: list[Tally]
    by_region: list[Tally]
    overdue_measures: int
    median_days_to_first_measure: Decimal | None


def _first_measure_days(cases: QuerySet[MonitoringCase]) -> Decimal | None:
    rows = cases.annotate(first=Min("measures__started_on")).filter(first__isnull=False)
    days = [(first - found).days for found, first in rows.values_list("discovered_on", "first")]
    return Decimal(str(statistics.median(days))) if days else None


def monitoring_dashboard(actor: Any, region_code: str = "", today: dt.date | None = None) -> Dashboard:
    """Counts of the open cases (识别中, 监测中, 消除审核中) of a region subtree by group, risk type and child region,
    every case by status, open measures past their deadline, and the median days from discovery to first measure
    (over every case that has a measure)."""
    ensure_can(actor, "monitoring.view")
    day = today or timezone.localdate()
    region = get_visible(actor, Region.objects.all(), code=region_code) if region_code else _own_region(actor)
    cases = _cases_visible(actor).filter(household__village__code__startswith=prefix_of(region.code))
    open_cases = list(
        cases.filter(status__in=OPEN_STATUSES).values_list("group", "risks", "household__village_id")
    )
    statuses = dict(cases.order_by().values_list("status").annotate(n=Count("id")).values_list("status", "n"))
    groups: dict[str, int] = defaultdict(int)
    risks: dict[str, int] = defaultdict(int)
    villages: dict[str, int] = defaultdict(int)
    for group, case_risks, village in open_cases:
        groups[group] += 1
        for risk in case_risks:
            risks[risk] += 1
        villages[village] += 1
    children = list(Region.objects.filter(parent=region).order_by("code"))
    overdue = Measure.objects.filter(case__in=cases, status=MeasureStatus.OPEN, deadline__lt=day).count()
    return Dashboard(
        region=region,
        open_cases=len(open_cases),
        by_status=[Tally(s.value, s.label, statuses.get(s.value, 0)) for s in CaseStatus],
        by_group=[Tally(g.value, g.label, groups.get(g.value, 0)) for g in MonitorType if g.value],
        by_risk=[Tally(r.value, r.label, risks.get(r.value, 0)) for r in RiskType],
        by_region=[
            Tally(c.code, c.name, sum(n for v, n in villages.items() if v.startswith(prefix_of(c.code))))
            for c in children
        ],
        overdue_measures=overdue,
        median_days_to_first_measure=_first_measure_days(cases),
    )


def _own_region(actor: Any) -> Region:
    scope = scope_for(actor)
    org = getattr(actor, "organisation", None)
    if scope.kind == "region" and org is not None:
        return org.region
    return Region.objects.filter(parent__isnull=True).order_by("code").first() or Region.objects.get()


def monitoring_measure(actor: Any, pk: Any) -> Measure:
    ensure_can(actor, "monitoring.view")
    return get_visible(actor, Measure.objects.select_related("case__household", "cadre"), pk=pk)
