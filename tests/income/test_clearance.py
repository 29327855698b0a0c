"""风险消除: income above the line in each of the last `stable_months` months (the year's card per month), no open
三保障 gap, labour capacity; the same review steps, ending with MONITOR_ENDED on the status history."""

from __future__ import annotations

import pytest

from yigou.core.errors import DomainError
from yigou.income.clearance import NO_LABOUR_MESSAGE, assess, months_before
from yigou.income.enums import CaseStatus, Phase, StepKind
from yigou.income.models import MonitoringCase
from yigou.income.procedure import clearance_start, next_step
from yigou.income.services import security_check_record
from yigou.registry.enums import EventKind

from .cases_world import D, identify, step
from .conftest import card_of, register

pytestmark = pytest.mark.django_db


@pytest.fixture
def monitored(world):
    """A household of two in 永兴村, monitored from 2026-03-11, with 2025 below the line (7300) and 2026 above
    (7600): per capita 7000.00 and 8000.00."""
    household = register(world, "钱", 2)
    card_of(world, household, 2025, wage="14000.00")
    card_of(world, household, 2026, wage="16000.00")
    return identify(world, household)


def start(world, case, on):
    return clearance_start(actor=world.users["village"], case=case, date=on, note="收入稳定，三保障达标")


def test_the_window_of_stable_months():
    assert months_before(D(2026, 6, 10), 6) == [(2026, m) for m in range(1, 7)]
    assert months_before(D(2026, 5, 10), 6) == [(2025, 12), *[(2026, m) for m in range(1, 6)]]


def test_clearance_in_may_reaches_into_last_year_below_the_line_in_june_it_does_not(world, monitored):
    with pytest.raises(DomainError) as refused:
        start(world, monitored, D(2026, 5, 29))
    assert refused.value.message == (
        "不能风险消除：人均纯收入须连续 6 个月稳定高于监测线：2025年12月（2025年）人均纯收入 7000元，"
        "未高于监测线 7300元"
    )
    case = MonitoringCase.objects.get(pk=monitored.pk)
    assert (case.status, case.phase, case.steps.count()) == (CaseStatus.MONITORED, Phase.IDENTIFY, 6)
    start(world, monitored, D(2026, 6, 1))
    case.refresh_from_db()
    assert (case.status, case.phase, next_step(case)) == (
        CaseStatus.CLEARING,
        Phase.CLEAR,
        StepKind.TOWNSHIP_REVIEW,
    )


def test_income_exactly_at_the_line_is_not_above_it(world):
    household = register(world, "孙", 2)
    card_of(world, household, 2026, wage="15200.00")
    assert assess(household, D(2026, 6, 1)).reasons == [
        "人均纯收入须连续 6 个月稳定高于监测线：2026年1月至6月（2026年）人均纯收入 7600元，未高于监测线 7600元"
    ]
    card_of(world, household, 2026, wage="0.02")
    assert assess(household, D(2026, 6, 1)).ok


def test_the_stable_months_come_from_the_settings(world, monitored, settings):
    settings.YIGOU_MONITORING_RULES = {**settings.YIGOU_MONITORING_RULES, "stable_months": 4}
    assert assess(monitored.household, D(2026, 4, 30)).ok
    settings.YIGOU_MONITORING_RULES = {**settings.YIGOU_MONITORING_RULES, "stable_months": 5}
    assert not assess(monitored.household, D(2026, 4, 30)).ok


def test_a_year_without_a_card_is_not_stable(world):
    household = register(world, "周", 1)
    assert assess(household, D(2026, 6, 1)).reasons == [
        "人均纯收入须连续 6 个月稳定高于监测线：2026年无收入台账记录，无法判断2026年1月至6月收入是否稳定高于监测线"
    ]


def test_an_open_gap_refuses_clearance_until_a_later_check_passes(world, monitored):
    household = monitored.household
    security_check_record(
        actor=world.users["village"],
        household=household,
        year=2026,
        item="housing",
        ok=False,
        checked_on=D(2026, 4, 2),
        evidence="C级危房",
    )
    with pytest.raises(DomainError) as refused:
        start(world, monitored, D(2026, 6, 1))
    assert (
        refused.value.message
        == "不能风险消除：2026年三保障仍有未达标事项：住房安全有保障（鉴定）（2026-04-02 核查）"
    )
    assert MonitoringCase.objects.get(pk=monitored.pk).status == CaseStatus.MONITORED
    security_check_record(
        actor=world.users["village"],
        household=household,
        year=2026,
        item="housing",
        ok=True,
        checked_on=D(2026, 5, 20),
        evidence="改造完成，鉴定为A级",
    )
    start(world, monitored, D(2026, 6, 1))


def test_a_household_without_labour_capacity_stays_monitored(world, monitored):
    monitored.household.members.update(labour="lost")
    first = monitored.household.members.order_by("id").first()
    monitored.household.members.filter(pk=first.pk).update(labour="none")
    with pytest.raises(DomainError) as refused:
        start(world, monitored, D(2026, 6, 1))
    assert refused.value.message == NO_LABOUR_MESSAGE == "无劳动能力家庭纳入常态化监测，不予风险消除"
    assert refused.value.code == "clearance_refused"
    case = MonitoringCase.objects.get(pk=monitored.pk)
    assert case.status == CaseStatus.MONITORED
    case.household.refresh_from_db()
    assert case.household.monitor_type == "marginal"


def test_one_weak_member_is_labour_capacity(world, monitored):
    monitored.household.members.update(labour="lost")
    monitored.household.members.filter(pk=monitored.household.members.first().pk).update(labour="weak")
    assert assess(monitored.household, D(2026, 6, 1)).ok


def test_clearance_walks_the_review_steps_and_ends_the_monitoring(world, monitored):
    start(world, monitored, D(2026, 6, 1))
    with pytest.raises(DomainError, match="村级公示须满 5 天（2026-06-01 至 2026-06-05）"):
        step(world, monitored, StepKind.TOWNSHIP_REVIEW, D(2026, 6, 5))
    with pytest.raises(DomainError, match="风险消除程序须按顺序办理：下一步应为“乡镇审核”，不能办理“公告”"):
        step(world, monitored, StepKind.ANNOUNCEMENT, D(2026, 6, 8))
    step(world, monitored, StepKind.TOWNSHIP_REVIEW, D(2026, 6, 6))
    step(world, monitored, StepKind.COUNTY_APPROVAL, D(2026, 6, 8))
    step(world, monitored, StepKind.ANNOUNCEMENT, D(2026, 6, 9))
    case = MonitoringCase.objects.get(pk=monitored.pk)
    assert (case.status, case.ended_on, next_step(case)) == (CaseStatus.CLEARED, D(2026, 6, 9), None)
    household = case.household
    household.refresh_from_db()
    assert household.monitor_type == ""
    assert list(household.events.values_list("kind", "date")) == [
        (EventKind.MONITOR_STARTED, D(2026, 3, 11)),
        (EventKind.MONITOR_ENDED, D(2026, 6, 9)),
    ]


def test_a_refused_clearance_returns_to_monitoring_and_may_start_again(world, monitored):
    start(world, monitored, D(2026, 6, 1))
    step(world, monitored, StepKind.TOWNSHIP_REVIEW, D(2026, 6, 6), approved=False, note="务工收入尚不稳定")
    case = MonitoringCase.objects.get(pk=monitored.pk)
    assert case.status == CaseStatus.MONITORED
    with pytest.raises(DomainError, match="监测对象当前状态为“监测帮扶中”，不能办理“县级审批”"):
        step(world, case, StepKind.COUNTY_APPROVAL, D(2026, 6, 8))
    start(world, case, D(2026, 7, 1))
    assert next_step(MonitoringCase.objects.get(pk=case.pk)) == StepKind.TOWNSHIP_REVIEW


def test_clearance_is_refused_for_a_case_still_being_identified(world):
    from .cases_world import open_case

    case = open_case(world, register(world, "吴", 1))
    with pytest.raises(DomainError, match="监测对象当前状态为“识别中”，不能启动风险消除"):
        start(world, case, D(2026, 6, 1))
