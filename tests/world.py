"""A small, fully known world for tests. Every figure a test asserts can be traced back to this file."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from yigou.accounts.enums import OrgKind, Role
from yigou.accounts.models import Organisation, User
from yigou.accounts.services import organisation_create, system_actor, user_create
from yigou.assist import services as assist
from yigou.assist.models import AssistingUnit, Cadre
from yigou.demo.identity import fake_id_number, fake_uscc
from yigou.regions.enums import Kind, Level
from yigou.regions.models import Region
from yigou.registry import services as registry
from yigou.registry.enums import EventKind, Mechanism, ProducerKind, Relation
from yigou.registry.models import Household, Producer

PASSWORD = "Yigou-test-2018"

REGIONS = [
    # code, name, parent, level, kind, poor
    ("510000000000", "四川省", None, Level.PROVINCE, Kind.ADMIN, False),
    ("510900000000", "遂宁市", "510000000000", Level.CITY, Kind.ADMIN, False),
    ("510903000000", "船山区", "510900000000", Level.COUNTY, Kind.ADMIN, False),
    ("510903101000", "永兴镇", "510903000000", Level.TOWNSHIP, Kind.ADMIN, False),
    ("510903101001", "永兴村", "510903101000", Level.VILLAGE, Kind.ADMIN, True),
    ("510903101002", "石佛村", "510903101000", Level.VILLAGE, Kind.ADMIN, False),
    ("510903102000", "老池镇", "510903000000", Level.TOWNSHIP, Kind.ADMIN, False),
    ("510903102001", "老池村", "510903102000", Level.VILLAGE, Kind.ADMIN, True),
    ("510904000000", "安居区", "510900000000", Level.COUNTY, Kind.ADMIN, False),
    ("510904101000", "拦江镇", "510904000000", Level.TOWNSHIP, Kind.ADMIN, False),
    ("510904101001", "拦江村", "510904101000", Level.VILLAGE, Kind.ADMIN, True),
    ("510971000000", "遂宁经济技术开发区", "510900000000", Level.COUNTY, Kind.ZONE, False),
    ("510971001000", "西宁乡", "510971000000", Level.TOWNSHIP, Kind.ADMIN, False),
    ("510971001001", "西宁村", "510971001000", Level.VILLAGE, Kind.ADMIN, False),
]


def person(region6: str, year: int, seq: int, *, male: bool = True) -> str:
    return fake_id_number(region6, dt.date(year, 3, 15), seq, male=male)


@dataclass
class World:
    regions: dict[str, Region] = field(default_factory=dict)
    users: dict[str, User] = field(default_factory=dict)
    households: dict[str, Household] = field(default_factory=dict)
    producers: dict[str, Producer] = field(default_factory=dict)
    units: dict[str, AssistingUnit] = field(default_factory=dict)
    cadres: dict[str, Cadre] = field(default_factory=dict)

    def region(self, code: str) -> Region:
        return self.regions[code]


def _regions(world: World) -> None:
    for code, name, parent, level, kind, poor in REGIONS:
        world.regions[code] = Region.objects.create(
            code=code,
            name=name,
            parent_id=parent,
            level=level,
            kind=kind,
            is_poor=poor,
            poor_since=2014 if poor else None,
        )


def _user(world: World, key: str, role: str, org: Organisation | None, **extra: object) -> None:
    world.users[key] = user_create(
        actor=system_actor(),
        username=key,
        password=PASSWORD,
        role=role,
        organisation=org,
        display_name=key,
        check_password=False,
        **extra,
    )


def _office(world: World, key: str, code: str, role: str = Role.OFFICE, **extra: object) -> None:
    org = organisation_create(
        actor=None, name=f"{world.regions[code].name}扶贫办", kind=OrgKind.OFFICE, region=world.regions[code]
    )
    _user(world, key, role, org, **extra)


def _households(world: World, admin: User) -> None:
    r = world.regions
    world.households["zhang"] = registry.household_register(
        actor=admin,
        village=r["510903101001"],
        phone="13800001111",
        address="永兴村3组",
        members=[
            registry.MemberInput("张德明", person("510903", 1962, 1)),
            registry.MemberInput(
                "李秀英", person("510903", 1965, 2, male=False), relation=Relation.SPOUSE, health="chronic"
            ),
        ],
    )
    world.households["wang"] = registry.household_register(
        actor=admin,
        village=r["510903101002"],
        members=[registry.MemberInput("王建国", person("510903", 1970, 3))],
    )
    world.households["liu"] = registry.household_register(
        actor=admin,
        village=r["510904101001"],
        phone="13900002222",
        members=[registry.MemberInput("刘永福", person("510904", 1958, 4))],
    )
    for key in ("zhang", "liu"):
        registry.household_record_event(
            actor=admin,
            household=world.households[key],
            kind=EventKind.IDENTIFIED,
            date=dt.date(2014, 10, 1),
            reason="2014年建档立卡",
            source="import",
        )
    for key in world.households:
        world.households[key].refresh_from_db()


def _producers(world: World, admin: User) -> None:
    r = world.regions
    world.producers["coop"] = registry.producer_register(
        actor=admin,
        kind=ProducerKind.COOPERATIVE,
        name="船山区永兴蔬菜专业合作社",
        region=r["510903101000"],
        uscc=fake_uscc("510903", 1),
        contact_name="赵社长",
        contact_phone="13811112222",
    )
    world.producers["anju_coop"] = registry.producer_register(
        actor=admin,
        kind=ProducerKind.COOPERATIVE,
        name="安居区拦江黑猪养殖专业合作社",
        region=r["510904101000"],
        uscc=fake_uscc("510904", 2),
    )
    registry.linkage_add(
        actor=admin,
        producer=world.producers["coop"],
        household=world.households["zhang"],
        mechanism=Mechanism.ORDER,
        start=dt.date(2017, 3, 1),
        expected_income=Decimal("1500.00"),
    )
    registry.coop_member_add(
        actor=admin,
        producer=world.producers["coop"],
        name="",
        household=world.households["zhang"],
        shares=Decimal("10"),
        capital=Decimal("2000.00"),
        joined_on=dt.date(2017, 3, 1),
    )


def _assist(world: World, admin: User) -> None:
    r = world.regions
    world.units["finance"] = assist.unit_register(
        actor=admin,
        region=r["510900000000"],
        name="遂宁市财政局",
        kind="government",
        is_budget_unit=True,
        has_canteen=True,
        has_union=True,
        staff_count=120,
    )
    world.units["chuanshan_bank"] = assist.unit_register(
        actor=admin, region=r["510903000000"], name="船山区农商银行", kind="soe"
    )
    world.cadres["chen"] = assist.cadre_add(
        actor=admin, unit=world.units["finance"], name="陈立", position="科长", phone="13700003333"
    )
    world.cadres["sun"] = assist.cadre_add(actor=admin, unit=world.units["chuanshan_bank"], name="孙红")
    assist.pair_unit_village(
        actor=admin, unit=world.units["finance"], village=r["510904101001"], start=dt.date(2016, 1, 1)
    )
    assist.pair_unit_village(
        actor=admin, unit=world.units["chuanshan_bank"], village=r["510903101001"], start=dt.date(2016, 1, 1)
    )
    assist.pair_cadre_household(
        actor=admin, cadre=world.cadres["chen"], household=world.households["liu"], start=dt.date(2016, 3, 1)
    )
    assist.pair_cadre_household(
        actor=admin, cadre=world.cadres["sun"], household=world.households["zhang"], start=dt.date(2016, 3, 1)
    )


def build_world() -> World:
    world = World()
    _regions(world)
    _user(world, "admin", Role.ADMIN, None)
    admin = world.users["admin"]
    _office(world, "city", "510900000000")
    _office(world, "chuanshan", "510903000000", can_reveal_pii=True)
    _office(world, "anju", "510904000000")
    _office(world, "zone", "510971000000")
    _office(world, "yongxing", "510903101000")
    _office(world, "village", "510903101001", role=Role.VILLAGE)
    _office(world, "auditor", "510900000000", role=Role.AUDITOR)
    _households(world, admin)
    _producers(world, admin)
    _assist(world, admin)
    unit_org = organisation_create(
        actor=None,
        name="遂宁市财政局",
        kind=OrgKind.UNIT,
        region=world.regions["510900000000"],
        unit=world.units["finance"],
    )
    _user(world, "unit", Role.UNIT, unit_org)
    producer_org = organisation_create(
        actor=None,
        name="永兴蔬菜合作社",
        kind=OrgKind.PRODUCER,
        region=world.regions["510903101000"],
        producer=world.producers["coop"],
    )
    _user(world, "producer", Role.PRODUCER, producer_org)
    return world
