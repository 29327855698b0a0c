"""Computed indicators: a target's figure read from the platform's own data for its region and period.

The figures that the 以购助扶成果统计表 carries (purchase amount, households benefited, units taking part, outlets
of a kind) are read from that very table — the merged table of the same region and period — so a target's
progress is always the number the statistics page shows. The others count registers as they stand at the end of
the period (certified products in the catalog, cooperatives, open network sites) or sum what the period holds
(reserved-share completion of the year, rescued unsold produce, land trusteeship of the years touched).
A period still running is measured up to `as_of`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal

from django.db.models import Q, Sum

from yigou.accounts.services import system_actor
from yigou.core.periods import Period
from yigou.market.catalog import CatalogFilter, catalog
from yigou.regions.models import Region
from yigou.registry.enums import ProducerKind
from yigou.registry.models import Producer
from yigou.reporting.merge import build_merged_table
from yigou.shares.selectors import dashboard
from yigou.supply.models import Case

from .enums import SITE_INDICATORS, STATS_INDICATORS, Indicator
from .models import NetworkSite, TrusteeshipContract

ZERO = Decimal("0")


def measured_period(start: dt.date, end: dt.date, as_of: dt.date) -> Period | None:
    """The part of a target's period that has happened by `as_of` (None before it begins)."""
    end = min(end, as_of)
    if end < start:
        return None
    return Period(start, end, f"{start.isoformat()}..{end.isoformat()}")


class Measurer:
    """Computes indicators, keeping each statistics table it builds for the other targets of the same read."""

    def __init__(self, as_of: dt.date):
        self.as_of = as_of
        self._tables: dict[tuple[str, dt.date, dt.date], dict[str, object]] = {}

    def value(self, indicator: str, region: Region, start: dt.date, end: dt.date) -> Decimal:
        period = measured_period(start, end, self.as_of)
        if period is None:
            return ZERO
        return Decimal(str(self._compute(indicator, region, period)))

    def stats_values(self, region: Region, period: Period) -> dict[str, object]:
        key = (region.code, period.start, period.end)
        if key not in self._tables:
            self._tables[key] = dict(build_merged_table(region, period).total.values)
        return self._tables[key]

    def _compute(self, indicator: str, region: Region, period: Period) -> object:
        if indicator in STATS_INDICATORS:
            return self.stats_values(region, period)[indicator]
        if indicator in SITE_INDICATORS:
            return sites_open(SITE_INDICATORS[Indicator(indicator)], region, period.end)
        handler = HANDLERS.get(indicator)
        if handler is None:
            raise ValueError(f"not a computed indicator: {indicator}")
        return handler(region, period)


def sites_open(kind: str, region: Region, day: dt.date) -> int:
    open_on_day = Q(opened_on__lte=day) & (Q(closed_on__isnull=True) | Q(closed_on__gt=day))
    return NetworkSite.objects.filter(open_on_day, kind=kind, region__code__startswith=region.prefix).count()


def certified_products(region: Region, period: Period) -> int:
    """Products in the catalog on the period's last day (listed, within validity, producer not blacklisted)."""
    return catalog(CatalogFilter(region=region.code), today=period.end).count()


def cooperatives(region: Region, period: Period) -> int:
    """Active cooperatives registered in the region: the register keeps no founding date, so this is today's
    count whatever the period (a deactivated cooperative drops out)."""
    return Producer.objects.filter(
        kind=ProducerKind.COOPERATIVE, is_active=True, region__code__startswith=region.prefix
    ).count()


def share_completion(region: Region, period: Period) -> Decimal:
    """The reserved-share dashboard's completion rate (%) of the period's last year, as of its last day."""
    board = dashboard(system_actor(), region, period.end.year, period.end)
    return board.rate or ZERO


def rescued_value(region: Region, period: Period) -> Decimal:
    rows = Case.objects.filter(
        village__code__startswith=region.prefix,
        opened_at__date__gte=period.start,
        opened_at__date__lte=period.end,
    )
    return rows.aggregate(v=Sum("rescued_value"))["v"] or ZERO


def _trusteeship(region: Region, period: Period, field: str) -> Decimal:
    rows = TrusteeshipContract.objects.filter(
        region__code__startswith=region.prefix,
        year__gte=period.start.year,
        year__lte=period.end.year,
        signed_on__lte=period.end,
    )
    return rows.aggregate(v=Sum(field))["v"] or ZERO


HANDLERS: dict[str, Callable[[Region, Period], object]] = {
    Indicator.CERTIFIED_PRODUCTS: certified_products,
    Indicator.COOPERATIVES: cooperatives,
    Indicator.SHARE_COMPLETION: share_completion,
    Indicator.RESCUED_VALUE: rescued_value,
    Indicator.TRUSTEESHIP_MU: lambda region, period: _trusteeship(region, period, "mu"),
    Indicator.TRUSTEESHIP_HOUSEHOLDS: lambda region, period: _trusteeship(region, period, "households"),
}
