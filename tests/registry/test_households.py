import datetime as dt

import pytest

from tests.world import person
from yigou.core.errors import DomainError, PermissionDeniedError
from yigou.core.models import AuditEntry
from yigou.registry import services
from yigou.registry.enums import Relation
from yigou.registry.models import Household, Member


def counts():
    return Household.objects.count(), Member.objects.count(), AuditEntry.objects.count()


def test_registers_a_household_with_birth_date_and_sex_from_the_id_number(world):
    hh = services.household_register(
        actor=world.users["village"],
        village=world.region("510903101001"),
        members=[services.MemberInput("赵小红", person("510903", 1990, 7, male=False))],
    )
    member = hh.members.get()
    assert (member.sex, member.birth_date, member.name_initials) == ("female", dt.date(1990, 3, 15), "zxh")
    assert hh.number == "5109031010010002"
    assert hh.county_code == "510903000000"


def test_the_same_person_cannot_be_registered_twice(world):
    before = counts()
    existing_id = world.households["zhang"].members.get(relation=Relation.HEAD).id_number
    with pytest.raises(DomainError) as err:
        services.household_register(
            actor=world.users["chuanshan"],
            village=world.region("510903101002"),
            members=[services.MemberInput("张德明", existing_id)],
        )
    assert err.value.code == "id_number_duplicate"
    assert (
        err.value.message
        == f"身份证号码 {existing_id[:6]}********{existing_id[-4:]} 已登记（张德明户（5109031010010001）），同一人不能重复登记。"
    )
    assert counts() == before


def test_a_household_needs_exactly_one_head(world):
    before = counts()
    with pytest.raises(DomainError) as err:
        services.household_register(
            actor=world.users["chuanshan"],
            village=world.region("510903101002"),
            members=[services.MemberInput("甲", person("510903", 1980, 11), relation=Relation.SPOUSE)],
        )
    assert err.value.code == "household_head_required"
    assert counts() == before


def test_a_household_must_be_in_a_village(world):
    with pytest.raises(DomainError) as err:
        services.household_register(
            actor=world.users["chuanshan"],
            village=world.region("510903101000"),
            members=[services.MemberInput("甲", person("510903", 1980, 12))],
        )
    assert err.value.message == "所在村必须选择村级，而“永兴镇”是乡级。"


def test_a_county_office_cannot_register_in_another_county(world):
    before = counts()
    with pytest.raises(PermissionDeniedError) as err:
        services.household_register(
            actor=world.users["anju"],
            village=world.region("510903101002"),
            members=[services.MemberInput("甲", person("510903", 1980, 13))],
        )
    assert err.value.code == "out_of_scope"
    assert counts() == before


def test_auditors_and_unit_staff_cannot_change_the_registry(world):
    for key in ("auditor", "unit", "producer"):
        with pytest.raises(PermissionDeniedError):
            services.household_update(actor=world.users[key], household=world.households["liu"], address="x")


def test_member_reveal_is_audited_and_needs_the_permission(world):
    member = world.households["zhang"].members.get(relation=Relation.HEAD)
    with pytest.raises(PermissionDeniedError):
        services.member_reveal(actor=world.users["city"], member=member)
    before = AuditEntry.objects.filter(action="reveal").count()
    shown = services.member_reveal(actor=world.users["chuanshan"], member=member)
    assert shown == {"id_number": member.id_number, "phone": "13800001111", "health": "健康"}
    entry = AuditEntry.objects.filter(action="reveal").latest("id")
    assert AuditEntry.objects.filter(action="reveal").count() == before + 1
    assert (entry.actor_name, entry.region_code, entry.target_id) == (
        "chuanshan",
        "510903101001",
        str(member.pk),
    )


def test_update_records_old_and_new_values_but_not_the_phone(world):
    services.household_update(
        actor=world.users["chuanshan"],
        household=world.households["zhang"],
        address="永兴村4组",
        phone="13800009999",
    )
    entry = AuditEntry.objects.filter(action="update").latest("id")
    assert entry.changes == {"address": ["永兴村3组", "永兴村4组"], "phone": ["***", "***(已修改)"]}
