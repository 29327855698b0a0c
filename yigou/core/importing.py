"""All-or-nothing imports: every row is checked first; only a file without errors is written, in one transaction."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction

from .errors import DomainError
from .tabular import Table


@dataclass
class RowError:
    row: int  # spreadsheet row number, header is row 1
    column: str
    message: str

    def as_dict(self) -> dict[str, object]:
        return {"row": self.row, "column": self.column, "message": self.message}


@dataclass
class ImportReport:
    total_rows: int = 0
    written: int = 0
    dry_run: bool = True
    skipped: int = 0  # records already present (an idempotent re-import)
    purchases: int = 0  # records the file describes when several rows make one record
    errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    def add(self, row: int, column: str, message: str) -> None:
        self.errors.append(RowError(row, column, message))

    def as_dict(self) -> dict[str, object]:
        return {
            "total_rows": self.total_rows,
            "written": self.written,
            "skipped": self.skipped,
            "dry_run": self.dry_run,
            "ok": self.ok,
            "errors": [e.as_dict() for e in self.errors],
        }


def require_headers(table: Table, required: Iterable[str]) -> None:
    missing = [name for name in required if name not in table.headers]
    if missing:
        raise DomainError("import_header_missing", columns="、".join(missing))


def row_dicts(table: Table) -> list[tuple[int, dict[str, str]]]:
    """(spreadsheet row number, {header: cell}) for every non-blank row."""
    return [
        (index + 2, dict(zip(table.headers, cells, strict=True)))
        for index, cells in enumerate(table.rows)
        if any(cells)
    ]


def run_import(
    *,
    parsed: list[Any],
    report: ImportReport,
    dry_run: bool,
    write: Callable[[list[Any]], int],
) -> ImportReport:
    """Write only when every row parsed cleanly; `write` runs inside one transaction."""
    report.dry_run = dry_run
    if report.errors or dry_run:
        return report
    with transaction.atomic():
        report.written = write(parsed)
    return report
