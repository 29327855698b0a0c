"""Rebuilding every rollup from the raw ledger with set-based SQL (PostgreSQL and SQLite).

Used after loading data outside the services (the benchmark generator) and as a maintenance command
(`yigou stats rebuild`). It is a second, independent implementation of what the write path maintains
incrementally, and `verify` checks that the two agree.
"""

from __future__ import annotations

from django.db import connection, transaction

from .models import DISTINCT_KINDS, DayRollup, MonthRollup, Presence

LEVELS = [(1, 2, 0), (2, 4, 2), (3, 6, 4), (4, 9, 6), (5, 12, 9)]  # level, prefix length, previous length
P, L, B, R = "ledger_purchase", "ledger_purchaseline", "ledger_beneficiary", "regions_region"
SIGN = "CASE WHEN p.reverses_id IS NULL THEN 1 ELSE -1 END"
BUYER_KIND = (
    "CASE p.buyer_kind WHEN 'unit' THEN 'bu' WHEN 'cadre' THEN 'bc' WHEN 'canteen' THEN 'bk' "
    "WHEN 'enterprise' THEN 'be' WHEN 'social_org' THEN 'bs' ELSE 'bi' END"
)


def _year(column: str) -> str:
    if connection.vendor == "postgresql":
        return f"CAST(EXTRACT(YEAR FROM {column}) AS INTEGER)"
    return f"CAST(strftime('%Y', {column}) AS INTEGER)"


def _month(column: str) -> str:
    if connection.vendor == "postgresql":
        return f"CAST(EXTRACT(MONTH FROM {column}) AS INTEGER)"
    return f"CAST(strftime('%m', {column}) AS INTEGER)"


def _fen(column: str) -> str:
    return f"CAST(ROUND({column} * 100) AS BIGINT)"


def _ancestor(column: str, length: int) -> str:
    return f"substr(substr({column}, 1, {length}) || '000000000000', 1, 12)"


def _deep_enough(column: str, previous: int) -> str:
    """The region lies at or below the level: its code is not all zeros after the previous level's digits."""
    if previous == 0:
        return "1 = 1"
    return f"substr({column}, {previous + 1}) <> '{'0' * (12 - previous)}'"


def _upsert(
    cursor, table: str, keys: list[str], conflict: list[str], columns: list[str], select: str
) -> None:
    updates = ", ".join(f"{c} = {table}.{c} + excluded.{c}" for c in columns)
    # The WHERE true lets SQLite parse ON CONFLICT after a SELECT.
    cursor.execute(
        f"INSERT INTO {table} ({', '.join(keys + columns)}) SELECT * FROM ({select}) AS s WHERE 1 = 1 "
        f"ON CONFLICT ({', '.join(conflict)}) DO UPDATE SET {updates}"
    )


def _additive(cursor, level: int, length: int, previous: int) -> None:
    month_keys, day_keys = ["region_code", "level", "year", "month"], ["region_code", "level", "day"]
    month_conflict, day_conflict = ["region_code", "year", "month"], ["region_code", "day"]
    sources = [
        (
            "p.region_id",
            "p.date",
            ["purchases", "amount_total"],
            f"SUM({SIGN}), SUM({_fen('p.total')})",
            P + " p",
        ),
        (
            "p.region_id",
            "p.date",
            ["amount_own", "amount_coop", "amount_enterprise", "amount_certified"],
            f"SUM(CASE WHEN l.source = 'own' THEN {_fen('l.amount')} ELSE 0 END), "
            f"SUM(CASE WHEN l.source = 'coop' THEN {_fen('l.amount')} ELSE 0 END), "
            f"SUM(CASE WHEN l.source = 'enterprise' THEN {_fen('l.amount')} ELSE 0 END), "
            f"SUM(CASE WHEN l.certified THEN {_fen('l.amount')} ELSE 0 END)",
            f"{L} l JOIN {P} p ON p.id = l.purchase_id",
        ),
        (
            "b.village_id",
            "p.date",
            ["poor_income", "nonpoor_income"],
            f"SUM(CASE WHEN b.registered THEN {_fen('b.amount')} ELSE 0 END), "
            f"SUM(CASE WHEN b.registered THEN 0 ELSE {_fen('b.amount')} END)",
            f"{B} b JOIN {P} p ON p.id = b.purchase_id",
        ),
    ]
    for region, day, columns, sums, source in sources:
        code, where = _ancestor(region, length), _deep_enough(region, previous)
        _upsert(
            cursor,
            MonthRollup._meta.db_table,
            month_keys,
            month_conflict,
            columns,
            f"SELECT {code}, {level}, {_year(day)}, {_month(day)}, {sums} FROM {source} WHERE {where} "
            f"GROUP BY {code}, {_year(day)}, {_month(day)}",
        )
        _upsert(
            cursor,
            DayRollup._meta.db_table,
            day_keys,
            day_conflict,
            columns,
            f"SELECT {code}, {level}, {day}, {sums} FROM {source} WHERE {where} GROUP BY {code}, {day}",
        )


def _presence(cursor) -> None:
    poor_in_year = (
        f"CASE WHEN r.poor_since IS NULL THEN r.is_poor ELSE (r.poor_since <= {_year('p.date')} AND "
        f"(r.poor_until IS NULL OR {_year('p.date')} < r.poor_until)) END"
    )
    entities = f"""
        SELECT p.id AS pid, {BUYER_KIND} AS kind, p.buyer_key AS key, p.region_id AS region_code, p.date AS day,
               {SIGN} AS sign FROM {P} p
        UNION
        SELECT p.id, CASE WHEN b.registered THEN 'hp' ELSE 'hn' END, CAST(b.household_id AS TEXT), b.village_id,
               p.date, {SIGN} FROM {B} b JOIN {P} p ON p.id = b.purchase_id
        UNION
        SELECT p.id, CASE WHEN b.village_poor THEN 'vp' ELSE 'vn' END, b.village_id, b.village_id, p.date, {SIGN}
               FROM {B} b JOIN {P} p ON p.id = b.purchase_id
        UNION
        SELECT p.id, CASE WHEN {poor_in_year} THEN 'vp' ELSE 'vn' END, p.region_id, p.region_id, p.date, {SIGN}
               FROM {P} p JOIN {R} r ON r.code = p.region_id WHERE r.level = 5
    """
    cursor.execute(
        f"INSERT INTO {Presence._meta.db_table} (kind, key, region_code, day, refcount) "
        f"SELECT kind, key, region_code, day, SUM(sign) FROM ({entities}) AS e "
        f"GROUP BY kind, key, region_code, day HAVING SUM(sign) <> 0"
    )


def _distinct(cursor, level: int, length: int, previous: int) -> None:
    table, present = MonthRollup._meta.db_table, Presence._meta.db_table
    code, where = (
        _ancestor("region_code", length),
        _deep_enough("region_code", previous) + " AND refcount > 0",
    )
    keys, conflict = ["region_code", "level", "year", "month"], ["region_code", "year", "month"]
    m_columns, y_columns = [f"m_{k}" for k in DISTINCT_KINDS], [f"y_{k}" for k in DISTINCT_KINDS]
    pivot = ", ".join(f"SUM(CASE WHEN kind = '{k}' THEN 1 ELSE 0 END)" for k in DISTINCT_KINDS)
    _upsert(
        cursor,
        table,
        keys,
        conflict,
        m_columns,
        f"SELECT anc, {level}, y, m, {pivot} FROM (SELECT DISTINCT {code} AS anc, {_year('day')} AS y, "
        f"{_month('day')} AS m, kind, key FROM {present} WHERE {where}) AS d GROUP BY anc, y, m",
    )
    _upsert(
        cursor,
        table,
        keys,
        conflict,
        y_columns,
        f"SELECT anc, {level}, y, fm, {pivot} FROM (SELECT {code} AS anc, {_year('day')} AS y, kind, key, "
        f"MIN({_month('day')}) AS fm FROM {present} WHERE {where} GROUP BY {code}, {_year('day')}, kind, key) "
        f"AS f GROUP BY anc, y, fm",
    )


@transaction.atomic
def rebuild_all() -> None:
    """Throw every rollup away and recompute it from the ledger rows."""
    with connection.cursor() as cursor:
        for model in (MonthRollup, DayRollup, Presence):
            cursor.execute(f"DELETE FROM {model._meta.db_table}")
        _presence(cursor)
        for level, length, previous in LEVELS:
            _additive(cursor, level, length, previous)
            _distinct(cursor, level, length, previous)
