"""The yearly survey import (入户调查年度导入): one row per household, year and income component, all-or-nothing,
with the same template and Chinese per-row report as the other imports. Every row goes through
`services.income_record` (source 年度导入), so the checks live in one place; nothing is written if any row fails."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from yigou.accounts.scope import ensure_can, restrict
from yigou.core import audit
from yigou.core.columns import Choices, Column, RowReader, optional_text, required_headers
from yigou.core.errors import DomainError
from yigou.core.importing import ImportReport, require_headers, row_dicts
from yigou.core.tabular import Table
from yigou.registry.importers.common import WriteFailed, run_with_failures
from yigou.registry.models import Household

from .checks import check_amount, check_year
from .enums import Component, Source
from .services import MAX_NOTE, income_record

C_HOUSEHOLD, C_YEAR, C_COMPONENT, C_AMOUNT, C_NOTE = "户编号", "年度", "收入构成", "金额", "说明"

# The short names cadres write on their survey sheets.
COMPONENTS = Choices(
    Component,
    synonyms={
        "工资性": Component.WAGE,
        "工资": Component.WAGE,
        "经营性": Component.BUSINESS,
        "财产性": Component.PROPERTY,
        "转移性": Component.TRANSFER,
        "生产经营性支出": Component.COST,
        "生产性支出": Component.COST,
        "生产经营支出": Component.COST,
    },
)

COLUMNS = [
    Column(C_HOUSEHOLD, True, "农户的户编号，须在您的管辖范围内。", "16位户编号", "5109031010010001"),
    Column(C_YEAR, True, "收入所属年度。", "四位年份，如 2019", "2019"),
    Column(
        C_COMPONENT,
        True,
        "收入构成；生产经营性支出从纯收入中扣除。",
        "、".join(COMPONENTS.labels),
        "工资性收入",
    ),
    Column(C_AMOUNT, True, "全年金额（元），填正数。", "大于0，最多2位小数", "12000.00"),
    Column(
        C_NOTE, False, "收入来源或依据，如务工地点、种养品种。", f"不超过{MAX_NOTE}字", "在遂宁务工 10 个月"
    ),
]


@dataclass
class IncomePlan:
    line: int
    household: Household
    year: int
    component: str
    amount: Decimal
    note: str


def detail_of(exc: DomainError) -> str:
    """The Chinese reason without the generic “输入有误：” prefix, as a report cell reads best."""
    return str(exc.params.get("detail", exc.message))


def _households(actor: Any, rows: list[tuple[int, dict[str, str]]]) -> dict[str, Household]:
    numbers = {(cells.get(C_HOUSEHOLD) or "").strip() for _, cells in rows} - {""}
    return {h.number: h for h in restrict(actor, Household.objects.filter(number__in=numbers))}


def _checked(check: Any) -> Any:
    def parse(text: str) -> Any:
        try:
            return check(text)
        except DomainError as exc:
            raise DomainError(exc.code, detail_of(exc)) from None

    return parse


def _parse_row(
    line: int, cells: dict[str, str], households: dict[str, Household], report: ImportReport
) -> IncomePlan | None:
    reader = RowReader(line, cells, report)
    number = reader.text(C_HOUSEHOLD)
    household = households.get(number)
    if not number:
        reader.error(C_HOUSEHOLD, "不能为空")
    elif household is None:
        reader.error(C_HOUSEHOLD, f"户编号 {number} 的农户不存在或不在您的管辖范围内")
    year = reader.get(C_YEAR, _checked(check_year))
    component = reader.get(C_COMPONENT, lambda t: COMPONENTS.parse(C_COMPONENT, t))
    amount = reader.get(C_AMOUNT, _checked(check_amount))
    note = reader.get(C_NOTE, optional_text(C_NOTE, MAX_NOTE)) or ""
    if reader.failed or household is None or year is None or component is None or amount is None:
        return None
    return IncomePlan(line, household, year, component, amount, note)


def _write(actor: Any, plans: list[IncomePlan]) -> int:
    for plan in plans:
        try:
            income_record(
                actor=actor,
                household=plan.household,
                year=plan.year,
                component=plan.component,
                amount=plan.amount,
                source=Source.IMPORT,
                note=plan.note,
            )
        except DomainError as exc:
            raise WriteFailed(plan.line, C_HOUSEHOLD, detail_of(exc)) from exc
    audit.record(
        actor=actor,
        action="import",
        target_type="income.incomeentry",
        region_code=getattr(actor, "audit_region_code", ""),
        note=f"批量导入入户调查收入 {len(plans)} 条",
    )
    return len(plans)


def import_income(*, actor: Any, table: Table, dry_run: bool) -> ImportReport:
    """Check every row; unless dry_run, record every entry in one transaction, or none when any row fails."""
    ensure_can(actor, "income.record")
    require_headers(table, required_headers(COLUMNS))
    rows = row_dicts(table)
    households = _households(actor, rows)
    report = ImportReport(total_rows=len(rows))
    plans = [p for line, cells in rows if (p := _parse_row(line, cells, households, report)) is not None]
    return run_with_failures(
        parsed=plans, report=report, dry_run=dry_run, write=lambda p: _write(actor, p), headers=table.headers
    )
