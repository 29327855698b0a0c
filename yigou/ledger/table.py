"""The 以购助扶成果统计表 for any region and period, served from the rollups (never from the raw ledger)."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum

from yigou.core.periods import Period
from yigou.market.enums import OutletKind
from yigou.market.models import Activity, Outlet
from yigou.regions.models import Region

from .columns import BY_CODE, CODES, DISTINCT_SOURCES, MONEY_SOURCES
from .models import ADDITIVE, DISTINCT_KINDS, DayRollup, MonthRollup, Presence

Number = int | Decimal
CENT, WAN = Decimal("0.01"), Decimal("10000")


@dataclass
class Row:
    region_code: str
    region_name: str
    values: dict[str, Number]


@dataclass
class StatsTable:
    region: Region
    period: Period
    rows: list[Row]
    total: Row
    footnotes: list[str] = field(default_factory=list)


def _month_filter(period: Period) -> Q:
    by_year: dict[int, list[int]] = defaultdict(list)
    for year, month in period.months:
        by_year[year].append(month)
    q = Q()
    for year, months in by_year.items():
        q |= Q(year=year, month__gte=min(months), month__lte=max(months))
    return q


def _additive(codes: list[str], period: Period) -> dict[str, Counter[str]]:
    qs: QuerySet[Any]
    if period.month_aligned:
        qs = MonthRollup.objects.filter(_month_filter(period), region_code__in=codes)
    else:
        qs = DayRollup.objects.filter(region_code__in=codes, day__gte=period.start, day__lte=period.end)
    rows: Any = qs.values("region_code").annotate(**{f"s_{c}": Sum(c) for c in ADDITIVE})
    return {r["region_code"]: Counter({c: r[f"s_{c}"] or 0 for c in ADDITIVE}) for r in rows}


def _distinct_from_rollups(codes: list[str], period: Period) -> dict[str, Counter[str]]:
    prefix = "m" if period.single_month else "y"
    qs = MonthRollup.objects.filter(_month_filter(period), region_code__in=codes)
    rows: Any = qs.values("region_code").annotate(**{f"s_{k}": Sum(f"{prefix}_{k}") for k in DISTINCT_KINDS})
    return {r["region_code"]: Counter({k: r[f"s_{k}"] or 0 for k in DISTINCT_KINDS}) for r in rows}


def _distinct_from_presence(regions: list[Region], period: Period) -> dict[str, Counter[str]]:
    """Exact distinct counts for periods the month rollups cannot answer (any date range, ranges not from January)."""
    result: dict[str, Counter[str]] = {}
    for region in regions:
        rows = (
            Presence.objects.filter(
                region_code__startswith=region.prefix,
                day__gte=period.start,
                day__lte=period.end,
                refcount__gt=0,
            )
            .values("kind")
            .annotate(n=Count("key", distinct=True))
        )
        result[region.code] = Counter({r["kind"]: r["n"] for r in rows})
    return result


def _owner(region_code: str, regions: list[Region]) -> str | None:
    for region in regions:
        if region_code.startswith(region.prefix):
            return region.code
    return None


def _activities(parent: Region, regions: list[Region], period: Period) -> dict[str, int]:
    counts: Counter[str] = Counter()
    rows = (
        Activity.objects.filter(
            region__code__startswith=parent.prefix, date__gte=period.start, date__lte=period.end
        )
        .values("region_id")
        .annotate(n=Count("pk"))
    )
    for row in rows:
        owner = _owner(row["region_id"], regions)
        if owner:
            counts[owner] += row["n"]
    return counts


def _outlets(parent: Region, regions: list[Region], period: Period) -> dict[str, Counter[str]]:
    """Outlets open at the end of the period, by kind, and the fees they had waived (元)."""
    result: dict[str, Counter[str]] = defaultdict(Counter)
    open_at_end = Q(opened_on__lte=period.end) & (Q(closed_on__isnull=True) | Q(closed_on__gt=period.end))
    rows = (
        Outlet.objects.filter(open_at_end, region__code__startswith=parent.prefix)
        .values("region_id", "kind")
        .annotate(n=Count("pk"), fees=Sum("fees_waived"))
    )
    for row in rows:
        owner = _owner(row["region_id"], regions)
        if owner:
            result[owner][f"outlets_{row['kind']}"] += row["n"]
            result[owner]["fees_fen"] += int((row["fees"] or 0) * 100)
    return result


def _values(
    add: Counter[str], distinct: Counter[str], activities: int, outlets: Counter[str]
) -> dict[str, Number]:
    values: dict[str, Number] = {"activities": activities}
    for kind in OutletKind.values:
        values[f"outlets_{kind}"] = outlets.get(f"outlets_{kind}", 0)
    values["fees_waived_wan"] = (Decimal(outlets.get("fees_fen", 0)) / 100 / WAN).quantize(
        CENT, ROUND_HALF_UP
    )
    for code, kinds in DISTINCT_SOURCES.items():
        values[code] = sum(distinct.get(k, 0) for k in kinds)
    for code, measure in MONEY_SOURCES.items():
        values[code] = (Decimal(add.get(measure, 0)) / 100).quantize(CENT)
    return {code: values[code] for code in CODES}


def table_footnotes(rows: list[Row], total: Row) -> list[str]:
    notes = []
    for code in DISTINCT_SOURCES:
        summed = sum(int(r.values[code]) for r in rows)
        if rows and summed != total.values[code]:
            column = BY_CODE[code]
            notes.append(
                f"“{column.group}·{column.label}”合计 {total.values[code]} 按全区去重计算，"
                f"各行相加为 {summed}：同一对象在多个下级区域出现时合计只计一次。"
            )
    return notes


def build_table(region: Region, period: Period) -> StatsTable:
    children = list(region.children.order_by("code"))
    regions = [*children, region]
    codes = [r.code for r in regions]
    additive = _additive(codes, period)
    if period.single_month or period.year_to_date:
        distinct = _distinct_from_rollups(codes, period)
    else:
        distinct = _distinct_from_presence(regions, period)
    # Owners are tried children first: what sits at the parent itself (a county-level fair) counts in the total only.
    activities = _activities(region, regions, period)
    outlets = _outlets(region, regions, period)
    total_activities = sum(activities.values())
    total_outlets = _sum_counters(outlets.values())

    def row(r: Region, acts: int, outs: Counter[str]) -> Row:
        return Row(
            r.code,
            r.name,
            _values(additive.get(r.code, Counter()), distinct.get(r.code, Counter()), acts, outs),
        )

    rows = [row(c, activities.get(c.code, 0), outlets.get(c.code, Counter())) for c in children]
    total = row(region, total_activities, total_outlets)
    return StatsTable(region, period, rows, total, table_footnotes(rows, total))


def _sum_counters(counters: Any) -> Counter[str]:
    total: Counter[str] = Counter()
    for c in counters:
        total.update(c)
    return total
