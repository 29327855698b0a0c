"""About 3,000 households spread over the demo villages, registered and given histories through the services."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from yigou.regions.models import Region
from yigou.registry import services as registry
from yigou.registry.models import Household
from yigou.registry.status import REGISTERED

from .histories import History, plan_history
from .names import mobile
from .people import IdAllocator, plan_members
from .regions import DemoRegions


@dataclass
class DemoHousehold:
    household: Household
    county: str  # county (or zone) code
    status: str  # after the whole history, as the services derived it
    registered_on: dt.date | None  # first day on the register, if ever

    @property
    def registered(self) -> bool:
        return self.status in REGISTERED


@dataclass
class _Plan:
    village: Region
    number: str
    members: list[registry.MemberInput]
    phone: str
    address: str
    history: History


def _spread(rng: random.Random, villages: list[Region], total: int) -> list[Region]:
    """Each household's village; some villages are bigger than others, every village gets at least one."""
    weights = [rng.uniform(0.6, 1.6) for _ in villages]
    chosen = list(villages[: min(total, len(villages))])
    chosen += rng.choices(villages, weights, k=total - len(chosen))
    return sorted(chosen, key=lambda v: v.code)


def _plans(rng: random.Random, regions: DemoRegions, total: int, procedures: int) -> list[_Plan]:
    ids, phones, serial = IdAllocator(), set[str](), dict[str, int]()
    plans = []
    for village in _spread(rng, regions.all_villages(), total):
        poor = rng.random() < (0.55 if village.poor_since else 0.32)
        procedure = poor and procedures > 0 and rng.random() < 0.2
        procedures -= procedure
        serial[village.code] = serial.get(village.code, 0) + 1
        plans.append(
            _Plan(
                village=village,
                number=f"{village.code}{serial[village.code]:04d}",
                members=plan_members(rng, ids, village.code[:6], poor=poor),
                phone=mobile(rng, phones) if rng.random() < 0.85 else "",
                address=f"{village.name}{rng.randint(1, 12)}组{rng.randint(1, 60)}号",
                history=plan_history(rng, poor=poor, procedure=procedure),
            )
        )
    return plans


def _write_history(actor: Any, household: Household, history: History) -> None:
    for step, day, note in history.steps:
        registry.identification_record_step(actor=actor, household=household, step=step, date=day, note=note)
    for entry in history.entries:
        registry.household_record_event(
            actor=actor,
            household=household,
            kind=entry.kind,
            date=entry.date,
            reason=entry.reason,
            monitor_type=entry.monitor_type,
            source=entry.source,
        )


def build_households(
    *, actor: Any, rng: random.Random, regions: DemoRegions, total: int, say: Callable[[str], None]
) -> list[DemoHousehold]:
    plans = _plans(rng, regions, total, procedures=max(2, total // 150))
    written: list[tuple[Household, _Plan]] = []
    for index, plan in enumerate(plans, start=1):
        household = registry.household_register(
            actor=actor,
            village=plan.village,
            members=plan.members,
            number=plan.number,
            phone=plan.phone,
            address=plan.address,
        )
        _write_history(actor, household, plan.history)
        written.append((household, plan))
        if index % 500 == 0 or index == len(plans):
            say(f"农户：已登记 {index}/{len(plans)} 户")
    statuses = dict(
        Household.objects.filter(number__in=[p.number for p in plans]).values_list("number", "status")
    )
    for household, plan in written:
        household.status = statuses[plan.number]  # the services updated their own copy
    return [DemoHousehold(h, p.village.county_code, h.status, p.history.registered_on) for h, p in written]
