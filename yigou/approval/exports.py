"""XLSX of the approval lists: the completeness and timeliness table, and the submissions list."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.utils import timezone

from yigou.core.xlsx import Sheet, write_workbook

from .models import Submission
from .selectors import Completeness

COMPLETENESS_HEADERS = [
    "区划代码",
    "区域",
    "状态",
    "是否上报",
    "首次上报时间",
    "截止日期",
    "是否按时",
    "是否审核通过",
    "审核时间",
]
SUBMISSION_HEADERS = [
    "区划代码",
    "区域",
    "期间",
    "状态",
    "首次上报时间",
    "最近上报时间",
    "审核时间",
    "审核人",
    "退回/解锁原因",
]


def _time(value: object) -> str:
    return f"{timezone.localtime(value):%Y-%m-%d %H:%M}" if value else ""  # type: ignore[arg-type]


def completeness_title(table: Completeness) -> str:
    return f"{table.region.name}{table.label}上报及时性与完整性"


def completeness_xlsx(table: Completeness) -> bytes:
    rows: list[list[Any]] = [
        [
            r.region.code,
            r.region.name,
            r.state_label,
            r.submitted,
            _time(r.first_submitted_at),
            f"{table.deadline:%Y-%m-%d}",
            r.timeliness,
            r.approved,
            _time(r.decided_at),
        ]
        for r in table.rows
    ]
    counts = table.counts
    rows.append(
        [
            "",
            "合计",
            "",
            f"{counts['submitted']}/{counts['children']}",
            "",
            "",
            f"按时 {counts['on_time']}",
            f"{counts['approved']}/{counts['children']}",
            "",
        ]
    )
    sheet = Sheet(name="上报及时性", headers=COMPLETENESS_HEADERS, rows=rows, title=completeness_title(table))
    return write_workbook([sheet])


def submissions_xlsx(submissions: Iterable[Submission]) -> bytes:
    rows = [
        [
            s.region_id,
            s.region.name,
            f"{s.year}年{s.month}月",
            s.get_state_display(),
            _time(s.first_submitted_at),
            _time(s.submitted_at),
            _time(s.decided_at),
            str(s.decided_by or ""),
            s.reason,
        ]
        for s in submissions
    ]
    return write_workbook([Sheet(name="上报审核", headers=SUBMISSION_HEADERS, rows=rows, title="上报审核")])
