import datetime as dt
from decimal import Decimal

import pytest

from yigou.core.errors import DomainError, NotFoundError
from yigou.demo.identity import fake_uscc
from yigou.registry import services
from yigou.registry.enums import Mechanism, ProducerKind
from yigou.registry.models import Linkage, Producer
from yigou.registry.services.producers import share_of


def test_a_cooperative_needs_a_valid_unique_credit_code(world):
    actor, town = world.users["chuanshan"], world.region("510903101000")
    before = Producer.objects.count()
    with pytest.raises(DomainError) as err:
        services.producer_register(actor=actor, kind=ProducerKind.COOPERATIVE, name="无码合作社", region=town)
    assert err.value.message == "统一社会信用代码无效：农民专业合作社必须填写统一社会信用代码"
    with pytest.raises(DomainError) as err:
        services.producer_register(
            actor=actor,
            kind=ProducerKind.COOPERATIVE,
            name="重码合作社",
            region=town,
            uscc=fake_uscc("510903", 1),
        )
    assert (
        err.value.message == f"统一社会信用代码 {fake_uscc('510903', 1)} 已被“船山区永兴蔬菜专业合作社”使用。"
    )
    assert Producer.objects.count() == before


def test_a_household_seller_takes_its_households_village(world):
    seller = services.producer_register(
        actor=world.users["chuanshan"],
        kind=ProducerKind.HOUSEHOLD,
        name="王建国",
        region=world.region("510903000000"),
        household=world.households["wang"],
    )
    assert (seller.region_id, seller.county_code, seller.uscc) == ("510903101002", "510903000000", None)


def test_only_enterprises_have_a_grade(world):
    with pytest.raises(DomainError):
        services.producer_register(
            actor=world.users["chuanshan"],
            kind=ProducerKind.FAMILY_FARM,
            name="张家农场",
            region=world.region("510903101001"),
            grade="national",
        )


def test_linkage_to_the_same_household_by_the_same_mechanism_is_not_doubled(world):
    coop, zhang = world.producers["coop"], world.households["zhang"]
    with pytest.raises(DomainError) as err:
        services.linkage_add(
            actor=world.users["chuanshan"],
            producer=coop,
            household=zhang,
            mechanism=Mechanism.ORDER,
            start=dt.date(2018, 1, 1),
        )
    assert err.value.message == "该结对在 2017-03-01 起已存在，不能重复结对。"
    wage = services.linkage_add(
        actor=world.users["chuanshan"],
        producer=coop,
        household=zhang,
        mechanism=Mechanism.WAGE,
        start=dt.date(2018, 1, 1),
    )
    services.linkage_end(
        actor=world.users["chuanshan"], linkage=wage, end=dt.date(2018, 12, 31), reason="季节性用工结束"
    )
    assert Linkage.objects.get(pk=wage.pk).end == dt.date(2018, 12, 31)


def test_a_producer_cannot_link_a_household_outside_the_users_scope(world):
    # 船山区 does not see 安居区's household 刘永福: not found, exactly like a missing one.
    with pytest.raises(NotFoundError):
        services.linkage_add(
            actor=world.users["chuanshan"],
            producer=world.producers["coop"],
            household=world.households["liu"],
            mechanism=Mechanism.WAGE,
            start=dt.date(2018, 1, 1),
        )


def test_member_share_is_a_fraction_of_current_shares(world):
    coop = world.producers["coop"]
    second = services.coop_member_add(
        actor=world.users["chuanshan"],
        producer=coop,
        name="赵社长",
        shares=Decimal("30"),
        joined_on=dt.date(2017, 3, 1),
    )
    first = coop.members.get(household=world.households["zhang"])
    assert share_of(first) == Decimal("0.25")
    assert share_of(second) == Decimal("0.75")


def test_update_is_audited_field_by_field(world):
    from yigou.core.models import AuditEntry

    services.producer_update(
        actor=world.users["chuanshan"], producer=world.producers["coop"], main_products="蔬菜、鸡蛋"
    )
    entry = AuditEntry.objects.filter(action="update", target_type="registry.producer").latest("id")
    assert entry.changes == {"main_products": ["", "蔬菜、鸡蛋"]}
