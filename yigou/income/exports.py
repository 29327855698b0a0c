"""XLSX exports of the income card and the monitoring, in the registry's layout: a title row naming the time, the
row count and whether personal data is masked, a header row, data rows; each export audited (a full reveal twice).
Money is written as numbers in yuan, exact to the fen."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from yigou.accounts.scope import ensure_can, restrict
from yigou.core.xlsx import Cell, Sheet
from yigou.regions.models import Region
from yigou.registry.enums import Relation
from yigou.registry.exports import Export, Pii, finish_export, may_reveal
from yigou.registry.models import Member

from .cards import CardRow, region_cards
from .enums import Component, StepKind
from .models import Measure, MonitoringCase
from .procedure import next_step
from .selectors import is_overdue, line_for, next_visit_due

CARD_HEADERS = [
    "户编号",
    "村代码",
    "所在村",
    "户主",
    "户主身份证号",
    "当前状态",
    "监测类型",
    "家庭人口",
    *[c.label for c in Component],
    "家庭纯收入",
    "人均纯收入",
    "监测线",
    "三保障未达标事项",
]


def _money(value: Any) -> float | None:
    return None if value is None else float(value)


def _card_row(row: CardRow, pii: Pii, line: Any) -> list[Cell]:
    hh, income = row.household, row.income
    return [
        hh.number,
        hh.village_id,
        hh.village.name,
        hh.head_name,
        pii.id_number(row.head_id_number),
        hh.get_status_display(),
        hh.get_monitor_type_display() if hh.monitor_type else "",
        income.size,
        *[_money(row.amount(c)) for c in Component],
        _money(income.net_income),
        _money(income.per_capita),
        _money(line.amount) if line is not None else None,
        "、".join(g.label for g in row.gaps),
    ]


def export_cards(*, actor: Any, region: Region, year: int, reveal: bool = False) -> Export:
    """One row per household with a card for the year in the region subtree, by household number."""
    ensure_can(actor, "export")
    pii = may_reveal(actor, reveal)
    rows = region_cards(actor, region, year)
    line = line_for(year, region.code)
    sheet = Sheet(name="收入台账", headers=CARD_HEADERS, rows=[_card_row(r, pii, line) for r in rows])
    return finish_export(
        actor=actor,
        what=f"{region.name}{year}年收入台账",
        target_type="income.incomeentry",
        sheet=sheet,
        rows=len(rows),
        pii=pii,
        filters={"region": region.code, "year": str(year)},
    )


CASE_HEADERS = [
    "户编号",
    "户主",
    "户主身份证号",
    "所在村",
    "监测类型",
    "风险类型",
    "发现渠道",
    "发现日期",
    "状态",
    "所处程序",
    "下一步",
    "纳入监测日期",
    "风险消除日期",
    "帮扶措施数",
    "逾期措施数",
]


def _head_ids(cases: list[MonitoringCase]) -> dict[int, str]:
    heads = Member.objects.filter(household_id__in={c.household_id for c in cases}, relation=Relation.HEAD)
    return {m.household_id: m.id_number for m in heads}


def _date(value: dt.date | None) -> str:
    return value.isoformat() if value else ""


def _case_row(case: MonitoringCase, head_id: str, pii: Pii, today: dt.date) -> list[Cell]:
    hh = case.household
    rows = list(case.measures.all())
    step = next_step(case)
    return [
        hh.number,
        hh.head_name,
        pii.id_number(head_id),
        hh.village.name,
        case.get_group_display(),
        "、".join(case.risk_labels),
        case.get_channel_display(),
        _date(case.discovered_on),
        case.get_status_display(),
        case.get_phase_display(),
        StepKind(step).label if step else "",
        _date(case.started_on),
        _date(case.ended_on),
        len(rows),
        sum(1 for m in rows if is_overdue(m, today)),
    ]


def export_cases(
    *, actor: Any, cases: QuerySet[MonitoringCase], filters: dict[str, str], reveal: bool = False
) -> Export:
    """One row per case of the list (its filters), newest discovery first."""
    ensure_can(actor, "export")
    pii = may_reveal(actor, reveal)
    rows = list(cases.select_related("household__village").prefetch_related("measures", "steps")[:10000])
    heads, today = _head_ids(rows), timezone.localdate()
    sheet = Sheet(
        name="监测对象",
        headers=CASE_HEADERS,
        rows=[_case_row(c, heads.get(c.household_id, ""), pii, today) for c in rows],
    )
    return finish_export(
        actor=actor,
        what="防止返贫监测对象",
        target_type="income.monitoringcase",
        sheet=sheet,
        rows=len(rows),
        pii=pii,
        filters=filters,
    )


MEASURE_HEADERS = [
    "户编号",
    "户主",
    "所在村",
    "监测类型",
    "措施类型",
    "措施内容",
    "责任干部",
    "开始日期",
    "完成期限",
    "状态",
    "是否逾期",
    "走访次数",
    "最近走访",
    "下次走访",
]


def _measure_row(m: Measure, today: dt.date) -> list[Cell]:
    hh = m.case.household
    visits = sorted(m.follow_ups.all(), key=lambda v: (v.date, v.pk))
    return [
        hh.number,
        hh.head_name,
        hh.village.name,
        m.case.get_group_display(),
        m.get_kind_display(),
        m.description,
        m.cadre.name,
        _date(m.started_on),
        _date(m.deadline),
        m.get_status_display(),
        "是" if is_overdue(m, today) else "否",
        len(visits),
        _date(visits[-1].date) if visits else "",
        _date(next_visit_due(m)),
    ]


def export_measures(*, actor: Any, cases: QuerySet[MonitoringCase], filters: dict[str, str]) -> Export:
    """The measures of the list's cases, by household and start date; no personal data beyond the head's name."""
    ensure_can(actor, "export")
    rows = list(
        restrict(actor, Measure.objects.filter(case__in=cases.values("pk")))
        .select_related("case__household__village", "cadre")
        .prefetch_related("follow_ups")
        .order_by("case__household__number", "started_on", "id")[:20000]
    )
    today = timezone.localdate()
    sheet = Sheet(name="帮扶措施", headers=MEASURE_HEADERS, rows=[_measure_row(m, today) for m in rows])
    return finish_export(
        actor=actor,
        what="防止返贫帮扶措施",
        target_type="income.measure",
        sheet=sheet,
        rows=len(rows),
        pii=Pii(False),
        filters=filters,
    )
