"""报送截止前集中录入: a region's month whose purchases were mostly recorded in the last days before the month's
reporting deadline — the month "filled in" to meet the report rather than recorded as it happened."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal
from typing import Any

from django.utils import timezone

from yigou.approval.deadlines import deadline
from yigou.reporting.builtin import BUILTIN_CODE

from ..enums import RuleCode
from .base import Raised, Scope, clamp_score, decimal, fetch, live_cte, threshold, yuan

ROWS = (
    live_cte()
    + " SELECT live.id, live.external_id, live.region_id, live.date, live.recorded_at, live.total FROM live"
)


def _local_day(moment: Any) -> dt.date:
    if isinstance(moment, str):  # SQLite hands back text
        moment = dt.datetime.fromisoformat(moment)
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment, dt.UTC)
    return timezone.localdate(moment)


def find(scope: Scope) -> list[Raised]:
    days, share, minimum = (
        int(threshold("deadline", "days")),
        Decimal(threshold("deadline", "share")),
        int(threshold("deadline", "minimum")),
    )
    months: dict[tuple[str, int, int], list[tuple[Any, ...]]] = defaultdict(list)
    for pk, external, region, day, recorded, total in fetch(ROWS, scope.params):
        months[(region[: scope.child_length], day.year, day.month)].append(
            (pk, external, _local_day(recorded), decimal(total))
        )
    found = []
    for (child, year, month), rows in months.items():
        if len(rows) < minimum:
            continue
        due = deadline(BUILTIN_CODE, year, month)
        first = due - dt.timedelta(days=days - 1)
        late = [r for r in rows if first <= r[2] <= due]
        amount, late_amount = sum(r[3] for r in rows), sum(r[3] for r in late)
        if not amount or late_amount / amount < share:
            continue
        found.append(_raised(scope, child, year, month, rows, late, amount, late_amount, first, due, share))
    return found


def _raised(
    scope: Scope,
    child: str,
    year: int,
    month: int,
    rows: list[tuple[Any, ...]],
    late: list[tuple[Any, ...]],
    amount: Decimal,
    late_amount: Decimal,
    first: dt.date,
    due: dt.date,
    share: Decimal,
) -> Raised:
    part = late_amount / amount
    evidence = (
        f"{year}年{month}月的 {len(rows)} 笔购买（{yuan(amount)}）中，{len(late)} 笔、{yuan(late_amount)}"
        f"（{part:.0%}）是在报送截止日 {due} 前 {(due - first).days + 1} 天内（{first} 至 {due}）集中登记的，"
        f"超过 {share:.0%}。台账应随交易及时登记，月末集中补录的数字需核实来源。"
    )
    return Raised(
        rule=RuleCode.DEADLINE,
        score=clamp_score(50 + 100 * float(part - share)),
        region_code=child.ljust(12, "0"),
        evidence=evidence,
        key=f"{child}|{year}-{month:02d}",
        purchases=[(r[0], r[1]) for r in late],
        amount=late_amount,
    )
