"""`purchases_import`: the one entry point for pages, commands and background jobs."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from yigou.accounts.scope import ensure_can
from yigou.core.importing import ImportReport
from yigou.core.tabular import Table

from .parse import parse
from .staging import import_staged
from .write import write_drafts


def purchases_import(
    *, actor: Any, table: Table, dry_run: bool, note: str = "", progress: Callable[[int], None] | None = None
) -> ImportReport:
    """Check every row; write all purchases in one transaction only when no row has an error.

    Purchases whose 外部编号 is already in the ledger are skipped, so importing the same file twice changes nothing.
    """
    ensure_can(actor, "ledger.record")
    staged = import_staged(actor=actor, table=table, dry_run=dry_run, note=note, progress=progress)
    if staged is not None:
        return staged
    parsed = parse(actor, table, progress)
    report = parsed.report
    report.dry_run = dry_run
    report.skipped = parsed.skipped
    report.purchases = len(parsed.drafts)
    if report.ok and not dry_run:
        report.written = write_drafts(actor, parsed.drafts, note=note)
    return report
