"""Imports of benefit distribution, all-or-nothing with the same Chinese report and XLSX template as the other
imports: a cooperative's members' transaction book, a PV station's monthly grid settlement, and an enterprise's
piece work into one batch. Each row goes through the same service as a page entry, so the checks live there."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import Any

from yigou.accounts.scope import ensure_can, restrict
from yigou.core import audit
from yigou.core.columns import CellError, Column, RowReader, optional_text, required_headers, required_text
from yigou.core.errors import DomainError
from yigou.core.importing import ImportReport, require_headers, row_dicts
from yigou.core.tabular import Table, parse_date
from yigou.registry.importers.common import WriteFailed, run_with_failures
from yigou.registry.models import CoopMember, Member, Producer

from . import book, piecework, pv
from .enums import Source
from .models import Distribution, PvStation
from .plans import ensure_editable

C_HOUSEHOLD, C_MEMBER, C_DATE, C_PRODUCT = "户编号", "社员姓名", "交易日期", "产品"
C_QUANTITY, C_UNIT, C_AMOUNT, C_NOTE = "数量", "单位", "交易额（元）", "说明"
C_YEAR, C_MONTH, C_KWH, C_REVENUE = "年度", "月份", "发电量（千瓦时）", "结算金额（元）"
C_NAME, C_WORK, C_PIECES, C_PAY = "姓名", "工种/产品", "计件数量", "计件工资（元）"

BOOK_COLUMNS = [
    Column(
        C_HOUSEHOLD,
        False,
        "社员所在农户的户编号；不填则按社员姓名查找。",
        "本社社员的户编号",
        "5109031010010001",
    ),
    Column(C_MEMBER, True, "社员姓名，须为本社登记的社员。", "不超过100字", "张德明"),
    Column(C_DATE, True, "交易日期。", "2018-04-01、2018/4/1 或 2018年4月1日", "2018-06-01"),
    Column(C_PRODUCT, True, "交易的产品。", "不超过100字", "蔬菜"),
    Column(C_QUANTITY, False, "数量。", "最多3位小数", "500"),
    Column(C_UNIT, False, "计量单位。", "不超过16字", "公斤"),
    Column(C_AMOUNT, True, "交易额（元）；更正以负数登记并写明说明。", "最多2位小数", "1500.00"),
    Column(C_NOTE, False, "说明。", "不超过300字", ""),
]
PV_COLUMNS = [
    Column(C_YEAR, True, "结算年度。", "四位年份", "2018"),
    Column(C_MONTH, True, "结算月份。", "1 到 12", "1"),
    Column(C_KWH, True, "当月上网电量（千瓦时），按电网结算单。", "不小于0，最多2位小数", "10000"),
    Column(C_REVENUE, True, "当月结算电费收入（元），按电网结算单。", "不小于0，最多2位小数", "8500.00"),
]
PIECE_COLUMNS = [
    Column(C_HOUSEHOLD, True, "人员所在农户的户编号。", "与本企业有带贫联结的农户", "5109031010010001"),
    Column(C_NAME, True, "家庭成员姓名。", "该户的家庭成员", "李秀英"),
    Column(C_MONTH, True, "计件工资所属月份。", "1 到 12", "1"),
    Column(C_WORK, False, "工种或产品。", "不超过100字", "柳编"),
    Column(C_PIECES, True, "计件数量。", "不小于0，最多2位小数", "300"),
    Column(C_PAY, True, "当月计件工资（元）。", "大于0，最多2位小数", "450.00"),
]


def _date(text: str) -> dt.date:
    if not text:
        raise CellError(C_DATE, "不能为空")
    try:
        return parse_date(text)
    except DomainError as exc:
        raise CellError(C_DATE, exc.message) from None


@dataclass
class Planned:
    line: int
    write: Callable[[], Any]


def _run(
    actor: Any, table: Table, plans: list[Planned], report: ImportReport, dry_run: bool, what: str
) -> ImportReport:
    def write(rows: list[Planned]) -> int:
        for plan in rows:
            try:
                plan.write()
            except DomainError as exc:
                raise WriteFailed(plan.line, table.headers[0], exc.message) from exc
        audit.record(
            actor=actor,
            action="import",
            target_type="benefits",
            region_code=getattr(actor, "audit_region_code", ""),
            note=f"批量导入{what} {len(rows)} 条",
        )
        return len(rows)

    return run_with_failures(parsed=plans, report=report, dry_run=dry_run, write=write, headers=table.headers)


def _member_of(members: list[CoopMember], number: str, name: str) -> CoopMember:
    if number:
        found = [m for m in members if m.household and m.household.number == number]
        if not found:
            raise CellError(C_HOUSEHOLD, f"户编号 {number} 不是本社社员")
        return found[0]
    found = [m for m in members if m.name == name]
    if len(found) != 1:
        raise CellError(
            C_MEMBER,
            f"本社{'没有' if not found else '有多名'}名为“{name}”的社员"
            + ("，请填写户编号" if found else ""),
        )
    return found[0]


def import_book(*, actor: Any, producer: Producer, table: Table, dry_run: bool) -> ImportReport:
    ensure_can(actor, "benefits.manage", producer)
    book.ensure_cooperative(producer)
    require_headers(table, required_headers(BOOK_COLUMNS))
    rows = row_dicts(table)
    members = list(producer.members.select_related("household"))
    report, plans = ImportReport(total_rows=len(rows)), list[Planned]()
    for line, cells in rows:
        reader = RowReader(line, cells, report)
        name = reader.get(C_MEMBER, required_text(C_MEMBER, 100)) or ""
        member = reader.get(C_HOUSEHOLD, lambda t, n=name: _member_of(members, t, n))  # type: ignore[misc]
        data = book.BookInput(
            member=member,  # type: ignore[arg-type]
            date=reader.get(C_DATE, _date) or dt.date.min,
            product=reader.get(C_PRODUCT, required_text(C_PRODUCT, 100)) or "",
            amount=reader.get(C_AMOUNT, required_text(C_AMOUNT, 20)),
            quantity=reader.get(C_QUANTITY, optional_text(C_QUANTITY, 20)) or None,
            unit=reader.get(C_UNIT, optional_text(C_UNIT, 16)) or "",
            note=reader.get(C_NOTE, optional_text(C_NOTE, 300)) or "",
        )
        if reader.failed:
            continue
        try:
            book.check_book(producer, data)
            book.ensure_year_open(producer, data.date.year)
        except DomainError as exc:
            reader.error(
                _BOOK_FIELDS.get(exc.field or "", C_AMOUNT), str(exc.params.get("detail", exc.message))
            )
            continue
        plans.append(
            Planned(
                line,
                partial(book.book_record, actor=actor, producer=producer, data=data, source=Source.IMPORT),
            )
        )
    return _run(actor, table, plans, report, dry_run, "社员交易记录")


_BOOK_FIELDS = {"member": C_MEMBER, "date": C_DATE, "product": C_PRODUCT, "amount": C_AMOUNT, "quantity": C_QUANTITY,
                "unit": C_UNIT, "note": C_NOTE}  # fmt: skip


def import_pv_months(*, actor: Any, station: PvStation, table: Table, dry_run: bool) -> ImportReport:
    """The grid settlement of a station; a month already recorded with the same figures is skipped."""
    ensure_can(actor, "benefits.manage", station)
    require_headers(table, required_headers(PV_COLUMNS))
    rows = row_dicts(table)
    report, plans, seen = ImportReport(total_rows=len(rows)), list[Planned](), dict[Any, int]()
    held = {(m.year, m.month): (m.kwh, m.revenue) for m in station.months.all()}
    for line, cells in rows:
        reader = RowReader(line, cells, report)
        values = {c: reader.get(c, required_text(c, 20)) for c in (C_YEAR, C_MONTH, C_KWH, C_REVENUE)}
        if reader.failed:
            continue
        key = (values[C_YEAR], values[C_MONTH])
        if key in seen:
            reader.error(C_MONTH, f"与第 {seen[key]} 行重复")
            continue
        seen[key] = line
        try:
            plan = _pv_row(station, values, held)
        except DomainError as exc:
            reader.error(_PV_FIELDS.get(exc.field or "", C_MONTH), str(exc.params.get("detail", exc.message)))
            continue
        if plan is None:
            report.skipped += 1
            continue
        plans.append(Planned(line, partial(pv.month_record,
            actor=actor, station=station, year=values[C_YEAR], month_=values[C_MONTH], kwh=values[C_KWH],
            revenue=values[C_REVENUE], source=Source.IMPORT)))  # fmt: skip
    return _run(actor, table, plans, report, dry_run, "电站发电结算")


_PV_FIELDS = {"year": C_YEAR, "month": C_MONTH, "kwh": C_KWH, "revenue": C_REVENUE}


def _pv_row(station: PvStation, values: dict[str, Any], held: dict[tuple[int, int], Any]) -> bool | None:
    """Checks a row as the service will; None when the month is already recorded with the same figures."""
    from .checks import money, month, number

    year, m = book.ensure_year(values[C_YEAR]), month(values[C_MONTH])
    figures = (
        number(values[C_KWH], "发电量", "kwh"),
        money(values[C_REVENUE], "结算收入", "revenue", allow_zero=True),
    )
    if (year, m) in held:
        if held[(year, m)] == figures:
            return None
        raise DomainError(
            "invalid_input",
            detail=f"{year}年{m}月已登记（{held[(year, m)][0]} 千瓦时，{held[(year, m)][1]} 元）",
            field="month",
        )
    if dt.date(year, m, 1) < station.grid_date.replace(day=1):
        raise DomainError(
            "invalid_input", detail=f"{year}年{m}月早于并网日期 {station.grid_date}", field="month"
        )
    return True


def import_piecework(*, actor: Any, distribution: Distribution, table: Table, dry_run: bool) -> ImportReport:
    ensure_can(actor, "benefits.manage", distribution)
    ensure_editable(distribution)
    require_headers(table, required_headers(PIECE_COLUMNS))
    rows = row_dicts(table)
    numbers = {(cells.get(C_HOUSEHOLD) or "").strip() for _, cells in rows}
    people = {
        (m.household.number, m.name): m
        for m in restrict(
            actor, Member.objects.filter(household__number__in=numbers).select_related("household")
        )
    }
    report, plans, seen = ImportReport(total_rows=len(rows)), list[Planned](), dict[Any, int]()
    for line, cells in rows:
        reader = RowReader(line, cells, report)
        number_ = reader.get(C_HOUSEHOLD, required_text(C_HOUSEHOLD, 32)) or ""
        name = reader.get(C_NAME, required_text(C_NAME, 60)) or ""
        member = people.get((number_, name))
        if number_ and name and member is None:
            reader.error(C_NAME, f"户编号 {number_} 中没有名为“{name}”的成员，或不在您的范围内")
        data = piecework.PieceInput(
            member=member,  # type: ignore[arg-type]
            month=reader.get(C_MONTH, required_text(C_MONTH, 2)),
            pieces=reader.get(C_PIECES, required_text(C_PIECES, 20)),
            amount=reader.get(C_PAY, required_text(C_PAY, 20)),
            work=reader.get(C_WORK, optional_text(C_WORK, 100)) or "",
        )
        if reader.failed:
            continue
        key = (member.pk, str(data.month).strip())  # type: ignore[union-attr]
        if key in seen:
            reader.error(C_MONTH, f"与第 {seen[key]} 行重复")
            continue
        seen[key] = line
        try:
            piecework.check_piece(distribution, data)
        except DomainError as exc:
            reader.error(
                _PIECE_FIELDS.get(exc.field or "", C_PAY), str(exc.params.get("detail", exc.message))
            )
            continue
        plans.append(
            Planned(line, partial(piecework.piece_record, actor=actor, distribution=distribution, data=data))
        )
    return _run(actor, table, plans, report, dry_run, "计件工资")


_PIECE_FIELDS = {"month": C_MONTH, "pieces": C_PIECES, "amount": C_PAY, "work": C_WORK}
