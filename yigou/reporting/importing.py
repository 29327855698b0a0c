"""Importing reported values: one row per region (element codes as columns) or long rows region,period,element,value.

Wide layout: a `region` column (12-digit code), optionally `region_name` (ignored, for people) and `period`
(a month such as 2018-04; else the `--period` given), then one column per element code; an empty cell leaves
that value as it is. Long layout: exactly the columns `region,period,element,value`; an empty value clears.
All or nothing: every row is checked first (region exists, is inside the importer's region and fills the form;
period is one month; element known; value a number of the element's type; no cell given twice; the period is
not locked), and only a file without errors is written, in one transaction, through `values_save`.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from yigou.core.errors import DomainError
from yigou.core.importing import ImportReport, require_headers, row_dicts, run_import
from yigou.core.periods import parse_period
from yigou.core.tabular import Table
from yigou.regions.models import Region

from .models import DataElement, Form
from .rules import Violation
from .services import (
    RawValue,
    builtin_form,
    ensure_can_enter,
    ensure_entry_allowed,
    parse_value,
    values_save,
)

LONG = ("region", "period", "element", "value")
IGNORED = {"region", "region_name", "period"}
Key = tuple[str, int, int]  # region code, year, month


@dataclass
class FormImport:
    report: ImportReport
    layout: str
    violations: list[tuple[Key, Violation]] = field(default_factory=list)


@dataclass
class _Checker:
    actor: Any
    form: Form
    report: ImportReport
    elements: dict[str, DataElement]
    regions: dict[str, Region | None] = field(default_factory=dict)
    checked: dict[Key, str] = field(default_factory=dict)  # key → "" when allowed, else the refusal
    seen: set[tuple[Key, str]] = field(default_factory=set)
    values: dict[Key, dict[str, RawValue]] = field(default_factory=lambda: defaultdict(dict))

    def region(self, line: int, code: str) -> Region | None:
        if not code:
            self.report.add(line, "region", "区划代码不能为空")
            return None
        if code not in self.regions:
            self.regions[code] = Region.objects.filter(code=code).first()
        region = self.regions[code]
        if region is None:
            self.report.add(line, "region", f"区划代码“{code}”不存在")
            return None
        try:
            ensure_can_enter(self.actor, self.form, region)
        except DomainError as exc:
            self.report.add(line, "region", f"{region.name}（{code}）：{exc.message}")
            return None
        return region

    def month(self, line: int, text: str) -> tuple[int, int] | None:
        try:
            period = parse_period(text)
        except DomainError as exc:
            self.report.add(line, "period", exc.message)
            return None
        if not period.single_month:
            self.report.add(
                line, "period", DomainError("form_period_monthly", form=self.form.name, period=text).message
            )
            return None
        return period.start.year, period.start.month

    def allowed(self, line: int, key: Key) -> bool:
        if key not in self.checked:
            try:
                ensure_entry_allowed(*key)
                self.checked[key] = ""
            except DomainError as exc:
                self.checked[key] = exc.message
                self.report.add(line, "period", exc.message)
        return not self.checked[key]

    def value(self, line: int, key: Key, code: str, raw: str) -> None:
        element = self.elements.get(code)
        if element is None:
            self.report.add(line, "element", f"报表“{self.form.name}”中没有指标“{code}”")
            return
        if (key, code) in self.seen:
            self.report.add(
                line, code, f"{key[0]} {key[1]}-{key[2]:02d} 的“{element.name}”在文件中出现了两次"
            )
            return
        self.seen.add((key, code))
        try:
            parse_value(element, raw)
        except DomainError as exc:
            self.report.add(line, code, exc.message)
            return
        self.values[key][code] = raw


def _long(checker: _Checker, rows: list[tuple[int, dict[str, str]]]) -> None:
    for line, row in rows:
        region, month = checker.region(line, row["region"]), checker.month(line, row["period"])
        if region is None or month is None:
            continue
        key = (region.code, *month)
        if checker.allowed(line, key):
            checker.value(line, key, row["element"].strip(), row["value"])


def _wide(checker: _Checker, table: Table, rows: list[tuple[int, dict[str, str]]], period: str) -> None:
    codes = [h for h in table.headers if h and h not in IGNORED]
    unknown = [c for c in codes if c not in checker.elements]
    for code in unknown:
        checker.report.add(1, code, f"列“{code}”不是报表“{checker.form.name}”的指标代码")
    if "period" not in table.headers and not period:
        checker.report.add(1, "period", "文件没有 period 列，请用 --period 指定月份，如 2018-04")
        return
    for line, row in rows:
        region = checker.region(line, row["region"])
        month = checker.month(line, row.get("period") or period)
        if region is None or month is None:
            continue
        key = (region.code, *month)
        if checker.allowed(line, key):
            for code in codes:
                if code not in unknown and row[code].strip():
                    checker.value(line, key, code, row[code])


def form_import(
    *, actor: Any, table: Table, dry_run: bool, period: str = "", form: Form | None = None
) -> FormImport:
    form = form or builtin_form()
    long = all(h in table.headers for h in LONG)
    if not long:
        require_headers(table, ["region"])
    rows = row_dicts(table)
    report = ImportReport(total_rows=len(rows))
    checker = _Checker(actor, form, report, {e.code: e for e in form.elements.all()})
    if long:
        _long(checker, rows)
    else:
        _wide(checker, table, rows, period)
    result = FormImport(report, "long" if long else "wide")

    def write(parsed: list[tuple[Key, dict[str, RawValue]]]) -> int:
        changed = 0
        for key, values in parsed:
            entry = values_save(
                actor=actor,
                region_code=key[0],
                year=key[1],
                month=key[2],
                values=values,
                form=form,
                note="导入",
            )
            changed += entry.changed
            result.violations += [(key, v) for v in entry.violations]
        return changed

    run_import(parsed=sorted(checker.values.items()), report=report, dry_run=dry_run, write=write)
    return result
