"""销量异常 and 价格异常: a household's quantity of a product against its peers, and a line's unit price against the
reference price and the peers' median — peers being the same product and unit in the same county.

Quantities are summed per seller in SQL; medians and MADs are taken in Python over those sums (a county has at
most a few thousand sellers of one product), so the arithmetic is the same on every database."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from statistics import median
from typing import Any

from ..enums import RuleCode
from ..statistics import modified_z, robust_spread
from .base import MILLI, Raised, Scope, clamp_score, decimal, fetch, live_cte, plain, threshold, yuan

VOLUMES = (
    live_cte()
    + """
SELECT live.county_code, l.product, l.unit, live.seller_household_id, h.number, SUM(l.quantity), SUM(l.amount),
       MIN(live.region_id)
FROM live JOIN ledger_purchaseline l ON l.purchase_id = live.id
JOIN registry_household h ON h.id = live.seller_household_id
GROUP BY live.county_code, l.product, l.unit, live.seller_household_id, h.number
"""
)

SALES_OF = (
    live_cte()
    + """
SELECT DISTINCT live.id, live.external_id, live.seller_household_id, l.product, l.unit
FROM live JOIN ledger_purchaseline l ON l.purchase_id = live.id
WHERE live.seller_household_id IN ({ids})
ORDER BY live.id
"""
)


def find_volume(scope: Scope) -> list[Raised]:
    z_limit, ratio, peers = (
        float(threshold("volume", "z")),
        float(threshold("volume", "ratio")),
        int(threshold("volume", "peers")),
    )
    groups: dict[tuple[str, str, str], list[tuple[Any, ...]]] = defaultdict(list)
    for county, product, unit, household, number, quantity, amount, region in fetch(VOLUMES, scope.params):
        groups[(county, product, unit)].append((household, number, float(quantity), decimal(amount), region))
    flagged = []
    for (_county, product, unit), sellers in groups.items():
        if len(sellers) < peers:
            continue
        values = [s[2] for s in sellers]
        centre = median(values)
        spread = robust_spread(values, centre)
        if spread <= 0 or centre <= 0:
            continue
        for household, number, quantity, amount, region in sellers:
            z = modified_z(quantity, centre, spread)
            if z > z_limit and quantity >= ratio * centre:
                flagged.append(
                    (household, number, product, unit, quantity, amount, region, centre, z, len(sellers))
                )
    return _with_purchases(scope, flagged, z_limit)


def _with_purchases(scope: Scope, flagged: list[tuple[Any, ...]], z_limit: float) -> list[Raised]:
    if not flagged:
        return []
    ids = ", ".join(str(int(f[0])) for f in flagged)
    sales: dict[tuple[int, str, str], list[tuple[int, str | None]]] = defaultdict(list)
    for pk, external, household, product, unit in fetch(SALES_OF.format(ids=ids), scope.params):
        sales[(household, product, unit)].append((pk, external))
    found = []
    for household, number, product, unit, quantity, amount, region, centre, z, count in flagged:
        evidence = (
            f"农户 {number} 在本期销售“{product}” {plain(decimal(quantity, MILLI))}{unit}（{yuan(amount)}），"
            f"是本县 {count} 户同类销售户中位数 {plain(decimal(centre, MILLI))}{unit} 的 "
            f"{quantity / centre:.1f} 倍，修正 z 值 {z:.1f}（阈值 {z_limit:g}）。一户的产量难以达到，需核实。"
        )
        found.append(
            Raised(
                rule=RuleCode.VOLUME,
                score=clamp_score(50 * z / z_limit),
                region_code=region,
                evidence=evidence,
                key=f"{household}|{product}|{unit}|{scope.period.start}|{scope.period.end}",
                purchases=sales[(household, product, unit)],
                amount=amount,
            )
        )
    return found


PRICES = (
    live_cte()
    + """
SELECT live.id, live.external_id, live.region_id, live.county_code, l.product, l.unit, l.unit_price,
       l.reference_price, l.amount, l.quantity
FROM live JOIN ledger_purchaseline l ON l.purchase_id = live.id
"""
)


def find_price(scope: Scope) -> list[Raised]:
    over_reference = Decimal(threshold("price", "reference"))
    over_median = Decimal(threshold("price", "median"))
    peers = int(threshold("price", "peers"))
    lines = fetch(PRICES, scope.params)
    prices: dict[tuple[str, str, str], list[Decimal]] = defaultdict(list)
    for row in lines:
        prices[(row[3], row[4], row[5])].append(decimal(row[6]))
    medians = {key: Decimal(median(values)) for key, values in prices.items() if len(values) >= peers}
    by_purchase: dict[int, list[tuple[Any, ...]]] = defaultdict(list)
    for pk, external, region, county, product, unit, price, reference, amount, _quantity in lines:
        price, centre = decimal(price), medians.get((county, product, unit))
        reference = decimal(reference) if reference is not None else None
        if centre is None or price <= centre * (1 + over_median):
            continue
        if reference is not None and price <= reference * (1 + over_reference):
            continue
        by_purchase[pk].append((external, region, product, unit, price, reference, centre, decimal(amount)))
    return [_price_raised(pk, rows) for pk, rows in by_purchase.items()]


def _price_raised(pk: int, rows: list[tuple[Any, ...]]) -> Raised:
    texts, ratios = [], []
    for _, _, product, unit, price, reference, centre, _ in rows:
        against = f"参考价 {reference}元/{unit}、" if reference is not None else ""
        ratio = price / (reference if reference is not None and reference > 0 else centre)
        ratios.append(ratio)
        texts.append(
            f"“{product}”单价 {price}元/{unit}，{against}本县同类中位价 {centre.quantize(Decimal('0.01'))}元/{unit}"
        )
    external, region = rows[0][0], rows[0][1]
    evidence = "；".join(texts) + "。价格远高于市场行情，可能借价格虚增收入。"
    excess = max(ratios)
    return Raised(
        rule=RuleCode.PRICE,
        score=clamp_score(50 + 50 * float(excess - Decimal("2")) / 2),
        region_code=region,
        evidence=evidence,
        key=str(pk),
        purchases=[(pk, external)],
        amount=sum((r[7] for r in rows), Decimal("0.00")),
    )
