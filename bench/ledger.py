"""Ledger benchmark (PostgreSQL): the statistics table over a national-scale ledger, bulk import against raw COPY,
and recording one purchase through the API — each with its ratio to the raw database in the same run.

BENCH_SCALE=small: 20 counties (122,000 households), 200,000 purchases, import of 50,000 rows.
Default (full):    832 counties (5,075,200 households), 10,000,000 purchases, import of 1,000,000 rows.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

import django

django.setup()

from django.db import connection
from django.test import Client

from bench import ledger_data
from bench.stats import report, timed
from yigou.accounts.enums import OrgKind, Role
from yigou.accounts.models import Organisation, User
from yigou.accounts.services import system_actor
from yigou.core.periods import parse_period
from yigou.core.tabular import read_table
from yigou.ledger.bulk.layout import HEADERS
from yigou.ledger.bulk.service import purchases_import
from yigou.ledger.rebuild import rebuild_all
from yigou.ledger.table import build_table
from yigou.ledger.verify import verify
from yigou.regions.models import Region

SMALL = os.environ.get("BENCH_SCALE", "full") == "small"
COUNTIES = 20 if SMALL else 832
PURCHASES = 200_000 if SMALL else 10_000_000
IMPORT_ROWS = 50_000 if SMALL else 1_000_000
TABLE_RUNS = 40
RAW_RUNS = 3 if SMALL else 2
API_RUNS = 200


RAW_TABLE = """
SELECT substr(p.region_id, 1, %(child)s) AS child, SUM(p.total) AS amount,
       COUNT(DISTINCT CASE WHEN b.registered THEN b.household_id END) AS poor_households,
       COUNT(DISTINCT CASE WHEN NOT b.registered THEN b.household_id END) AS nonpoor_households,
       COUNT(DISTINCT b.village_id) AS villages, COUNT(DISTINCT p.buyer_key) AS buyers,
       SUM(CASE WHEN b.registered THEN b.amount ELSE 0 END) AS poor_income
FROM ledger_purchase p JOIN ledger_beneficiary b ON b.purchase_id = p.id
WHERE p.region_id LIKE %(prefix)s AND p.date BETWEEN %(start)s AND %(end)s
GROUP BY GROUPING SETS ((substr(p.region_id, 1, %(child)s)), ())
"""


def bench_table(kind: str, codes: list[str], child_length: int) -> float:
    period = parse_period("2018-01..2018-04")
    samples = []
    for i in range(TABLE_RUNS):
        region = Region.objects.get(code=codes[i % len(codes)])
        start = time.perf_counter()
        build_table(region, period)
        samples.append(time.perf_counter() - start)
    raw = []
    for i in range(RAW_RUNS):
        start = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute(
                RAW_TABLE,
                {
                    "child": child_length,
                    "prefix": codes[i % len(codes)][: child_length - 2] + "%",
                    "start": period.start,
                    "end": period.end,
                },
            )
            cursor.fetchall()
        raw.append(time.perf_counter() - start)
    return report(f"statistics table for a {kind}, 2018-01..2018-04 (exact distinct counts)", samples, raw)


def import_file(path: Path) -> None:
    """IMPORT_ROWS purchases of the generated households by the generated units, in the documented layout."""
    with path.open("w", encoding="utf-8") as handle:
        handle.write(",".join(HEADERS) + "\n")
        villages = Region.objects.filter(level=5).order_by("code").values_list("code", flat=True)[:2000]
        villages = list(villages)
        for n in range(IMPORT_ROWS):
            village = villages[n % len(villages)]
            number = f"{village}{(n // len(villages)) % 61 + 1:04d}"
            handle.write(
                f"IMP{n:08d},2018-{n % 12 + 1:02d}-{n % 28 + 1:02d},帮扶单位,单位{n % 5000 + 1},现场采购,,"
                f"{number},大米,粮油,{n % 9 + 1},公斤,5.50,,,,\n"
            )


def bench_import() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "purchases.csv"
        import_file(path)
        data = path.read_bytes()
        with connection.cursor() as cursor:
            cursor.execute("DROP TABLE IF EXISTS bench_raw_import")
            cursor.execute(
                "CREATE TABLE bench_raw_import (" + ", ".join(f"c{i} text" for i in range(len(HEADERS))) + ")"
            )
            start = time.perf_counter()
            with cursor.cursor.copy(
                "COPY bench_raw_import FROM STDIN WITH (FORMAT csv, HEADER true)"
            ) as copy:
                copy.write(data)
            raw = time.perf_counter() - start
        start = time.perf_counter()
        result = purchases_import(
            actor=system_actor(), table=read_table(data, "purchases.csv"), dry_run=False
        )
        ours = time.perf_counter() - start
    assert result.ok and result.written == IMPORT_ROWS, result.errors[:3]
    print(f"\nbulk import of {IMPORT_ROWS:,} purchase rows from CSV (validated, with rollups)")
    print(f"  yigou : {IMPORT_ROWS / ours:10,.0f} rows/s  ({ours:.1f} s)")
    print(
        f"  raw db: {IMPORT_ROWS / raw:10,.0f} rows/s  ({raw:.1f} s, COPY into a bare table of the same columns)"
    )
    print(f"  ratio : {ours / raw:.1f}× the raw COPY")


def api_user(county: str) -> User:
    user = User.objects.filter(username=f"bench-api-{county}").first()
    if user is None:
        org = Organisation.objects.create(name="县扶贫办", kind=OrgKind.OFFICE, region_id=county)
        user = User.objects.create(username=f"bench-api-{county}", role=Role.OFFICE, organisation=org)
    return user


def bench_api() -> None:
    county = ledger_data.county_codes(1)[0]
    client = Client(HTTP_HOST="localhost")
    client.force_login(api_user(county))
    households = list(
        Region.objects.get(code=county[:6] + "001001").households.values_list("pk", flat=True)[:20]
    )
    body = {
        "date": "2018-06-01",
        "buyer_kind": "unit",
        "buyer_unit": 1,
        "channel": "onsite",
        "lines": [{"product": "土鸡蛋", "quantity": "30", "unit": "个", "unit_price": "1.50"}],
    }
    ours, trivial = [], []
    for i in range(API_RUNS):
        start = time.perf_counter()
        response = client.post(
            "/api/v1/purchases/",
            json.dumps({**body, "seller_household": households[i % 20]}),
            content_type="application/json",
        )
        ours.append(time.perf_counter() - start)
        assert response.status_code == 201, response.content
        start = time.perf_counter()
        client.get("/api/v1/auth/me/")
        trivial.append(time.perf_counter() - start)
    report(
        "recording one purchase through the API (validation, ledger rows, rollups, audit)",
        ours,
        trivial,
        baseline="trivial endpoint of the same app (GET /api/v1/auth/me/)",
    )


def main() -> None:
    if connection.vendor != "postgresql":
        print("The ledger benchmark needs PostgreSQL (COPY, national-scale data); skipped on SQLite.")
        return
    print(
        f"Ledger benchmark — scale {'small' if SMALL else 'full'}: {COUNTIES} counties, {PURCHASES:,} purchases"
    )
    sizes = timed("generated", ledger_data.generate, counties=COUNTIES, purchases_count=PURCHASES)
    print(f"  {json.dumps(sizes)}")
    timed("rollups rebuilt (set-based SQL)", rebuild_all)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    counties = ledger_data.county_codes(COUNTIES)
    cities = sorted({c[:4] + "00000000" for c in counties})
    provinces = sorted({c[:2] + "0000000000" for c in counties})
    bench_table("city", cities, 6)
    bench_table("province", provinces, 4)
    bench_api()
    bench_import()
    sample = Region.objects.get(code=counties[0])
    result = timed(f"verify {sample.code} from the raw ledger", verify, sample)
    print(
        f"  verify: {result.purchases:,} purchases, {result.rows_checked:,} rollup rows, "
        f"{len(result.differences)} differences"
    )


if __name__ == "__main__":
    main()
