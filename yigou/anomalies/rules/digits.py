"""整数/尾数堆积 and 本福特定律: the digits of purchase totals, region by region (the children of the region scanned).

Heaping is judged against the rest of the region scanned, not against an ideal: prices and quantities make some
round totals natural everywhere, so a child is flagged only when it heaps far more than its neighbours do. Both
tests need enough purchases to mean anything (`minimum`). Benford's law is judged absolutely, with Nigrini's
mean-absolute-deviation bound for first digits, and only above its own minimum count.
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from typing import Any

from ..enums import RuleCode
from ..statistics import BENFORD, benford_mad, chi2_goodness, chi2_two_by_two
from .base import Raised, Scope, clamp_score, fetch, live_cte, threshold, whole_yuan


def _digits_sql(scope: Scope) -> str:
    yuan = whole_yuan("live.total")
    return (
        live_cte()
        + f"""
SELECT substr(live.region_id, 1, {scope.child_length}) AS child, {yuan} %% 10 AS last,
       substr(CAST({yuan} AS VARCHAR(20)), 1, 1) AS first,
       CASE WHEN live.total = {yuan} AND {yuan} %% 100 = 0 THEN 1 ELSE 0 END AS hundred,
       COUNT(*)
FROM live WHERE live.total >= 1
GROUP BY 1, 2, 3, 4
"""
    )


class Counts:
    def __init__(self) -> None:
        self.n = 0
        self.hundreds = 0
        self.last = [0] * 10
        self.first = [0] * 9

    def add(self, last: int, first: str, hundred: int, count: int) -> None:
        self.n += count
        self.hundreds += count * hundred
        self.last[last] += count
        if first.isdigit() and first != "0":
            self.first[int(first) - 1] += count


def _counts(scope: Scope) -> dict[str, Counts]:
    by_child: dict[str, Counts] = defaultdict(Counts)
    for child, last, first, hundred, count in fetch(_digits_sql(scope), scope.params):
        by_child[child].add(int(last), str(first), int(hundred), int(count))
    return by_child


def _code(child: str) -> str:
    return child.ljust(12, "0")


def find_heaping(scope: Scope) -> list[Raised]:
    p_limit, minimum = float(threshold("heaping", "p")), int(threshold("heaping", "minimum"))
    excess = float(threshold("heaping", "excess"))
    counts = _counts(scope)
    found = []
    for child, mine in counts.items():
        rest = Counts()
        for other, theirs in counts.items():
            if other != child:
                rest.n += theirs.n
                rest.hundreds += theirs.hundreds
                rest.last = [a + b for a, b in zip(rest.last, theirs.last, strict=True)]
        if mine.n < minimum or rest.n < minimum:
            continue
        found += _round_hundreds(scope, child, mine, rest, p_limit, excess)
        found += _last_digits(scope, child, mine, rest, p_limit, excess)
    return found


def _round_hundreds(
    scope: Scope, child: str, mine: Counts, rest: Counts, p_limit: float, excess: float
) -> list[Raised]:
    share, rest_share = mine.hundreds / mine.n, rest.hundreds / rest.n
    statistic, p = chi2_two_by_two(
        mine.hundreds, mine.n - mine.hundreds, rest.hundreds, rest.n - rest.hundreds
    )
    if p >= p_limit or share < excess * max(rest_share, 1 / mine.n):
        return []
    evidence = (
        f"{mine.n} 笔购买中金额为整百元的有 {mine.hundreds} 笔（{share:.1%}），同一区域其他地方为 "
        f"{rest.hundreds}/{rest.n}（{rest_share:.1%}）；χ²={statistic:.1f}，p={p:.2g}（阈值 {p_limit:g}）。"
        f"金额集中在整数上，可能是估填而非实际交易。"
    )
    return [
        Raised(
            rule=RuleCode.HEAPING,
            score=clamp_score(50 + 25 * (share / max(rest_share, 1e-9) - excess)),
            region_code=_code(child),
            evidence=evidence,
            key=f"hundreds|{child}|{scope.period.start}|{scope.period.end}",
            purchases=_purchases(scope, child, hundreds=True),
        )
    ]


def _last_digits(
    scope: Scope, child: str, mine: Counts, rest: Counts, p_limit: float, excess: float
) -> list[Raised]:
    # Add-one smoothing: a digit the rest never ends on must not make the expected count 0.
    expected = [(c + 1) / (rest.n + 10) for c in rest.last]
    statistic, p = chi2_goodness(mine.last, expected)
    ratios = [(mine.last[d] / mine.n) / expected[d] for d in range(10)]
    heaped = max(range(10), key=lambda d: ratios[d])
    if p >= p_limit or ratios[heaped] < excess:
        return []
    evidence = (
        f"{mine.n} 笔购买金额（元）的个位数分布与同一区域其他地方显著不同：χ²={statistic:.1f}，自由度 9，"
        f"p={p:.2g}（阈值 {p_limit:g}）；个位为 {heaped} 的占 {mine.last[heaped] / mine.n:.1%}，"
        f"其他地方为 {expected[heaped]:.1%}。"
    )
    return [
        Raised(
            rule=RuleCode.HEAPING,
            score=clamp_score(50 + 10 * (ratios[heaped] - excess)),
            region_code=_code(child),
            evidence=evidence,
            key=f"last|{child}|{scope.period.start}|{scope.period.end}",
            purchases=_purchases(scope, child, last=heaped),
        )
    ]


def _purchases(scope: Scope, child: str, *, hundreds: bool = False, last: int | None = None) -> list[Any]:
    yuan = whole_yuan("live.total")
    condition = (
        f"live.total = {yuan} AND {yuan} %% 100 = 0" if hundreds else f"{yuan} %% 10 = {int(last or 0)}"
    )
    sql = (
        live_cte()
        + f" SELECT live.id, live.external_id FROM live WHERE live.region_id LIKE %(child)s AND live.total >= 1 AND {condition} ORDER BY live.id"
    )
    return [(pk, external) for pk, external in fetch(sql, {**scope.params, "child": f"{child}%"})]


def find_benford(scope: Scope) -> list[Raised]:
    limit, minimum = Decimal(threshold("benford", "mad")), int(threshold("benford", "minimum"))
    found = []
    for child, mine in _counts(scope).items():
        n = sum(mine.first)
        if n < minimum:
            continue
        deviation = benford_mad(mine.first)
        if deviation <= float(limit):
            continue
        shares = "、".join(
            f"{d}:{mine.first[d - 1] / n:.1%}（应为 {BENFORD[d - 1]:.1%}）" for d in range(1, 10)
        )
        evidence = (
            f"{n} 笔购买金额的首位数字分布偏离本福特定律：平均绝对偏差 MAD={deviation:.4f}，高于 {limit}"
            f"（Nigrini 首位数字“不符合”界限）。各首位数字占比 {shares}。"
        )
        found.append(
            Raised(
                rule=RuleCode.BENFORD,
                score=clamp_score(50 + 50 * (deviation - float(limit)) / float(limit)),
                region_code=_code(child),
                evidence=evidence,
                key=f"{child}|{scope.period.start}|{scope.period.end}",
            )
        )
    return found
