"""Importing a plan's task list from XLSX/CSV in the Tiexi layout (序号, 任务内容, 牵头单位, 配合单位, 完成时限),
all-or-nothing with the same row-by-row Chinese report and template as the other imports."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from yigou.core import audit
from yigou.core.columns import (
    Column,
    RowReader,
    optional_text,
    required_headers,
    required_text,
    template_bytes,
)
from yigou.core.errors import DomainError
from yigou.core.importing import ImportReport, require_headers, row_dicts
from yigou.core.tabular import Table, parse_date
from yigou.registry.importers.common import WriteFailed, run_with_failures

from .models import Plan
from .services import TaskInput, check_task, ensure_manages, parent_number, task_write

C_NUMBER, C_TITLE, C_LEAD, C_CO, C_DUE, C_SECTION = (
    "序号",
    "任务内容",
    "牵头单位",
    "配合单位",
    "完成时限",
    "方案章节",
)
STANDING_WORDS = {"", "长期", "长期坚持", "持续推进", "常态化", "长期任务"}
FIELD_COLUMNS = {"number": C_NUMBER, "title": C_TITLE, "lead_unit": C_LEAD, "due_on": C_DUE}
SPLIT_UNITS = re.compile(r"[、，,；;/\s]+")

COLUMNS = [
    Column(C_NUMBER, True, "任务序号；子任务写作 2.1、2.1.3，其上级任务须在本文件或方案中。", "1、2.1", "11"),
    Column(C_TITLE, True, "任务内容（方案原文）。", "不超过2000字", "引导和扶持一批消费扶贫示范企业"),
    Column(C_LEAD, True, "牵头（责任）单位，一个单位。", "不超过200字", "区商务局"),
    Column(C_CO, False, "配合单位，多个用顿号分隔。", "单位名称、单位名称", "区发改局、区农业农村局"),
    Column(C_DUE, False, "完成时限；不填或填“长期”为长期任务。", "2019-12-31 或 长期", "2020-06-30"),
    Column(
        C_SECTION, False, "任务所在的方案章节。", "不超过200字", "（二）努力拓宽贫困村农产品流通和销售渠道"
    ),
]


def template() -> bytes:
    return template_bytes("任务清单", COLUMNS)


@dataclass
class TaskRow:
    line: int
    data: TaskInput


def _deadline(reader: RowReader, data: TaskInput) -> None:
    text = reader.text(C_DUE)
    if text in STANDING_WORDS:
        data.standing = True
        return
    try:
        data.due_on = parse_date(text)
    except DomainError:
        reader.error(C_DUE, f"“{text}”不是日期，请写 2019-12-31，或“长期”")


def _parse_row(line: int, cells: dict[str, str], plan: Plan, report: ImportReport) -> TaskRow | None:
    reader = RowReader(line, cells, report)
    data = TaskInput(
        number=(reader.get(C_NUMBER, required_text(C_NUMBER, 20)) or "").rstrip("."),
        title=reader.get(C_TITLE, required_text(C_TITLE, 2000)) or "",
        lead_unit=reader.get(C_LEAD, required_text(C_LEAD, 200)) or "",
        co_units=[u for u in SPLIT_UNITS.split(reader.get(C_CO, optional_text(C_CO, 1000)) or "") if u],
        section=reader.get(C_SECTION, optional_text(C_SECTION, 200)) or "",
    )
    _deadline(reader, data)
    if reader.failed:
        return None
    try:
        check_task(data, plan)
    except DomainError as exc:
        reader.error(FIELD_COLUMNS.get(exc.field or "", C_TITLE), str(exc.params.get("detail", exc.message)))
        return None
    return TaskRow(line, data)


def _check_numbers(rows: list[TaskRow], plan: Plan, report: ImportReport) -> None:
    """Numbers unique in the file and the plan; a sub-task's parent in one of them."""
    taken = set(plan.tasks.values_list("number", flat=True))
    seen: dict[str, int] = {}
    for row in rows:
        number = row.data.number
        if number in taken:
            report.add(row.line, C_NUMBER, f"序号 {number} 在方案中已存在")
        elif number in seen:
            report.add(row.line, C_NUMBER, f"序号 {number} 与第 {seen[number]} 行重复")
        seen.setdefault(number, row.line)
    for row in rows:
        parent = parent_number(row.data.number)
        if parent and parent not in taken and parent not in seen:
            report.add(row.line, C_NUMBER, f"上级任务 {parent} 不在方案或本文件中")


def _write(actor: Any, plan: Plan, rows: list[TaskRow]) -> int:
    by_number = {t.number: t for t in plan.tasks.all()}
    for row in sorted(rows, key=lambda r: r.data.number.count(".")):  # parents before their sub-tasks
        try:
            task = task_write(plan, row.data, by_number.get(parent_number(row.data.number)))
        except Exception as exc:  # a clash with a concurrent writer: the whole file rolls back
            raise WriteFailed(row.line, C_NUMBER, f"写入失败：{exc}") from exc
        by_number[task.number] = task
    audit.record(actor=actor, action="import", target=plan, note=f"导入任务清单 {len(rows)} 条")
    return len(rows)


def import_tasks(*, actor: Any, plan: Plan, table: Table, dry_run: bool) -> ImportReport:
    """Check every row; unless dry_run, add every task in one transaction, or none when any row fails."""
    ensure_manages(actor, plan)
    require_headers(table, required_headers(COLUMNS))
    rows = row_dicts(table)
    report = ImportReport(total_rows=len(rows))
    parsed = [r for line, cells in rows if (r := _parse_row(line, cells, plan, report)) is not None]
    _check_numbers(parsed, plan, report)
    return run_with_failures(
        parsed=parsed,
        report=report,
        dry_run=dry_run,
        write=lambda p: _write(actor, plan, p),
        headers=table.headers,
    )
