"""Reminders before deadlines and round ends, in the app and through the message backend, each sent once."""

import datetime as dt

import pytest
from django.core.management import call_command

from tests.plans.example import make_plan
from yigou.notices.backends import get_backend
from yigou.notices.models import Notice
from yigou.notices.services import contact_set
from yigou.plans import services, supervision
from yigou.plans.reminders import remind
from yigou.plans.tasks import remind_today

D = dt.date


@pytest.fixture
def plan(world):
    return make_plan(world)


def test_reminders_before_the_deadline_and_the_round_end_go_out_once(
    world, plan, settings, django_capture_on_commit_callbacks
):
    settings.YIGOU_PLAN_REMIND_DAYS = 3
    services.task_add(
        actor=world.users["city"],
        plan=plan,
        data=services.TaskInput("1", "建立消费扶贫台账", "遂宁市财政局", due_on=D(2018, 5, 31)),
    )
    contact_set(actor=world.users["unit"], user=world.users["unit"], phone="13912345678")
    get_backend().outbox.clear()
    assert remind(D(2018, 5, 27)).total == 0  # 4 days before: nothing yet
    with django_capture_on_commit_callbacks(execute=True):
        sent = remind(D(2018, 5, 28))
    assert (sent.due, sent.round) == (1, 1)
    titles = sorted(Notice.objects.filter(recipient=world.users["unit"]).values_list("title", flat=True))
    assert titles == ["任务“1”将于05月31日到期", "请报送任务“1”2018年5月进展"]
    assert Notice.objects.filter(recipient=world.users["city"]).count() == 2  # the plan's own office
    assert len(get_backend().outbox) == 2  # the unit account has a phone on file
    assert remind(D(2018, 5, 29)).total == 0


def test_a_rectification_deadline_is_reminded_to_the_region_checked(world, plan, settings):
    supervision.finding_create(
        actor=world.users["city"],
        plan=plan,
        region=world.region("510903000000"),
        problem="台账不全",
        found_on=D(2018, 6, 1),
        rectify_by=D(2018, 6, 30),
    )
    assert remind(D(2018, 6, 27)).rectify == 1
    chuanshan = list(
        Notice.objects.filter(recipient=world.users["chuanshan"]).values_list("title", flat=True)
    )
    assert chuanshan == ["督查问题整改将于06月30日到期", "督查发现问题，请于2018年06月30日前整改"]
    assert not Notice.objects.filter(recipient=world.users["anju"]).exists()


def test_the_command_and_the_beat_task_run_the_same_scan(world, plan, capsys):
    call_command("plans", "remind", "--date", "2018-05-28")
    assert "已发送提醒 0 条" in capsys.readouterr().out
    assert remind_today() == 0
