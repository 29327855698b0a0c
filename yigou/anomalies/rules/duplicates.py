"""重复录入: the same buyer, seller, day and amount with the same lines, entered more than once (under different
external ids, or by two people). The window function finds purchases sharing buyer, seller, day and total; their
lines are compared in Python only for those few."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from typing import Any

from yigou.ledger.buyers import buyer_label

from ..enums import RuleCode
from .base import MILLI, Raised, Scope, decimal, fetch, live_cte, plain, threshold, yuan

CANDIDATES = (
    live_cte()
    + """
, twins AS (
    SELECT live.*, COUNT(*) OVER (
        PARTITION BY buyer_key, seller_kind, seller_household_id, seller_producer_id, date, total) AS n
    FROM live
)
SELECT t.id, t.external_id, t.date, t.region_id, t.buyer_key, t.buyer_name, t.seller_household_id,
       t.seller_producer_id, t.total, l.product, l.quantity, l.unit, l.unit_price
FROM twins t JOIN ledger_purchaseline l ON l.purchase_id = t.id
WHERE t.n > 1
ORDER BY t.id, l.product, l.quantity, l.unit_price
"""
)


def find(scope: Scope) -> list[Raised]:
    purchases: dict[int, dict[str, Any]] = {}
    for (
        pk,
        external,
        day,
        region,
        buyer,
        name,
        household,
        producer,
        total,
        product,
        qty,
        unit,
        price,
    ) in fetch(CANDIDATES, scope.params):
        row = purchases.setdefault(
            pk,
            {
                "external": external,
                "region": region,
                "key": (buyer, household, producer, str(day), str(decimal(total))),
                "name": buyer_label(buyer, name),
                "day": day,
                "total": decimal(total),
                "lines": [],
            },
        )
        row["lines"].append((product, str(decimal(qty, MILLI)), unit, str(decimal(price))))
    groups: dict[tuple[Any, ...], list[int]] = defaultdict(list)
    for pk, row in purchases.items():
        groups[(*row["key"], tuple(row["lines"]))].append(pk)
    return [_raised(sorted(ids), purchases) for ids in groups.values() if len(ids) > 1]


def _raised(ids: list[int], purchases: dict[int, dict[str, Any]]) -> Raised:
    first = purchases[ids[0]]
    externals = [purchases[pk]["external"] for pk in ids]
    named = "、".join(e or f"（无外部编号，记录 {pk}）" for pk, e in zip(ids, externals, strict=True))
    lines = "；".join(f"{p} {plain(Decimal(q))}{u}×{price}元" for p, q, u, price in first["lines"])
    evidence = (
        f"购买方“{first['name']}”于 {first['day']} 向同一销售方购买金额 {yuan(first['total'])}、明细相同（{lines}）"
        f"的记录出现 {len(ids)} 次：{named}。除第一笔外应为重复录入。"
    )
    return Raised(
        rule=RuleCode.DUPLICATE,
        score=int(threshold("duplicate", "score")),
        region_code=first["region"],
        evidence=evidence,
        key=",".join(map(str, ids)),
        purchases=[(pk, purchases[pk]["external"]) for pk in ids],
        reverse=ids[1:],
        amount=first["total"] * (len(ids) - 1),
    )
