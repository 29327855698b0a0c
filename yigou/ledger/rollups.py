"""Keeping the statistics' rollups in step with the ledger, inside the transaction of each ledger write.

Additive measures (amounts, incomes, purchase counts) are upserted as increments for the seller's or the
household's region and all its ancestors, per month and per day. Distinct counts (households, villages,
buyers) come from Presence rows — one per entity, region and day, reference-counted so a reversal takes an
entity out again — from which the month rollups keep, per region and month, how many entities were present
in the month (m_*) and how many were present for the first time that year (y_*): the official 本月 and
累计 (Jan–N) columns are then sums of small rows, exact, without scanning the ledger.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import operator
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache

from django.db import connection
from django.db.models import Q

from yigou.regions.models import prefix_of

from .models import ADDITIVE, DISTINCT_KINDS, DayRollup, MonthRollup, Presence

LEVEL_PREFIX = (2, 4, 6, 9, 12)
MONTH_COLUMNS = list(ADDITIVE) + [f"{p}_{k}" for k in DISTINCT_KINDS for p in ("m", "y")]
DAY_COLUMNS = list(ADDITIVE)

MonthKey = tuple[str, int, int, int]  # region code, level, year, month
DayKey = tuple[str, int, dt.date]


@lru_cache(maxsize=200_000)
def ancestor_codes(code: str) -> tuple[tuple[int, str], ...]:
    """(level, code) for the region and every ancestor: 510903101001 → 51…, 5109…, 510903…, 510903101…, itself."""
    own = len(prefix_of(code))
    return tuple(
        (level, code[:n].ljust(12, "0")) for level, n in enumerate(LEVEL_PREFIX, start=1) if n <= own
    )


def fen(amount: Decimal) -> int:
    return int((amount * 100).to_integral_value())


@dataclass(frozen=True)
class Entity:
    kind: str  # one of DISTINCT_KINDS
    key: str
    region_code: str


@dataclass
class Deltas:
    month: defaultdict[MonthKey, Counter[str]]
    day: defaultdict[DayKey, Counter[str]]

    @classmethod
    def empty(cls) -> Deltas:
        return cls(defaultdict(Counter), defaultdict(Counter))

    def add(self, region_code: str, day: dt.date, measures: dict[str, int]) -> None:
        for level, code in ancestor_codes(region_code):
            self.month[(code, level, day.year, day.month)].update(measures)
            self.day[(code, level, day)].update(measures)


def _lock(entities: Iterable[Entity]) -> None:
    """Serialise concurrent writers touching the same entity (SQLite already runs one writer at a time)."""
    if connection.vendor != "postgresql":
        return
    keys = sorted({f"{e.kind}:{e.key}" for e in entities})
    if not keys:
        return
    lock_ids = [
        int.from_bytes(hashlib.blake2b(key.encode(), digest_size=8).digest(), "big", signed=True)
        for key in keys
    ]
    with connection.cursor() as cursor:
        # Conflicts with the SHARE ROW EXCLUSIVE lock a bulk import holds, so no writer reads stale presence.
        cursor.execute(f"LOCK TABLE {Presence._meta.db_table} IN ROW EXCLUSIVE MODE")
        # Every entity's lock in one statement: a select list is evaluated left to right, so the locks are taken
        # in key order, the same order for every writer (no deadlock between two of them).
        calls = ", ".join(["pg_advisory_xact_lock(%s)"] * len(lock_ids))
        cursor.execute(f"SELECT {calls}", lock_ids)


def _present_in_year(
    entities: list[Entity], year: int
) -> dict[tuple[str, str], dict[tuple[str, dt.date], int]]:
    """The present (region code, day) rows of each entity in the year with their reference counts: one query."""
    pairs = functools.reduce(
        operator.or_, (Q(kind=kind, key=key) for kind, key in {(e.kind, e.key) for e in entities})
    )
    rows = Presence.objects.filter(
        pairs, day__gte=dt.date(year, 1, 1), day__lte=dt.date(year, 12, 31), refcount__gt=0
    ).values_list("kind", "key", "region_code", "day", "refcount")
    found: defaultdict[tuple[str, str], dict[tuple[str, dt.date], int]] = defaultdict(dict)
    for kind, key, region_code, day, refcount in rows:
        found[(kind, key)][(region_code, day)] = refcount
    return found


def _upsert_presence(rows: list[tuple[str, str, str, dt.date, int]]) -> None:
    """Increment reference counts: (kind, key, region code, day, delta) rows."""
    _upsert(
        Presence._meta.db_table,
        ["kind", "key", "region_code", "day"],
        ["kind", "key", "region_code", "day"],
        ["refcount"],
        [list(r) for r in rows],
    )


def _months_by_ancestor(rows: set[tuple[str, dt.date]]) -> defaultdict[tuple[int, str], set[int]]:
    months: defaultdict[tuple[int, str], set[int]] = defaultdict(set)
    for region, day in rows:
        for level_code in ancestor_codes(region):
            months[level_code].add(day.month)
    return months


def distinct_changes(kind: str, year: int, before: set, after: set, deltas: Deltas) -> None:
    """Month-presence and first-month changes of one entity in one year, for every region it touches.

    `before` and `after` are the entity's present (region code, day) rows in the year around a change.
    """
    if before == after:
        return
    months_before, months_after = _months_by_ancestor(before), _months_by_ancestor(after)
    for level, code in months_before.keys() | months_after.keys():
        had, has = months_before.get((level, code), set()), months_after.get((level, code), set())
        for month in had ^ has:
            deltas.month[(code, level, year, month)][f"m_{kind}"] += 1 if month in has else -1
        first_before, first_after = min(had, default=None), min(has, default=None)
        if first_before != first_after:
            if first_before is not None:
                deltas.month[(code, level, year, first_before)][f"y_{kind}"] -= 1
            if first_after is not None:
                deltas.month[(code, level, year, first_after)][f"y_{kind}"] += 1


def apply_presence(entities: Iterable[Entity], day: dt.date, delta: int, deltas: Deltas) -> None:
    """Add (delta=+1) or withdraw (delta=-1) each entity's presence on `day`, recording month-count changes.

    One purchase's entities cost four statements however many there are: the locks, one read of their present
    rows in the year, and one upsert of the new counts.
    """
    unique = sorted(set(entities), key=lambda e: (e.kind, e.key, e.region_code))
    if not unique:
        return
    _lock(unique)
    present = _present_in_year(unique, day.year)
    changes = []
    for entity in unique:
        counts = present[(entity.kind, entity.key)]
        before = set(counts)
        count = counts.get((entity.region_code, day), 0) + delta
        if count < 0:
            raise ValueError(f"presence of {entity} on {day} would become negative")
        if count > 0:
            counts[(entity.region_code, day)] = count
        else:
            counts.pop((entity.region_code, day), None)
        changes.append((entity.kind, entity.key, entity.region_code, day, delta))
        distinct_changes(entity.kind, day.year, before, set(counts), deltas)
    _upsert_presence(changes)


def _existing(entities: list[tuple[str, str]], years: set[int]) -> dict[tuple[str, str], dict]:
    """Current reference counts of the given entities in the given years."""
    found: defaultdict[tuple[str, str], dict[tuple[str, dt.date], int]] = defaultdict(dict)
    keys_by_kind: defaultdict[str, list[str]] = defaultdict(list)
    for kind, key in entities:
        keys_by_kind[kind].append(key)
    first, last = dt.date(min(years), 1, 1), dt.date(max(years), 12, 31)
    for kind, keys in keys_by_kind.items():
        for start in range(0, len(keys), 900):
            rows = Presence.objects.filter(
                kind=kind, key__in=keys[start : start + 900], day__gte=first, day__lte=last
            )
            for key, region_code, day, refcount in rows.values_list("key", "region_code", "day", "refcount"):
                found[(kind, key)][(region_code, day)] = refcount
    return found


def apply_presence_bulk(changes: Counter[tuple[str, str, str, dt.date]], deltas: Deltas) -> None:
    """Many presence changes at once (an import): the same month logic as apply_presence, entity by entity."""
    by_entity: defaultdict[tuple[str, str], dict[tuple[str, dt.date], int]] = defaultdict(dict)
    for (kind, key, region_code, day), delta in changes.items():
        if delta:
            by_entity[(kind, key)][(region_code, day)] = delta
    if not by_entity:
        return
    existing = _existing(list(by_entity), {day.year for changed in by_entity.values() for _, day in changed})
    for (kind, key), changed in by_entity.items():
        counts = existing.get((kind, key), {})
        for year in {day.year for _, day in changed}:
            before_counts = {slot: c for slot, c in counts.items() if slot[1].year == year}
            after_counts = dict(before_counts)
            for slot, delta in changed.items():
                if slot[1].year == year:
                    after_counts[slot] = after_counts.get(slot, 0) + delta
            before = {slot for slot, c in before_counts.items() if c > 0}
            after = {slot for slot, c in after_counts.items() if c > 0}
            distinct_changes(kind, year, before, after, deltas)
    _upsert_presence(
        [
            (kind, key, region, day, delta)
            for (kind, key), changed in by_entity.items()
            for (region, day), delta in changed.items()
        ]
    )


def write(deltas: Deltas) -> None:
    """Upsert every accumulated increment: one statement per rollup table.

    The rows go in key order, so that concurrent writers lock the shared rows (a county's, a city's, the
    province's) in the same order and wait for each other instead of deadlocking.
    """
    month_rows = [
        [code, level, year, month, *(counts.get(c, 0) for c in MONTH_COLUMNS)]
        for (code, level, year, month), counts in sorted(deltas.month.items())
        if any(counts.values())
    ]
    day_rows = [
        [code, level, day, *(counts.get(c, 0) for c in DAY_COLUMNS)]
        for (code, level, day), counts in sorted(deltas.day.items())
        if any(counts.values())
    ]
    _upsert(
        MonthRollup._meta.db_table,
        ["region_code", "level", "year", "month"],
        ["region_code", "year", "month"],
        MONTH_COLUMNS,
        month_rows,
    )
    _upsert(
        DayRollup._meta.db_table,
        ["region_code", "level", "day"],
        ["region_code", "day"],
        DAY_COLUMNS,
        day_rows,
    )


VALUES_PER_STATEMENT = 200  # rows of one multi-row INSERT (SQLite allows 32,766 parameters in a statement)


def _upsert(table: str, keys: list[str], conflict: list[str], columns: list[str], rows: list[list]) -> None:
    """Add `columns` of each row onto the existing row with the same key, or insert it."""
    if not rows:
        return
    names = keys + columns
    updates = ", ".join(f"{c} = {table}.{c} + excluded.{c}" for c in columns)
    conflict_sql = f"ON CONFLICT ({', '.join(conflict)}) DO UPDATE SET {updates}"
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql" and len(rows) > 500:
            # COPY into a scratch table, then one set-based upsert: far faster than row-by-row for bulk imports.
            cursor.execute(f"DROP TABLE IF EXISTS scratch_{table}")
            cursor.execute(
                f"CREATE TEMP TABLE scratch_{table} AS SELECT {', '.join(names)} FROM {table} WITH NO DATA"
            )
            with cursor.cursor.copy(f"COPY scratch_{table} ({', '.join(names)}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            cursor.execute(
                f"INSERT INTO {table} ({', '.join(names)}) SELECT {', '.join(names)} FROM scratch_{table} "
                f"{conflict_sql}"
            )
            return
        # A few rows (one purchase's): one multi-row statement, not one execution per row. Each key appears once
        # in `rows`, as ON CONFLICT DO UPDATE requires of one statement.
        one = "(" + ", ".join(["%s"] * len(names)) + ")"
        for start in range(0, len(rows), VALUES_PER_STATEMENT):
            chunk = rows[start : start + VALUES_PER_STATEMENT]
            cursor.execute(
                f"INSERT INTO {table} ({', '.join(names)}) VALUES {', '.join([one] * len(chunk))} {conflict_sql}",
                [value for row in chunk for value in row],
            )
