"""Fake-figure scan benchmark (PostgreSQL): `yigou anomalies scan` of one county-year against a national-scale
ledger, beside the raw database reading the same rows in the same run.

The ledger comes from `bench/ledger_data.py` (its lines all read 农产品 at one 份). The benched county's lines are
re-made with 8 products, quantities and prices that vary as real sales do, and a few patterns are planted in it:
a purchase entered twice under another external id, a cadre buying 300 元 from 25 households on one day and one
household selling 40× its peers' quantity of 土豆. The scan must find each of them.

Timed: the county-year scan (every rule, then storing the findings), repeated; each rule alone; and the raw
baseline — one pass over the county-year's live purchases with their lines (the read every rule starts from).
Exits non-zero if a planted pattern is missed or, at full scale, the scan's p50 is above the goal (5 s).

BENCH_SCALE=small: 20 counties (122,000 households), 200,000 purchases.
Default (full):    832 counties (5,075,200 households), 10,000,000 purchases.
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

import django

django.setup()

from django.db import connection

from bench import ledger_data
from bench.stats import execute, fetch, timed
from yigou.anomalies import scan as anomaly_scan
from yigou.anomalies.rules.base import LIVE, Scope
from yigou.core.periods import parse_period
from yigou.regions.models import Region

SMALL = os.environ.get("BENCH_SCALE", "full") == "small"
COUNTIES = 20 if SMALL else 832
PURCHASES = 200_000 if SMALL else 10_000_000
RUNS = 5
GOAL_SECONDS = 5.0
PERIOD = "2018"

# name, unit, typical price, typical quantity
PRODUCTS = [
    ("大米", "公斤", "5.50", 40),
    ("土鸡蛋", "个", "1.50", 60),
    ("土鸡", "只", "80.00", 2),
    ("腊肉", "公斤", "60.00", 5),
    ("猕猴桃", "公斤", "10.00", 20),
    ("土豆", "公斤", "2.50", 50),
    ("核桃", "公斤", "30.00", 6),
    ("蜂蜜", "斤", "40.00", 4),
]


def county_code() -> str:
    """A county in the middle of the list, so it is neither the first rows nor the last."""
    return ledger_data.county_codes(COUNTIES)[COUNTIES // 2]


def realistic_lines(county: str) -> int:
    """The county's lines re-made: product, quantity and price vary by a hash of the purchase id (quantities
    spread over 1–3× the typical one, prices ±25% in cents), totals and beneficiaries follow the lines."""
    products = ", ".join(
        f"({i}, '{name}', '{unit}', {price}, {quantity})"
        for i, (name, unit, price, quantity) in enumerate(PRODUCTS)
    )
    execute(
        f"""
        CREATE TEMP TABLE bench_lines AS
        SELECT p.id AS purchase_id, p.date AS purchase_date, k.name, k.unit, q.quantity, q.price, round(q.quantity * q.price, 2) AS amount
        FROM ledger_purchase p
             JOIN (VALUES {products}) AS k (i, name, unit, price, quantity) ON k.i = (p.id * 40503) %% {len(PRODUCTS)}
             CROSS JOIN LATERAL (
                SELECT greatest(1, round(k.quantity * (50 + (p.id * 7919) %% 151) / 100.0))::numeric AS quantity,
                       round(k.price * (75 + (p.id * 104729) %% 51) / 100.0 + ((p.id * 31) %% 7) / 100.0, 2) AS price
             ) q
        WHERE p.county_code = %s
        """,
        [county],
    )
    execute("DELETE FROM ledger_purchaseline WHERE purchase_id IN (SELECT purchase_id FROM bench_lines)")
    execute("""
        INSERT INTO ledger_purchaseline (purchase_id, purchase_date, product, category, quantity, unit, unit_price,
            amount, source, certified)
        SELECT purchase_id, purchase_date, name, 'fruit_veg', quantity, unit, price, amount, 'own', false FROM bench_lines
    """)
    execute("UPDATE ledger_purchase p SET total = l.amount FROM bench_lines l WHERE l.purchase_id = p.id")
    execute(
        "UPDATE ledger_beneficiary b SET amount = l.amount FROM bench_lines l WHERE l.purchase_id = b.purchase_id"
    )
    return fetch("SELECT count(*) FROM bench_lines")[0][0]


def copy_purchase(source: int, **changes: object) -> int:
    """A new purchase like `source` (its line and beneficiary too) with `changes`; returns its id."""
    columns = [
        c
        for (c,) in fetch(
            "SELECT column_name FROM information_schema.columns WHERE table_name = 'ledger_purchase' AND column_name <> 'id'"
        )
    ]
    chosen = ", ".join(f"%({c})s" if c in changes else c for c in columns)
    (pk,) = fetch(
        f"INSERT INTO ledger_purchase ({', '.join(columns)}) SELECT {chosen} FROM ledger_purchase WHERE id = %(source)s "
        "RETURNING id",
        {**changes, "source": source},
    )[0]
    execute(
        """
        INSERT INTO ledger_purchaseline (purchase_id, purchase_date, product, category, quantity, unit, unit_price,
            amount, source, certified)
        SELECT %s, (SELECT date FROM ledger_purchase WHERE id = %s), product, category, quantity, unit, unit_price,
               amount, source, certified
        FROM ledger_purchaseline WHERE purchase_id = %s
        """,
        [pk, pk, source],
    )
    execute(
        """
        INSERT INTO ledger_beneficiary (purchase_id, purchase_date, household_id, amount, status, registered,
            village_id, village_poor, county_code)
        SELECT %s, (SELECT date FROM ledger_purchase WHERE id = %s), household_id, amount, status, registered,
               village_id, village_poor, county_code
        FROM ledger_beneficiary WHERE purchase_id = %s
        """,
        [pk, pk, source],
    )
    return pk


def plant(county: str) -> dict[str, set[int]]:
    """The patterns the scan must find; returns, per rule, purchase ids a finding of it must name."""
    ids = [
        pk for (pk,) in fetch("SELECT id FROM ledger_purchase WHERE county_code = %s ORDER BY id", [county])
    ]
    twin = copy_purchase(ids[100], external_id="BENCH-DUP-1")
    batch = set()
    day = fetch("SELECT date FROM ledger_purchase WHERE id = %s", [ids[200]])[0][0]
    for n in range(25):
        pk = copy_purchase(
            ids[300 + n * 7],
            date=day,
            buyer_kind="cadre",
            buyer_key="cadre:bench",
            buyer_name="某干部",
            total=300,
        )
        execute(
            "UPDATE ledger_purchaseline SET quantity = 100, unit_price = 3, amount = 300 WHERE purchase_id = %s",
            [pk],
        )
        execute("UPDATE ledger_beneficiary SET amount = 300 WHERE purchase_id = %s", [pk])
        batch.add(pk)
    seller = fetch(
        """
        SELECT p.id FROM ledger_purchase p JOIN ledger_purchaseline l ON l.purchase_id = p.id
        WHERE p.county_code = %s AND l.product = '土豆' ORDER BY p.id LIMIT 1 OFFSET 50
        """,
        [county],
    )[0][0]
    big = copy_purchase(seller, external_id="BENCH-BIG-1")
    execute(
        "UPDATE ledger_purchaseline SET quantity = 2000, amount = 2000 * unit_price WHERE purchase_id = %s",
        [big],
    )
    execute(
        """
        UPDATE ledger_purchase p SET total = l.amount FROM ledger_purchaseline l
        WHERE l.purchase_id = p.id AND p.id = %s
        """,
        [big],
    )
    execute(
        "UPDATE ledger_beneficiary b SET amount = p.total FROM ledger_purchase p WHERE p.id = b.purchase_id AND p.id = %s",
        [big],
    )
    ledger_data.reset_sequences()
    return {"duplicate": {twin}, "batch": batch, "volume": {big}}


def generate() -> tuple[str, dict[str, set[int]]]:
    sizes = timed("ledger generated (bench/ledger_data.py)", ledger_data.generate, counties=COUNTIES,
                  purchases_count=PURCHASES)  # fmt: skip
    county = county_code()
    lines = timed(f"lines of county {county} re-made with {len(PRODUCTS)} products", realistic_lines, county)
    planted = timed("patterns planted", plant, county)
    timed("ANALYZE", execute, "ANALYZE")
    print(f"  {sizes}, county lines {lines:,}")
    return county, planted


RAW = f"""
WITH live AS ({LIVE})
SELECT count(*), count(DISTINCT live.seller_household_id), sum(l.quantity), sum(l.amount)
FROM live JOIN ledger_purchaseline l ON l.purchase_id = live.id
"""


def p50(samples: list[float]) -> float:
    return statistics.median(samples)


def main() -> int:
    if connection.vendor != "postgresql":
        print("bench/anomalies.py needs PostgreSQL (set DATABASE_URL)")
        return 1
    county, planted = generate()
    region, period = Region.objects.get(code=county), parse_period(PERIOD)
    scope = Scope(region, period)

    raw, scans = [], []
    result = None
    for _ in range(RUNS):
        start = time.perf_counter()
        counted = fetch(RAW, scope.params)[0]
        raw.append(time.perf_counter() - start)
        start = time.perf_counter()
        result = anomaly_scan.scan(region, period)
        scans.append(time.perf_counter() - start)
    assert result is not None
    print(f"\ncounty {county}, period {PERIOD}: {counted[0]:,} live lines, {counted[1]:,} sellers")
    print(
        f"  scan and store: p50 {p50(scans):.2f} s (min {min(scans):.2f}, max {max(scans):.2f}) over {RUNS} runs, "
        f"{len(result.findings)} findings (first run created, later runs updated {result.updated})"
    )
    print(
        f"  raw read of the same live lines: p50 {p50(raw) * 1000:.0f} ms; scan {p50(scans) / p50(raw):.1f}× of it"
    )
    print(f"  {counted[0] / p50(scans):,.0f} purchases/s scanned")
    for rule in anomaly_scan.RULES:
        samples = []
        for _ in range(3):
            start = time.perf_counter()
            found = rule(scope)
            samples.append(time.perf_counter() - start)
        print(
            f"    {rule.__module__.rsplit('.', 1)[-1]}.{rule.__name__}: p50 {p50(samples) * 1000:.0f} ms, {len(found)} raised"
        )

    failed = []
    for rule, ids in planted.items():
        named = {pk for r in result.findings if r.rule == rule for pk, _ in r.purchases}
        if not ids <= named:
            failed.append(f"planted {rule} not found: {sorted(ids - named)[:5]}")
    by_rule: dict[str, int] = {}
    for r in result.findings:
        by_rule[str(r.rule)] = by_rule.get(str(r.rule), 0) + 1
    flagged = {pk for r in result.findings for pk, _ in r.purchases}
    print(f"  findings by rule: {by_rule}; purchases named {len(flagged):,} of {counted[0]:,}")
    if not SMALL and p50(scans) > GOAL_SECONDS:
        failed.append(f"scan p50 {p50(scans):.2f} s above the goal of {GOAL_SECONDS} s")
    for line in failed:
        print(f"FAILED: {line}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
