"""Reads of reported values, rule results, outliers and the merged table — always through the actor's scope."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from yigou.accounts.scope import restrict
from yigou.core.periods import Period, parse_period
from yigou.ledger.selectors import statistics_region
from yigou.ledger.table import StatsTable
from yigou.regions.models import Region, prefix_of

from .merge import Merged, merge
from .models import FormValue, OutlierFlag, ValidationResult
from .validation import RegionViolation, run


def region_for(actor: Any, code: str = "") -> Region:
    """The region asked about (by default the actor's own), never outside the actor's region."""
    return statistics_region(actor, code)


def merged(actor: Any, region_code: str, period_text: str) -> Merged:
    return merge(region_for(actor, region_code), parse_period(period_text))


def merged_stats_table(actor: Any, region_code: str, period_text: str) -> StatsTable:
    """What `yigou stats`, the statistics page and API serve: the ledger merged with reported forms."""
    return merged(actor, region_code, period_text).table


def month_values(actor: Any, region: Region, year: int, month: int) -> dict[str, Any]:
    rows = restrict(actor, FormValue.objects.filter(region=region, year=year, month=month))
    return dict(rows.values_list("element__code", "value"))


def validation_run(actor: Any, region_code: str, period_text: str) -> list[RegionViolation]:
    """Check each child and the aggregated parent on demand (results are stored for the list and export)."""
    from .services import builtin_form

    return run(builtin_form(), region_for(actor, region_code), parse_period(period_text))


def _in(qs: QuerySet[Any], region: str) -> QuerySet[Any]:
    if region:
        qs = qs.filter(region__code__startswith=prefix_of(region))
    return qs


def results(
    actor: Any, *, region: str = "", period: Period | None = None, importance: str = "", q: str = ""
) -> QuerySet[ValidationResult]:
    qs = restrict(actor, ValidationResult.objects.select_related("rule", "region", "commented_by"))
    qs = _in(qs, region)
    if period is not None:
        qs = qs.filter(period_start__gte=period.start, period_end__lte=period.end)
    if importance:
        qs = qs.filter(importance=importance)
    if q.strip():
        qs = qs.filter(region__name__contains=q.strip()) | qs.filter(rule__description__contains=q.strip())
    return qs.order_by("region_id", "period_start", "rule__order")


def outlier_flags(
    actor: Any, *, region: str = "", period: Period | None = None, status: str = "", q: str = ""
) -> QuerySet[OutlierFlag]:
    qs = _in(restrict(actor, OutlierFlag.objects.select_related("element", "region")), region)
    if q.strip():
        qs = qs.filter(region__name__contains=q.strip()) | qs.filter(element__name__contains=q.strip())
    if period is not None:
        months = period.months
        qs = qs.filter(year__gte=months[0][0], year__lte=months[-1][0])
        qs = qs.filter(pk__in=[f.pk for f in qs if (f.year, f.month) in set(months)])
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("region_id", "year", "month", "element__order")
