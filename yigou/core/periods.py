"""Reporting periods: a month (2018-04), a month range (2018-01..2018-04) or a date range (2018-01-05..2018-03-20)."""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass

from .errors import DomainError

MONTH = re.compile(r"^(\d{4})-(\d{1,2})$")
DAY = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")


@dataclass(frozen=True)
class Period:
    start: dt.date
    end: dt.date
    text: str

    @property
    def months(self) -> list[tuple[int, int]]:
        """(year, month) pairs the period touches, in order."""
        result, year, month = [], self.start.year, self.start.month
        while (year, month) <= (self.end.year, self.end.month):
            result.append((year, month))
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)
        return result

    @property
    def month_aligned(self) -> bool:
        return self.start.day == 1 and self.end.day == calendar.monthrange(self.end.year, self.end.month)[1]

    @property
    def single_month(self) -> bool:
        return self.month_aligned and len(self.months) == 1

    @property
    def year_to_date(self) -> bool:
        """Jan–N of one year: the official 累计 column, served from first-month-of-year counts."""
        return self.month_aligned and self.start.month == 1 and self.start.year == self.end.year

    @property
    def label(self) -> str:
        if self.single_month:
            return f"{self.start.year}年{self.start.month}月"
        if self.month_aligned and self.start.year == self.end.year:
            return f"{self.start.year}年{self.start.month}—{self.end.month}月"
        if self.month_aligned:
            return f"{self.start.year}年{self.start.month}月—{self.end.year}年{self.end.month}月"
        return f"{self.start:%Y年%m月%d日}—{self.end:%Y年%m月%d日}"


def _month_bounds(text: str) -> tuple[dt.date, dt.date] | None:
    match = MONTH.match(text)
    if not match:
        return None
    year, month = int(match.group(1)), int(match.group(2))
    if not 1 <= month <= 12:
        raise DomainError("invalid_input", detail=f"月份“{text}”无效")
    return dt.date(year, month, 1), dt.date(year, month, calendar.monthrange(year, month)[1])


def _day(text: str) -> dt.date:
    match = DAY.match(text)
    if not match:
        raise DomainError(
            "invalid_input",
            detail=f"期间“{text}”无效，应写作 2018-04、2018-01..2018-04 或 2018-01-05..2018-03-20",
        )
    try:
        return dt.date(*(int(g) for g in match.groups()))
    except ValueError:
        raise DomainError("invalid_input", detail=f"日期“{text}”无效") from None


def _bounds(text: str, *, first: bool) -> dt.date:
    if len(text) == 4 and text.isdigit() and int(text) >= 1900:  # a whole year: 2018 = 2018-01..2018-12
        return dt.date(int(text), 1, 1) if first else dt.date(int(text), 12, 31)
    months = _month_bounds(text)
    if months:
        return months[0] if first else months[1]
    return _day(text)


def parse_period(text: str) -> Period:
    value = (text or "").strip().replace("—", "..").replace("～", "..").replace("~", "..")
    if not value:
        raise DomainError("invalid_input", detail="请指定统计期间，如 2018-04 或 2018-01..2018-04")
    left, sep, right = value.partition("..")
    start = _bounds(left.strip(), first=True)
    end = _bounds((right if sep else left).strip(), first=False)
    if end < start:
        raise DomainError("invalid_input", detail=f"期间结束 {end} 早于开始 {start}")
    return Period(start, end, value)
