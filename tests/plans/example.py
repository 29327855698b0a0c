"""The plans worked example: 遂宁市's 2018 plan, its targets split to 船山区 and 安居区, and a scheme scoring them.

Targets (city 2018, split to the counties):
| target | indicator | city | 船山区 | 安居区 | done 船山区 | done 安居区 |
|---|---|---|---|---|---|---|
| 农村连锁店 | chain_stores (computed) | 10 | 6 | 4 | 3 (a fourth closed in June) | 4 |
| 电商人才培训 | reported | 100 | 60 | 40 | 66 (reported) | 20 (reported) |

Scheme 2018年度消费扶贫工作考核 (by region): 连锁店 weight 60 (threshold 0, cap 100), 培训 weight 40 (threshold 60,
cap 120); 5 points per finding rectified late, at most 8.
船山区: 3/6 = 50.00% → 30.00; 66/60 = 110.00% → 44.00; one finding closed after its deadline → −5 → 69.00.
安居区: 4/4 = 100.00% → 60.00; 20/40 = 50.00% < 60 → 0; two findings open past their deadline → −10, capped −8;
one finding whose deadline has not come → 52.00.  Ranking on 2018-12-31: 船山区 1st (69.00), 安居区 2nd (52.00).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from yigou.plans import schemes, services, supervision, targets
from yigou.plans.enums import Indicator, ItemSource, Rhythm, SiteKind, SubjectKind
from yigou.plans.models import Plan, Scheme, Target

D = dt.date
AS_OF = D(2018, 12, 31)


@dataclass
class Example:
    plan: Plan
    chain: Target
    training: Target
    parts: dict[str, Target] = field(default_factory=dict)
    scheme: Scheme | None = None


def make_plan(world, **overrides) -> Plan:
    data = services.PlanInput(
        title="遂宁市消费扶贫实施方案",
        starts_on=D(2018, 1, 1),
        ends_on=D(2018, 12, 31),
        rhythm=overrides.pop("rhythm", Rhythm.MONTHLY),
        goals="到2018年底农村连锁店达到10家，培训电商人才100人。",
    )
    return services.plan_create(actor=world.users["city"], region=world.region("510900000000"), data=data)


def _sites(world) -> None:
    admin = world.users["admin"]
    for n in range(3):
        schemes.site_register(
            actor=admin,
            kind=SiteKind.CHAIN_STORE,
            name=f"永兴便民店{n + 1}",
            region=world.region("510903101001"),
            opened_on=D(2018, 3, 1),
        )
    closed = schemes.site_register(
        actor=admin,
        kind=SiteKind.CHAIN_STORE,
        name="老池便民店",
        region=world.region("510903102001"),
        opened_on=D(2018, 2, 1),
    )
    schemes.site_close(actor=admin, site=closed, closed_on=D(2018, 6, 30))
    for n in range(4):
        schemes.site_register(
            actor=admin,
            kind=SiteKind.CHAIN_STORE,
            name=f"拦江连锁店{n + 1}",
            region=world.region("510904101001"),
            opened_on=D(2018, 5, 1),
        )
    schemes.site_register(  # another kind: not counted
        actor=admin,
        kind=SiteKind.DISTRIBUTION_CENTRE,
        name="安居配送中心",
        region=world.region("510904101000"),
        opened_on=D(2018, 5, 1),
    )


def _findings(world, plan: Plan) -> None:
    city = world.users["city"]
    late = supervision.finding_create(
        actor=city,
        plan=plan,
        region=world.region("510903000000"),
        problem="台账不全",
        found_on=D(2018, 6, 1),
        rectify_by=D(2018, 6, 30),
    )
    supervision.finding_close(actor=city, finding=late, closed_on=D(2018, 7, 5), note="已补齐台账")
    for n in range(2):
        supervision.finding_create(
            actor=city,
            plan=plan,
            region=world.region("510904101000"),
            problem=f"连锁店未挂牌{n + 1}",
            found_on=D(2018, 9, 1),
            rectify_by=D(2018, 9, 30),
        )
    supervision.finding_create(
        actor=city,
        plan=plan,
        region=world.region("510904000000"),
        problem="培训档案待完善",
        found_on=D(2018, 12, 20),
        rectify_by=D(2019, 1, 20),
    )


def build(world) -> Example:
    city = world.users["city"]
    plan = make_plan(world)
    r = world.region
    chain = targets.target_create(
        actor=city,
        plan=plan,
        region=r("510900000000"),
        data=targets.TargetInput("农村连锁店", Indicator.CHAIN_STORES, "家", "10"),
    )
    training = targets.target_create(
        actor=city,
        plan=plan,
        region=r("510900000000"),
        data=targets.TargetInput("电商人才培训", Indicator.REPORTED, "人", "100"),
    )
    ex = Example(plan, chain, training)
    for key, target, values in (("chain", chain, ("6", "4")), ("training", training, ("60", "40"))):
        parts = targets.target_split(
            actor=city,
            target=target,
            parts=[
                targets.PartInput(r("510903000000"), values[0]),
                targets.PartInput(r("510904000000"), values[1]),
            ],
        )
        ex.parts[f"{key}_chuanshan"], ex.parts[f"{key}_anju"] = parts
    _sites(world)
    targets.target_report(
        actor=world.users["chuanshan"],
        target=ex.parts["training_chuanshan"],
        reported_on=D(2018, 11, 30),
        value="66",
        text="培训签到表3期",
    )
    targets.target_report(
        actor=world.users["anju"],
        target=ex.parts["training_anju"],
        reported_on=D(2018, 11, 30),
        value="20",
        text="培训1期",
    )
    _findings(world, plan)
    ex.scheme = schemes.scheme_create(
        actor=city,
        plan=plan,
        name="2018年度消费扶贫工作考核",
        subject_kind=SubjectKind.REGION,
        deduction="5",
        deduction_cap="8",
        items=[
            schemes.ItemInput("农村连锁店", ItemSource.TARGET, "60", indicator=Indicator.CHAIN_STORES),
            schemes.ItemInput(
                "电商人才培训",
                ItemSource.TARGET,
                "40",
                indicator=Indicator.REPORTED,
                target_name="电商人才培训",
                threshold="60",
                cap="120",
            ),
        ],
    )
    return ex
