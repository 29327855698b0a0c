"""2018's outlets (all five kinds, fees waived, some closed in the year) and 以购助扶 activities per county and month,
in the spirit of the measures the 遂宁 bulletin names: QQ supermarkets in 射洪, fairs in 大英, e-commerce points."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from yigou.assist.models import AssistingUnit
from yigou.market import services as market
from yigou.market.enums import ActivityKind, OutletKind
from yigou.market.models import Activity, Outlet
from yigou.regions.models import Region

from .assist import DemoAssist
from .names import COUNTY_SHORT
from .regions import DemoRegions

YEAR = 2018
# How many outlets of each kind a county opens; the zone is small and urban.
OUTLETS_PER_COUNTY = {
    OutletKind.COUNTER: 2,
    OutletKind.ONLINE_SHOP: 2,
    OutletKind.SERVICE_STORE: 1,
    OutletKind.TEMP_MARKET: 2,
    OutletKind.ECOMMERCE: 2,
}
OUTLET_SUFFIX = {
    OutletKind.COUNTER: "超市扶贫专柜",
    OutletKind.ONLINE_SHOP: "QQ超市",
    OutletKind.SERVICE_STORE: "便民服务店",
    OutletKind.TEMP_MARKET: "临时小集市",
    OutletKind.ECOMMERCE: "电商服务站",
}
ACTIVITY_KINDS = [
    ActivityKind.FAIR,
    ActivityKind.ONSITE,
    ActivityKind.CANTEEN,
    ActivityKind.ONLINE,
    ActivityKind.MATCHING,
]
ACTIVITY_WEIGHTS = [4, 4, 2, 2, 1]


@dataclass
class DemoMarket:
    outlets: dict[str, list[Outlet]] = field(default_factory=dict)  # county code → outlets
    activities: list[Activity] = field(default_factory=list)

    def open_in(self, county_code: str, day: dt.date) -> list[Outlet]:
        return [
            o
            for o in self.outlets.get(county_code, [])
            if o.opened_on <= day and (o.closed_on is None or day < o.closed_on)
        ]


def _day(rng: random.Random, year: int, month: int) -> dt.date:
    return dt.date(year, month, rng.randint(1, 28))


def _place(rng: random.Random, kind: str, townships: list[Region], villages: list[Region]) -> Region:
    """Temporary markets are held at a township seat; the other outlets are in villages, poor ones first."""
    if kind == OutletKind.TEMP_MARKET:
        return rng.choice(townships)
    poor = [v for v in villages if v.poor_since]
    return rng.choice(poor if poor and rng.random() < 0.7 else villages)


def _open_and_close(rng: random.Random, kind: str) -> tuple[dt.date, dt.date | None]:
    if kind == OutletKind.TEMP_MARKET:
        # From the Spring Festival into the spring, or through the autumn harvest; then closed.
        if rng.random() < 0.6:
            opened = dt.date(YEAR, 1, rng.randint(2, 20))
            return opened, opened + dt.timedelta(days=rng.randint(60, 150))
        opened = dt.date(YEAR, 9, rng.randint(1, 20))
        return opened, opened + dt.timedelta(days=rng.randint(45, 90))
    opened = rng.choice([dt.date(YEAR - 1, rng.randint(6, 12), 1), _day(rng, YEAR, rng.randint(1, 8))])
    closed = _day(rng, YEAR, rng.randint(9, 12)) if rng.random() < 0.12 else None
    return opened, closed


def _outlets(
    actor: Any, rng: random.Random, regions: DemoRegions, county: Region, units: list[AssistingUnit]
) -> list[Outlet]:
    townships, villages = regions.townships[county.code], regions.villages[county.code]
    names: set[str] = set()
    opened = []
    for kind, count in OUTLETS_PER_COUNTY.items():
        for _ in range(count):
            region = _place(rng, kind, townships, villages)
            name = f"{region.name}{OUTLET_SUFFIX[kind]}"
            if name in names:  # village names repeat across townships; outlet names may not within a county
                name = next(t.name for t in townships if region.code.startswith(t.code[:9])) + name
            if name in names:
                continue
            names.add(name)
            start, end = _open_and_close(rng, kind)
            outlet = market.outlet_open(
                actor=actor,
                region=region,
                name=name,
                kind=kind,
                opened_on=start,
                fees_waived=Decimal(rng.randrange(500, 8001, 100)),
                operator=rng.choice(units),
                note="免收场地费、摊位费和网络服务费",
            )
            if end is not None:
                outlet = market.outlet_close(actor=actor, outlet=outlet, closed_on=end)
            opened.append(outlet)
    return opened


def _activity_title(rng: random.Random, kind: str, county: Region, place: Region, unit: AssistingUnit) -> str:
    short = COUNTY_SHORT[county.code[:6]]
    titles: dict[str, list[str]] = {
        ActivityKind.FAIR: [f"{place.name}以购助扶采购节", f"{short}“文化+扶贫”农产品展销会"],
        ActivityKind.ONSITE: [f"{unit.name}赴{place.name}现场采购"],
        ActivityKind.CANTEEN: [f"{unit.name}机关食堂定点采购"],
        ActivityKind.ONLINE: [f"{short}贫困村农产品网上促销", "“顺意通”网上商城贫困村农产品专场"],
        ActivityKind.MATCHING: [f"{short}以购助扶产销对接会"],
    }
    return rng.choice(titles[kind])


def _place_of(rng: random.Random, kind: str, regions: DemoRegions, county: Region) -> Region:
    if kind in (ActivityKind.ONLINE, ActivityKind.MATCHING, ActivityKind.CANTEEN):
        return county
    if kind == ActivityKind.FAIR:
        return rng.choice(regions.townships[county.code])
    return rng.choice(regions.villages[county.code])


def _activities(
    actor: Any, rng: random.Random, regions: DemoRegions, county: Region, units: list[AssistingUnit]
) -> list[Activity]:
    recorded = []
    canteens = [u for u in units if u.has_canteen]
    for month in range(1, 13):
        for _ in range(rng.randint(1, 3)):
            kind = rng.choices(ACTIVITY_KINDS, ACTIVITY_WEIGHTS)[0]
            unit = rng.choice(canteens if kind == ActivityKind.CANTEEN and canteens else units)
            place = _place_of(rng, kind, regions, county)
            recorded.append(
                market.activity_record(
                    actor=actor,
                    region=place,
                    title=_activity_title(rng, kind, county, place, unit),
                    kind=kind,
                    date=_day(rng, YEAR, month),
                    organiser=unit,
                )
            )
    return recorded


def build_market(
    *, actor: Any, rng: random.Random, regions: DemoRegions, units: DemoAssist, say: Callable[[str], None]
) -> DemoMarket:
    out = DemoMarket()
    for county in regions.counties:
        local = units.county_units[county.code]
        out.outlets[county.code] = _outlets(actor, rng, regions, county, local)
        out.activities += _activities(actor, rng, regions, county, [*local, *units.city_units[:12]])
    outlets = [o for found in out.outlets.values() for o in found]
    closed = sum(1 for o in outlets if o.closed_on)
    say(
        f"网点和活动：2018年开办网点 {len(outlets)} 个（年内关闭 {closed} 个），以购助扶活动 {len(out.activities)} 次。"
    )
    return out
