"""Splitting a target (分解下达): the parts must add up exactly; every refusal writes nothing."""

import datetime as dt
from decimal import Decimal

import pytest

from tests.plans.example import make_plan
from yigou.core.errors import DomainError, NotFoundError, PermissionDeniedError
from yigou.core.models import AuditEntry
from yigou.plans import targets
from yigou.plans.enums import Indicator
from yigou.plans.models import Target, TargetReport
from yigou.plans.targets import PartInput, TargetInput


@pytest.fixture
def plan(world):
    return make_plan(world)


def city_target(world, plan, indicator=Indicator.REPORTED, value="1130"):
    return targets.target_create(
        actor=world.users["city"],
        plan=plan,
        region=world.region("510900000000"),
        data=TargetInput("村级综合服务社", indicator, "家", value),
    )


def refused(world, target, parts, actor="city"):
    before = (Target.objects.count(), AuditEntry.objects.count())
    with pytest.raises(DomainError) as exc:
        targets.target_split(actor=world.users[actor], target=target, parts=parts)
    assert (Target.objects.count(), AuditEntry.objects.count()) == before
    return exc.value


def test_a_split_that_adds_up_gives_each_part_its_value(world, plan):
    t = city_target(world, plan)
    parts = targets.target_split(
        actor=world.users["city"],
        target=t,
        parts=[
            PartInput(world.region("510903000000"), "600.50"),
            PartInput(world.region("510904000000"), "529.50"),
        ],
    )
    assert [(p.region_id, p.value, p.parent_id) for p in parts] == [
        ("510903000000", Decimal("600.50"), t.pk),
        ("510904000000", Decimal("529.50"), t.pk),
    ]
    # the county splits its share further, to a township and to a unit of its own
    sub = targets.target_split(
        actor=world.users["chuanshan"],
        target=parts[0],
        parts=[
            PartInput(world.region("510903101000"), "500"),
            PartInput(world.region("510903000000"), "100.50", "区供销社"),
        ],
    )
    assert [p.value for p in sub] == [Decimal("500.00"), Decimal("100.50")]


def test_a_split_one_fen_short_is_refused_with_the_difference(world, plan):
    t = city_target(world, plan)
    exc = refused(
        world,
        t,
        [PartInput(world.region("510903000000"), "600"), PartInput(world.region("510904000000"), "529.99")],
    )
    assert exc.message == "分解合计 1129.99 不等于目标值 1130.00（相差 -0.01），未分解。"


def test_a_split_above_the_value_is_refused(world, plan):
    t = city_target(world, plan)
    exc = refused(
        world,
        t,
        [PartInput(world.region("510903000000"), "1000"), PartInput(world.region("510904000000"), "131")],
    )
    assert "相差 1.00" in exc.message


@pytest.mark.parametrize(
    ("parts", "message"),
    [
        ([], "请至少填写一个分解对象"),
        ([("510903000000", "-1"), ("510904000000", "1131")], "不能为负数"),
        ([("510903000000", "1130.001")], "最多两位小数"),
        ([("510900000000", "1130")], "须分给遂宁市的下级区域"),
        ([("510903000000", "565"), ("510903000000", "565")], "船山区重复出现"),
    ],
)
def test_bad_parts_are_refused(world, plan, parts, message):
    t = city_target(world, plan)
    exc = refused(world, t, [PartInput(world.region(code), value) for code, value in parts])
    assert message in exc.message


def test_a_computed_target_is_not_split_across_units_and_a_rate_not_at_all(world, plan):
    t = city_target(world, plan, Indicator.CHAIN_STORES)
    exc = refused(world, t, [PartInput(world.region("510900000000"), "1130", "市供销社")])
    assert "只能按地区分解" in exc.message
    rate = city_target(world, plan, Indicator.SHARE_COMPLETION, "100")
    assert (
        "是比率，不能分解" in refused(world, rate, [PartInput(world.region("510903000000"), "100")]).message
    )


def test_a_target_is_split_once_and_another_county_cannot_split_it(world, plan):
    t = city_target(world, plan)
    parts = targets.target_split(
        actor=world.users["city"], target=t, parts=[PartInput(world.region("510903000000"), "1130")]
    )
    assert "不能重复分解" in refused(world, t, [PartInput(world.region("510904000000"), "1130")]).message
    with pytest.raises(NotFoundError):
        targets.target_split(
            actor=world.users["anju"],
            target=parts[0],
            parts=[PartInput(world.region("510903101000"), "1130")],
        )
    with pytest.raises(PermissionDeniedError):
        targets.target_split(actor=world.users["village"], target=parts[0], parts=[])


def test_reports_go_to_unsplit_reported_targets_only(world, plan):
    t = city_target(world, plan)
    parts = targets.target_split(
        actor=world.users["city"], target=t, parts=[PartInput(world.region("510903000000"), "1130")]
    )
    with pytest.raises(DomainError) as exc:
        targets.target_report(
            actor=world.users["city"], target=t, reported_on=dt.date(2018, 5, 1), value="5", text="x"
        )
    assert "已分解" in exc.value.message
    with pytest.raises(NotFoundError):
        targets.target_report(
            actor=world.users["anju"], target=parts[0], reported_on=dt.date(2018, 5, 1), value="5", text="x"
        )
    computed = city_target(world, plan, Indicator.CHAIN_STORES)
    with pytest.raises(DomainError) as exc:
        targets.target_report(
            actor=world.users["city"], target=computed, reported_on=dt.date(2018, 5, 1), value="5", text="x"
        )
    assert "自动计算" in exc.value.message
    assert TargetReport.objects.count() == 0
