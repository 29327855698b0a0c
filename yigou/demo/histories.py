"""Status histories: identification (2014–2016), exits (2017–2019), look-back corrections, returns, monitoring.

A history is planned in memory as a list of dated steps, always in date order, and then written through the
registry services, which check every transition again.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field

from yigou.registry.enums import EventKind, EventSource, MonitorType
from yigou.registry.enums import IdentificationStepKind as Step

EXIT_REASONS = [
    "家庭人均纯收入稳定超过国家扶贫标准，实现“两不愁三保障”，经村评议、乡审核、县审定退出",
    "发展特色种养业增收，人均纯收入超过当年脱贫标准，住房、教育、医疗均有保障",
    "家庭成员稳定务工，人均纯收入超过当年脱贫标准，经民主评议公示无异议退出",
    "通过入股分红和订单收购稳定增收，达到“一超六有”脱贫标准",
]
REMOVAL_REASONS = [
    "回头看：家庭成员有财政供养人员，不符合建档立卡标准，属错评",
    "回头看：家庭在城区购有商品房并拥有小轿车，属错评",
    "回头看：户主经营个体工商户，家庭收入明显高于扶贫标准，属错评",
]
ADDITION_REASONS = [
    "回头看：因病致贫，家庭人均纯收入低于扶贫标准，属漏评，经两公示一公告补录",
    "回头看：因残致贫、缺劳动力，属漏评，补录建档立卡",
]
RETURN_REASONS = [
    "因病返贫：户主患大病，医疗支出大",
    "因灾返贫：房屋受暴雨损毁",
    "因残返贫：主要劳动力意外致残",
]
MONITOR_REASONS: dict[str, str] = {
    MonitorType.UNSTABLE: "脱贫不稳定：主要收入来源单一，务工收入下降",
    MonitorType.MARGINAL: "边缘易致贫：家庭人均纯收入略高于脱贫标准，刚性支出大",
    MonitorType.SUDDEN: "突发严重困难：家庭成员突患重病，医疗支出超过家庭承受能力",
}
STEP_NOTES = {
    Step.APPLICATION: "农户提交书面申请",
    Step.VILLAGE_REVIEW: "村民代表大会评议通过",
    Step.FIRST_NOTICE: "村内公示7天，无异议",
    Step.TOWNSHIP_REVIEW: "乡镇人民政府审核通过",
    Step.SECOND_NOTICE: "乡镇公示7天，无异议",
    Step.COUNTY_CHECK: "县扶贫和移民工作局审定",
    Step.ANNOUNCEMENT: "县级公告",
}
STEP_GAPS = [0, 9, 2, 10, 8, 10, 6]  # days after the previous step


@dataclass
class Entry:
    kind: str
    date: dt.date
    reason: str = ""
    monitor_type: str = ""
    source: str = EventSource.IMPORT


@dataclass
class History:
    steps: list[tuple[str, dt.date, str]] = field(default_factory=list)  # the 精准识别 procedure, if any
    entries: list[Entry] = field(default_factory=list)
    registered_on: dt.date | None = None

    @property
    def last(self) -> dt.date:
        dates = [e.date for e in self.entries] + [s[1] for s in self.steps]
        return max(dates) if dates else dt.date(2014, 1, 1)


def _day(rng: random.Random, year: int, months: tuple[int, int] = (1, 12)) -> dt.date:
    return dt.date(year, rng.randint(*months), rng.randint(1, 28))


def _after(rng: random.Random, history: History, year: int, months: tuple[int, int] = (1, 12)) -> dt.date:
    return max(_day(rng, year, months), history.last + dt.timedelta(days=30))


def _identify(rng: random.Random, history: History, *, procedure: bool) -> None:
    year = rng.choices([2014, 2015, 2016], [70, 18, 12])[0]
    if not procedure:
        day = _day(rng, year, (9, 11))
        history.entries.append(Entry(EventKind.IDENTIFIED, day, f"{year}年建档立卡，历史数据导入"))
        history.registered_on = day
        return
    day = _day(rng, year, (3, 6))
    for step, gap in zip(Step, STEP_GAPS, strict=True):
        day += dt.timedelta(days=gap)
        history.steps.append((step.value, day, STEP_NOTES[step]))
    history.registered_on = day  # the announcement appends the 'identified' event itself


def _exit_and_return(rng: random.Random, history: History) -> None:
    if rng.random() < 0.015:
        day = _after(rng, history, 2017, (5, 10))
        history.entries.append(Entry(EventKind.LOOKBACK_REMOVED, day, rng.choice(REMOVAL_REASONS)))
        return
    if rng.random() < 0.2:
        return  # still poor at the end of 2019
    year = max(rng.choices([2017, 2018, 2019], [32, 40, 28])[0], history.last.year + 1)
    history.entries.append(
        Entry(EventKind.EXITED, _after(rng, history, year, (10, 12)), rng.choice(EXIT_REASONS))
    )
    if rng.random() < 0.03:
        history.entries.append(
            Entry(
                EventKind.RETURNED,
                _after(rng, history, history.last.year + 1, (3, 9)),
                rng.choice(RETURN_REASONS),
            )
        )


def _monitor(rng: random.Random, history: History, monitor_type: str) -> None:
    start = _day(rng, rng.choice([2021, 2021, 2022, 2023]), (3, 10))
    history.entries.append(
        Entry(
            EventKind.MONITOR_STARTED, start, MONITOR_REASONS[monitor_type], monitor_type, EventSource.MANUAL
        )
    )
    if rng.random() < 0.4:
        end = _day(rng, start.year + 1, (6, 12))
        history.entries.append(
            Entry(
                EventKind.MONITOR_ENDED,
                end,
                "风险已消除，经村评议、乡审核解除监测",
                source=EventSource.MANUAL,
            )
        )


def _add_monitoring(rng: random.Random, history: History) -> None:
    kinds = {e.kind for e in history.entries}
    if EventKind.LOOKBACK_REMOVED in kinds:
        return
    roll = rng.random()
    if roll < 0.01:
        _monitor(rng, history, MonitorType.SUDDEN)
    elif EventKind.EXITED in kinds and roll < 0.08:
        _monitor(rng, history, MonitorType.UNSTABLE)
    elif history.registered_on is None and roll < 0.04:
        _monitor(rng, history, MonitorType.MARGINAL)


def plan_history(rng: random.Random, *, poor: bool, procedure: bool) -> History:
    history = History()
    if poor:
        _identify(rng, history, procedure=procedure)
        _exit_and_return(rng, history)
    elif rng.random() < 0.02:
        day = _day(rng, 2017, (6, 12))
        history.entries.append(
            Entry(EventKind.LOOKBACK_ADDED, day, rng.choice(ADDITION_REASONS), source="manual")
        )
        history.registered_on = day
        if rng.random() < 0.6:
            history.entries.append(
                Entry(EventKind.EXITED, _day(rng, 2019, (10, 12)), rng.choice(EXIT_REASONS))
            )
    _add_monitoring(rng, history)
    return history
