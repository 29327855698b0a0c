"""Per-transaction database settings for the long read statements of scans, and running two of them at once."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from typing import TypeVar

from django.db import connection, transaction

A = TypeVar("A")
B = TypeVar("B")


@contextmanager
def without_jit() -> Iterator[None]:
    """A transaction whose statements PostgreSQL does not JIT-compile: on the scans' aggregations over millions of
    ledger lines, compiling costs more than a second and saves less (measured on the supply bench). SQLite: only
    the transaction."""
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT set_config('jit', 'off', true)")
        yield


def side_by_side(first: Callable[[], A], second: Callable[[], B]) -> tuple[A, B]:
    """Both calls' answers, their statements run at once on PostgreSQL: `second` on a connection of its own in a
    thread, both without JIT and reading one snapshot (the first call's REPEATABLE READ transaction exports it,
    the second's imports it), so the figures agree as if one transaction had read them one after the other.

    A scan's long aggregations are each one backend's work on one core; run together, they take the time of the
    longest instead of the sum. Elsewhere, and inside a transaction already open (its rows are not visible to
    another connection: a test's, a caller's), the calls run one after the other in one `without_jit`.
    """
    if connection.vendor != "postgresql" or connection.in_atomic_block:
        with without_jit():
            return first(), second()
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
            cursor.execute("SELECT set_config('jit', 'off', true), pg_export_snapshot()")
            snapshot = cursor.fetchone()[1]
        with ThreadPoolExecutor(max_workers=1) as pool:
            later = pool.submit(_in_snapshot, snapshot, second)
            return first(), later.result()


def _in_snapshot(snapshot: str, call: Callable[[], B]) -> B:
    try:
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
                cursor.execute("SET TRANSACTION SNAPSHOT %s", [snapshot])
                cursor.execute("SELECT set_config('jit', 'off', true)")
            return call()
    finally:
        connection.close()  # the thread's own connection: nobody else will close it
