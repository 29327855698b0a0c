"""遂宁市 with its 2018 counties, the 经开区 zone, and generated townships and villages."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from typing import Any

from yigou.core.errors import DomainError
from yigou.core.tabular import Table
from yigou.regions.enums import Level
from yigou.regions.models import Region
from yigou.regions.services import IMPORT_COLUMNS, import_regions, load_national_list, region_set_poor

from .names import TOWNSHIP_STEMS, VILLAGE_STEMS

CITY = "510900000000"
ZONE = "510971000000"
ZONE_NAME = "遂宁经济技术开发区"
COUNTIES = ["510903000000", "510904000000", "510921000000", "510922000000", "510923000000", ZONE]
URBAN = {"510903000000", "510904000000", ZONE}  # districts and the zone have 街道 and 社区


@dataclass
class DemoRegions:
    city: Region
    counties: list[Region]
    townships: dict[str, list[Region]] = field(default_factory=dict)  # county code → townships
    villages: dict[str, list[Region]] = field(default_factory=dict)  # county code → villages

    def all_villages(self) -> list[Region]:
        return [v for c in self.counties for v in self.villages[c.code]]


@dataclass
class _Planned:
    rows: list[list[str]] = field(default_factory=list)
    exits: dict[str, int] = field(default_factory=dict)  # village code → year it left the poor list


def _township_kinds(rng: random.Random, county: str, count: int) -> list[str]:
    if county in URBAN:
        streets = rng.randint(1, 2)
        return ["街道"] * streets + ["镇"] * (count - streets)
    return ["镇" if rng.random() < 0.75 else "乡" for _ in range(count)]


def _plan_villages(rng: random.Random, plan: _Planned, township: str, street: bool) -> None:
    count = rng.randint(4, 8)
    communities = rng.randint(2, 4) if street else 1
    stems = rng.sample(VILLAGE_STEMS, count)
    for index, stem in enumerate(stems):
        community = index < communities
        code = f"{township[:9]}{(index + 1) if community else (200 + index + 1 - communities):03d}"
        poor = not community and rng.random() < 0.42
        plan.rows.append(
            [
                code,
                f"{stem}{'社区' if community else '村'}",
                township,
                "village",
                "admin",
                "2014" if poor else "",
            ]
        )
        if poor and rng.random() < 0.75:
            plan.exits[code] = rng.choice([2017, 2017, 2018, 2018, 2018, 2019])


def _plan(rng: random.Random) -> _Planned:
    plan = _Planned(rows=[[ZONE, ZONE_NAME, CITY, "county", "zone", ""]])
    for county in COUNTIES:
        count = rng.randint(3, 6)
        serials = {"街道": 0, "镇": 100, "乡": 200}
        for kind, stem in zip(
            _township_kinds(rng, county, count), rng.sample(TOWNSHIP_STEMS, count), strict=True
        ):
            serials[kind] += 1
            code = f"{county[:6]}{serials[kind]:03d}000"
            plan.rows.append([code, f"{stem}{kind}", county, "township", "admin", ""])
            _plan_villages(rng, plan, code, kind == "街道")
    return plan


def build_regions(*, actor: Any, rng: random.Random, say: Any) -> DemoRegions:
    if not Region.objects.filter(code=CITY).exists():
        created = load_national_list()
        say(f"已加载全国省、市、县区划 {created} 个。")
    plan = _plan(rng)
    report = import_regions(actor=actor, table=Table(IMPORT_COLUMNS, plan.rows, "utf-8"), dry_run=False)
    if not report.ok:
        raise DomainError("invalid_input", detail=f"演示区划导入失败：{report.as_dict()['errors']}")
    codes = [row[0] for row in plan.rows]
    loaded = {r.code: r for r in Region.objects.filter(code__in=[*codes, CITY, *COUNTIES])}
    for code, year in sorted(plan.exits.items()):
        region_set_poor(actor=actor, region=loaded[code], poor=False, year=year)
    result = DemoRegions(city=loaded[CITY], counties=[loaded[c] for c in COUNTIES])
    for code in codes:
        region = loaded[code]
        county = code[:6] + "000000"
        if region.level == Level.TOWNSHIP:
            result.townships.setdefault(county, []).append(region)
        elif region.level == Level.VILLAGE:
            result.villages.setdefault(county, []).append(region)
    villages = result.all_villages()
    poor = sum(1 for v in villages if v.poor_since)
    say(
        f"区划：{len(COUNTIES)} 个县（区）及经开区，{sum(map(len, result.townships.values()))} 个乡镇（街道），"
        f"{len(villages)} 个村（社区），其中贫困村 {poor} 个。"
    )
    return result
