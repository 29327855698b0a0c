"""The demo's plans: 遂宁市's 2018 consumption-poverty plan in the Tiexi layout (24 tasks with lead and
co-operating units and deadlines, imported through the task-list import), Jilin-like numeric targets split to the
six counties and the zone, the co-op network that computes them, progress reports (done, late and standing tasks),
supervision findings (one rectified late, one still open) and two assessment schemes whose rankings are scored.

Everything goes through the plans services as the demo's city and county accounts; dates lie in 2018, so the
figures are the same whatever day the demo is loaded.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from yigou.accounts.models import User
from yigou.core.tabular import Table
from yigou.plans import importing, schemes, services, supervision, targets
from yigou.plans.enums import Indicator, ItemSource, SiteKind, SubjectKind
from yigou.plans.models import Plan, Scheme, Target, Task
from yigou.regions.enums import Level
from yigou.regions.models import Region

from .regions import CITY, COUNTIES

D = dt.date
SECTION_1, SECTION_2, SECTION_3 = (
    "（一）动员社会各界扩大贫困地区产品和服务消费",
    "（二）拓宽农产品流通和销售渠道",
    "（三）提升农产品供给水平和质量",
)
# number, task, lead unit, co-operating units, deadline ("" = standing), section
TASKS = [
    (
        "1",
        "将消费扶贫纳入东西部扶贫协作和对口支援政策框架",
        "市扶贫开发局",
        "市发改委",
        "2018-03-31",
        SECTION_1,
    ),
    (
        "2",
        "动员党政机关、企事业单位优先采购贫困地区产品",
        "市财政局",
        "市机关事务局",
        "2018-06-30",
        SECTION_1,
    ),
    ("2.1", "机关食堂每月至少采购一次贫困村农副产品", "UNIT", "市机关事务局", "", SECTION_1),
    ("2.2", "落实预算单位预留份额并按季度通报", "市财政局", "各县（区）财政局", "2018-09-30", SECTION_1),
    ("3", "组织帮扶单位与贫困村签订认购合同", "市扶贫开发局", "市直各帮扶单位", "2018-04-30", SECTION_1),
    ("4", "推动民营企业参与“万企帮万村”消费扶贫", "市工商联", "市扶贫开发局", "2018-08-31", SECTION_1),
    (
        "5",
        "依托中国农民丰收节开展展销展洽活动",
        "市农业农村局",
        "市商务局、团市委、市妇联",
        "2018-09-30",
        SECTION_1,
    ),
    (
        "6",
        "打造扶贫产品大集，推广第一书记代言产品",
        "市扶贫开发局",
        "市委组织部、市委宣传部",
        "2018-10-17",
        SECTION_1,
    ),
    ("7", "引导和扶持一批消费扶贫示范企业", "市商务局", "市发改委、市农业农村局", "2018-06-30", SECTION_2),
    (
        "8",
        "设立电商产业孵化园，培育规模化电商企业",
        "市商务局",
        "各县（区）人民政府",
        "2018-12-31",
        SECTION_2,
    ),
    ("9", "鼓励大型电商企业设立扶贫专卖店和扶贫频道", "市商务局", "", "2018-07-31", SECTION_2),
    ("10", "建立贫困村农产品滞销预警机制", "市商务局", "市农业农村局", "2018-05-31", SECTION_2),
    ("11", "支持贫困村建设冷链保鲜基础设施", "市商务局", "市发改委、市农业农村局", "2018-11-30", SECTION_2),
    (
        "12",
        "在旅游景区和高速公路服务区开设农产品销售专区",
        "市交通运输局",
        "市文旅局",
        "2018-08-31",
        SECTION_2,
    ),
    ("13", "发展农超对接、直供直销、连锁配送新业态", "市供销社", "市商务局", "2018-12-31", SECTION_2),
    ("14", "建设改造基层社和村级综合服务社", "市供销社", "各县（区）供销社", "2018-10-31", SECTION_2),
    ("15", "开展土地托管服务，减免贫困户托管服务费", "市供销社", "市农业农村局", "2018-11-30", SECTION_2),
    ("16", "开辟绿色食品、有机食品认证绿色通道", "市农业农村局", "市市场监管局", "2018-06-30", SECTION_3),
    (
        "17",
        "开展扶贫产品认定，公布扶贫产品目录",
        "市扶贫开发局",
        "市农业农村局、市商务局",
        "2018-05-31",
        SECTION_3,
    ),
    ("18", "打造区域性特色农产品品牌", "市农业农村局", "市市场监管局、市商务局", "2018-12-31", SECTION_3),
    ("19", "组织媒体宣传贫困村特色农产品经验做法", "市委宣传部", "", "", SECTION_3),
    ("20", "培训农村电商人才和新型农民社员", "市供销社", "市人社局", "2018-12-15", SECTION_3),
    ("21", "建立消费扶贫台账，统计购买贫困户产品数据", "市扶贫开发局", "各县（区）扶贫办", "", SECTION_3),
    ("22", "加强对消费扶贫工作的督促指导", "市发改委", "市扶贫开发局", "", SECTION_3),
]
# number → reports (date, progress): done on time, done late, stuck (late), standing with monthly reports
REPORTS: dict[str, list[tuple[str, str]]] = {
    "1": [("2018-02-28", "50"), ("2018-03-30", "100")],
    "2": [("2018-04-30", "60"), ("2018-06-29", "100")],
    "2.2": [("2018-06-30", "50"), ("2018-09-28", "100")],
    "3": [("2018-04-20", "100")],
    "5": [("2018-09-23", "100")],
    "7": [("2018-05-31", "40"), ("2018-07-31", "80")],  # late: still 80% after June
    "8": [("2018-09-30", "70")],
    "9": [("2018-07-31", "50"), ("2018-08-20", "100")],  # done late
    "10": [("2018-05-30", "100")],
    "13": [("2018-12-28", "100")],
    "14": [("2018-08-31", "60")],  # late
    "15": [("2018-11-30", "100")],
    "17": [("2018-05-25", "100")],
    "20": [("2018-12-14", "100")],
    "21": [(f"2018-{m:02d}-25", str(min(m * 9, 99))) for m in range(1, 13)],
}
# Jilin-like targets of the city, split to the counties (and the zone) in COUNTIES order.
TARGETS = [
    ("村级综合服务社", Indicator.SERVICE_CENTRES, "家", ["12", "10", "12", "10", "10", "6"]),
    ("农村连锁店", Indicator.CHAIN_STORES, "家", ["20", "15", "20", "15", "15", "5"]),
    ("配送中心", Indicator.DISTRIBUTION_CENTRES, "个", ["2", "1", "2", "1", "1", "1"]),
    ("土地托管面积", Indicator.TRUSTEESHIP_MU, "亩", ["800", "500", "800", "500", "300", "100"]),
    ("培训农村电商人才", Indicator.REPORTED, "人", ["20", "15", "25", "15", "15", "10"]),
]
SITE_KINDS = {
    Indicator.SERVICE_CENTRES: SiteKind.SERVICE_CENTRE,
    Indicator.CHAIN_STORES: SiteKind.CHAIN_STORE,
    Indicator.DISTRIBUTION_CENTRES: SiteKind.DISTRIBUTION_CENTRE,
}


@dataclass
class DemoPlans:
    plan: Plan
    tasks: int = 0
    targets: list[Target] = field(default_factory=list)
    schemes: list[Scheme] = field(default_factory=list)


def _task_table(unit_name: str) -> Table:
    rows = [[n, t, unit_name if lead == "UNIT" else lead, co, due, s] for n, t, lead, co, due, s in TASKS]
    return Table(headers=[c.header for c in importing.COLUMNS], rows=rows, encoding="demo")


def _report(city: User, plan: Plan) -> None:
    by_number = {t.number: t for t in Task.objects.filter(plan=plan)}
    for number, reports in REPORTS.items():
        for day, progress in reports:
            services.task_report(
                actor=city,
                task=by_number[number],
                reported_on=dt.date.fromisoformat(day),
                progress=progress,
                text=f"已完成{progress}%：按方案推进，佐证材料另报。",
            )


def _network(city: User, rng: random.Random, counties: list[Region]) -> None:
    for county in counties:
        villages = list(
            Region.objects.filter(code__startswith=county.code[:6], level=Level.VILLAGE).order_by("code")
        )
        for indicator, kind in SITE_KINDS.items():
            share = next(t for t in TARGETS if t[1] == indicator)[3][counties.index(county)]
            for n in range(rng.randint(int(share) // 2, int(share) + 2)):
                village = villages[n % len(villages)]
                schemes.site_register(
                    actor=city,
                    kind=kind,
                    name=f"{village.name}{kind.label}{n + 1}",
                    region=village,
                    opened_on=D(2018, rng.randint(1, 11), rng.randint(1, 28)),
                    operator=f"{county.name}供销社",
                )
        for n in range(rng.randint(3, 6)):
            village = villages[(n * 3) % len(villages)]
            households = rng.randint(8, 40)
            schemes.trusteeship_record(
                actor=city,
                village=village,
                data=schemes.TrusteeshipInput(
                    number=f"TG-{county.code[:6]}-2018-{n + 1:03d}",
                    provider=f"{county.name}供销农业服务公司",
                    service="代耕代种代收",
                    year=2018,
                    mu=Decimal(rng.randint(40, 160)),
                    households=households,
                    poor_households=households // 3,
                    signed_on=D(2018, rng.randint(3, 9), 1),
                ),
            )


def _targets(city: User, plan: Plan, counties: list[Region], by_county: dict[str, User]) -> list[Target]:
    made = []
    for name, indicator, unit, shares in TARGETS:
        total = sum(Decimal(v) for v in shares)
        target = targets.target_create(
            actor=city,
            plan=plan,
            region=Region.objects.get(code=CITY),
            data=targets.TargetInput(name, indicator, unit, total),
        )
        parts = targets.target_split(
            actor=city,
            target=target,
            parts=[targets.PartInput(c, v) for c, v in zip(counties, shares, strict=True)],
        )
        if indicator == Indicator.REPORTED:
            for part, share in zip(parts, shares, strict=True):
                reached = (Decimal(share) * Decimal(len(part.region.name)) / 4).quantize(Decimal("1"))
                targets.target_report(
                    actor=by_county.get(part.region_id, city),
                    target=part,
                    reported_on=D(2018, 12, 20),
                    value=reached,
                    text="培训签到表及结业名单",
                )
        made += [target, *parts]
    return made


def _findings(city: User, plan: Plan, counties: list[Region]) -> None:
    late = supervision.finding_create(
        actor=city,
        plan=plan,
        region=counties[0],
        problem="消费扶贫台账未按月更新",
        found_on=D(2018, 6, 5),
        rectify_by=D(2018, 6, 30),
    )
    supervision.finding_close(
        actor=city, finding=late, closed_on=D(2018, 7, 10), note="已补录并建立月更新制度"
    )
    on_time = supervision.finding_create(
        actor=city,
        plan=plan,
        region=counties[1],
        problem="村级综合服务社未挂牌",
        found_on=D(2018, 8, 1),
        rectify_by=D(2018, 8, 31),
        unit_name="市供销社",
    )
    supervision.finding_close(actor=city, finding=on_time, closed_on=D(2018, 8, 20), note="已统一挂牌")
    supervision.finding_create(
        actor=city,
        plan=plan,
        region=counties[2],
        problem="土地托管服务费减免未落实到户",
        found_on=D(2018, 10, 8),
        rectify_by=D(2018, 11, 8),
        unit_name="市供销社",
    )


def _schemes(city: User, plan: Plan) -> list[Scheme]:
    items = [
        schemes.ItemInput(name, ItemSource.TARGET, "20", indicator=indicator, target_name=name)
        for name, indicator, _unit, _shares in TARGETS[:4]
    ]
    items.append(
        schemes.ItemInput(
            "培训农村电商人才",
            ItemSource.TARGET,
            "20",
            indicator=Indicator.REPORTED,
            target_name="培训农村电商人才",
            threshold="60",
            cap="120",
        )
    )
    by_region = schemes.scheme_create(
        actor=city,
        plan=plan,
        name="2018年度消费扶贫工作考核",
        subject_kind=SubjectKind.REGION,
        items=items,
        deduction="2",
        deduction_cap="6",
    )
    by_unit = schemes.scheme_create(
        actor=city,
        plan=plan,
        name="2018年度责任单位任务落实考核",
        subject_kind=SubjectKind.UNIT,
        items=[schemes.ItemInput("任务按期完成率", ItemSource.TASKS, "100")],
        deduction="5",
    )
    return [by_region, by_unit]


def build_plans(*, users: list[User], rng: random.Random, say: Callable[[str], None]) -> DemoPlans:
    by_name = {u.username: u for u in users}
    city = by_name["city"]
    unit_org = by_name["unit"].organisation
    unit_name = unit_org.unit.name if unit_org is not None and unit_org.unit is not None else "市财政局"
    counties = list(Region.objects.filter(code__in=COUNTIES).order_by("code"))
    counties.sort(key=lambda c: COUNTIES.index(c.code))
    plan = services.plan_create(
        actor=city,
        region=Region.objects.get(code=CITY),
        data=services.PlanInput(
            title="遂宁市关于深入开展消费扶贫助力打赢脱贫攻坚战实施方案",
            document_no="遂脱贫领发〔2018〕11号",
            starts_on=D(2018, 1, 1),
            ends_on=D(2018, 12, 31),
            goals="到2018年底，全市发展村级综合服务社60家、农村连锁店90家、配送中心8个，土地托管3000亩，"
            "培训农村电商人才100人。",
        ),
    )
    report = importing.import_tasks(actor=city, plan=plan, table=_task_table(unit_name), dry_run=False)
    if not report.ok:  # the layout above is fixed; a refusal here is a bug in this module
        raise RuntimeError(f"demo task list refused: {report.as_dict()}")
    _report(city, plan)
    _network(city, rng, counties)
    county_users = {
        u.organisation.region_id: u
        for u in users
        if u.username in ("chuanshan", "shehong") and u.organisation
    }
    result = DemoPlans(plan, report.written, _targets(city, plan, counties, county_users))
    _findings(city, plan, counties)
    result.schemes = _schemes(city, plan)
    say(
        f"工作方案：1 个方案，{result.tasks} 项任务，{len(result.targets)} 个目标（分解到各县区），2 个考核方案。"
    )
    return result
