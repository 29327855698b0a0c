"""The task ledger's status rules at their edges, in Python and as the list filter (they must agree)."""

import datetime as dt
from decimal import Decimal

import pytest

from tests.plans.example import make_plan
from yigou.core.errors import DomainError, NotFoundError
from yigou.plans import services
from yigou.plans.enums import TaskStatus
from yigou.plans.models import Task, TaskReport
from yigou.plans.status import status_q, task_status

D = dt.date


@pytest.fixture
def plan(world):
    return make_plan(world)


def add(world, plan, number, due=None, standing=False):
    return services.task_add(
        actor=world.users["city"],
        plan=plan,
        data=services.TaskInput(
            number, f"任务{number}", "市商务局", ["市财政局"], due_on=due, standing=standing
        ),
    )


def status(task, day):
    task = Task.objects.select_related("plan").get(pk=task.pk)
    python = task_status(task, day)
    matching = [s for s in TaskStatus.values if Task.objects.filter(status_q(s, day), pk=task.pk).exists()]
    assert matching == [python]
    return python


def report(world, task, day, progress):
    return services.task_report(
        actor=world.users["city"], task=task, reported_on=day, progress=progress, text="推进"
    )


def test_a_deadline_task_is_late_the_day_after_its_deadline(world, plan):
    task = add(world, plan, "1", due=D(2018, 6, 30))
    assert status(task, D(2018, 6, 30)) == TaskStatus.NOT_STARTED
    report(world, task, D(2018, 6, 1), "0")
    assert status(task, D(2018, 6, 30)) == TaskStatus.IN_PROGRESS
    assert status(task, D(2018, 7, 1)) == TaskStatus.LATE
    report(world, task, D(2018, 7, 2), "99.99")
    assert status(task, D(2018, 7, 2)) == TaskStatus.LATE
    report(world, task, D(2018, 7, 3), "100")
    assert status(task, D(2018, 7, 3)) == TaskStatus.DONE
    assert Task.objects.get(pk=task.pk).completed_on == D(2018, 7, 3)


def test_a_standing_task_is_late_when_the_last_full_round_passed_without_a_report(world, plan):
    task = add(world, plan, "2", standing=True)
    assert status(task, D(2018, 1, 31)) == TaskStatus.NOT_STARTED  # December was before the plan
    assert status(task, D(2018, 2, 1)) == TaskStatus.LATE  # January passed without a report
    report(world, task, D(2018, 1, 31), "10")
    assert status(task, D(2018, 2, 28)) == TaskStatus.IN_PROGRESS
    assert status(task, D(2018, 3, 1)) == TaskStatus.LATE  # February had no report
    report(world, task, D(2018, 2, 1), "20")
    assert status(task, D(2018, 3, 1)) == TaskStatus.IN_PROGRESS


def test_progress_never_goes_back_and_bad_reports_change_nothing(world, plan):
    task = add(world, plan, "3", due=D(2018, 6, 30))
    report(world, task, D(2018, 3, 1), "40")
    for kwargs, message in (
        ({"reported_on": D(2018, 3, 2), "progress": "39"}, "进度只能保持或增加"),
        ({"reported_on": D(2018, 2, 28), "progress": "50"}, "早于最近一次报送"),
        ({"reported_on": D(2018, 3, 2), "progress": "101"}, "0 到 100"),
        ({"reported_on": dt.date.today() + dt.timedelta(days=1), "progress": "50"}, "晚于今天"),
    ):
        with pytest.raises(DomainError) as exc:
            services.task_report(actor=world.users["city"], task=task, text="x", **kwargs)
        assert message in exc.value.message
    assert TaskReport.objects.count() == 1
    assert Task.objects.get(pk=task.pk).progress == Decimal("40.00")


def test_only_the_plans_region_or_its_lead_unit_reports(world, plan):
    task = add(world, plan, "4", due=D(2018, 6, 30))
    with pytest.raises(NotFoundError):  # a unit that does not lead it does not see it
        services.task_report(
            actor=world.users["unit"], task=task, reported_on=D(2018, 3, 1), progress="5", text="x"
        )
    led = services.task_add(
        actor=world.users["city"],
        plan=plan,
        data=services.TaskInput("5", "食堂采购", "遂宁市财政局", due_on=D(2018, 6, 30)),
    )
    services.task_report(
        actor=world.users["unit"], task=led, reported_on=D(2018, 3, 1), progress="5", text="x"
    )
    assert Task.objects.get(pk=led.pk).progress == Decimal("5.00")
    with pytest.raises(NotFoundError):
        services.task_report(
            actor=world.users["anju"], task=led, reported_on=D(2018, 3, 2), progress="6", text="x"
        )


def test_task_numbers_are_checked(world, plan):
    add(world, plan, "1", due=D(2018, 6, 30))
    for number, message in (("1", "已存在"), ("2.1", "上级任务 2 不存在"), ("一", "序号“一”无效")):
        with pytest.raises(DomainError) as exc:
            add(world, plan, number, due=D(2018, 6, 30))
        assert message in exc.value.message
    sub = add(world, plan, "1.1", due=D(2018, 5, 31))
    assert sub.parent.number == "1"
