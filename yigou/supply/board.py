"""The unsold-produce dashboard of a region: open warnings by level for each region one level down, cases open and
overdue, the median hours from a case's opening (the warning) to its close, and what was rescued — quantity per
product and unit (units differ, so they are never added up) and value in yuan. Also as XLSX.

Every figure is read from the user's scope; the public 急需帮销 section reads only what is already public (the
open cases' product, village and published pre-sale list), never a household.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from statistics import median
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone

from yigou.accounts.scope import restrict
from yigou.core.xlsx import Cell, Sheet, write_workbook
from yigou.regions.models import Region

from .enums import CaseStatus, Level
from .models import Case, Warning
from .selectors import severity

Row = list[Cell]

ZERO = Decimal("0")
LEVEL_ORDER = (Level.SEVERE, Level.WARN, Level.WATCH)


@dataclass
class RegionRow:
    region: Region
    by_level: dict[str, int] = field(default_factory=dict)
    open_cases: int = 0
    overdue: int = 0

    @property
    def warnings(self) -> int:
        return sum(self.by_level.values())


@dataclass
class Rescued:
    product: str
    unit: str
    quantity: Decimal
    value: Decimal
    cases: int


@dataclass
class Board:
    region: Region | None
    rows: list[RegionRow]
    open_cases: int
    overdue: int
    closed: int
    median_hours: Decimal | None
    rescued: list[Rescued]

    @property
    def by_level(self) -> dict[str, int]:
        return {lv: sum(r.by_level.get(lv, 0) for r in self.rows) for lv in LEVEL_ORDER}

    @property
    def rescued_value(self) -> Decimal:
        return sum((r.value for r in self.rescued), ZERO)


def _children(region: Region | None) -> list[Region]:
    rows = Region.objects.filter(parent=region) if region is not None else Region.objects.filter(parent=None)
    return list(rows.order_by("code"))


def _row_for(code: str, rows: list[RegionRow]) -> RegionRow | None:
    for row in rows:
        if code.startswith(row.region.prefix):
            return row
    return None


def _in(region: Region | None, qs: QuerySet[Any]) -> QuerySet[Any]:
    return qs.filter(village__code__startswith=region.prefix) if region is not None else qs


def board(actor: Any, region: Region | None, now: dt.datetime | None = None) -> Board:
    now = now or timezone.now()
    children = _children(region) or ([region] if region is not None else [])
    rows = [RegionRow(child) for child in children]
    warnings = _in(region, restrict(actor, Warning.objects.filter(cleared_on__isnull=True)))
    for village_id, level, n in (
        warnings.values_list("village_id", "level").annotate(n=Count("id")).order_by()
    ):
        row = _row_for(village_id, rows)
        if row is not None:
            row.by_level[level] = row.by_level.get(level, 0) + n
    cases = _in(region, restrict(actor, Case.objects.all()))
    open_rows = cases.filter(status=CaseStatus.OPEN).values_list("village_id", "deadline")
    for village_id, deadline in open_rows:
        row = _row_for(village_id, rows)
        if row is not None:
            row.open_cases += 1
            row.overdue += deadline < now
    closed = cases.filter(status=CaseStatus.CLOSED)
    return Board(
        region=region,
        rows=rows,
        open_cases=sum(r.open_cases for r in rows),
        overdue=sum(r.overdue for r in rows),
        closed=closed.count(),
        median_hours=_median_hours(closed),
        rescued=_rescued(cases),
    )


def _median_hours(closed: QuerySet[Case]) -> Decimal | None:
    spans = [(c - o).total_seconds() / 3600 for o, c in closed.values_list("opened_at", "closed_at") if c]
    return Decimal(str(median(spans))).quantize(Decimal("0.1")) if spans else None


def _rescued(cases: QuerySet[Case]) -> list[Rescued]:
    rows = (
        cases.filter(Q(rescued_quantity__gt=0) | Q(rescued_value__gt=0))
        .values("product", "unit")
        .annotate(quantity=Sum("rescued_quantity"), value=Sum("rescued_value"), n=Count("id"))
        .order_by("-value", "product", "unit")
    )
    return [Rescued(r["product"], r["unit"], r["quantity"], r["value"], r["n"]) for r in rows]


def _region_row(r: RegionRow) -> Row:
    counts: list[Cell] = [r.by_level.get(lv, 0) for lv in LEVEL_ORDER]
    return [r.region.code, r.region.name, *counts, r.warnings, r.open_cases, r.overdue]


def board_xlsx(b: Board) -> bytes:
    place = b.region.name if b.region is not None else "全国"
    stamp = timezone.localdate().isoformat()
    levels = [Level(lv).label for lv in LEVEL_ORDER]
    region_rows: list[Row] = [_region_row(r) for r in b.rows]
    region_rows.append(["", "合计", *b.by_level.values(), sum(b.by_level.values()), b.open_cases, b.overdue])
    rescued_rows: list[Row] = [
        [r.product, r.unit, f"{r.quantity.normalize():f}", float(r.value), r.cases] for r in b.rescued
    ]
    rescued_rows.append(["合计", "", "", float(b.rescued_value), sum(r.cases for r in b.rescued)])
    by_region = Sheet(
        "预警与案件",
        ["区划代码", "区划", *levels, "预警合计", "处置中案件", "其中超时"],
        region_rows,
        title=f"{place}滞销预警与快速响应（{stamp}）",
    )
    rescued = Sheet(
        "帮销成效",
        ["品名", "单位", "帮销数量", "帮销金额（元）", "案件数"],
        rescued_rows,
        title=(
            f"{place}帮销成效：已结案 {b.closed} 件，立案至结案中位 "
            f"{b.median_hours if b.median_hours is not None else '—'} 小时"
        ),
    )
    return write_workbook([by_region, rescued])


@dataclass(frozen=True)
class Urgent:
    """One line of the public catalog's 急需帮销 section: what, where, how much, and the list to order from."""

    product: str
    unit: str
    quantity_left: Decimal
    village: str
    county: str
    level_label: str
    last_day: dt.date
    presale_list_id: int | None


def urgent_products(limit: int = 20) -> list[Urgent]:
    """Open 预警/严重 cases, most severe and soonest first: public, with no household and no person named."""
    rows = (
        Case.objects.filter(status=CaseStatus.OPEN)
        .annotate(severity=severity())
        .select_related("village__parent__parent", "presale_list")
        .order_by("-severity", "last_day", "id")[:limit]
    )
    found = []
    for c in rows:
        township = c.village.parent
        county = township.parent if township is not None else None
        listing = c.presale_list
        live = listing is not None and listing.is_open_on(timezone.localdate())
        found.append(
            Urgent(
                product=c.product,
                unit=c.unit,
                quantity_left=c.left,
                village=c.village.name,
                county=county.name if county is not None else "",
                level_label=c.get_level_display(),
                last_day=c.last_day,
                presale_list_id=listing.pk if live and listing is not None else None,
            )
        )
    return found
