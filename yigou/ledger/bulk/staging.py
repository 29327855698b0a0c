"""The PostgreSQL fast path of the purchase import: COPY the rows into a staging table, check and resolve them
set-based in SQL, and write the ledger rows and the rollups with a handful of statements.

It handles CSV and XLSX alike (read_table gives both as cell text), households and producers as sellers, and every
attribution rule. Numbers the SQL checks do not parse the way Decimal does, a purchase whose attribution parse.py
would refuse, rows in a locked month, and SQLite return None: the caller runs the Python path (parse.py, write.py)
for the whole file, which names each problem. Both paths give the same ImportReport.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import logging
from collections.abc import Callable, Iterator
from functools import lru_cache
from typing import Any

from django.db import connection, transaction

from yigou.accounts.scope import restrict, scope_for
from yigou.approval.locks import staged_rows_locked
from yigou.assist.enums import UnitKind
from yigou.core.error_codes import message_for
from yigou.core.importing import ImportReport, require_headers
from yigou.core.tabular import Table
from yigou.registry.models import Producer

from ..buyers import UNIT_KINDS
from ..enums import BuyerKind
from ..services import EARLIEST
from . import layout
from . import staging_sql as sql
from .staging_write import write_staged

log = logging.getLogger(__name__)
COPY_CHUNK = 10_000  # rows per COPY; progress is reported between them
TUNING = {"work_mem": "256MB", "jit": "off"}  # see _tune


@lru_cache(maxsize=1)
def whitespace() -> str:
    """What str.strip() removes, for btrim()."""
    return "".join(chr(c) for c in range(0x3001) if chr(c).isspace())


def import_staged(
    *, actor: Any, table: Table, dry_run: bool, note: str = "", progress: Callable[[int], None] | None = None
) -> ImportReport | None:
    """The import through SQL, or None when the file needs the Python path."""
    if connection.vendor != "postgresql":
        return None
    require_headers(table, layout.REQUIRED)
    outermost = not connection.in_atomic_block
    with transaction.atomic(), connection.cursor() as cursor:
        restore = _tune(cursor, outermost)
        _drop(cursor)
        total = _stage(cursor, table, progress)
        cursor.execute(sql.FALLBACK)
        if cursor.fetchone()[0]:
            _leave(cursor, restore)
            log.info("purchase import: Python path (the file names producers or unusual numbers)")
            return None
        report = _check(cursor, actor, total)
        if not _attribution_ok(cursor, actor):
            _leave(cursor, restore)
            log.info("purchase import: Python path (an attribution that parse.py refuses or that needs it)")
            return None
        if staged_rows_locked(cursor):
            _leave(cursor, restore)  # rows in an approved (locked) month: the Python path names each of them
            return None
        report.dry_run = dry_run
        if report.ok and not dry_run and report.purchases:
            report.written = write_staged(cursor, actor, note)
        _leave(cursor, restore)
    log.info("purchase import: SQL path, %s rows, %s written", total, report.written)
    return report


def _tune(cursor: Any, outermost: bool) -> dict[str, str]:
    """Settings for this transaction only (set_config(..., true) is SET LOCAL); returns the values to restore.

    The import's sorts and hash aggregates spill to disk at the default 4MB of work_mem; JIT compiling the
    purchase query costs more than it saves. synchronous_commit = off only when this is the outermost
    transaction, so that it covers exactly this import's commit: a server crash in the moment after the commit
    may lose the whole import (never part of it: one transaction), and running the file again brings it back,
    since purchases whose 外部编号 is already in the ledger are skipped. Constraints and triggers stay as they are.
    """
    settings = dict(TUNING)
    if outermost:
        settings["synchronous_commit"] = "off"
    cursor.execute("SELECT name, setting FROM pg_settings WHERE name = ANY (%s)", [list(TUNING)])
    before = {name: value + ("kB" if name == "work_mem" else "") for name, value in cursor.fetchall()}
    for name, value in settings.items():
        cursor.execute("SELECT set_config(%s, %s, true)", [name, value])
    return {} if outermost else before


def _leave(cursor: Any, before: dict[str, str]) -> None:
    """Drop the staging tables; inside a caller's transaction, give it back its own settings."""
    _drop(cursor)
    for name, value in before.items():
        cursor.execute("SELECT set_config(%s, %s, true)", [name, value])


def _drop(cursor: Any) -> None:
    cursor.execute("DROP TABLE IF EXISTS " + ", ".join(sql.TEMP_TABLES))


def _csv_chunks(table: Table) -> Iterator[tuple[int, str]]:
    """The non-blank rows as CSV (spreadsheet row number first) by COPY_CHUNK rows: (rows before, text)."""
    index = {
        header: i for i, header in enumerate(table.headers)
    }  # the last of repeated headers, as row_dicts
    width = len(table.headers)
    picks = [index.get(header, width) for _, header in sql.STAGE_COLUMNS]
    buffer, count, start = io.StringIO(), 0, 0
    writer = csv.writer(buffer, quoting=csv.QUOTE_ALL, lineterminator="\n")
    for number, cells in enumerate(table.rows, start=2):
        if any(cells):
            padded = [*cells, ""]
            writer.writerow([number, *(padded[i] for i in picks)])
            count += 1
            if count % COPY_CHUNK == 0:
                yield start, buffer.getvalue()
                buffer.seek(0)
                buffer.truncate()
                start = count
    if count > start:
        yield start, buffer.getvalue()


def _stage(cursor: Any, table: Table, progress: Callable[[int], None] | None) -> int:
    """COPY the rows into imp_stage; returns how many there are."""
    columns = ", ".join(f"{name} text" for name, _ in sql.STAGE_COLUMNS)
    cursor.execute(sql.CREATE_STAGE.format(columns=columns))
    for start, text in _csv_chunks(table):
        if progress:
            progress(start)  # as parse.py reports it: every 10,000 non-blank rows, never during a COPY
        with cursor.cursor.copy("COPY imp_stage FROM STDIN (FORMAT csv)") as copy:
            copy.write(text)
    for statement in sql.FUNCTIONS:
        cursor.execute(statement)
    cursor.execute("SELECT count(*) FROM imp_stage")
    return int(cursor.fetchone()[0])


def _choices(cursor: Any) -> None:
    from yigou.registry.status import TRANSITIONS

    rows = [("购买方类型", label, value) for label, value in layout.BUYER_KINDS.items()]
    rows += [("渠道", label, value) for label, value in layout.CHANNELS.items()]
    rows += [("产品来源", label, value) for label, value in layout.SOURCES.items()]
    rows += [("分配方式", label, value) for label, value in layout.RULES.items()]
    rows += [("unit_kind", str(label), value) for value, label in UnitKind.choices]
    rows += [("buyer_kind_label", str(label), value) for value, label in BuyerKind.choices]
    rows += [("transition", kind, str(target)) for kind, (_, target) in TRANSITIONS.items()]
    cursor.execute(sql.CREATE_CHOICE)
    cursor.executemany("INSERT INTO imp_choice VALUES (%s, %s, %s)", rows)


def _params(actor: Any) -> dict[str, Any]:
    scope = scope_for(actor)
    kinds = {kind: sorted(str(k) for k in allowed) for kind, allowed in UNIT_KINDS.items()}
    return {
        "space": whitespace(),
        "today": dt.date.today(),
        "earliest": EARLIEST,
        "scope": scope.kind,
        "prefix": scope.region_prefix,
        "scope_unit": scope.unit_id,
        "scope_producer": scope.producer_id,
        "out_of_scope": message_for("out_of_scope"),
        "buyer_prefix": message_for("buyer_invalid", detail=""),
        "unit_kinds": kinds[BuyerKind.UNIT],
        "canteen_kinds": kinds[BuyerKind.CANTEEN],
        "enterprise_kinds": kinds[BuyerKind.ENTERPRISE],
        "social_kinds": kinds[BuyerKind.SOCIAL_ORG],
    }


def _producers(cursor: Any, actor: Any) -> int:
    """The producers named as sellers and visible to the importer (references.load); returns how many."""
    cursor.execute(sql.SELLER_CODES)
    codes = [code for (code,) in cursor.fetchall()]
    cursor.execute(sql.CREATE_PRODUCER)
    rows = []
    for start in range(0, len(codes), 900):
        found = restrict(actor, Producer.objects.filter(uscc__in=codes[start : start + 900]))
        for p in found.select_related("region"):
            region = p.region
            rows.append(
                (p.pk, p.uscc, p.kind, p.name, region.code, region.level, region.county_code, p.household_id)
            )
    if rows:
        cursor.executemany(
            "INSERT INTO imp_producer (id, uscc, kind, name, region_id, region_level, county_code, household_id)"
            " VALUES (%s, %s, %s, %s, %s, %s, %s, %s)",
            rows,
        )
    return len(rows)


def _attribution_ok(cursor: Any, actor: Any) -> bool:
    """False when some purchase's attribution would be refused (or is not one the SQL settles)."""
    cursor.execute("SELECT count(*) FROM imp_producer")
    if not cursor.fetchone()[0]:
        for statement in (sql.EMPTY_PARTS, *sql.EMPTY_SHARES):
            cursor.execute(statement)  # households sell their own produce: one share each, nothing to check
        return True
    cursor.execute(sql.DRAFTS)
    cursor.execute(sql.PARTS, {"space": whitespace()})
    cursor.execute(sql.LINKED)
    cursor.execute(sql.MEMBERS)
    cursor.execute("ANALYZE imp_draft, imp_part, imp_linked, imp_member")
    cursor.execute(sql.ATTRIBUTION_FALLBACK)
    return not cursor.fetchone()[0]


def _check(cursor: Any, actor: Any, total: int) -> ImportReport:
    """Resolve every row and collect the errors; nothing is written here."""
    params = _params(actor)
    _choices(cursor)
    _producers(cursor, actor)
    for statement in (sql.DATES, sql.UNITS, sql.OUTLETS):
        cursor.execute(statement)
    cursor.execute(sql.BUYERS, params)
    cursor.execute(sql.ROWS, params)
    cursor.execute(
        "ANALYZE imp_row (line, ext, skipped, bad_ext, kind, buyer, village_id, day)"
    )  # the join keys
    cursor.execute(sql.ERRORS, params)
    report = ImportReport(total_rows=total)
    cursor.execute("SELECT line, col, message FROM imp_error ORDER BY line")
    for line, column, message in cursor.fetchall():
        report.add(line, column, message)
    cursor.execute(
        "SELECT count(DISTINCT ext) FILTER (WHERE skipped), count(DISTINCT ext) FILTER (WHERE NOT skipped)"
        " FROM imp_row WHERE NOT bad_ext"
    )
    report.skipped, purchases = cursor.fetchone()
    report.purchases = purchases if report.ok else 0
    return report
