"""A national-scale synthetic ledger, generated set-based in PostgreSQL.

832 counties (4 provinces × 21 cities × 10 counties, 832 kept), 10 townships × 10 villages each, 61
households a village (5,075,200), and N purchases over 2018 with one line and one beneficiary each. Every
value is a function of the row number, so the data is the same on every run.
"""

from __future__ import annotations

import io

from django.db import connection

PROVINCES = ["51", "52", "53", "62"]
COUNTIES = 832
HOUSEHOLDS_PER_VILLAGE = 61


def county_codes(count: int) -> list[str]:
    codes = []
    for index in range(count):
        province, rest = divmod(index, 210)
        city, county = divmod(rest, 10)
        codes.append(f"{PROVINCES[province]}{city + 1:02d}{county + 1:02d}000000")
    return codes


def _copy(table: str, columns: list[str], rows: list[tuple]) -> None:
    buffer = io.StringIO()
    for row in rows:
        buffer.write("\t".join("\\N" if v is None else str(v) for v in row) + "\n")
    with (
        connection.cursor() as cursor,
        cursor.cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy,
    ):
        copy.write(buffer.getvalue())


def regions(counties: int, townships: int, villages: int) -> list[str]:
    """Region rows; returns the village codes in order (their index is what households and purchases use)."""
    rows, village_codes, seen = [], [], set()
    for county in county_codes(counties):
        for code, level, parent in (
            (county[:2] + "0" * 10, 1, None),
            (county[:4] + "0" * 8, 2, county[:2] + "0" * 10),
        ):
            if code not in seen:
                seen.add(code)
                rows.append((code, f"区划{code[:4]}", parent, level))
        rows.append((county, f"县{county[:6]}", county[:4] + "0" * 8, 3))
        for t in range(1, townships + 1):
            township = f"{county[:6]}{t:03d}000"
            rows.append((township, f"乡{t}", county, 4))
            for v in range(1, villages + 1):
                village = f"{county[:6]}{t:03d}{v:03d}"
                rows.append((village, f"村{v}", township, 5))
                village_codes.append(village)
    full = [
        (
            c,
            n,
            p,
            lvl,
            "admin",
            lvl == 5 and int(c[-3:]) % 3 == 0,
            2014 if lvl == 5 and int(c[-3:]) % 3 == 0 else None,
            "",
        )
        for c, n, p, lvl in rows
    ]
    _copy(
        "regions_region",
        ["code", "name", "parent_id", "level", "kind", "is_poor", "poor_since", "full_name"],
        full,
    )
    _copy("bench_village", ["idx", "code"], list(enumerate(village_codes)))
    return village_codes


def households(count: int) -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"""
            INSERT INTO registry_household (id, number, village_id, county_code, head_name, head_initials, address,
                phone, size, status, monitor_type, created_at, updated_at)
            SELECT g, v.code || lpad(((g - 1) % {HOUSEHOLDS_PER_VILLAGE} + 1)::text, 4, '0'), v.code,
                   substr(v.code, 1, 6) || '000000', '户主' || g, 'hz', '', '', 3,
                   CASE WHEN g % 5 < 2 THEN 'poor' ELSE 'non_poor' END, '', now(), now()
            FROM generate_series(1, {count}) g JOIN bench_village v ON v.idx = (g - 1) / {HOUSEHOLDS_PER_VILLAGE}
        """)


def buyers(units: int, cadres: int, county: str) -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"""
            INSERT INTO assist_assistingunit (id, name, name_initials, kind, region_id, is_budget_unit, has_canteen,
                has_union, staff_count, contact_name, contact_phone, address, created_at, updated_at)
            SELECT g, '单位' || g, 'dw', 'government', '{county}', true, true, true, 100, '', '', '', now(), now()
            FROM generate_series(1, {units}) g
        """)
        cursor.execute(f"""
            INSERT INTO assist_cadre (id, unit_id, name, name_initials, position, phone, is_first_secretary,
                is_active, created_at, updated_at)
            SELECT g, 1 + g % {units}, '干部' || g, 'gb', '', '', false, true, now(), now()
            FROM generate_series(1, {cadres}) g
        """)


def purchases(count: int, households_count: int, units: int, cadres: int) -> None:
    """Purchases spread over 2018 by a multiplicative hash of the row number; 40% by cadres, 40% by units…"""
    pick = f"(1 + (g::bigint * 2654435761) % {households_count})"
    with connection.cursor() as cursor:
        cursor.execute(f"""
            INSERT INTO ledger_purchase (id, external_id, date, region_id, county_code, buyer_kind, buyer_unit_id,
                buyer_cadre_id, buyer_name, buyer_key, channel, seller_kind, seller_household_id, total, attribution,
                note, source, recorded_at)
            SELECT g, NULL, DATE '2018-01-01' + ((g::bigint * 7) % 365)::int, h.village_id, h.county_code,
                   CASE WHEN g % 10 < 4 THEN 'cadre' WHEN g % 10 < 8 THEN 'unit' WHEN g % 10 = 8 THEN 'canteen'
                        ELSE 'individual' END,
                   CASE WHEN g % 10 BETWEEN 4 AND 8 THEN 1 + (g * 31) % {units} END,
                   CASE WHEN g % 10 < 4 THEN 1 + (g * 17) % {cadres} END, '',
                   CASE WHEN g % 10 < 4 THEN 'cadre:' || (1 + (g * 17) % {cadres})
                        WHEN g % 10 < 8 THEN 'unit:' || (1 + (g * 31) % {units})
                        WHEN g % 10 = 8 THEN 'canteen:' || (1 + (g * 31) % {units})
                        ELSE 'person:' || (g % 50000) END,
                   'onsite', 'household', h.id, (10 + g % 490)::numeric, 'self', '', 'import', now()
            FROM generate_series(1, {count}) g JOIN registry_household h ON h.id = {pick}
        """)
        cursor.execute("""
            INSERT INTO ledger_purchaseline (purchase_id, purchase_date, product, category, quantity, unit, unit_price,
                amount, source)
            SELECT id, date, '农产品', '', 1, '份', total, total, 'own' FROM ledger_purchase
        """)
        cursor.execute("""
            INSERT INTO ledger_beneficiary (purchase_id, purchase_date, household_id, amount, status, registered,
                village_id, village_poor, county_code)
            SELECT p.id, p.date, h.id, p.total, h.status, h.status = 'poor', h.village_id, r.is_poor, h.county_code
            FROM ledger_purchase p JOIN registry_household h ON h.id = p.seller_household_id
                 JOIN regions_region r ON r.code = h.village_id
        """)


def reset_sequences() -> None:
    with connection.cursor() as cursor:
        for table in ("registry_household", "assist_assistingunit", "assist_cadre", "ledger_purchase"):
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))"
            )


def generate(*, counties: int, purchases_count: int) -> dict[str, int]:
    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE IF NOT EXISTS bench_village (idx integer PRIMARY KEY, code varchar(12))")
    village_codes = regions(counties, 10, 10)
    household_count = len(village_codes) * HOUSEHOLDS_PER_VILLAGE
    households(household_count)
    buyers(5000, 20000, village_codes[0][:6] + "000000")
    purchases(purchases_count, household_count, 5000, 20000)
    reset_sequences()
    return {
        "counties": counties,
        "villages": len(village_codes),
        "households": household_count,
        "purchases": purchases_count,
    }
