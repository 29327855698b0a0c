"""The identification procedure of a monitoring case: the steps in order (each out-of-order move refused in Chinese,
changing nothing), the signed consent at the home check, the 公示 of 5 days (day 4 refused, day 5 passed), who may do
each step, a refusal (不予纳入), and the announcement recorded on the household's status history."""

from __future__ import annotations

import datetime as dt

import pytest

from yigou.core.errors import DomainError, NotFoundError, PermissionDeniedError
from yigou.core.models import AuditEntry
from yigou.income.enums import CaseStatus, StepKind
from yigou.income.models import CaseStep, MonitoringCase, StepFile
from yigou.income.procedure import next_step
from yigou.registry.enums import EventKind

from .cases_world import D, identify, open_case, step

pytestmark = pytest.mark.django_db


def unchanged(case):
    """The case's status and steps as stored, to compare before and after a refusal."""
    fresh = MonitoringCase.objects.get(pk=case.pk)
    return fresh.status, fresh.phase, list(fresh.steps.values_list("step", "date", "approved"))


def test_a_case_walks_to_its_announcement_and_the_household_becomes_monitored(world):
    zhang = world.households["zhang"]
    case = identify(world, zhang, group="unstable", risks=("illness", "schooling"))
    assert case.status == CaseStatus.MONITORED
    assert case.started_on == D(2026, 3, 11)
    assert list(case.steps.values_list("step", "date")) == [
        ("flag", D(2026, 3, 2)),
        ("home_check", D(2026, 3, 3)),
        ("village_review", D(2026, 3, 4)),
        ("township_review", D(2026, 3, 9)),
        ("county_approval", D(2026, 3, 10)),
        ("announcement", D(2026, 3, 11)),
    ]
    assert case.steps.get(step="village_review").notice_until == D(2026, 3, 8)
    zhang.refresh_from_db()
    assert zhang.monitor_type == "unstable"
    assert zhang.status == "poor"
    event = zhang.events.order_by("-id").first()
    assert (event.kind, event.date, event.monitor_type, event.source) == (
        EventKind.MONITOR_STARTED,
        D(2026, 3, 11),
        "unstable",
        "procedure",
    )
    assert event.reason == "防止返贫监测：纳入脱贫不稳定户（因病、因学）"
    assert next_step(case) is None
    actions = set(AuditEntry.objects.filter(target_id=str(case.pk)).values_list("action", flat=True))
    assert {
        "monitoring.case_open",
        "monitoring.identify.home_check",
        "monitoring.identify.announcement",
    } <= actions


def test_the_township_review_is_refused_on_day_4_of_the_notice_and_passes_on_day_5(world):
    case = open_case(world, world.households["zhang"])
    step(world, case, StepKind.HOME_CHECK, D(2026, 3, 3))
    step(world, case, StepKind.VILLAGE_REVIEW, D(2026, 3, 4))
    before = unchanged(case)
    with pytest.raises(DomainError) as refused:
        step(world, case, StepKind.TOWNSHIP_REVIEW, D(2026, 3, 8))
    assert refused.value.message == (
        "输入有误：村级公示须满 5 天（2026-03-04 至 2026-03-08），公示期满前不能办理乡镇审核，最早 2026-03-09"
    )
    assert unchanged(case) == before
    step(world, case, StepKind.TOWNSHIP_REVIEW, D(2026, 3, 9))
    assert next_step(MonitoringCase.objects.get(pk=case.pk)) == StepKind.COUNTY_APPROVAL


def test_the_notice_days_come_from_the_settings(world, settings):
    settings.YIGOU_MONITORING_RULES = {**settings.YIGOU_MONITORING_RULES, "notice_days": 7}
    case = open_case(world, world.households["zhang"])
    step(world, case, StepKind.HOME_CHECK, D(2026, 3, 3))
    step(world, case, StepKind.VILLAGE_REVIEW, D(2026, 3, 4))
    with pytest.raises(DomainError, match="村级公示须满 7 天（2026-03-04 至 2026-03-10）"):
        step(world, case, StepKind.TOWNSHIP_REVIEW, D(2026, 3, 10))
    step(world, case, StepKind.TOWNSHIP_REVIEW, D(2026, 3, 11))


@pytest.mark.parametrize(
    ("done", "attempt", "expected"),
    [
        ([], StepKind.VILLAGE_REVIEW, "入户核查"),
        ([], StepKind.ANNOUNCEMENT, "入户核查"),
        ([StepKind.HOME_CHECK], StepKind.TOWNSHIP_REVIEW, "村级民主评议并公示"),
        ([StepKind.HOME_CHECK], StepKind.HOME_CHECK, "村级民主评议并公示"),
        ([StepKind.HOME_CHECK, StepKind.VILLAGE_REVIEW], StepKind.COUNTY_APPROVAL, "乡镇审核"),
    ],
)
def test_each_out_of_order_step_is_refused_in_chinese_and_changes_nothing(world, done, attempt, expected):
    case = open_case(world, world.households["zhang"])
    for n, kind in enumerate(done):
        step(world, case, kind, D(2026, 3, 3 + n))
    before = unchanged(case)
    audits = AuditEntry.objects.count()
    with pytest.raises(DomainError) as refused:
        step(world, case, attempt, D(2026, 3, 20))
    assert refused.value.message == (
        f"输入有误：识别纳入程序须按顺序办理：下一步应为“{expected}”，不能办理“{StepKind(attempt).label}”"
    )
    assert unchanged(case) == before
    assert AuditEntry.objects.count() == audits


def test_the_home_check_needs_the_signed_consent(world):
    case = open_case(world, world.households["zhang"])
    with pytest.raises(DomainError, match="入户核查须上传农户签字的授权承诺书等佐证材料"):
        step(world, case, StepKind.HOME_CHECK, D(2026, 3, 3), files=[])
    assert not CaseStep.objects.filter(case=case, step="home_check").exists()
    step(world, case, StepKind.HOME_CHECK, D(2026, 3, 3))
    assert list(StepFile.objects.filter(step__case=case).values_list("name", flat=True)) == ["授权承诺书.pdf"]


def test_a_step_dated_before_the_last_one_or_in_the_future_is_refused(world):
    case = open_case(world, world.households["zhang"])
    with pytest.raises(
        DomainError, match="办理日期 2026-03-01 早于上一步骤“发现登记（申请/预警）”的日期 2026-03-02"
    ):
        step(world, case, StepKind.HOME_CHECK, D(2026, 3, 1))
    with pytest.raises(DomainError, match="晚于今天"):
        step(world, case, StepKind.HOME_CHECK, dt.date.today() + dt.timedelta(days=1))
    assert unchanged(case)[2] == [("flag", D(2026, 3, 2), True)]


@pytest.mark.parametrize(
    ("kind", "wrong", "who"),
    [
        (StepKind.HOME_CHECK, "yongxing", "村级工作人员"),
        (StepKind.HOME_CHECK, "chuanshan", "村级工作人员"),
    ],
)
def test_a_step_by_the_wrong_level_is_refused(world, kind, wrong, who):
    case = open_case(world, world.households["zhang"])
    with pytest.raises(PermissionDeniedError) as refused:
        step(world, case, kind, D(2026, 3, 3), actor=wrong)
    assert refused.value.message == f"“入户核查”须由{who}办理，本账号不能办理此步骤"


def test_the_township_and_county_steps_need_their_offices(world):
    case = open_case(world, world.households["zhang"])
    step(world, case, StepKind.HOME_CHECK, D(2026, 3, 3))
    step(world, case, StepKind.VILLAGE_REVIEW, D(2026, 3, 4))
    with pytest.raises(PermissionDeniedError, match="“乡镇审核”须由乡镇扶贫部门办理"):
        step(world, case, StepKind.TOWNSHIP_REVIEW, D(2026, 3, 9), actor="chuanshan")
    with pytest.raises(PermissionDeniedError, match="“乡镇审核”须由乡镇扶贫部门办理"):
        step(world, case, StepKind.TOWNSHIP_REVIEW, D(2026, 3, 9), actor="village")
    step(world, case, StepKind.TOWNSHIP_REVIEW, D(2026, 3, 9))
    with pytest.raises(PermissionDeniedError, match="“县级审批”须由县级扶贫部门办理"):
        step(world, case, StepKind.COUNTY_APPROVAL, D(2026, 3, 10), actor="yongxing")
    step(world, case, StepKind.COUNTY_APPROVAL, D(2026, 3, 10))
    with pytest.raises(PermissionDeniedError, match="“公告”须由县级扶贫部门办理"):
        step(world, case, StepKind.ANNOUNCEMENT, D(2026, 3, 11), actor="city")
    world.households["zhang"].refresh_from_db()
    assert world.households["zhang"].monitor_type == ""


def test_another_county_can_neither_see_nor_act_on_a_case(world):
    case = open_case(world, world.households["zhang"])
    with pytest.raises(NotFoundError):
        step(world, case, StepKind.HOME_CHECK, D(2026, 3, 3), actor="anju")
    from yigou.income.selectors import monitoring_case, monitoring_cases

    assert list(monitoring_cases(world.users["anju"])) == []
    with pytest.raises(NotFoundError):
        monitoring_case(world.users["anju"], case.pk)
    assert monitoring_case(world.users["city"], case.pk) == case
    with pytest.raises(PermissionDeniedError):
        monitoring_case(world.users["unit"], case.pk)


def test_a_refusal_at_the_township_review_ends_the_case_with_its_reason(world):
    case = open_case(world, world.households["zhang"])
    step(world, case, StepKind.HOME_CHECK, D(2026, 3, 3))
    step(world, case, StepKind.VILLAGE_REVIEW, D(2026, 3, 4))
    with pytest.raises(DomainError, match="不予通过须写明理由"):
        step(world, case, StepKind.TOWNSHIP_REVIEW, D(2026, 3, 9), approved=False)
    step(
        world,
        case,
        StepKind.TOWNSHIP_REVIEW,
        D(2026, 3, 9),
        approved=False,
        note="家庭收入稳定，已有商业保险报销",
    )
    case.refresh_from_db()
    assert (case.status, case.end_reason) == (CaseStatus.REJECTED, "家庭收入稳定，已有商业保险报销")
    with pytest.raises(DomainError, match="监测对象当前状态为“不予纳入”，不能办理“县级审批”"):
        step(world, case, StepKind.COUNTY_APPROVAL, D(2026, 3, 10))
    # a rejected case is closed: the household may be flagged again
    again = open_case(world, world.households["zhang"], on=D(2026, 4, 1))
    assert again.status == CaseStatus.IDENTIFYING


def test_the_home_check_cannot_be_refused(world):
    case = open_case(world, world.households["zhang"])
    with pytest.raises(DomainError, match="“入户核查”不是评议审核步骤"):
        step(world, case, StepKind.HOME_CHECK, D(2026, 3, 3), approved=False, note="不符合")
