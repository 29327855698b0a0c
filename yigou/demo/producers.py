"""Producers per county — cooperatives, leading enterprises, family farms, household sellers — and their linkage
to registered poor households (wages, orders, land rent, dividends)."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from yigou.regions.models import Region
from yigou.registry import services as registry
from yigou.registry.enums import EnterpriseGrade, Mechanism, ProducerKind
from yigou.registry.models import Producer

from .households import DemoHousehold
from .identity import fake_uscc
from .names import COUNTY_SHORT, HOUSEHOLD_PRODUCTS, PRODUCTS, mobile, person_name
from .regions import DemoRegions

ANIMALS = {"生猪", "黑山羊", "土鸡", "生态鱼"}
BRANDS = ["蜀丰", "金穗", "绿源", "川佳", "丰裕", "嘉禾", "天禄", "涪江", "锦川", "沃野", "康源", "禾润"]
INCOME: dict[str, tuple[int, int]] = {
    Mechanism.WAGE: (2400, 9600),
    Mechanism.ORDER: (600, 3000),
    Mechanism.LAND_RENT: (300, 1200),
    Mechanism.DIVIDEND: (200, 800),
}


@dataclass
class DemoProducers:
    producers: list[Producer] = field(default_factory=list)
    linkages: int = 0
    coop_members: int = 0


@dataclass
class _County:
    region: Region
    townships: list[Region]
    households: list[DemoHousehold]  # in this county, in register order

    def poor_in(self, prefix: str) -> list[DemoHousehold]:
        return [h for h in self.households if h.registered and h.household.village_id.startswith(prefix)]


class _Builder:
    def __init__(self, actor: Any, rng: random.Random) -> None:
        self.actor, self.rng, self.out = actor, rng, DemoProducers()
        self.phones: set[str] = set()
        self.serial = 1000
        self.brands = list(BRANDS)
        rng.shuffle(self.brands)

    def uscc(self, county: Region, kind: str) -> str:
        self.serial += 1
        return fake_uscc(county.code[:6], self.serial, kind=kind)

    def register(self, **fields: Any) -> Producer:
        producer = registry.producer_register(
            actor=self.actor,
            contact_name=person_name(self.rng, male=self.rng.random() < 0.7),
            contact_phone=mobile(self.rng, self.phones),
            **fields,
        )
        self.out.producers.append(producer)
        return producer

    def link(self, producer: Producer, members: list[DemoHousehold], mechanism: str, year: int) -> None:
        for demo in members:
            start = max(
                dt.date(year, self.rng.randint(1, 12), self.rng.randint(1, 28)),
                demo.registered_on or dt.date(2015, 1, 1),
            )
            ended = self.rng.random() < 0.12
            registry.linkage_add(
                actor=self.actor,
                producer=producer,
                household=demo.household,
                mechanism=mechanism,
                start=start,
                end=dt.date(start.year + 2, 12, 31) if ended else None,
                expected_income=Decimal(self.rng.randrange(*INCOME[mechanism], 100)),
                note=f"{Mechanism(mechanism).label}带贫",
            )
            self.out.linkages += 1

    def take(self, pool: list[DemoHousehold], low: int, high: int) -> list[DemoHousehold]:
        return self.rng.sample(pool, min(len(pool), self.rng.randint(low, high)))


def _cooperative(b: _Builder, county: _County, township: Region) -> None:
    product = b.rng.choice(PRODUCTS)
    trade = "养殖" if product in ANIMALS else "种植"
    coop = b.register(
        kind=ProducerKind.COOPERATIVE,
        name=f"{county.region.name}{township.name}{product}{trade}专业合作社",
        region=township,
        uscc=b.uscc(county.region, "cooperative"),
        main_products=product,
        address=f"{township.name}{b.rng.choice(['场镇', '集镇', '工业园'])}",
    )
    nearby = [h for h in county.households if h.household.village_id.startswith(township.code[:9])]
    members = b.take([h for h in nearby if h.status != "removed"], 5, 12)
    for demo in members:
        shares = Decimal(b.rng.randint(1, 20))
        registry.coop_member_add(
            actor=b.actor,
            producer=coop,
            name="",
            household=demo.household,
            shares=shares,
            capital=shares * 500,
            joined_on=dt.date(b.rng.randint(2015, 2018), b.rng.randint(1, 12), 1),
        )
        b.out.coop_members += 1
    poor_members = [h for h in members if h.registered]
    b.link(coop, poor_members, Mechanism.DIVIDEND, 2017)
    others = [h for h in county.poor_in(township.code[:9]) if h not in members]
    b.link(coop, b.take(others, 2, 8), Mechanism.ORDER, 2017)


def _enterprise(b: _Builder, county: _County) -> None:
    product = b.rng.choice(PRODUCTS)
    short = COUNTY_SHORT[county.region.code[:6]]
    grade = b.rng.choice(
        [EnterpriseGrade.PROVINCIAL, EnterpriseGrade.CITY, EnterpriseGrade.CITY, EnterpriseGrade.COUNTY]
    )
    company = b.register(
        kind=ProducerKind.ENTERPRISE,
        name=f"四川{b.brands.pop()}{product}农业开发有限公司",
        region=county.region,
        uscc=b.uscc(county.region, "enterprise"),
        grade=grade,
        main_products=product,
        address=f"遂宁市{short}农业产业园",
    )
    pool = b.take(county.poor_in(county.region.code[:6]), 8, 20)
    half = len(pool) // 2
    b.link(company, pool[:half], Mechanism.WAGE, 2016)
    b.link(company, pool[half:], Mechanism.LAND_RENT, 2016)


def _family_farm(b: _Builder, county: _County, township: Region) -> None:
    owner = person_name(b.rng, male=True)
    farm = b.register(
        kind=ProducerKind.FAMILY_FARM,
        name=f"{county.region.name}{owner}家庭农场",
        region=township,
        main_products=b.rng.choice(PRODUCTS),
    )
    b.link(
        farm,
        b.take(county.poor_in(township.code[:9]), 1, 3),
        b.rng.choice([Mechanism.WAGE, Mechanism.LAND_RENT]),
        2017,
    )


def _household_sellers(b: _Builder, county: _County) -> None:
    for demo in b.take(county.poor_in(county.region.code[:6]), 3, 3):
        b.register(
            kind=ProducerKind.HOUSEHOLD,
            name=f"{demo.household.head_name}（个体农户）",
            region=county.region,
            household=demo.household,
            main_products="、".join(b.rng.sample(HOUSEHOLD_PRODUCTS, 2)),
        )


def build_producers(
    *,
    actor: Any,
    rng: random.Random,
    regions: DemoRegions,
    households: list[DemoHousehold],
    say: Callable[[str], None],
) -> DemoProducers:
    builder = _Builder(actor, rng)
    for region in regions.counties:
        county = _County(
            region, regions.townships[region.code], [h for h in households if h.county == region.code]
        )
        for township in rng.sample(county.townships, min(len(county.townships), rng.randint(2, 4))):
            _cooperative(builder, county, township)
        for _ in range(rng.randint(1, 2)):
            _enterprise(builder, county)
        for township in rng.sample(county.townships, 2):
            _family_farm(builder, county, township)
        _household_sellers(builder, county)
    out = builder.out
    say(
        f"经营主体：{len(out.producers)} 个，合作社社员 {out.coop_members} 户次，带贫联结 {out.linkages} 条。"
    )
    return out
