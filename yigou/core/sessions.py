"""Per-transaction database settings for the long read statements of scans."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django.db import connection, transaction


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
