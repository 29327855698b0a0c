"""What every importer shares: region checks fetched once per file, and turning a refused write into a report."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db import models

from yigou.accounts.scope import ensure_region_in_scope, restrict
from yigou.core.columns import CellError, RowReader
from yigou.core.errors import DomainError, PermissionDeniedError
from yigou.core.importing import ImportReport, run_import
from yigou.core.validators import validate_phone
from yigou.regions.enums import Level
from yigou.regions.models import Region


class WriteFailed(Exception):
    """A service refused a row that passed the checks (e.g. someone registered the same person meanwhile)."""

    def __init__(self, line: int, column: str, message: str):
        super().__init__(message)
        self.line, self.column, self.message = line, column, message


def run_with_failures(
    *,
    parsed: list[Any],
    report: ImportReport,
    dry_run: bool,
    write: Callable[[list[Any]], int],
    headers: list[str],
) -> ImportReport:
    """run_import, except that a refused write becomes a report line; the transaction has rolled back.

    Errors are listed row by row, and within a row in the file's column order, as the official reads the sheet.
    """
    position = {name: index for index, name in enumerate(headers)}
    report.errors.sort(key=lambda e: (e.row, position.get(e.column, len(position))))
    try:
        return run_import(parsed=parsed, report=report, dry_run=dry_run, write=write)
    except WriteFailed as exc:
        report.written = 0
        report.add(exc.line, exc.column, exc.message)
        return report


class RegionLookup:
    """The regions a file names, fetched in one query, with the checks an importer needs."""

    def __init__(self, actor: Any, codes: Iterable[str]):
        self.actor = actor
        wanted = {c for c in codes if c}
        self.regions = {r.code: r for r in restrict(actor, Region.objects.filter(code__in=wanted))}

    def in_scope(self, code: str) -> bool:
        try:
            ensure_region_in_scope(self.actor, code)
        except PermissionDeniedError:
            return False
        return True

    def get(self, code: str, *levels: int, column: str, what: str) -> Region:
        if not code:
            raise CellError(column, "不能为空")
        region = self.regions.get(code)
        if region is None:
            raise CellError(column, f"区划代码“{code}”不存在")
        if levels and region.level not in levels:
            expected = "或".join(Level(level).label for level in levels)
            raise CellError(
                column, f"{what}应为{expected}区划，“{region.name}”（{code}）是{region.get_level_display()}"
            )
        if not self.in_scope(code):
            raise CellError(column, f"“{region.name}”（{code}）不在您的管辖范围内")
        return region

    def village(self, code: str) -> Region:
        return self.get(code, Level.VILLAGE, column="村代码", what="村代码")


def optional_phone(column: str) -> Callable[[str], str]:
    def parse(text: str) -> str:
        if not text:
            return ""
        try:
            return validate_phone(text)
        except DomainError:
            raise CellError(column, f"“{text}”不是有效的手机号或固定电话") from None

    return parse


@dataclass
class Duplicates:
    """Keys already taken, in the database or by an earlier row of the file: credit codes and names per region."""

    taken_codes: dict[str, str]  # credit code → name of the record holding it
    taken_names: set[tuple[str, str]]  # (region code, name)
    code_rows: dict[str, int] = field(default_factory=dict)
    name_rows: dict[tuple[str, str], int] = field(default_factory=dict)

    @classmethod
    def fetch(
        cls,
        model: type[models.Model],
        rows: list[tuple[int, dict[str, str]]],
        *,
        code_column: str,
        name_column: str,
    ) -> Duplicates:
        codes = {(cells.get(code_column) or "").strip().upper() for _, cells in rows}
        names = {(cells.get(name_column) or "").strip() for _, cells in rows}
        manager = model._default_manager
        # Credit codes are unique nationally, so this looks past the actor's scope; only the holder's name shows.
        taken_codes = {str(c): n for c, n in manager.filter(uscc__in=codes).values_list("uscc", "name")}
        taken_names = set(manager.filter(name__in=names).values_list("region_id", "name"))
        return cls(taken_codes, taken_names)

    def check_code(self, reader: RowReader, column: str, code: str | None) -> None:
        if code is None:
            return
        first = self.code_rows.setdefault(code, reader.line)
        if first != reader.line:
            reader.error(column, f"与第{first}行的统一社会信用代码重复")
        elif code in self.taken_codes:
            reader.error(column, f"统一社会信用代码 {code} 已被“{self.taken_codes[code]}”使用")

    def check_name(self, reader: RowReader, column: str, name: str | None, region: Region | None) -> None:
        if not name or region is None:
            return
        key = (region.code, name)
        first = self.name_rows.setdefault(key, reader.line)
        if first != reader.line:
            reader.error(column, f"与第{first}行重复：同一区划内“{name}”出现两次")
        elif key in self.taken_names:
            reader.error(column, f"“{name}”已在{region.name}登记，不能重复导入")
