"""`yigou demo --households 200`: exact, deterministic contents, and the command's refusals."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db.models import Count

from yigou.accounts.enums import Role
from yigou.accounts.models import User
from yigou.assist.models import CadreHouseholdPairing, UnitVillagePairing
from yigou.core.models import AuditEntry
from yigou.regions.enums import Kind, Level
from yigou.regions.models import Region
from yigou.registry.enums import ProducerKind
from yigou.registry.models import Household, IdentificationStep, Member, Producer
from yigou.registry.status import REGISTERED

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo_output")]


def test_loads_the_requested_number_of_households_with_their_members():
    assert Household.objects.count() == 200
    assert Member.objects.count() == 585
    first = Household.objects.order_by("number").first()
    assert (first.number, first.head_name, first.size) == ("5109030010010001", "王全安", 5)


def test_statuses_follow_the_planned_histories():
    statuses = dict(Household.objects.values_list("status").annotate(n=Count("id")).order_by())
    assert statuses == {"exited": 50, "non_poor": 136, "poor": 13, "removed": 1}
    # 精准识别 in full for two households: seven steps each, ending on the register.
    stepped = Household.objects.filter(identification_steps__isnull=False).distinct()
    assert IdentificationStep.objects.count() == 14
    assert sorted(stepped.values_list("status", flat=True)) == ["poor", "poor"]


def test_regions_are_suining_with_generated_townships_and_villages():
    zone = Region.objects.get(code="510971000000")
    assert (zone.name, zone.kind, zone.level, zone.parent_id) == (
        "遂宁经济技术开发区",
        Kind.ZONE,
        Level.COUNTY,
        "510900000000",
    )
    demo = Region.objects.filter(code__startswith="5109", level__gte=Level.TOWNSHIP)
    assert demo.filter(level=Level.TOWNSHIP).count() == 27
    villages = demo.filter(level=Level.VILLAGE)
    assert villages.count() == 167
    assert villages.filter(poor_since=2014).count() == 56
    assert sorted(set(villages.exclude(poor_until=None).values_list("poor_until", flat=True))) == [
        2017,
        2018,
        2019,
    ]


def test_every_registered_poor_household_has_a_cadre():
    registered = Household.objects.filter(status__in=REGISTERED)
    assert registered.count() == 63
    paired = set(CadreHouseholdPairing.objects.values_list("household_id", flat=True))
    assert set(registered.values_list("id", flat=True)) <= paired


def test_every_poor_village_has_an_assisting_unit():
    poor = set(
        Region.objects.filter(level=Level.VILLAGE, poor_since__isnull=False).values_list("code", flat=True)
    )
    assert len(poor) == 56
    assert poor <= set(UnitVillagePairing.objects.values_list("village_id", flat=True))


def test_no_person_appears_twice_and_sex_agrees_with_the_id_number():
    members = list(Member.objects.all())
    numbers = [m.id_number for m in members]
    assert len(set(numbers)) == len(numbers) == 585
    assert all((int(m.id_number[16]) % 2 == 1) == (m.sex == "male") for m in members)
    assert all(m.id_number[6:14] == m.birth_date.strftime("%Y%m%d") for m in members)


def test_producers_of_every_kind_exist_and_sellers_are_households():
    kinds = dict(Producer.objects.values_list("kind").annotate(n=Count("id")).order_by())
    assert set(kinds) == set(ProducerKind.values)
    sellers = Producer.objects.filter(kind=ProducerKind.HOUSEHOLD)
    assert sellers.filter(household__isnull=True).count() == 0


def test_one_user_per_role_each_in_an_organisation_but_the_individual_buyer():
    users = User.objects.filter(
        username__in=[
            "admin",
            "city",
            "chuanshan",
            "shehong",
            "township",
            "village",
            "auditor",
            "unit",
            "producer",
            "buyer",
        ]
    )
    assert users.count() == 10
    assert set(users.values_list("role", flat=True)) == set(Role.values)
    assert list(users.filter(organisation__isnull=True).values_list("username", flat=True)) == ["buyer"]
    assert set(users.filter(can_reveal_pii=True).values_list("username", flat=True)) == {"chuanshan"}
    assert User.objects.get(username="shehong").organisation.region_id == "510922000000"
    assert User.objects.get(username="city").check_password("Yigou@2018demo")


def test_logins_prints_a_chinese_table_of_the_demo_accounts():
    out = io.StringIO()
    call_command("demo", "--logins", stdout=out)
    lines = out.getvalue().splitlines()
    assert lines[1].split() == ["账号", "密码", "角色", "所属区域/组织"]
    assert len(lines) == 3 + 10
    assert lines[5].split()[:2] == ["chuanshan", "Yigou@2018demo"]
    assert "可查看完整个人信息" in lines[5] and "船山区" in lines[5]


def test_if_empty_does_nothing_when_the_demo_is_there():
    audit_before = AuditEntry.objects.count()
    out = io.StringIO()
    call_command("demo", "--if-empty", stdout=out)
    assert out.getvalue().strip() == "数据库中已有演示数据（或农户数据），跳过加载。"
    assert (Household.objects.count(), AuditEntry.objects.count()) == (200, audit_before)


def test_loading_again_is_refused_without_duplicating_anything():
    audit_before = AuditEntry.objects.count()
    with pytest.raises(CommandError, match=r"已有演示数据.*为避免重复，本次未加载"):
        call_command("demo", households=10, stdout=io.StringIO())
    assert (Household.objects.count(), AuditEntry.objects.count()) == (200, audit_before)


def test_the_load_reports_progress_and_counts_in_chinese(demo_output):
    assert demo_output.splitlines()[0] == "开始加载演示数据：遂宁市（2018年区划），200 户……"
    assert "农户：已登记 200/200 户" in demo_output
    assert "农户 200，建档立卡户 63，" in demo_output.splitlines()[-1]
    assert demo_output.splitlines()[-1].endswith("收益分配 4，工作任务 24，防返贫监测案件 8。")
