"""Who buys in the demo, as the import file names them: units and their canteens, private companies, social
organisations, cadres (“单位/姓名”) and individuals. Cadres mostly buy from the households they are paired with,
units in the villages they help — the 结对 logic of the bulletin."""

from __future__ import annotations

import random
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from yigou.assist.enums import UnitKind
from yigou.assist.models import AssistingUnit, CadreHouseholdPairing, UnitVillagePairing
from yigou.ledger.enums import BuyerKind

from .assist import DemoAssist
from .names import person_name

INDIVIDUALS_PER_COUNTY = 60  # repeat customers, so distinct buyers are fewer than purchases


@dataclass(frozen=True)
class Buyer:
    kind: str  # a BuyerKind value
    cell: str  # the 购买方 cell of the import layout


@dataclass
class BuyerPools:
    units: list[str] = field(default_factory=list)  # names that identify one unit
    canteens: list[str] = field(default_factory=list)
    companies: list[str] = field(default_factory=list)
    social_orgs: list[str] = field(default_factory=list)
    county_units: dict[str, list[str]] = field(default_factory=dict)
    cadres: dict[int, str] = field(default_factory=dict)  # cadre id → “单位/姓名”, only unambiguous ones
    paired_cadre: dict[int, str] = field(default_factory=dict)  # household id → its cadre's cell
    village_units: defaultdict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    individuals: dict[str, list[str]] = field(default_factory=dict)  # county code → names

    def for_household(self, rng: random.Random, household_id: int, village: str, county: str) -> Buyer:
        paired = self.paired_cadre.get(household_id)
        if paired and rng.random() < 0.55:
            return Buyer(BuyerKind.CADRE, paired)
        roll = rng.random()
        if roll < 0.35:
            return Buyer(BuyerKind.INDIVIDUAL, rng.choice(self.individuals[county]))
        if roll < 0.6:
            return Buyer(BuyerKind.CADRE, rng.choice(list(self.cadres.values())))
        if roll < 0.8:
            helpers = self.village_units.get(village) or self.county_units[county]
            return Buyer(BuyerKind.UNIT, rng.choice(helpers))
        if roll < 0.9:
            return Buyer(BuyerKind.CANTEEN, rng.choice(self.canteens))
        return Buyer(
            BuyerKind.ENTERPRISE if roll < 0.95 else BuyerKind.SOCIAL_ORG,
            rng.choice(self.companies if roll < 0.95 else self.social_orgs),
        )

    def for_producer(self, rng: random.Random, county: str) -> Buyer:
        roll = rng.random()
        if roll < 0.4:
            return Buyer(BuyerKind.UNIT, rng.choice([*self.county_units[county], *self.units[:12]]))
        if roll < 0.7:
            return Buyer(BuyerKind.CANTEEN, rng.choice(self.canteens))
        if roll < 0.82:
            return Buyer(BuyerKind.ENTERPRISE, rng.choice(self.companies))
        if roll < 0.9:
            return Buyer(BuyerKind.SOCIAL_ORG, rng.choice(self.social_orgs))
        return Buyer(BuyerKind.CADRE, rng.choice(list(self.cadres.values())))


def _named_once(units: list[AssistingUnit]) -> list[AssistingUnit]:
    counts = Counter(u.name for u in units)
    return [u for u in units if counts[u.name] == 1]


def build_buyers(rng: random.Random, assist: DemoAssist, counties: list[str]) -> BuyerPools:
    units = _named_once(assist.units)
    pools = BuyerPools(
        units=[u.name for u in units],
        canteens=[u.name for u in units if u.is_budget_unit and u.has_canteen],
        companies=[u.name for u in units if u.kind == UnitKind.PRIVATE],
        social_orgs=[u.name for u in units if u.kind == UnitKind.SOCIAL_ORG],
        county_units={c: [u.name for u in _named_once(assist.county_units[c])] for c in counties},
    )
    named = {u.pk: u.name for u in units}
    same_name = Counter((c.unit_id, c.name) for c in assist.cadres)
    pools.cadres = {
        c.pk: f"{named[c.unit_id]}/{c.name}"
        for c in assist.cadres
        if c.unit_id in named and same_name[(c.unit_id, c.name)] == 1
    }
    pairs = CadreHouseholdPairing.objects.order_by("id").values_list("household_id", "cadre_id")
    pools.paired_cadre = {h: pools.cadres[c] for h, c in pairs if c in pools.cadres}
    for village, unit in UnitVillagePairing.objects.order_by("id").values_list("village_id", "unit_id"):
        if unit in named:
            pools.village_units[village].append(named[unit])
    pools.individuals = {
        c: [person_name(rng, male=rng.random() < 0.5) for _ in range(INDIVIDUALS_PER_COUNTY)]
        for c in counties
    }
    return pools
