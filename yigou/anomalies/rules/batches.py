"""同日批量等额购买: one buyer on one day buying the same (or nearly the same) amount from many different sellers —
the pattern of a cadre "buying" a round sum from every household on the list to fill a target."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from statistics import median
from typing import Any

from yigou.ledger.buyers import buyer_label

from ..enums import RuleCode
from .base import Raised, Scope, clamp_score, decimal, fetch, live_cte, threshold, yuan

# Seller identity as one integer on both databases: households positive, producers negative.
SELLER = "COALESCE(seller_household_id, -seller_producer_id)"
CANDIDATES = (
    live_cte()
    + f"""
, busy AS (
    SELECT buyer_key, date FROM live GROUP BY buyer_key, date HAVING COUNT(DISTINCT {SELLER}) >= %(sellers)s
)
SELECT live.id, live.external_id, live.buyer_key, live.buyer_name, live.date, live.region_id, {SELLER}, live.total
FROM live JOIN busy ON busy.buyer_key = live.buyer_key AND busy.date = live.date
ORDER BY live.buyer_key, live.date, live.id
"""
)


def find(scope: Scope) -> list[Raised]:
    least, spread = int(threshold("batch", "sellers")), Decimal(threshold("batch", "spread"))
    days: dict[tuple[str, Any], list[tuple[Any, ...]]] = defaultdict(list)
    for row in fetch(CANDIDATES, {**scope.params, "sellers": least}):
        days[(row[2], row[4])].append(row)
    found = []
    for rows in days.values():
        centre = Decimal(median(decimal(r[7]) for r in rows))
        alike = [r for r in rows if abs(decimal(r[7]) - centre) <= centre * spread]
        if len({r[6] for r in alike}) >= least:
            found.append(_raised(alike, centre, least))
    return found


def _raised(rows: list[tuple[Any, ...]], centre: Decimal, least: int) -> Raised:
    sellers = len({r[6] for r in rows})
    amounts = [decimal(r[7]) for r in rows]
    equal = len(set(amounts)) == 1
    round_sum = all(a % 10 == 0 for a in amounts)
    score = clamp_score(55 + 5 * (sellers - least) + (15 if equal else 0) + (10 if round_sum else 0))
    same = (
        f"金额均为 {yuan(amounts[0])}"
        if equal
        else f"金额在 {yuan(min(amounts))} 至 {yuan(max(amounts))} 之间"
    )
    evidence = (
        f"购买方“{buyer_label(rows[0][2], rows[0][3])}”于 {rows[0][4]} 向 {sellers} 个不同销售方各购买一次，{same}"
        f"（中位数 {yuan(centre)}），合计 {yuan(sum(amounts))}。同一天向多户等额购买，需核实是否真实发生。"
    )
    regions = sorted({r[5] for r in rows})
    return Raised(
        rule=RuleCode.BATCH,
        score=score,
        region_code=_common(regions),
        evidence=evidence,
        key=",".join(str(r[0]) for r in rows),
        purchases=[(r[0], r[1]) for r in rows],
        amount=sum(amounts, Decimal("0.00")),
    )


def _common(codes: list[str]) -> str:
    """The lowest region holding all the codes (villages of one township → the township's 12-digit code)."""
    if len(codes) == 1:
        return codes[0]
    for length in (9, 6, 4, 2):
        if len({c[:length] for c in codes}) == 1:
            return codes[0][:length].ljust(12, "0")
    return "0" * 12
