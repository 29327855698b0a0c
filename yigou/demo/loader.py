"""`yigou demo`: the whole demo in one transaction, deterministic for a given number of households."""

from __future__ import annotations

import datetime as dt
import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import transaction

from yigou.accounts.models import User
from yigou.accounts.services import system_actor
from yigou.benefits.models import Distribution
from yigou.income.models import MonitoringCase
from yigou.plans.models import Task
from yigou.registry.models import Household

from .anomalies import build_anomalies
from .assist import build_assist
from .benefits import build_benefits
from .certification import build_certification
from .contracts import build_contracts
from .households import build_households
from .ledger import build_ledger
from .market import build_market
from .monitoring import build_monitoring
from .orders import build_orders
from .plans import build_plans
from .producers import build_producers
from .regions import build_regions
from .reporting import build_reporting
from .shares import build_shares
from .supply import build_supply
from .users import USERNAMES, build_users

SEED = "yigou-demo-suining-2018"
DEFAULT_HOUSEHOLDS = 3000


def rng_for(part: str) -> random.Random:
    """One generator per part, so changing one part of the demo leaves the others' data as it was."""
    return random.Random(f"{SEED}:{part}")


@dataclass
class Summary:
    counts: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0


def demo_present() -> bool:
    """Demo data (or any registered household) is already there: loading again would duplicate or clash."""
    return Household.objects.exists() or User.objects.filter(username__in=USERNAMES).exists()


def load_demo(*, households: int = DEFAULT_HOUSEHOLDS, say: Callable[[str], None] = print) -> Summary:
    started = time.perf_counter()
    with transaction.atomic():
        actor = system_actor()
        regions = build_regions(actor=actor, rng=rng_for("regions"), say=say)
        homes = build_households(
            actor=actor, rng=rng_for("households"), regions=regions, total=households, say=say
        )
        producers = build_producers(
            actor=actor, rng=rng_for("producers"), regions=regions, households=homes, say=say
        )
        units = build_assist(actor=actor, rng=rng_for("assist"), regions=regions, households=homes, say=say)
        users = build_users(actor=actor, regions=regions, units=units, producers=producers, say=say)
        market = build_market(actor=actor, rng=rng_for("market"), regions=regions, units=units, say=say)
        ledger = build_ledger(
            actor=actor,
            rng=rng_for("ledger"),
            regions=regions,
            households=homes,
            producers=producers,
            units=units,
            market=market,
            users=users,
            say=say,
        )
        orders = build_orders(users=users, say=say)
        today = dt.date.today()
        build_certification(users=users, today=today, say=say)
        build_contracts(users=users, today=today, say=say)
        build_shares(users=users, today=today, say=say)
        build_supply(users=users, today=today, say=say)
        build_benefits(users=users, say=say)
        build_plans(users=users, rng=rng_for("plans"), say=say)
        build_reporting(users=users, say=say)  # approving a month locks it: nothing is recorded in it after
        # Last, on everything else: fake figures planted in 船山区, the scan of 2018 and cases in every state.
        anomalies = build_anomalies(users=users, households=homes, units=units, today=today, say=say)
        build_monitoring(users=users, units=units, today=today, say=say)  # 防止返贫监测, the year 2025
    counts = {
        "villages": len(regions.all_villages()),
        "poor_villages": sum(1 for v in regions.all_villages() if v.poor_since),
        "households": len(homes),
        "registered": sum(1 for h in homes if h.registered),
        "producers": len(producers.producers),
        "linkages": producers.linkages,
        "units": len(units.units),
        "cadres": len(units.cadres),
        "household_pairings": units.household_pairings,
        "users": len(users),
        "outlets": sum(len(found) for found in market.outlets.values()),
        "activities": len(market.activities),
        "purchases": ledger.purchases + len(anomalies.planted) + anomalies.reversals,
        "reversals": ledger.reversals + anomalies.reversals,
        "presale_lists": len(orders.lists),
        "orders": len(orders.orders),
        "findings": anomalies.findings.total(),
        "cases": anomalies.cases.total(),
        # Read back from the tables: these modules build on what the others made and return no tallies.
        "distributions": Distribution.objects.count(),
        "plan_tasks": Task.objects.count(),
        "monitoring_cases": MonitoringCase.objects.count(),
    }
    return Summary(counts=counts, seconds=time.perf_counter() - started)
