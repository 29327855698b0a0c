"""Reminders of the dispatch (调度提醒): before a task's deadline, before a round ends without the task's report,
and before a finding's rectification deadline — in the app and through the message backend (notices.notify).

Each reminder is sent once: its key names the task or finding and the deadline or round, so running the scan twice
on a day (the Celery beat entry, `yigou plans remind`) sends nothing new.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, transaction

from yigou.accounts.models import User
from yigou.notices.services import notify

from .enums import FindingStatus, ReminderKind
from .models import Finding, Reminder, Task
from .rounds import round_of
from .status import FULL
from .supervision import office_users


@dataclass
class Sent:
    due: int = 0
    round: int = 0
    rectify: int = 0

    @property
    def total(self) -> int:
        return self.due + self.round + self.rectify


def _task_people(task: Task) -> list[User]:
    unit_users: list[User] = []
    if task.lead_id is not None:
        unit_users = list(
            User.objects.filter(is_active=True, organisation__unit_id=task.lead_id).order_by("pk")
        )
    return unit_users + office_users(task.plan.region_id)


def _send(kind: str, key: str, plan_id: int, day: dt.date, people: list[User], **notice: str) -> bool:
    """Record the reminder's key first: a key already there means it was sent, and nothing goes out."""
    try:
        with transaction.atomic():
            reminder = Reminder.objects.create(plan_id=plan_id, kind=kind, key=key[:80], sent_on=day)
            reminder.recipients = len(notify(people, kind=f"plan_{kind}", **notice))
            reminder.save(update_fields=["recipients"])
    except IntegrityError:
        return False
    return True


def _open_tasks() -> list[Task]:
    rows = Task.objects.filter(progress__lt=FULL).select_related("plan", "plan__region")
    return list(rows.order_by("plan_id", "sort_key"))


def remind(day: dt.date | None = None) -> Sent:
    day = day or dt.date.today()
    window = dt.timedelta(days=settings.YIGOU_PLAN_REMIND_DAYS)
    sent = Sent()
    for task in _open_tasks():
        plan = task.plan
        if not plan.starts_on <= day <= plan.ends_on:
            continue
        link = f"/plans/tasks/{task.pk}/"
        if task.due_on is not None and day <= task.due_on <= day + window:
            sent.due += _send(
                ReminderKind.DUE,
                f"due:{task.pk}:{task.due_on}",
                plan.pk,
                day,
                _task_people(task),
                title=f"任务“{task.number}”将于{task.due_on:%m月%d日}到期",
                body=f"{plan.title}：{task.title[:80]}（当前进度 {task.progress}%）",
                link=link,
                region_code=plan.region_id,
            )
        current = round_of(plan.rhythm, day)
        reported = task.reported_on is not None and task.reported_on >= current.start
        if not reported and current.end <= day + window:
            sent.round += _send(
                ReminderKind.ROUND,
                f"round:{task.pk}:{current.start}",
                plan.pk,
                day,
                _task_people(task),
                title=f"请报送任务“{task.number}”{current.label}进展",
                body=f"{plan.title}：{task.title[:80]}。本轮截至{current.end:%m月%d日}。",
                link=link,
                region_code=plan.region_id,
            )
    sent.rectify = _remind_findings(day, window)
    return sent


def _remind_findings(day: dt.date, window: dt.timedelta) -> int:
    count = 0
    rows = Finding.objects.filter(
        status=FindingStatus.OPEN, rectify_by__gte=day, rectify_by__lte=day + window
    )
    for finding in rows.select_related("region").order_by("pk"):
        count += _send(
            ReminderKind.RECTIFY,
            f"rectify:{finding.pk}:{finding.rectify_by}",
            finding.plan_id,
            day,
            office_users(finding.region_id),
            title=f"督查问题整改将于{finding.rectify_by:%m月%d日}到期",
            body=finding.problem[:200],
            link=f"/plans/findings/{finding.pk}/",
            region_code=finding.region_id,
        )
    return count
