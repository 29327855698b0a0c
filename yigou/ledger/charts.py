"""Series for the chart page: amount by month and by child region from the rollups, by channel from the ledger.

This is a page, not the official table: by channel is a scoped GROUP BY over the purchases of the region.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Sum

from yigou.accounts.scope import restrict
from yigou.core.periods import Period, parse_period
from yigou.regions.models import Region

from .enums import Channel
from .models import DayRollup, MonthRollup, Purchase
from .selectors import statistics_region
from .table import _month_filter, build_table

CENT = Decimal("0.01")


@dataclass
class Charts:
    region: Region
    period: Period
    by_month: list[tuple[str, Decimal]]
    by_channel: list[tuple[str, Decimal]]
    by_child: list[tuple[str, Decimal]]


def _yuan(fen: int) -> Decimal:
    return (Decimal(fen) / 100).quantize(CENT)


def _by_month(region: Region, period: Period) -> list[tuple[str, Decimal]]:
    fen: Counter[str] = Counter()
    if period.month_aligned:
        rows: Any = MonthRollup.objects.filter(_month_filter(period), region_code=region.code).values(
            "year", "month", "amount_total"
        )
        for row in rows:
            fen[f"{row['year']}-{row['month']:02d}"] += row["amount_total"]
    else:
        days = DayRollup.objects.filter(region_code=region.code, day__gte=period.start, day__lte=period.end)
        for day, amount in days.values_list("day", "amount_total"):
            fen[f"{day:%Y-%m}"] += amount
    return [(f"{y}-{m:02d}", _yuan(fen.get(f"{y}-{m:02d}", 0))) for y, m in period.months]


def _by_channel(actor: Any, region: Region, period: Period) -> list[tuple[str, Decimal]]:
    qs = restrict(
        actor,
        Purchase.objects.filter(
            region__code__startswith=region.prefix, date__gte=period.start, date__lte=period.end
        ),
    )
    sums = {r["channel"]: r["s"] for r in qs.values("channel").annotate(s=Sum("total"))}
    return [
        (label, (sums[value] or Decimal(0)).quantize(CENT))
        for value, label in Channel.choices
        if sums.get(value)
    ]


def charts(actor: Any, region_code: str, period_text: str) -> Charts:
    region = statistics_region(actor, region_code)
    period = parse_period(period_text)
    table = build_table(region, period)
    by_child = [(row.region_name, Decimal(row.values["amount_total"])) for row in table.rows]
    return Charts(region, period, _by_month(region, period), _by_channel(actor, region, period), by_child)
