"""部门筛查预警: importing a department's list (医保 medical expenses, 应急 disasters, 人社 unemployment) in the
same all-or-nothing way, template and Chinese report as the other imports. Each row names a person by ID number;
the person must be a registered member of a household in the importer's region. One case per household (channel
部门筛查预警, the rows' risks merged, discovered on the earliest row date); a household that already has an open case
is counted as skipped. Any bad or unmatched row: nothing is written."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from yigou.accounts.scope import ensure_can, restrict
from yigou.core import audit
from yigou.core.columns import (
    CellError,
    Choices,
    Column,
    RowReader,
    optional_text,
    required_headers,
    template_bytes,
)
from yigou.core.crypto import lookup_hash
from yigou.core.errors import DomainError
from yigou.core.importing import ImportReport, require_headers, row_dicts
from yigou.core.masking import mask_id_number
from yigou.core.tabular import Table, parse_date
from yigou.core.validators import validate_id_number
from yigou.registry.importers.common import WriteFailed, run_with_failures
from yigou.registry.models import Household, Member

from .cases import case_open, default_group, open_case_of
from .checks import check_choice
from .enums import DEPARTMENT_RISK, Channel, Department, RiskType

C_ID, C_NAME, C_DATE, C_RISK, C_FACT = "身份证号", "姓名", "发生日期", "风险类型", "情况说明"
RISKS = Choices(RiskType)
COLUMNS = [
    Column(
        C_ID,
        True,
        "本人的18位身份证号，须为本辖区登记农户的家庭成员。",
        "18位，末位可为X",
        "510903196203150011",
    ),
    Column(C_NAME, True, "姓名，用于核对。", "不超过60字", "张德明"),
    Column(C_DATE, True, "就医、受灾或失业的日期。", "2026-03-01、2026/3/1 或 2026年3月1日", "2026-03-01"),
    Column(
        C_RISK,
        False,
        "不填则按部门：医保为因病，应急为因灾，人社为因失业/务工不稳。",
        "、".join(RISKS.labels),
        "",
    ),
    Column(C_FACT, False, "如自付医疗费用金额、受灾情况、失业时间。", "不超过300字", "住院自付费用 32000 元"),
]


@dataclass
class Hit:
    household: Household
    lines: list[int] = field(default_factory=list)
    risks: set[str] = field(default_factory=set)
    dates: list[dt.date] = field(default_factory=list)
    facts: list[str] = field(default_factory=list)


def template_name(department: str) -> str:
    return f"{Department(department).label.split('（')[0]}筛查名单"


def template(department: str) -> bytes:
    """The XLSX template of a department's list: the columns, one example row and the 填写说明 sheet."""
    return template_bytes(
        template_name(check_choice(department, Department, "筛查部门", "department")), COLUMNS
    )


def _date(text: str) -> dt.date:
    if not text:
        raise CellError(C_DATE, "不能为空")
    try:
        day = parse_date(text)
    except DomainError as exc:
        raise CellError(C_DATE, exc.message) from None
    if day > dt.date.today():
        raise CellError(C_DATE, f"日期 {day} 晚于今天")
    return day


def _members(actor: Any, rows: list[tuple[int, dict[str, str]]]) -> dict[str, Member]:
    hashes = set()
    for _, cells in rows:
        try:
            hashes.add(lookup_hash(validate_id_number(cells.get(C_ID) or "")))
        except DomainError:
            continue
    found = restrict(actor, Member.objects.select_related("household").filter(id_hash__in=hashes))
    return {m.id_hash: m for m in found}


def _parse(
    line: int, cells: dict[str, str], department: str, members: dict[str, Member], report: ImportReport
) -> tuple[Member, str, dt.date, str] | None:
    reader = RowReader(line, cells, report)
    number = reader.get(C_ID, validate_id_number)
    name = reader.text(C_NAME)
    if not name:
        reader.error(C_NAME, "不能为空")
    day = reader.get(C_DATE, _date)
    text = reader.text(C_RISK)
    risk = (
        reader.get(C_RISK, lambda t: RISKS.parse(C_RISK, t))
        if text
        else DEPARTMENT_RISK[Department(department)]
    )
    fact = reader.get(C_FACT, optional_text(C_FACT, 300)) or ""
    member = members.get(lookup_hash(number)) if number else None
    if number and member is None:
        reader.error(C_ID, f"身份证号 {mask_id_number(number)} 未匹配到您管辖范围内的登记农户家庭成员")
    elif member is not None and name and member.name != name:
        reader.error(C_NAME, f"姓名“{name}”与登记的姓名不一致")
    if reader.failed or member is None or day is None or risk is None:
        return None
    return member, str(risk), day, fact


def _write(actor: Any, department: str, hits: list[Hit], report: ImportReport) -> int:
    written = 0
    for hit in hits:
        if open_case_of(hit.household) is not None:
            report.skipped += 1
            continue
        try:
            case_open(
                actor=actor,
                household=hit.household,
                group=default_group(hit.household),
                risks=sorted(hit.risks),
                channel=Channel.SCREENING,
                discovered_on=min(hit.dates),
                note=f"{Department(department).label}筛查：" + "；".join(f for f in hit.facts if f),
            )
        except DomainError as exc:
            raise WriteFailed(hit.lines[0], C_ID, exc.message) from exc
        written += 1
    audit.record(
        actor=actor,
        action="import",
        target_type="income.monitoringcase",
        region_code=getattr(actor, "audit_region_code", ""),
        note=f"导入{Department(department).label}筛查名单，新增监测对象 {written} 户",
    )
    return written


def import_screening(*, actor: Any, table: Table, department: str, dry_run: bool) -> ImportReport:
    """Check every row; unless dry_run, open the cases in one transaction, or none when any row fails."""
    ensure_can(actor, "monitoring.flag")
    check_choice(department, Department, "筛查部门", "department")
    require_headers(table, required_headers(COLUMNS))
    rows = row_dicts(table)
    members = _members(actor, rows)
    report = ImportReport(total_rows=len(rows))
    hits: dict[int, Hit] = {}
    for line, cells in rows:
        parsed = _parse(line, cells, department, members, report)
        if parsed is None:
            continue
        member, risk, day, fact = parsed
        hit = hits.setdefault(member.household_id, Hit(member.household))
        hit.lines.append(line)
        hit.risks.add(risk)
        hit.dates.append(day)
        hit.facts.append(fact)
    return run_with_failures(
        parsed=list(hits.values()),
        report=report,
        dry_run=dry_run,
        write=lambda h: _write(actor, department, h, report),
        headers=table.headers,
    )
