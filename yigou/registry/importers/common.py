"""What every importer shares: region checks fetched once per file, and turning a refused write into a report."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from yigou.accounts.scope import ensure_region_in_scope, restrict
from yigou.core.columns import CellError
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
    *, parsed: list[Any], report: ImportReport, dry_run: bool, write: Callable[[list[Any]], int]
) -> ImportReport:
    """run_import, except that a refused write becomes a report line; the transaction has rolled back."""
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
