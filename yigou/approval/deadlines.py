"""When a month's report is due: a set day of the following month (the 5th unless configured per form)."""

from __future__ import annotations

import datetime as dt

from django.conf import settings


def deadline(form_code: str, year: int, month: int) -> dt.date:
    """`YIGOU_APPROVAL_DEADLINE_DAY` (int) sets the day for every form; `YIGOU_APPROVAL_DEADLINE_DAYS`
    ({form code: day}) overrides it per form."""
    day = settings.YIGOU_APPROVAL_DEADLINE_DAYS.get(form_code, settings.YIGOU_APPROVAL_DEADLINE_DAY)
    next_year, next_month = (year + 1, 1) if month == 12 else (year, month + 1)
    return dt.date(next_year, next_month, min(max(int(day), 1), 28))
