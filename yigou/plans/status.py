"""The task ledger's status (未启动/推进中/已完成/滞后), derived on every read and never stored.

Rules, in order (the first that holds wins):
1. 已完成 — progress is 100%.
2. 滞后 — a task with a deadline that is not done the day after its deadline (the deadline day itself is not
   late); a standing task (长期坚持) whose last full dispatch round, begun on or after the plan's start, passed
   without a report.
3. 未启动 — nothing reported yet.
4. 推进中 — anything else (a report of 0% counts as started: the work has been deployed).
The same rules are written twice — in Python for one task, as a query for lists — and tests hold them together.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db.models import F, Q

from .enums import Rhythm, TaskStatus
from .models import Task
from .rounds import previous_round

FULL = Decimal("100")


def task_status(task: Task, today: dt.date) -> str:
    if task.progress >= FULL:
        return TaskStatus.DONE
    if _late(task, today):
        return TaskStatus.LATE
    if task.reported_on is None:
        return TaskStatus.NOT_STARTED
    return TaskStatus.IN_PROGRESS


def _late(task: Task, today: dt.date) -> bool:
    if not task.standing:
        return task.due_on is not None and today > task.due_on
    last = previous_round(task.plan.rhythm, today)
    if last.start < task.plan.starts_on:
        return False
    return task.reported_on is None or task.reported_on < last.start


def _late_q(today: dt.date) -> Q:
    late = Q(standing=False, due_on__lt=today)
    for rhythm in Rhythm.values:
        last = previous_round(rhythm, today)
        late |= Q(standing=True, plan__rhythm=rhythm, plan__starts_on__lte=last.start) & (
            Q(reported_on__isnull=True) | Q(reported_on__lt=last.start)
        )
    return late


def status_q(status: str, today: dt.date) -> Q:
    """The tasks in `status` on `today`, as a filter."""
    done = Q(progress__gte=FULL)
    late = ~done & _late_q(today)
    if status == TaskStatus.DONE:
        return done
    if status == TaskStatus.LATE:
        return late
    open_ = ~done & ~_late_q(today)
    if status == TaskStatus.NOT_STARTED:
        return open_ & Q(reported_on__isnull=True)
    return open_ & Q(reported_on__isnull=False)


def on_time_q() -> Q:
    """Done by the deadline (or standing and done): what the 任务按期完成率 counts."""
    return Q(progress__gte=FULL) & (Q(due_on__isnull=True) | Q(completed_on__lte=F("due_on")))
