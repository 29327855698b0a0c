"""Reported values of a region for a period: its own figures, or its children's aggregated where it has none.

The nearest level that reported wins, element by element and month by month: when a region has its own value of
an element for a month, that value is used; otherwise its children's values (each found the same way) are
combined by the element's aggregation up the tree (sum, max; "none" is never taken from children). A county
that reports itself and whose townships also report is therefore never counted twice. The months of the
period then combine by the element's period aggregation (flows add up; stocks take the last month reported).
A period that is not whole months counts every month it touches.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from decimal import Decimal

from yigou.core.periods import Period
from yigou.regions.models import Region

from .enums import Aggregation, PeriodAggregation
from .models import DataElement, Form, FormValue

Values = dict[str, Decimal | None]
Month = tuple[int, int]


def elements(form: Form) -> list[DataElement]:
    return list(form.elements.select_related("section").order_by("order", "id"))


def _combine(aggregation: str, values: list[Decimal]) -> Decimal | None:
    if not values or aggregation == Aggregation.NONE:
        return None
    return max(values) if aggregation == Aggregation.MAX else sum(values, Decimal(0))


class _Subtree:
    """The reported values under one region, with the tree links needed to aggregate them."""

    def __init__(self, form: Form, root: Region, months: list[Month]):
        self.children: dict[str, list[str]] = defaultdict(list)
        self.own: dict[tuple[str, Month, str], Decimal] = {}
        self.with_data: set[str] = set()
        rows = FormValue.objects.filter(form=form, region__code__startswith=root.prefix).filter(
            year__in={y for y, _ in months}
        )
        wanted = set(months)
        for code, year, month, element, value in rows.values_list(
            "region_id", "year", "month", "element__code", "value"
        ):
            if (year, month) in wanted:
                self.own[(code, (year, month), element)] = value
                self.with_data.add(code)
        if self.with_data:
            self._link(root)

    def _link(self, root: Region) -> None:
        parents = dict(Region.objects.filter(code__startswith=root.prefix).values_list("code", "parent_id"))
        for code in list(self.with_data):
            # Mark every ancestor up to the root so aggregation only walks branches that hold data.
            while code != root.code and code in parents:
                parent = parents[code]
                if code not in self.children[parent]:
                    self.children[parent].append(code)
                self.with_data.add(parent)
                code = parent

    def value(self, code: str, month: Month, element: DataElement) -> Decimal | None:
        own = self.own.get((code, month, element.code))
        if own is not None or element.aggregation == Aggregation.NONE:
            return own
        found = [self.value(child, month, element) for child in self.children.get(code, [])]
        return _combine(element.aggregation, [v for v in found if v is not None])


def _over_months(element: DataElement, by_month: list[Decimal | None]) -> Decimal | None:
    present = [v for v in by_month if v is not None]
    if not present:
        return None
    if element.period_aggregation == PeriodAggregation.LAST:
        return present[-1]
    return sum(present, Decimal(0))


def reported(form: Form, region: Region, period: Period) -> Values:
    """The region's reported figures for the period (None where nothing was reported)."""
    months = period.months
    tree = _Subtree(form, region, months)
    result: Values = {}
    for element in elements(form):
        if region.code not in tree.with_data:
            result[element.code] = None
            continue
        by_month = [tree.value(region.code, month, element) for month in months]
        result[element.code] = _over_months(element, by_month)
    return result


def reported_many(form: Form, regions: Iterable[Region], period: Period) -> dict[str, Values]:
    return {region.code: reported(form, region, period) for region in regions}


def has_values(values: Values) -> bool:
    return any(v is not None for v in values.values())
