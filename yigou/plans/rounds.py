"""Dispatch rounds (调度轮次): the week, month or quarter a task reports in, by the plan's rhythm."""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass

from .enums import Rhythm


@dataclass(frozen=True)
class Round:
    start: dt.date
    end: dt.date
    label: str


def _month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def round_of(rhythm: str, day: dt.date) -> Round:
    """The round `day` falls in: weeks run Monday to Sunday; quarters are calendar quarters."""
    if rhythm == Rhythm.WEEKLY:
        start = day - dt.timedelta(days=day.weekday())
        year, week, _ = start.isocalendar()
        return Round(start, start + dt.timedelta(days=6), f"{year}年第{week}周")
    if rhythm == Rhythm.QUARTERLY:
        quarter = (day.month - 1) // 3
        first = quarter * 3 + 1
        return Round(
            dt.date(day.year, first, 1), _month_end(day.year, first + 2), f"{day.year}年第{quarter + 1}季度"
        )
    return Round(
        dt.date(day.year, day.month, 1), _month_end(day.year, day.month), f"{day.year}年{day.month}月"
    )


def previous_round(rhythm: str, day: dt.date) -> Round:
    return round_of(rhythm, round_of(rhythm, day).start - dt.timedelta(days=1))
