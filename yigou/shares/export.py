"""The dashboard as an XLSX workbook: a summary sheet and one row per budget unit."""

from __future__ import annotations

from decimal import Decimal

from yigou.core.xlsx import Cell, Sheet, write_workbook

from .selectors import Dashboard, Row

HEADERS = [
    "单位名称",
    "所在区划",
    "填报状态",
    "食堂情况",
    "食堂食材采购总额（元）",
    "预留比例（%）",
    "预留金额（元）",
    "工会份额（元）",
    "目标合计（元）",
    "已完成（元）",
    "完成率（%）",
    "进度落后",
    "说明",
]


def _num(value: Decimal | None) -> Cell:
    return float(value) if value is not None else None


def _row(row: Row) -> list[Cell]:
    f = row.filing
    own = f is not None and row.owns
    note = f.note if f is not None else ""
    return [
        row.unit.name,
        row.unit.region.name,
        row.status_label,
        f.get_mode_display() if f else "",
        _num(f.canteen_total) if own and f else None,
        _num(f.ratio) if own and f else None,
        _num(f.reserved_amount) if own and f else None,
        _num(f.union_amount) if own and f else None,
        _num(row.target),
        _num(row.done) if row.owns else None,
        _num(row.rate),
        "是" if row.behind else "",
        note,
    ]


def workbook(board: Dashboard) -> bytes:
    place = board.region.name if board.region else "全部地区"
    summary: list[list[Cell]] = [
        ["预算单位数", board.registered],
        ["已填报", board.filed],
        ["未填报", board.not_filed],
        ["预留总额（元）", _num(board.reserved_total)],
        ["已完成（元）", _num(board.completed_total)],
        ["完成率（%）", _num(board.rate)],
        ["时间进度（%）", _num(board.elapsed)],
        ["从未采购的单位", len(board.never_bought)],
        ["进度落后的单位", len(board.behind)],
    ]
    return write_workbook(
        [
            Sheet(
                name="汇总",
                headers=["项目", "数值"],
                rows=summary,
                title=f"{place}{board.year}年预留份额完成情况",
            ),
            Sheet(
                name="单位明细",
                headers=HEADERS,
                rows=[_row(r) for r in board.rows],
                title=f"{place}{board.year}年预算单位预留份额明细",
            ),
        ]
    )
