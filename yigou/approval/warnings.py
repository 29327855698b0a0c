"""Validation warnings still standing for a region and period, from the reporting app's stored results."""

from __future__ import annotations

from yigou.core.periods import Period
from yigou.regions.models import Region
from yigou.reporting.enums import FlagStatus
from yigou.reporting.models import OutlierFlag, ValidationResult


def _results(region: Region, period: Period) -> list[str]:
    rows = (
        ValidationResult.objects.filter(
            region__code__startswith=region.prefix, period_start__gte=period.start, period_end__lte=period.end
        )
        .select_related("region", "rule")
        .order_by("region_id", "period_start", "rule__order", "pk")
    )
    lines = []
    for r in rows:
        note = f"（情况说明：{r.comment}）" if r.comment else ""
        lines.append(
            f"{r.region.name}{r.period_label}：{r.message}［重要性：{r.get_importance_display()}］{note}"
        )
    return lines


def _outliers(region: Region, period: Period) -> list[str]:
    months = period.months
    rows = (
        OutlierFlag.objects.filter(
            region__code__startswith=region.prefix,
            status=FlagStatus.OPEN,
            year__gte=months[0][0],
            year__lte=months[-1][0],
        )
        .select_related("region", "element", "element__section")
        .order_by("region_id", "year", "month", "pk")
    )
    return [
        f"{r.region.name}{r.year}年{r.month}月“{r.element.label}”填报值{r.value}：{r.get_kind_display()}，待核实。"
        for r in rows
        if (r.year, r.month) in months
    ]


def validation_warnings(region: Region, period: Period) -> list[str]:
    """Rule violations and open outlier flags in the region's subtree within the period."""
    return _results(region, period) + _outliers(region, period)
