"""Help measures with a responsible cadre, deadline and follow-up visits; overdue at its edge; a cadre's list of
paired households with open risks and the next visit due; the dashboard by group, risk type and region."""

from __future__ import annotations

from decimal import Decimal

import pytest

from yigou.core.errors import DomainError, NotFoundError
from yigou.income.measures import follow_up_record, measure_add, measure_close
from yigou.income.models import Measure
from yigou.income.selectors import cadre_households, is_overdue, monitoring_dashboard, next_visit_due

from .cases_world import D, identify, open_case
from .conftest import register

pytestmark = pytest.mark.django_db


def add(
    world,
    case,
    *,
    kind="medical",
    start=None,
    deadline=None,
    cadre="sun",
    actor="village",
):
    return measure_add(
        actor=world.users[actor],
        case=case,
        kind=kind,
        description="落实大病保险和医疗救助",
        cadre=world.cadres[cadre],
        started_on=start or D(2026, 3, 12),
        deadline=deadline or D(2026, 6, 30),
    )


def test_a_measure_is_overdue_the_day_after_its_deadline(world):
    case = identify(world, world.households["zhang"])
    measure = add(world, case)
    assert not is_overdue(measure, D(2026, 6, 30))
    assert is_overdue(measure, D(2026, 7, 1))
    measure_close(
        actor=world.users["village"],
        measure=measure,
        status="done",
        closed_on=D(2026, 6, 20),
        result="报销到位",
    )
    assert not is_overdue(Measure.objects.get(pk=measure.pk), D(2026, 7, 1))


def test_follow_ups_set_the_next_visit_due(world):
    case = identify(world, world.households["zhang"])
    measure = add(world, case)
    assert next_visit_due(measure) == D(2026, 6, 30)
    follow_up_record(
        actor=world.users["village"],
        measure=measure,
        date=D(2026, 4, 1),
        note="已申请医疗救助",
        next_due=D(2026, 5, 1),
    )
    assert next_visit_due(Measure.objects.get(pk=measure.pk)) == D(2026, 5, 1)
    with pytest.raises(DomainError, match="下次走访日期须晚于本次走访日期"):
        follow_up_record(
            actor=world.users["village"],
            measure=measure,
            date=D(2026, 4, 2),
            note="再访",
            next_due=D(2026, 4, 2),
        )
    assert measure.follow_ups.count() == 1


def test_measure_input_is_checked(world):
    case = identify(world, world.households["zhang"])
    with pytest.raises(DomainError, match="完成期限须不早于开始日期"):
        add(world, case, deadline=D(2026, 3, 1))
    with pytest.raises(DomainError, match="开始日期 2026-03-01 早于发现日期 2026-03-02"):
        add(world, case, start=D(2026, 3, 1))
    with pytest.raises(DomainError, match="措施类型“loan”不在可选范围内"):
        add(world, case, kind="loan")
    assert not Measure.objects.exists()


def test_a_closed_measure_takes_no_more_visits(world):
    measure = add(world, identify(world, world.households["zhang"]))
    measure_close(
        actor=world.users["village"],
        measure=measure,
        status="cancelled",
        closed_on=D(2026, 4, 1),
        result="已纳入低保",
    )
    with pytest.raises(DomainError, match="该措施当前为“已取消”，不能再办理"):
        follow_up_record(actor=world.users["village"], measure=measure, date=D(2026, 4, 2), note="回访")


def test_another_county_cannot_add_or_see_measures(world):
    case = identify(world, world.households["zhang"])
    with pytest.raises(NotFoundError):
        add(world, case, actor="anju")
    assert monitoring_dashboard(world.users["anju"]).open_cases == 0


def test_a_cadres_paired_households_with_open_risks(world):
    case = identify(world, world.households["zhang"])  # 孙红 is paired with 张德明户
    first = add(world, case, deadline=D(2026, 4, 30))
    add(world, case, kind="employment", deadline=D(2026, 9, 30))
    follow_up_record(
        actor=world.users["village"],
        measure=first,
        date=D(2026, 4, 1),
        note="已申请",
        next_due=D(2026, 4, 15),
    )
    rows = cadre_households(world.users["village"], world.cadres["sun"], today=D(2026, 5, 1))
    assert [(r.household, r.open_measures, r.overdue_measures, r.next_visit_due) for r in rows] == [
        (world.households["zhang"], 2, 1, D(2026, 4, 15))
    ]
    assert cadre_households(world.users["village"], world.cadres["chen"], today=D(2026, 5, 1)) == []
    assert cadre_households(world.users["anju"], world.cadres["sun"], today=D(2026, 5, 1)) == []


def test_the_dashboard_by_group_risk_and_region(world):
    zhang = identify(world, world.households["zhang"], group="unstable", risks=("illness", "schooling"))
    add(
        world, zhang, start=D(2026, 3, 12), deadline=D(2026, 4, 30)
    )  # 10 days after discovery, overdue on 5 May
    other = open_case(
        world,
        register(world, "冯", 2, village="510903102001"),
        on=D(2026, 3, 1),
        risks=("disaster",),
        actor="chuanshan",
    )
    measure_add(
        actor=world.users["chuanshan"], case=other, kind="housing", description="危房改造",
        cadre=world.cadres["sun"], started_on=D(2026, 3, 21), deadline=D(2026, 12, 31),
    )  # fmt: skip
    open_case(
        world,
        register(world, "褚", 1, village="510903101002"),
        on=D(2026, 3, 5),
        risks=("illness",),
        actor="chuanshan",
    )
    board = monitoring_dashboard(world.users["chuanshan"], today=D(2026, 5, 5))
    assert board.region.code == "510903000000"
    assert board.open_cases == 3
    assert [(t.code, t.count) for t in board.by_group] == [("unstable", 1), ("marginal", 2), ("sudden", 0)]
    assert {t.code: t.count for t in board.by_risk if t.count} == {
        "illness": 2,
        "schooling": 1,
        "disaster": 1,
    }
    assert [(t.label, t.count) for t in board.by_region] == [("永兴镇", 2), ("老池镇", 1)]
    assert [(t.code, t.count) for t in board.by_status if t.count] == [("identifying", 2), ("monitored", 1)]
    assert board.overdue_measures == 1
    assert board.median_days_to_first_measure == Decimal("15")  # median of 10 and 20 days
    township = monitoring_dashboard(world.users["chuanshan"], region_code="510903101000", today=D(2026, 5, 5))
    assert [(t.label, t.count) for t in township.by_region] == [("永兴村", 1), ("石佛村", 1)]
    assert township.median_days_to_first_measure == Decimal("10")
