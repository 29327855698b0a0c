"""`yigou stats verify`: recompute every rollup from the raw ledger and report any difference from what is served.

The recomputation shares nothing with the incremental path but the definition of what a purchase contributes
(contribution.py): sums are re-added from the rows, presence is re-counted, and the month and first-month-of-year
distinct counts are re-derived from plain sets.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field

from django.db.models import Q

from yigou.regions.models import Region, prefix_of

from .contribution import add_measures, entities
from .models import Beneficiary, DayRollup, MonthRollup, Presence, Purchase, PurchaseLine
from .rollups import DAY_COLUMNS, LEVEL_PREFIX, MONTH_COLUMNS, Deltas, ancestor_codes

BATCH = 2000


@dataclass
class Difference:
    table: str
    key: str
    column: str
    served: int | str
    expected: int | str

    def __str__(self) -> str:
        return f"{self.table} {self.key} {self.column}: 服务值 {self.served}，台账重算 {self.expected}"


@dataclass
class VerifyReport:
    purchases: int = 0
    rows_checked: int = 0
    differences: list[Difference] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.differences


def _purchases(prefix: str) -> Iterator[Purchase]:
    qs = Purchase.objects.all()
    if prefix:
        qs = qs.filter(
            Q(region__code__startswith=prefix) | Q(beneficiaries__village__code__startswith=prefix)
        ).distinct()
    ids = list(qs.order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(ids), BATCH):
        chunk = Purchase.objects.filter(pk__in=ids[start : start + BATCH]).select_related("region")
        yield from chunk.prefetch_related("lines", "beneficiaries").order_by("pk")


def _expected(
    prefix: str, report: VerifyReport
) -> tuple[Deltas, Counter[tuple[str, str, str, dt.date]], int]:
    deltas, count = Deltas.empty(), 0
    presence: Counter[tuple[str, str, str, dt.date]] = Counter()
    for purchase in _purchases(prefix):
        count += 1
        lines, beneficiaries = list(purchase.lines.all()), list(purchase.beneficiaries.all())
        _check_dates(purchase, lines, report)
        _check_dates(purchase, beneficiaries, report)
        add_measures(purchase, lines, beneficiaries, deltas)
        sign = -1 if purchase.reverses_id else 1
        for entity in set(entities(purchase, beneficiaries, purchase.region)):
            presence[(entity.kind, entity.key, entity.region_code, purchase.date)] += sign
    return deltas, presence, count


def _check_dates(
    purchase: Purchase, rows: list[PurchaseLine] | list[Beneficiary], report: VerifyReport
) -> None:
    """Lines and beneficiaries keep their purchase's date (price statistics and a year's earnings read it, and it
    places them in their year's partition): any other date is a difference."""
    for row in rows:
        if row.purchase_date != purchase.date:
            table, name = ("购买明细", "明细") if isinstance(row, PurchaseLine) else ("受益农户", "受益行")
            report.differences.append(
                Difference(
                    table,
                    f"{name} {row.pk}（购买记录 {purchase.pk}）",
                    "purchase_date",
                    row.purchase_date.isoformat(),
                    purchase.date.isoformat(),
                )
            )


def _distinct_months(presence: Counter, deltas: Deltas) -> None:
    """m_* and y_* for every ancestor from the set of (entity, region, day) rows that are present."""
    months: defaultdict[tuple[str, int, int, str, int], set[str]] = defaultdict(
        set
    )  # code, level, year, kind, month
    for (kind, key, region_code, day), refcount in presence.items():
        if refcount <= 0:
            continue
        for level, code in ancestor_codes(region_code):
            months[(code, level, day.year, kind, day.month)].add(key)
    first: dict[tuple[str, int, int, str, str], int] = {}
    for (code, level, year, kind, month), keys in months.items():
        deltas.month[(code, level, year, month)][f"m_{kind}"] += len(keys)
        for key in keys:
            slot = (code, level, year, kind, key)
            first[slot] = min(first.get(slot, 13), month)
    for (code, level, year, kind, _), month in first.items():
        deltas.month[(code, level, year, month)][f"y_{kind}"] += 1


def _compare(table: str, served: dict, expected: dict, columns: list[str], report: VerifyReport) -> None:
    for key in sorted(set(served) | set(expected), key=str):
        have, want = served.get(key, {}), expected.get(key, {})
        report.rows_checked += 1
        for column in columns:
            if int(have.get(column, 0)) != int(want.get(column, 0)):
                report.differences.append(
                    Difference(table, str(key), column, int(have.get(column, 0)), int(want.get(column, 0)))
                )


def _served_months(prefix: str) -> dict:
    qs = MonthRollup.objects.filter(region_code__startswith=prefix).values(
        "region_code", "level", "year", "month", *MONTH_COLUMNS
    )
    return {(r["region_code"], r["level"], r["year"], r["month"]): r for r in qs}


def _served_days(prefix: str) -> dict:
    qs = DayRollup.objects.filter(region_code__startswith=prefix).values(
        "region_code", "level", "day", *DAY_COLUMNS
    )
    return {(r["region_code"], r["level"], r["day"]): r for r in qs}


def _inside(prefix: str, key: tuple) -> bool:
    code, level = key[0], key[1]
    return code.startswith(prefix) and LEVEL_PREFIX[level - 1] >= len(prefix)


def verify(region: Region | None = None) -> VerifyReport:
    prefix = prefix_of(region.code) if region else ""
    report = VerifyReport()
    deltas, presence, count = _expected(prefix, report)
    report.purchases = count
    _distinct_months(presence, deltas)
    months = {k: v for k, v in deltas.month.items() if _inside(prefix, k) and any(v.values())}
    days = {k: v for k, v in deltas.day.items() if _inside(prefix, k) and any(v.values())}
    served_months = {k: v for k, v in _served_months(prefix).items() if any(v[c] for c in MONTH_COLUMNS)}
    served_days = {k: v for k, v in _served_days(prefix).items() if any(v[c] for c in DAY_COLUMNS)}
    _compare("月汇总", served_months, months, MONTH_COLUMNS, report)
    _compare("日汇总", served_days, days, DAY_COLUMNS, report)
    served_presence = {
        (p.kind, p.key, p.region_code, p.day): {"refcount": p.refcount}
        for p in Presence.objects.filter(region_code__startswith=prefix).exclude(refcount=0)
    }
    expected_presence = {k: {"refcount": v} for k, v in presence.items() if v and k[2].startswith(prefix)}
    _compare("去重明细", served_presence, expected_presence, ["refcount"], report)
    return report
