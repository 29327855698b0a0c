"""When a monitored household's risk may be cleared (风险消除).

Stable income: the income card is kept per year, not per month, so a month counts as "above the line" when the
projected per-capita net income of its year — the card as it stands, entries plus ledger sales — is strictly above
that year's monitoring line. Clearance on a date needs each of the last `stable_months` months (the month of the
date and the ones before it; YIGOU_MONITORING_RULES) above the line: with 6 months, a clearance on 10 June 2020
looks at January–June 2020 (the 2020 card), one on 10 May 2020 at December 2019–May 2020 (the 2019 and 2020
cards). A year without a card, without a household size or without a line is not above the line.

No 三保障 gap: no item's latest check of the date's year is failed.
No labour capacity (every member 丧失劳动力 or 无劳动力): never cleared — such a household stays under regular
monitoring (常态化监测).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.conf import settings

from yigou.core.errors import DomainError
from yigou.registry.enums import Labour
from yigou.registry.models import Household

from .figures import yuan
from .models import MonitoringCase
from .selectors import gaps, incomes, line_for

NO_LABOUR = (Labour.LOST, Labour.NONE)
NO_LABOUR_MESSAGE = "无劳动能力家庭纳入常态化监测，不予风险消除"


def stable_months() -> int:
    return int(settings.YIGOU_MONITORING_RULES["stable_months"])


def months_before(on: dt.date, count: int) -> list[tuple[int, int]]:
    """(year, month) of the `count` months ending with the month of `on`, oldest first."""
    index = on.year * 12 + on.month - 1
    return [(i // 12, i % 12 + 1) for i in range(index - count + 1, index + 1)]


@dataclass
class Assessment:
    """Whether a household may be cleared on a date, and why not in Chinese."""

    on: dt.date
    no_labour: bool = False
    reasons: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.no_labour and not self.reasons


def has_no_labour(household: Household) -> bool:
    labours = list(household.members.values_list("labour", flat=True))
    return bool(labours) and all(labour in NO_LABOUR for labour in labours)


def _income_reason(household: Household, year: int, months: list[int]) -> str | None:
    line = line_for(year, household.village_id)
    span = f"{year}年{months[0]}月" + (f"至{months[-1]}月" if len(months) > 1 else "")
    if line is None:
        return f"{year}年未设置监测线，无法判断{span}收入是否稳定高于监测线"
    income = incomes(year, household.village_id).get(household.pk)
    if income is None:
        return f"{year}年无收入台账记录，无法判断{span}收入是否稳定高于监测线"
    pc = income.per_capita
    if pc is None:
        return f"{year}年家庭人口为 0，无法计算人均纯收入"
    if pc <= line.amount:
        return f"{span}（{year}年）人均纯收入 {yuan(pc)}，未高于监测线 {yuan(line.amount)}"
    return None


def assess(household: Household, on: dt.date) -> Assessment:
    """The rules of clearance for a household on a date (a read; nothing is stored)."""
    result = Assessment(on, no_labour=has_no_labour(household))
    count = stable_months()
    by_year: dict[int, list[int]] = {}
    for year, month in months_before(on, count):
        by_year.setdefault(year, []).append(month)
    failed = [r for year, months in by_year.items() if (r := _income_reason(household, year, months))]
    if failed:
        result.reasons.append(f"人均纯收入须连续 {count} 个月稳定高于监测线：" + "；".join(failed))
    open_gaps = gaps(on.year, household.village_id).get(household.pk, [])
    if open_gaps:
        items = "、".join(f"{g.label}（{g.checked_on} 核查）" for g in open_gaps)
        result.reasons.append(f"{on.year}年三保障仍有未达标事项：{items}")
    return result


def ensure_clearable(case: MonitoringCase, on: dt.date) -> None:
    result = assess(case.household, on)
    if result.no_labour:
        raise DomainError("clearance_refused", NO_LABOUR_MESSAGE)
    if result.reasons:
        raise DomainError("clearance_refused", "不能风险消除：" + "；".join(result.reasons))
