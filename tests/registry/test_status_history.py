import datetime as dt

import pytest

from yigou.core.errors import DomainError
from yigou.core.models import AuditEntry
from yigou.registry import services
from yigou.registry.enums import EventKind, HouseholdStatus, IdentificationStepKind, MonitorType
from yigou.registry.models import Household, IdentificationStep, StatusEvent
from yigou.registry.status import State, derive, status_on

S = HouseholdStatus


def record(world, key, kind, date, **kw):
    return services.household_record_event(
        actor=world.users["chuanshan"], household=world.households[key], kind=kind, date=date, **kw
    )


def test_exit_then_lookback_removal_then_readdition_derives_each_status(world):
    zhang = world.households["zhang"]
    record(
        world, "zhang", EventKind.EXITED, dt.date(2018, 12, 1), reason="人均纯收入4200元，两不愁三保障达标"
    )
    zhang.refresh_from_db()
    assert zhang.status == S.EXITED
    record(
        world, "zhang", EventKind.LOOKBACK_REMOVED, dt.date(2019, 3, 1), reason="回头看：家庭有商品房，错评"
    )
    zhang.refresh_from_db()
    assert zhang.status == S.REMOVED
    record(world, "zhang", EventKind.LOOKBACK_ADDED, dt.date(2019, 6, 1), reason="复核：商品房已出售用于治病")
    zhang.refresh_from_db()
    assert zhang.status == S.POOR
    assert list(zhang.events.values_list("kind", flat=True)) == [
        "identified",
        "exited",
        "lookback_removed",
        "lookback_added",
    ]


def test_status_on_a_date_reads_the_history_as_it_stood(world):
    record(world, "zhang", EventKind.EXITED, dt.date(2018, 12, 1), reason="达标")
    events = list(world.households["zhang"].events.all())
    assert status_on(events, dt.date(2014, 9, 30)).status == S.NON_POOR
    assert status_on(events, dt.date(2018, 11, 30)).status == S.POOR
    assert status_on(events, dt.date(2018, 12, 1)).status == S.EXITED


def test_monitoring_overlays_the_status_and_ends(world):
    record(world, "zhang", EventKind.EXITED, dt.date(2019, 12, 1), reason="达标")
    record(
        world,
        "zhang",
        EventKind.MONITOR_STARTED,
        dt.date(2021, 5, 1),
        monitor_type=MonitorType.UNSTABLE,
        reason="因病支出骤增",
    )
    zhang = Household.objects.get(pk=world.households["zhang"].pk)
    assert (zhang.status, zhang.monitor_type) == (S.EXITED, MonitorType.UNSTABLE)
    record(world, "zhang", EventKind.MONITOR_ENDED, dt.date(2022, 5, 1), reason="风险消除")
    zhang.refresh_from_db()
    assert (zhang.status, zhang.monitor_type) == (S.EXITED, "")


def test_refuses_exit_of_a_household_that_is_not_poor_and_writes_nothing(world):
    before = (StatusEvent.objects.count(), AuditEntry.objects.count())
    with pytest.raises(DomainError) as err:
        record(world, "wang", EventKind.EXITED, dt.date(2018, 12, 1), reason="达标")
    assert err.value.message == "当前状态为“一般农户”，不能执行“脱贫退出”。"
    assert (StatusEvent.objects.count(), AuditEntry.objects.count()) == before
    assert Household.objects.get(pk=world.households["wang"].pk).status == S.NON_POOR


def test_refuses_an_event_dated_before_the_last_one(world):
    with pytest.raises(DomainError) as err:
        record(world, "zhang", EventKind.EXITED, dt.date(2013, 1, 1), reason="达标")
    assert err.value.code == "event_date_out_of_order"
    assert world.households["zhang"].events.count() == 1


def test_exit_requires_a_reason(world):
    with pytest.raises(DomainError) as err:
        record(world, "zhang", EventKind.EXITED, dt.date(2018, 12, 1))
    assert err.value.message == "输入有误：“脱贫退出”必须填写原因"


def test_history_rows_cannot_be_edited(world):
    event = world.households["zhang"].events.get()
    event.reason = "篡改"
    with pytest.raises(DomainError):
        event.save()


def test_full_identification_procedure_in_order_makes_the_household_poor(world):
    actor = world.users["chuanshan"]
    wang = world.households["wang"]
    steps = list(IdentificationStepKind)
    for offset, step in enumerate(steps):
        services.identification_record_step(
            actor=actor,
            household=wang,
            step=step,
            date=dt.date(2015, 9, 1) + dt.timedelta(days=7 * offset),
            note=f"{step.label}完成",
        )
        wang.refresh_from_db()
        expected = S.POOR if step == IdentificationStepKind.ANNOUNCEMENT else S.IDENTIFYING
        assert wang.status == expected
    event = wang.events.get()
    assert (event.kind, event.date, event.source) == ("identified", dt.date(2015, 10, 13), "procedure")


def test_identification_steps_out_of_order_are_refused(world):
    actor, wang = world.users["chuanshan"], world.households["wang"]
    services.identification_record_step(
        actor=actor, household=wang, step=IdentificationStepKind.APPLICATION, date=dt.date(2015, 9, 1)
    )
    with pytest.raises(DomainError) as err:
        services.identification_record_step(
            actor=actor, household=wang, step=IdentificationStepKind.TOWNSHIP_REVIEW, date=dt.date(2015, 9, 8)
        )
    assert err.value.message == "识别程序须按顺序进行：下一步应为“村民代表大会评议”，不能记录“乡镇审核”。"
    assert IdentificationStep.objects.filter(household=wang).count() == 1


def test_derive_rejects_an_impossible_history():
    class E:
        def __init__(self, kind, date):
            self.kind, self.date, self.monitor_type = kind, date, ""

    assert derive([E("identified", dt.date(2014, 1, 1))]) == State(S.POOR, "")
    with pytest.raises(DomainError):
        derive([E("returned", dt.date(2014, 1, 1))])
