"""Assisting units of the city and its counties, their cadres, and the pairings (结对帮扶): every poor village
has a unit, every registered poor household a cadre (一对多: one cadre for up to five households)."""

from __future__ import annotations

import datetime as dt
import math
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from yigou.assist import services as assist
from yigou.assist.enums import UnitKind
from yigou.assist.models import AssistingUnit, Cadre
from yigou.regions.models import Region

from .households import DemoHousehold
from .names import mobile, person_name
from .regions import ZONE, DemoRegions

HOUSEHOLDS_PER_CADRE = 5
CITY_GOVERNMENT = [
    "财政局",
    "发展和改革委员会",
    "教育局",
    "农业局",
    "卫生和计划生育委员会",
    "交通运输局",
    "住房和城乡建设局",
    "人力资源和社会保障局",
    "商务局",
    "扶贫和移民工作局",
    "水务局",
    "林业局",
]
COUNTY_GOVERNMENT = [
    "财政局",
    "农业局",
    "教育局",
    "卫生和计划生育局",
    "交通运输局",
    "住房和城乡建设局",
    "人力资源和社会保障局",
    "民政局",
]
ZONE_GOVERNMENT = ["管理委员会", "财政金融局", "社会事业局", "建设局", "经济发展局"]
CITY_OTHERS = [
    ("遂宁市中心医院", UnitKind.INSTITUTION),
    ("遂宁职业技术学院", UnitKind.INSTITUTION),
    ("国网遂宁供电公司", UnitKind.SOE),
    ("遂宁市农业产业发展投资有限公司", UnitKind.SOE),
    ("遂宁市锦程商贸有限公司", UnitKind.PRIVATE),
    ("四川嘉信建设工程有限公司", UnitKind.PRIVATE),
    ("遂宁市慈善总会", UnitKind.SOCIAL_ORG),
    ("遂宁市青年企业家商会", UnitKind.SOCIAL_ORG),
    ("遂宁军分区", UnitKind.ARMY),
]
BUDGET_KINDS = {UnitKind.GOVERNMENT, UnitKind.INSTITUTION}
POSITIONS = ["科员", "副科长", "科长", "副主任科员", "主任科员", "干部"]


@dataclass
class DemoAssist:
    units: list[AssistingUnit] = field(default_factory=list)
    city_units: list[AssistingUnit] = field(default_factory=list)
    county_units: dict[str, list[AssistingUnit]] = field(default_factory=dict)
    cadres: list[Cadre] = field(default_factory=list)
    village_pairings: int = 0
    household_pairings: int = 0


class _Builder:
    def __init__(self, actor: Any, rng: random.Random) -> None:
        self.actor, self.rng, self.out = actor, rng, DemoAssist()
        self.phones: set[str] = set()

    def unit(self, region: Region, name: str, kind: str, big: bool) -> AssistingUnit:
        budget = kind in BUDGET_KINDS
        unit = assist.unit_register(
            actor=self.actor,
            region=region,
            name=name,
            kind=kind,
            is_budget_unit=budget,
            has_canteen=budget and self.rng.random() < 0.8,
            has_union=budget and self.rng.random() < 0.95,
            staff_count=self.rng.randint(60, 400) if big else self.rng.randint(20, 120),
            contact_name=person_name(self.rng, male=self.rng.random() < 0.6),
            contact_phone=mobile(self.rng, self.phones),
        )
        self.out.units.append(unit)
        self.cadre(unit, position="办公室主任")  # the unit's contact for purchase-to-help
        return unit

    def cadre(self, unit: AssistingUnit, *, position: str = "", first_secretary: bool = False) -> Cadre:
        cadre = assist.cadre_add(
            actor=self.actor,
            unit=unit,
            name=person_name(self.rng, male=self.rng.random() < 0.65),
            position=position or self.rng.choice(POSITIONS),
            phone=mobile(self.rng, self.phones) if self.rng.random() < 0.8 else "",
            is_first_secretary=first_secretary,
        )
        self.out.cadres.append(cadre)
        return cadre


def _units(b: _Builder, regions: DemoRegions) -> None:
    for dept in CITY_GOVERNMENT:
        b.out.city_units.append(b.unit(regions.city, f"遂宁市{dept}", UnitKind.GOVERNMENT, big=True))
    for name, kind in CITY_OTHERS:
        b.out.city_units.append(b.unit(regions.city, name, kind, big=True))
    for county in regions.counties:
        names = (
            ZONE_GOVERNMENT if county.code == ZONE else b.rng.sample(COUNTY_GOVERNMENT, b.rng.randint(5, 7))
        )
        b.out.county_units[county.code] = [
            b.unit(county, f"{county.name}{dept}", UnitKind.GOVERNMENT, big=False) for dept in names
        ]


def _pair_village(b: _Builder, village: Region, county: str, turn: int) -> list[AssistingUnit]:
    local = b.out.county_units[county]
    units = [local[turn % len(local)]]
    if village.poor_since and b.rng.random() < 0.5:
        units.append(b.out.city_units[turn % len(b.out.city_units)])
    start = dt.date(2015, b.rng.randint(6, 12), 1) if village.poor_since else dt.date(2016, 3, 1)
    for unit in units:
        assist.pair_unit_village(actor=b.actor, unit=unit, village=village, start=start, note="结对帮扶")
        b.out.village_pairings += 1
    if village.poor_since:
        b.cadre(units[0], position="驻村第一书记", first_secretary=True)
    return units


def _pair_households(b: _Builder, units: list[AssistingUnit], poor: list[DemoHousehold]) -> None:
    for share, unit in enumerate(units):
        group = poor[share :: len(units)]
        cadres = [b.cadre(unit) for _ in range(math.ceil(len(group) / HOUSEHOLDS_PER_CADRE))]
        for index, demo in enumerate(group):
            start = max(dt.date(2016, 3, 1), demo.registered_on or dt.date(2016, 3, 1))
            assist.pair_cadre_household(
                actor=b.actor,
                cadre=cadres[index // HOUSEHOLDS_PER_CADRE],
                household=demo.household,
                start=start,
            )
            b.out.household_pairings += 1


def build_assist(
    *,
    actor: Any,
    rng: random.Random,
    regions: DemoRegions,
    households: list[DemoHousehold],
    say: Callable[[str], None],
) -> DemoAssist:
    b = _Builder(actor, rng)
    _units(b, regions)
    by_village: dict[str, list[DemoHousehold]] = {}
    for demo in households:
        if demo.registered:
            by_village.setdefault(demo.household.village_id, []).append(demo)
    for county in regions.counties:
        for turn, village in enumerate(regions.villages[county.code]):
            poor = by_village.get(village.code, [])
            if village.poor_since or poor:
                _pair_households(b, _pair_village(b, village, county.code, turn), poor)
    out = b.out
    say(
        f"帮扶力量：帮扶单位 {len(out.units)} 个，帮扶干部 {len(out.cadres)} 名；"
        f"单位结对村 {out.village_pairings} 个，干部结对户 {out.household_pairings} 户。"
    )
    return out
