"""The demo's plan: a Tiexi-like task list of 24 tasks with units and deadlines, Jilin-like targets split to the
counties with parts that add up, progress with late and done tasks, findings and scored rankings."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from yigou.plans.enums import TaskStatus
from yigou.plans.models import Finding, Plan, Scheme, Target, Task
from yigou.plans.scoring import score
from yigou.plans.status import task_status

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo_output")]
END = dt.date(2018, 12, 31)


def test_the_plan_has_its_task_list_with_units_and_deadlines():
    plan = Plan.objects.get()
    tasks = list(Task.objects.filter(plan=plan).select_related("plan"))
    assert len(tasks) == 24
    assert all(t.lead_unit for t in tasks)
    assert sum(1 for t in tasks if t.standing) == 4
    assert Task.objects.filter(plan=plan, lead__isnull=False).exists()  # the demo unit leads one
    statuses = [task_status(t, END) for t in tasks]
    # late: 7 tasks past their deadline unfinished, and the standing 2.1, 19 and 22 that missed November's round
    assert {s: statuses.count(s) for s in TaskStatus.values} == {
        TaskStatus.NOT_STARTED: 1,
        TaskStatus.IN_PROGRESS: 2,
        TaskStatus.DONE: 11,
        TaskStatus.LATE: 10,
    }


def test_every_split_adds_up_and_the_ranking_is_scored():
    for parent in Target.objects.filter(parent__isnull=True):
        parts = list(Target.objects.filter(parent=parent))
        assert len(parts) == 6
        assert sum((p.value for p in parts), Decimal("0")) == parent.value
    ranking = score(Scheme.objects.get(subject_kind="region"), END)
    assert len(ranking.rows) == 6
    assert [r.rank for r in ranking.rows] == sorted(r.rank for r in ranking.rows)
    assert all(Decimal("0") <= r.total <= Decimal("120") for r in ranking.rows)
    assert sum(r.overdue for r in ranking.rows) == 2  # one closed late, one still open
    units = score(Scheme.objects.get(subject_kind="unit"), END)
    assert units.rows and units.rows[0].total >= units.rows[-1].total
    assert Finding.objects.count() == 3
