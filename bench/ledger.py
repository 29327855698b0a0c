"""Ledger benchmark (PostgreSQL): the statistics table over a national-scale ledger, bulk import (CSV and XLSX,
household and producer sellers) against a fair COPY of its rows into the ledger's indexed tables and a bare COPY,
and recording one purchase through the API — each with its ratio to the raw database in the same run.

BENCH_SCALE=small: 20 counties (122,000 households), 200,000 purchases, import of 50,000 rows.
Default (full):    832 counties (5,075,200 households), 10,000,000 purchases, import of 1,000,000 rows.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import os
import re
import statistics
import sys
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

import django

django.setup()

from django.db import connection, transaction
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
ONLY = os.environ.get("BENCH_ONLY", "")


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


IMPORT_RUNS = int(os.environ.get("BENCH_IMPORT_RUNS", "1"))  # imports per layout, each with new 外部编号
PRODUCER_VILLAGES = 2000  # one cooperative in each of the first villages, linked to 3 households
RULES = ("按带贫联结户平均分配", "按合作社社员股份分配", "逐户录入")
# The tables whose final rows the fair baseline copies: purchases, lines, beneficiaries, presence.
# ledger_purchasekey holds the ledger-wide unique 外部编号 of the partitioned purchases (yigou/ledger/partitions.py):
# the unique constraint a plain purchase table would carry as an index, so the fair COPY writes it too.
FAIR_TABLES = (
    "ledger_purchase",
    "ledger_purchasekey",
    "ledger_purchaseline",
    "ledger_beneficiary",
    "ledger_presence",
)


def bench_villages() -> list[str]:
    return list(
        Region.objects.filter(level=5).order_by("code").values_list("code", flat=True)[:PRODUCER_VILLAGES]
    )


def producer_code(village: str) -> str:
    """A credit code of 18 characters derived from the village code."""
    return f"93{village}0000"


def ensure_producers(villages: list[str]) -> None:
    """One cooperative per village (idempotent), linked to households 1–3 of it, with households 1–3 as members."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM registry_producer WHERE uscc LIKE '93%%'")
        if cursor.fetchone()[0] >= len(villages):
            return
        cursor.execute(
            """
            INSERT INTO registry_producer (kind, name, name_initials, uscc, region_id, county_code, grade,
                contact_name, contact_phone, address, main_products, is_active, created_at, updated_at)
            SELECT 'cooperative', '合作社' || v, 'hzs', '93' || v || '0000', v, left(v, 6) || '000000', '',
                   '', '', '', '', true, now(), now()
            FROM unnest(%s::text[]) v ON CONFLICT DO NOTHING
            """,
            [villages],
        )
        for table, extra_columns, extra_values in (
            (
                "registry_linkage",
                'mechanism, start, "end", note',
                "'order', DATE '2013-01-01', NULL, ''",
            ),
            (
                "registry_coopmember",
                "name, shares, capital, joined_on, left_on",
                "'社员' || h.number, k, 0, DATE '2013-01-01', NULL",
            ),
        ):
            cursor.execute(
                f"""
                INSERT INTO {table} (producer_id, household_id, {extra_columns}, created_at, updated_at)
                SELECT p.id, h.id, {extra_values}, now(), now()
                FROM registry_producer p CROSS JOIN generate_series(1, 3) k
                JOIN registry_household h ON h.number = p.region_id || lpad(k::text, 4, '0')
                WHERE p.uscc LIKE '93%%'
                """
            )


def import_rows(layout: str, tag: str, villages: list[str], year: int) -> list[list[object]]:
    """IMPORT_ROWS purchases of the generated households (or cooperatives) by the generated units in a year."""
    rows: list[list[object]] = []
    for n in range(IMPORT_ROWS):
        village = villages[n % len(villages)]
        qty = n % 9 + 1
        day = dt.date(year, n % 12 + 1, n % 28 + 1)
        seller, rule, entered = f"{village}{(n // len(villages)) % 61 + 1:04d}", "", ""
        if layout == "producer":
            seller, rule = producer_code(village), RULES[n % 3]
            if n % 3 == 2:
                half = Decimal(qty) * Decimal("2.75")
                entered = f"{village}0001:{half};{village}0002:{half}"
        cells: list[object] = [f"IMP{tag}{n:08d}", day, "帮扶单位", f"单位{n % 5000 + 1}", "现场采购", ""]
        cells += [seller, "大米", "粮油", qty, "公斤", 5.5, "", "", rule, entered]
        rows.append(cells)
    return rows


def csv_bytes(rows: list[list[object]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(HEADERS)
    for cells in rows:
        writer.writerow(["5.50" if isinstance(c, float) else c for c in cells])
    return buffer.getvalue().encode()


def xlsx_bytes(rows: list[list[object]]) -> bytes:
    """The same rows as a workbook, dates and numbers as Excel stores them (cells, not text)."""
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet()
    sheet.append(HEADERS)
    for cells in rows:
        sheet.append([None if c == "" else c for c in cells])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def raw_copy(data: bytes) -> float:
    """COPY of the CSV text into a bare table of as many text columns."""
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS bench_raw_import")
        columns = ", ".join(f"c{i} text" for i in range(len(HEADERS)))
        cursor.execute(f"CREATE TABLE bench_raw_import ({columns})")
        start = time.perf_counter()
        with cursor.cursor.copy("COPY bench_raw_import FROM STDIN WITH (FORMAT csv, HEADER true)") as copy:
            copy.write(data)
        elapsed = time.perf_counter() - start
        cursor.execute("DROP TABLE bench_raw_import")
    return elapsed


def written_rows(tag: str, presence_before: int) -> dict[str, bytes]:
    """The rows this import wrote, as COPY text: its purchases with their unique keys, their lines and
    beneficiaries, new presence."""
    ids = f"SELECT id FROM ledger_purchase WHERE external_id LIKE 'IMP{tag}%'"
    queries = {
        "ledger_purchase": f"SELECT * FROM ledger_purchase WHERE id IN ({ids}) ORDER BY id",
        "ledger_purchasekey": f"SELECT * FROM ledger_purchasekey WHERE key LIKE 'x:IMP{tag}%' ORDER BY key",
        "ledger_purchaseline": f"SELECT * FROM ledger_purchaseline WHERE purchase_id IN ({ids}) ORDER BY id",
        "ledger_beneficiary": f"SELECT * FROM ledger_beneficiary WHERE purchase_id IN ({ids}) ORDER BY id",
        "ledger_presence": f"SELECT * FROM ledger_presence WHERE id > {presence_before} ORDER BY id",
    }
    out = {}
    with connection.cursor() as cursor:
        for table, query in queries.items():
            buffer = io.BytesIO()
            with cursor.cursor.copy(f"COPY ({query}) TO STDOUT") as copy:
                for chunk in copy:
                    buffer.write(chunk)
            out[table] = buffer.getvalue()
    return out


def clone_tables(cursor: object) -> None:
    """bench_fair_<table>: the same columns, defaults, checks, indexes and foreign keys as the ledger table,
    read from the catalog so that the clone follows the schema; keys between the cloned tables point at clones."""
    for table in FAIR_TABLES:
        cursor.execute(f"DROP TABLE IF EXISTS bench_fair_{table} CASCADE")  # type: ignore[attr-defined]
    for table in FAIR_TABLES:
        cursor.execute(f"CREATE TABLE bench_fair_{table} (LIKE {table} INCLUDING ALL)")  # type: ignore[attr-defined]
    for table in FAIR_TABLES:
        cursor.execute(  # type: ignore[attr-defined]
            "SELECT pg_get_constraintdef(oid) FROM pg_constraint WHERE conrelid = %s::regclass AND contype = 'f'"
            " AND conparentid = 0",
            [table],
        )
        for (definition,) in cursor.fetchall():  # type: ignore[attr-defined]
            for target in FAIR_TABLES:
                definition = re.sub(rf"REFERENCES {target}\(", f"REFERENCES bench_fair_{target}(", definition)
            cursor.execute(f"ALTER TABLE bench_fair_{table} ADD {definition}")  # type: ignore[attr-defined]
    _purchase_checks(cursor)


def _purchase_checks(cursor: object) -> None:
    """On the partitioned ledger, lines and beneficiaries check their purchase in a statement trigger instead of a
    foreign key (yigou/ledger/partitions.py); the clones get the same trigger, which probes the ledger's purchase
    index for the rows the import wrote there, so that the fair COPY pays exactly that check."""
    cursor.execute("SELECT 1 FROM pg_proc WHERE proname = 'ledger_purchase_exists'")  # type: ignore[attr-defined]
    if not cursor.fetchone():  # type: ignore[attr-defined]
        return
    for table in ("ledger_purchaseline", "ledger_beneficiary"):
        cursor.execute(  # type: ignore[attr-defined]
            f"CREATE TRIGGER bench_fair_{table}_purchase AFTER INSERT ON bench_fair_{table} REFERENCING NEW TABLE"
            " AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION ledger_purchase_exists()"
        )


def fair_copy(rows: dict[str, bytes]) -> float:
    """COPY the final rows into the clones, foreign keys checked at the commit as in the ledger."""
    with connection.cursor() as cursor:
        clone_tables(cursor)
    start = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        for table in FAIR_TABLES:
            with cursor.cursor.copy(f"COPY bench_fair_{table} FROM STDIN") as copy:
                copy.write(rows[table])
    elapsed = time.perf_counter() - start
    with connection.cursor() as cursor:
        for table in reversed(FAIR_TABLES):
            cursor.execute(f"DROP TABLE bench_fair_{table} CASCADE")
    return elapsed


def import_once(
    layout: str, villages: list[str], year: int
) -> tuple[float, float, float, float, dict[str, int]]:
    """(ours, reading the file, bare COPY, fair COPY, rows per table) for one import of one layout.

    Each import sells in a year of its own (before the generated 2018), so that it makes new presence rows
    as a first import does, rather than only raising the refcounts of an earlier one."""
    tag = f"{layout[0].upper()}{time.time_ns() % 10**10}"
    rows = import_rows("producer" if layout == "producer" else "household", tag, villages, year)
    data = xlsx_bytes(rows) if layout == "xlsx" else csv_bytes(rows)
    raw = raw_copy(csv_bytes(rows))
    with connection.cursor() as cursor:
        cursor.execute("SELECT coalesce(max(id), 0) FROM ledger_presence")
        presence_before = cursor.fetchone()[0]
    start = time.perf_counter()
    table = read_table(data, f"purchases.{'xlsx' if layout == 'xlsx' else 'csv'}")
    read = time.perf_counter() - start
    result = purchases_import(actor=system_actor(), table=table, dry_run=False)
    ours = time.perf_counter() - start
    assert result.ok and result.written == IMPORT_ROWS, result.errors[:3]
    written = written_rows(tag, presence_before)
    fair = statistics.median(fair_copy(written) for _ in range(3))
    counts = {table: text.count(b"\n") for table, text in written.items()}
    return ours, read, raw, fair, counts


LAYOUTS = {
    "household": "CSV, household sellers",
    "producer": "CSV, cooperatives as sellers (linked, shares, entered)",
    "xlsx": "XLSX, household sellers",
}


def free_years() -> list[int]:
    """Years without purchases yet, nearest to the generated 2018 first (2013 is the earliest a purchase may be)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT DISTINCT extract(year FROM date)::int FROM ledger_purchase")
        taken = {year for (year,) in cursor.fetchall()}
    candidates = [*range(2017, 2012, -1), *range(2019, dt.date.today().year)]
    return [year for year in candidates if year not in taken] or [2013]  # then imports only raise refcounts


def bench_import() -> None:
    villages = bench_villages()
    ensure_producers(villages)
    print(f"\nbulk import of {IMPORT_ROWS:,} purchase rows (validated, ledger rows, rollups, audit)")
    print(
        "  fair db: COPY of the rows the import wrote into tables with the ledger's indexes and foreign keys"
    )
    years = free_years()
    for layout in os.environ.get("BENCH_LAYOUTS", ",".join(LAYOUTS)).split(","):
        runs = []
        for _ in range(IMPORT_RUNS):
            year = years.pop(0) if len(years) > 1 else years[0]
            runs.append(import_once(layout, villages, year))
        ours, read, raw, fair = (statistics.median(r[i] for r in runs) for i in range(4))
        counts = ", ".join(f"{n:,} {t.removeprefix('ledger_')}" for t, n in runs[0][4].items())
        print(f"\n  {LAYOUTS[layout]}")
        print(
            f"    yigou  : {IMPORT_ROWS / ours:8,.0f} rows/s  ({ours:.2f} s, of which reading the file {read:.2f} s)"
        )
        print(f"    fair db: {IMPORT_ROWS / fair:8,.0f} rows/s  ({fair:.2f} s: {counts})")
        print(
            f"    raw db : {IMPORT_ROWS / raw:8,.0f} rows/s  ({raw:.2f} s, COPY of the CSV into a bare table)"
        )
        print(
            f"    ratio  : {ours / fair:.1f}× the fair COPY ({(ours - read) / fair:.1f}× without reading the file),"
            f" {ours / raw:.0f}× the bare COPY"
        )


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
    print("  load average at the start: {:.2f} {:.2f} {:.2f}".format(*os.getloadavg()))
    counties = ledger_data.county_codes(COUNTIES)
    if ONLY == "import":  # BENCH_ONLY=import: only the import, on a database an earlier run generated
        bench_import()
    elif ONLY == "api":  # BENCH_ONLY=api: only one purchase through the API, on a generated database
        bench_api()
        return
    else:
        sizes = timed("generated", ledger_data.generate, counties=COUNTIES, purchases_count=PURCHASES)
        print(f"  {json.dumps(sizes)}")
        timed("rollups rebuilt (set-based SQL)", rebuild_all)
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
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
