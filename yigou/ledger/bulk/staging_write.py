"""Writing a checked staging table: the ledger rows, one audit entry, then the rollups, all set-based."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from yigou.core import audit
from yigou.core.crypto import lookup_hash
from yigou.registry.status import REGISTERED

from ..models import DISTINCT_KINDS, Presence
from . import staging_sql as sql


def _persons(cursor: Any) -> None:
    """Keys of individual buyers (a keyed hash of the name, computed in Python as buyers.buyer_key does)."""
    cursor.execute(sql.PERSONS)
    cursor.execute(sql.PERSON_NAMES)
    rows = []
    for (name,) in cursor.fetchall():
        stripped = name.strip()
        rows.append((name, f"person:{lookup_hash(stripped)[:32]}" if stripped else None))
    if rows:
        cursor.executemany("INSERT INTO imp_person (name, key) VALUES (%s, %s)", rows)


def _ledger(cursor: Any, actor: Any, note: str) -> int:
    _persons(cursor)
    cursor.execute(sql.PURCHASES)
    cursor.execute("ANALYZE imp_purchase")
    cursor.execute("SELECT count(*) FROM imp_purchase")
    written = cursor.fetchone()[0]
    cursor.execute(sql.SHARES)
    cursor.execute(sql.BENEFICIARIES, {"registered": sorted(str(s) for s in REGISTERED)})
    cursor.execute("ANALYZE imp_benef")
    user = actor.pk if getattr(actor, "is_authenticated", False) else None
    cursor.execute(sql.INSERT_PURCHASES, {"note": note, "user": user, "now": timezone.now()})
    cursor.execute(sql.INSERT_LINES)
    cursor.execute(sql.INSERT_BENEFICIARIES)
    return int(written)


def _rollups(cursor: Any) -> None:
    cursor.execute(sql.FINE)
    cursor.execute(sql.DAY_ADDITIVE)
    cursor.execute(sql.MONTH_ADDITIVE)
    cursor.execute(sql.SLOTS)
    cursor.execute(sql.BEFORE)
    cursor.execute("ANALYZE imp_slot, imp_before")
    cursor.execute(sql.PRESENCE)
    cursor.execute(sql.ANCESTOR_MONTHS)
    cursor.execute(sql.distinct_upsert(DISTINCT_KINDS))


def write_staged(cursor: Any, actor: Any, note: str) -> int:
    """Inside the caller's transaction; returns the number of purchases written."""
    # Single-purchase writers wait until this import's presence changes are committed.
    cursor.execute(f"LOCK TABLE {Presence._meta.db_table} IN SHARE ROW EXCLUSIVE MODE")
    written = _ledger(cursor, actor, note)
    _rollups(cursor)
    audit.record(
        actor=actor,
        action="purchase_import",
        target_type="ledger.purchase",
        note=f"批量导入 {written} 笔购买记录 {note}".strip(),
    )
    return written
