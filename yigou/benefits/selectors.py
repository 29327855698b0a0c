"""Reads of benefit distribution, always through the user's scope: distributions with filters, a distribution's
parts, the members' book, PV stations with the output-per-kW warning, and a household's statement."""

from __future__ import annotations

import statistics
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db.models import Q, QuerySet, Sum

from yigou.accounts.scope import can, get_visible, restrict
from yigou.core.errors import PermissionDeniedError
from yigou.registry.models import CoopMember, Household, Producer

from .compute import CENT
from .enums import Kind, Status
from .models import (
    Allocation,
    AssetFund,
    BookEntry,
    CapitalAccount,
    Distribution,
    PieceWork,
    PostMonth,
    PvMonth,
    PvStation,
    WelfarePost,
)

DEFAULT_OUTPUT_WARNING = Decimal("0.8")  # below 80% of the peers' median output per kW


def ensure_may_view(actor: Any) -> None:
    if not can(actor, "benefits.view"):
        raise PermissionDeniedError()


def distributions(
    actor: Any, *, kind: str = "", status: str = "", year: str = "", q: str = ""
) -> QuerySet[Distribution]:
    ensure_may_view(actor)
    rows = restrict(actor, Distribution.objects.select_related("region", "producer", "station"))
    if kind in Kind.values:
        rows = rows.filter(kind=kind)
    if status in Status.values:
        rows = rows.filter(status=status)
    if year.isdigit():
        rows = rows.filter(year=int(year))
    if q:
        rows = rows.filter(
            Q(title__icontains=q) | Q(producer__name__icontains=q) | Q(station__name__icontains=q)
        )
    return rows.order_by("-year", "-id")


def distribution(actor: Any, pk: int) -> Distribution:
    ensure_may_view(actor)
    return get_visible(
        actor, Distribution.objects.select_related("region", "producer", "station", "fund"), pk=pk
    )


def allocations(row: Distribution, q: str = "") -> QuerySet[Allocation]:
    lines = row.allocations.select_related("household", "replaces").order_by("id")
    return lines.filter(name__icontains=q) if q else lines


def cooperatives(actor: Any) -> QuerySet[Producer]:
    return restrict(actor, Producer.objects.filter(kind="cooperative", is_active=True)).order_by("name")


def producers(actor: Any) -> QuerySet[Producer]:
    return restrict(actor, Producer.objects.filter(is_active=True).exclude(kind="household")).order_by("name")


def cooperative(actor: Any, pk: int) -> Producer:
    ensure_may_view(actor)
    return get_visible(actor, Producer.objects.filter(kind="cooperative"), pk=pk)


def book_entries(actor: Any, producer: Producer, *, year: str = "", q: str = "") -> QuerySet[BookEntry]:
    rows = restrict(actor, BookEntry.objects.filter(producer=producer).select_related("member"))
    if year.isdigit():
        rows = rows.filter(date__year=int(year))
    if q:
        rows = rows.filter(Q(member__name__icontains=q) | Q(product__icontains=q))
    return rows.order_by("-date", "-id")


def members(actor: Any, producer: Producer) -> QuerySet[CoopMember]:
    return restrict(actor, CoopMember.objects.filter(producer=producer).select_related("household")).order_by(
        "id"
    )


def accounts(actor: Any, producer: Producer) -> QuerySet[CapitalAccount]:
    return restrict(actor, CapitalAccount.objects.filter(producer=producer).select_related("member"))


def funds(actor: Any) -> QuerySet[AssetFund]:
    ensure_may_view(actor)
    return restrict(actor, AssetFund.objects.select_related("holder", "region")).order_by("name")


def stations(actor: Any, q: str = "") -> QuerySet[PvStation]:
    ensure_may_view(actor)
    rows = restrict(actor, PvStation.objects.select_related("region"))
    return (rows.filter(name__icontains=q) if q else rows).order_by("region_id", "name")


def station(actor: Any, pk: int) -> PvStation:
    ensure_may_view(actor)
    return get_visible(actor, PvStation.objects.select_related("region"), pk=pk)


def station_months(row: PvStation, year: int) -> QuerySet[PvMonth]:
    return row.months.filter(year=year).order_by("month")


def posts(row: PvStation) -> QuerySet[WelfarePost]:
    return row.posts.select_related("member__household", "village").order_by("village_id", "id")


def post_months(row: PvStation, year: int) -> dict[int, list[PostMonth]]:
    months: dict[int, list[PostMonth]] = defaultdict(list)
    for m in PostMonth.objects.filter(post__station=row, year=year).order_by("month"):
        months[m.post_id].append(m)
    return dict(months)


def piecework(row: Distribution) -> QuerySet[PieceWork]:
    return row.piecework.select_related("member__household").order_by("member_id", "month")


@dataclass
class Output:
    station: PvStation
    kwh: Decimal
    per_kw: Decimal
    peer_median: Decimal | None
    warning: bool


def _per_kw(year: int, rows: QuerySet[PvStation]) -> dict[int, tuple[PvStation, Decimal, Decimal]]:
    energy = dict(
        PvMonth.objects.filter(station__in=rows, year=year)
        .values("station_id")
        .annotate(s=Sum("kwh"))
        .values_list("station_id", "s")
    )
    return {
        s.pk: (s, energy[s.pk].quantize(CENT), (energy[s.pk] / s.capacity_kw).quantize(CENT))
        for s in rows
        if s.pk in energy
    }


def output_warnings(actor: Any, year: int) -> list[Output]:
    """Each visible station's output per kW in the year against the median of its county's other stations; well
    below (YIGOU_PV_OUTPUT_WARNING of the median, 80% unless set) is a warning: panels dirty, broken or shaded."""
    mine = stations(actor)
    counties = set(mine.values_list("county_code", flat=True))
    peers = _per_kw(year, PvStation.objects.filter(county_code__in=counties))
    share = Decimal(str(getattr(settings, "YIGOU_PV_OUTPUT_WARNING", DEFAULT_OUTPUT_WARNING)))
    out = []
    for pk, (row, kwh, per_kw) in sorted(_per_kw(year, mine).items()):
        others = [v for k, (s, _, v) in peers.items() if k != pk and s.county_code == row.county_code]
        median = Decimal(statistics.median(others)).quantize(Decimal("0.01")) if others else None
        out.append(Output(row, kwh, per_kw, median, bool(median and per_kw < median * share)))
    return out


@dataclass
class StatementYear:
    year: int
    lines: list[Allocation] = field(default_factory=list)

    @property
    def total(self) -> Decimal:
        return sum(
            (line.amount for line in self.lines if not getattr(line, "replaced_by_paid", False)),
            Decimal("0.00"),
        )


@dataclass
class Statement:
    household: Household
    years: list[StatementYear]

    @property
    def total(self) -> Decimal:
        return sum((y.total for y in self.years), Decimal("0.00"))


def household(actor: Any, pk: int) -> Household:
    ensure_may_view(actor)
    return get_visible(actor, Household.objects.select_related("village"), pk=pk)


def household_statement(actor: Any, row: Household) -> Statement:
    """What the household was paid, year by year: every paid line, with a corrected line shown and struck through
    next to the correction that replaced it; the totals count what stands."""
    ensure_may_view(actor)
    lines = list(
        restrict(actor, Allocation.objects.filter(household=row, distribution__status=Status.PAID))
        .select_related("distribution")
        .order_by("distribution__year", "distribution_id", "id")
    )
    replaced = {line.replaces_id for line in lines if line.replaces_id}
    years: dict[int, StatementYear] = {}
    for line in lines:
        line.replaced_by_paid = line.pk in replaced  # type: ignore[attr-defined]
        years.setdefault(line.distribution.year, StatementYear(line.distribution.year)).lines.append(line)
    return Statement(row, [years[y] for y in sorted(years)])
