"""Rows written by hand-built INSERT statements, for the hottest writes (an order, a purchase).

Django's `bulk_create` compiles its statement on every call and writes one model per statement; these build the
same INSERT from the model's metadata, and several models' rows can go in one statement on PostgreSQL (each INSERT
a data-modifying WITH query), which saves the round trips an order or a purchase would otherwise make.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from typing import Any

from django.db import connection, models


def _qn(name: str | None) -> str:
    return connection.ops.quote_name(str(name))


@dataclasses.dataclass(frozen=True)
class InsertStatement:
    """An INSERT of rows of one model, in pieces: `INSERT INTO t (columns)`, one `%s, …` per row, the id column."""

    into: str
    row: str
    count: int
    pk: str
    params: list[Any]

    @property
    def sql(self) -> str:
        values = ", ".join([f"({self.row})"] * self.count)
        return f"{self.into} VALUES {values} RETURNING {self.pk}"


def insert_statement(rows: Sequence[models.Model]) -> InsertStatement:
    """Rows prepared as `save` and `bulk_create` prepare them: each field's `pre_save` (which stamps the times),
    then its database preparation."""
    meta = type(rows[0])._meta
    fields = [field for field in meta.concrete_fields if field is not meta.pk]
    params = [
        field.get_db_prep_save(field.pre_save(row, True), connection) for row in rows for field in fields
    ]
    table = _qn(meta.db_table)
    return InsertStatement(
        into=f"INSERT INTO {table} ({', '.join(_qn(field.column) for field in fields)})",
        row=", ".join(["%s"] * len(fields)),
        count=len(rows),
        pk=f"{table}.{_qn(meta.pk.column)}",
        params=params,
    )


def mark_saved(rows: Sequence[models.Model], ids: Sequence[Any]) -> None:
    for row, pk in zip(rows, ids, strict=True):
        row.pk = pk
        row._state.adding, row._state.db = False, connection.alias


def insert(rows: Sequence[models.Model]) -> None:
    """New rows of one model in one INSERT … RETURNING their ids; the rows are saved instances afterwards. No
    model of an order has signals or an insert of its own to bypass."""
    if not connection.features.can_return_rows_from_bulk_insert:
        type(rows[0])._default_manager.bulk_create(rows)
        return
    statement = insert_statement(rows)
    with connection.cursor() as cursor:
        cursor.execute(statement.sql, statement.params)
        mark_saved(rows, [pk for (pk,) in cursor.fetchall()])


def insert_together(*groups: Sequence[models.Model]) -> None:
    """Rows of several models (each group one model) in one statement on PostgreSQL: each INSERT a data-modifying
    WITH query, their ids returned tagged by group, in the order each INSERT wrote them (as `bulk_create` relies
    on). Elsewhere one INSERT per group. Empty groups write nothing."""
    groups = tuple(rows for rows in groups if rows)
    if not groups:
        return
    if connection.vendor != "postgresql":
        for rows in groups:
            insert(rows)
        return
    parts, params = [], []
    for n, rows in enumerate(groups):
        statement = insert_statement(rows)
        parts.append(f"g{n} AS ({statement.sql})")
        params += statement.params
    pk = {n: _qn(type(rows[0])._meta.pk.column) for n, rows in enumerate(groups)}
    tagged = " UNION ALL ".join(f"SELECT {n}, {pk[n]} FROM g{n}" for n in range(len(groups)))
    with connection.cursor() as cursor:
        cursor.execute(f"WITH {', '.join(parts)} {tagged}", params)
        found = cursor.fetchall()
    for n, rows in enumerate(groups):
        mark_saved(rows, [pk for tag, pk in found if tag == n])
