"""防止返贫动态监测 in the demo: the monitoring year 2025 in 船山区, all through the income app's services by the
demo accounts (the village account for home checks and village reviews, the township office, the county office for
approval and announcement; the administrator where a household lies outside those accounts' regions):

* a visit flag (脱贫不稳定户, 因病) announced, with an overdue measure and a done one, visited;
* a visit flag (边缘易致贫户) announced, helped, its 2025 card above the line and its risk cleared (MONITOR_ENDED);
* a visit flag (突发严重困难户, 因意外) announced, with an open measure;
* a household without labour capacity announced and refused clearance (it stays monitored);
* a department screening list (应急, 因灾) importing one household, at its home check;
* a scan suggestion turned into a case (系统监测预警), and a case refused at the township review (不予纳入);
* two self-declarations from the public form: one matched (opened as a case, in its 公示), one unmatched.

Households are taken in number order among those of 船山区 with no status event after 2024, so the same demo
gives the same cases.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db.models import Max, Q
from django.test import override_settings

from yigou.accounts.models import User
from yigou.accounts.scope import restrict
from yigou.assist.models import Cadre
from yigou.core.errors import DomainError
from yigou.core.tabular import Table
from yigou.income import declarations, measures, procedure, screening
from yigou.income.cases import case_open, flags_from_scan, visit_flag
from yigou.income.enums import StepKind
from yigou.income.models import Declaration, MonitoringCase
from yigou.income.services import income_record
from yigou.regions.models import prefix_of
from yigou.registry.enums import Labour
from yigou.registry.models import Household

from .assist import DemoAssist
from .identity import fake_id_number

YEAR = 2025
COUNTY = "510903000000"
D = dt.date
STEP_DAYS = ((StepKind.HOME_CHECK, 2), (StepKind.VILLAGE_REVIEW, 5), (StepKind.TOWNSHIP_REVIEW, 12),
             (StepKind.COUNTY_APPROVAL, 15), (StepKind.ANNOUNCEMENT, 20))  # fmt: skip


# The demo account doing each step where the household lies in its region (village staff otherwise).
STEP_ACCOUNT: dict[str, str] = {
    StepKind.TOWNSHIP_REVIEW: "township",
    StepKind.COUNTY_APPROVAL: "chuanshan",
    StepKind.ANNOUNCEMENT: "chuanshan",
}


@dataclass
class DemoMonitoring:
    cases: list[MonitoringCase] = field(default_factory=list)
    refused_clearance: list[str] = field(default_factory=list)  # household numbers
    declarations: int = 0


class _Actors:
    def __init__(self, users: list[User]) -> None:
        self.by_name = {u.username: u for u in users}

    def _own(self, name: str, household: Household) -> User | None:
        user = self.by_name.get(name)
        org = getattr(user, "organisation", None)
        if user is None or org is None or not household.village_id.startswith(prefix_of(org.region_id)):
            return None
        return user

    def for_step(self, step: str, household: Household) -> User:
        name = STEP_ACCOUNT.get(step, "village")
        return self._own(name, household) or self.by_name["admin"]

    @property
    def county(self) -> User:
        return self.by_name["chuanshan"]


def _pool() -> list[Household]:
    later = Household.objects.filter(events__date__gte=D(YEAR, 1, 1)).values("pk")
    return list(
        Household.objects.filter(village__code__startswith=prefix_of(COUNTY), monitor_type="")
        .exclude(status="removed")
        .exclude(pk__in=later)
        .annotate(last=Max("events__date"))
        .filter(Q(last__isnull=True) | Q(last__lt=D(YEAR, 1, 1)))
        .order_by("number")
    )


def _consent(household: Household) -> Any:
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(
        f"{household.number}授权承诺书.pdf", b"%PDF-1.4 demo", content_type="application/pdf"
    )


def _walk(actors: _Actors, case: MonitoringCase, until: str = StepKind.ANNOUNCEMENT) -> MonitoringCase:
    for step, days in STEP_DAYS:
        files = [_consent(case.household)] if step == StepKind.HOME_CHECK else []
        procedure.step_record(
            actor=actors.for_step(step, case.household),
            case=case,
            step=step,
            date=case.discovered_on + dt.timedelta(days=days),
            note="演示：按程序办理",
            files=files,
        )
        if step == until:
            break
    case.refresh_from_db()
    return case


def _measure(actors: _Actors, case: MonitoringCase, cadre: Cadre, kind: str, text: str, start: dt.date,
             deadline: dt.date) -> Any:  # fmt: skip
    return measures.measure_add(actor=actors.county, case=case, kind=kind, description=text, cadre=cadre,
                                started_on=start, deadline=deadline)  # fmt: skip


def _card(actors: _Actors, household: Household, per_head: str) -> None:
    size = household.size or household.members.count()
    income_record(actor=actors.county, household=household, year=YEAR, component="wage",
                  amount=Decimal(per_head) * size, note="演示：入户调查")  # fmt: skip


def _flag(
    actors: _Actors, household: Household, group: str, risks: list[str], on: dt.date, finding: str
) -> Any:
    return visit_flag(actor=actors.county, household=household, risks=risks, visited_on=on, finding=finding,
                      group=group)  # fmt: skip


def _clearance(actors: _Actors, case: MonitoringCase, on: dt.date) -> MonitoringCase:
    procedure.clearance_start(actor=actors.for_step(StepKind.VILLAGE_REVIEW, case.household), case=case, date=on,
                              note="演示：收入稳定，三保障达标")  # fmt: skip
    for step, days in (
        (StepKind.TOWNSHIP_REVIEW, 7),
        (StepKind.COUNTY_APPROVAL, 9),
        (StepKind.ANNOUNCEMENT, 12),
    ):
        procedure.step_record(actor=actors.for_step(step, case.household), case=case, step=step,
                              date=on + dt.timedelta(days=days), note="演示：同意风险消除")  # fmt: skip
    case.refresh_from_db()
    return case


def build_monitoring(
    *, users: list[User], units: DemoAssist, today: dt.date, say: Callable[[str], None]
) -> DemoMonitoring:
    actors = _Actors(users)
    pool = _pool()
    found = DemoMonitoring()
    cadre = _cadre(actors, units)
    if len(pool) < 9 or cadre is None:
        say("防止返贫监测：船山区可用农户或帮扶干部不足，未生成演示数据")
        return found
    no_labour = next((h for h in pool if _without_labour(h)), None)
    rest = [h for h in pool if h != no_labour]
    unstable = _walk(
        actors, _flag(actors, rest[0], "unstable", ["illness"], D(YEAR, 3, 3), "户主突发脑梗住院")
    )
    late = _measure(
        actors, unstable, cadre, "medical", "落实大病保险和医疗救助", D(YEAR, 3, 25), D(YEAR, 6, 30)
    )
    measures.follow_up_record(actor=actors.county, measure=late, date=D(YEAR, 5, 10), note="救助申请已提交",
                              next_due=D(YEAR, 6, 10))  # fmt: skip
    done = _measure(actors, unstable, cadre, "employment", "安排公益性岗位", D(YEAR, 4, 1), D(YEAR, 8, 31))
    measures.measure_close(actor=actors.county, measure=done, status="done", closed_on=D(YEAR, 5, 20),
                           result="配偶已上岗护林员")  # fmt: skip
    marginal = _walk(actors, _flag(actors, rest[1], "marginal", ["unemployment"], D(YEAR, 2, 10), "返乡失业"))
    help_ = _measure(
        actors, marginal, cadre, "employment", "推荐到园区企业务工", D(YEAR, 3, 12), D(YEAR, 5, 31)
    )
    measures.measure_close(actor=actors.county, measure=help_, status="done", closed_on=D(YEAR, 4, 20),
                           result="已稳定务工")  # fmt: skip
    _card(actors, marginal.household, "9800.00")
    marginal = _clearance(actors, marginal, D(YEAR, 9, 1))
    sudden = _walk(
        actors, _flag(actors, rest[2], "sudden", ["accident"], D(YEAR, 4, 2), "车祸致家庭主要劳动力伤残")
    )
    _measure(
        actors,
        sudden,
        cadre,
        "safety_net",
        "申请临时救助并纳入低保",
        D(YEAR, 4, 28),
        today + dt.timedelta(days=90),
    )
    found.cases += [unstable, marginal, sudden]
    if no_labour is not None:
        kept = _walk(
            actors,
            _flag(actors, no_labour, "unstable", ["disability"], D(YEAR, 3, 6), "家中均为高龄或残疾人员"),
        )
        _card(actors, no_labour, "9800.00")
        try:
            procedure.clearance_start(actor=actors.for_step(StepKind.VILLAGE_REVIEW, no_labour), case=kept,
                                      date=D(YEAR, 9, 1), note="演示：申请风险消除")  # fmt: skip
        except DomainError:
            found.refused_clearance.append(no_labour.number)
        found.cases.append(kept)
    found.cases += _channels(actors, rest[3:], today)
    found.declarations = 2
    say(
        f"防止返贫监测：{YEAR}年监测对象 {len(found.cases)} 户，风险消除 1 户，无劳动能力不予消除 {len(found.refused_clearance)} 户"
    )
    return found


def _without_labour(household: Household) -> bool:
    labours = list(household.members.values_list("labour", flat=True))
    return bool(labours) and all(labour in (Labour.LOST, Labour.NONE) for labour in labours)


def _channels(actors: _Actors, pool: list[Household], today: dt.date) -> list[MonitoringCase]:
    cases: list[MonitoringCase] = []
    member = pool[0].members.order_by("id").first()
    assert member is not None
    table = Table(
        [c.header for c in screening.COLUMNS],
        [[member.id_number, member.name, f"{YEAR}-07-15", "", "暴雨致房屋受损"]],
        "utf-8",
    )
    report = screening.import_screening(
        actor=actors.county, table=table, department="emergency", dry_run=False
    )
    if report.written:
        case = MonitoringCase.objects.get(household=pool[0])
        cases.append(_walk(actors, case, until=StepKind.HOME_CHECK))
    low = pool[1]
    _card(actors, low, "3000.00")
    cases += flags_from_scan(actor=actors.county, region_code=COUNTY, year=YEAR, households=[low.number],
                             discovered_on=D(YEAR, 8, 1))  # fmt: skip
    refused = case_open(actor=actors.county, household=pool[2], group="marginal", risks=["business_failure"],
                        channel="visit", discovered_on=D(YEAR, 5, 6), note="养殖失败")  # fmt: skip
    _walk(actors, refused, until=StepKind.VILLAGE_REVIEW)
    procedure.step_record(actor=actors.for_step(StepKind.TOWNSHIP_REVIEW, pool[2]), case=refused,
                          step=StepKind.TOWNSHIP_REVIEW, date=D(YEAR, 5, 20), approved=False,
                          note="核实家庭有稳定务工收入，不予纳入")  # fmt: skip
    refused.refresh_from_db()
    cases.append(refused)
    declared = pool[3].members.order_by("id").first()
    assert declared is not None
    with _unlimited():  # loading the demo twice in one process must not meet the public form's rate limit
        receipt = declarations.submit(
            name=declared.name,
            id_number=declared.id_number,
            phone="13800138000",
            risk_type="illness",
            description="家人重病住院，花费较大",
            client_ip="demo",
        )
        declarations.submit(name="赵某某", id_number=fake_id_number("510903", D(1980, 1, 1), 9999, male=False),
                            phone="13900139000", risk_type="disaster", description="房屋被洪水冲毁，无处居住",
                            client_ip="demo")  # fmt: skip
    row = Declaration.objects.get(reference=receipt.reference)
    opened = declarations.declaration_open_case(actor=actors.county, declaration=row, group="marginal")
    procedure.step_record(actor=actors.for_step(StepKind.HOME_CHECK, pool[3]), case=opened,
                          step=StepKind.HOME_CHECK, date=today, files=[_consent(pool[3])])  # fmt: skip
    opened.refresh_from_db()
    cases.append(opened)
    return cases


def _unlimited() -> Any:
    rules = {**settings.YIGOU_MONITORING_RULES, "declaration_per_ip": 10**9, "declaration_per_id": 10**9}
    return override_settings(YIGOU_MONITORING_RULES=rules)


def _cadre(actors: _Actors, units: DemoAssist) -> Cadre | None:
    """The first demo cadre the county office may name as responsible (one of its own units, or paired there)."""
    ids = [c.pk for c in units.cadres]
    return restrict(actors.county, Cadre.objects.filter(pk__in=ids, is_active=True)).order_by("pk").first()
