"""XLSX exports of the income card and the monitoring, in the registry's layout: a title row naming the time, the
row count and whether personal data is masked, a header row, data rows; each export audited (a full reveal twice).
Money is written as numbers in yuan, exact to the fen."""

from __future__ import annotations

from typing import Any

from yigou.accounts.scope import ensure_can
from yigou.core.xlsx import Cell, Sheet
from yigou.regions.models import Region
from yigou.registry.exports import Export, Pii, finish_export, may_reveal

from .cards import CardRow, region_cards
from .enums import Component
from .selectors import line_for

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
