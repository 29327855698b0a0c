"""Labels of parties as lists and exports show them (households masked), and the XLSX of the contract list."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal

from yigou.core.masking import mask_name
from yigou.core.xlsx import Sheet, write_workbook

from .enums import PartyKind, PartySide
from .figures import ContractFigures, contract_figures
from .models import Contract, ContractParty

HEADERS = [
    "合同编号",
    "合同名称",
    "状态",
    "签订日期",
    "履行期开始",
    "履行期结束",
    "购买方",
    "销售方",
    "约定金额（元）",
    "已交付金额（元）",
    "未交付金额（元）",
    "逾期未交金额（元）",
    "是否逾期",
]


def party_label(party: ContractParty) -> str:
    if party.kind == PartyKind.HOUSEHOLD:
        household = party.household
        return f"{mask_name(household.head_name)}（{household.number}）" if household else ""
    return str(party.target)


def side_labels(contract: Contract, side: str) -> str:
    return "、".join(party_label(p) for p in contract.parties.all() if p.side == side)


def _money(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def figures_by_contract(contracts: list[Contract], as_of: dt.date) -> dict[int, ContractFigures]:
    items = [item for contract in contracts for item in contract.items.all()]
    everything = contract_figures(items, as_of)
    return {
        c.pk: ContractFigures([f for f in everything.items if f.item.contract_id == c.pk], as_of)
        for c in contracts
    }


def contracts_xlsx(contracts: Iterable[Contract], as_of: dt.date, title: str) -> bytes:
    rows_in = list(contracts)
    figures = figures_by_contract(rows_in, as_of)
    rows = []
    for c in rows_in:
        f = figures[c.pk]
        rows.append(
            [
                c.number,
                c.title,
                c.get_status_display(),
                str(c.signed_on),
                str(c.period_start),
                str(c.period_end),
                side_labels(c, PartySide.BUYER),
                side_labels(c, PartySide.SELLER),
                _money(f.agreed_value),
                _money(f.delivered_value),
                _money(f.outstanding_value),
                _money(f.late_value),
                "是" if f.is_late else "否",
            ]
        )
    return write_workbook([Sheet(name="认购合同", headers=HEADERS, rows=rows, title=title)])
