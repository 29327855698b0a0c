"""Importing households from the spreadsheets villages keep: one row per person, grouped by 户编号.

Every row is checked before anything is written; a file with any error writes nothing. Lookups the checks
need (regions, existing household numbers, registered ID numbers) are fetched once per file, not per row;
the writes themselves go through the registry services, one household at a time, in one transaction.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from yigou.accounts.scope import ensure_can
from yigou.core import audit
from yigou.core.columns import CellError, Choices, Column, RowReader, required_headers, required_text
from yigou.core.crypto import lookup_hash
from yigou.core.errors import DomainError
from yigou.core.importing import ImportReport, require_headers, row_dicts
from yigou.core.masking import mask_id_number
from yigou.core.tabular import Table, parse_date
from yigou.core.validators import validate_id_number
from yigou.regions.models import Region

from ..enums import EventKind, EventSource, Health, Labour, Relation
from ..models import Household, Member
from ..services import MemberInput, household_record_event, household_register
from .common import RegionLookup, WriteFailed, optional_phone, run_with_failures

RELATIONS = Choices(
    Relation,
    {
        "本人": Relation.HEAD,
        "户主本人": Relation.HEAD,
        "妻": Relation.SPOUSE,
        "夫": Relation.SPOUSE,
        "妻子": Relation.SPOUSE,
        "丈夫": Relation.SPOUSE,
        "之妻": Relation.SPOUSE,
        "之夫": Relation.SPOUSE,
        "子": Relation.CHILD,
        "女": Relation.CHILD,
        "儿子": Relation.CHILD,
        "女儿": Relation.CHILD,
        "之子": Relation.CHILD,
        "之女": Relation.CHILD,
        "长子": Relation.CHILD,
        "次子": Relation.CHILD,
        "长女": Relation.CHILD,
        "次女": Relation.CHILD,
        "父亲": Relation.PARENT,
        "母亲": Relation.PARENT,
        "之父": Relation.PARENT,
        "之母": Relation.PARENT,
        "父": Relation.PARENT,
        "母": Relation.PARENT,
        "孙子": Relation.GRANDCHILD,
        "孙女": Relation.GRANDCHILD,
        "之孙子": Relation.GRANDCHILD,
        "之孙女": Relation.GRANDCHILD,
        "外孙子": Relation.GRANDCHILD,
        "外孙女": Relation.GRANDCHILD,
        "兄弟": Relation.SIBLING,
        "姐妹": Relation.SIBLING,
        "儿媳": Relation.CHILD_IN_LAW,
        "女婿": Relation.CHILD_IN_LAW,
        "之儿媳": Relation.CHILD_IN_LAW,
        "之女婿": Relation.CHILD_IN_LAW,
    },
)
LABOUR = Choices(
    Labour,
    {
        "技能劳动力": Labour.SKILLED,
        "普通": Labour.ORDINARY,
        "弱劳动力": Labour.WEAK,
        "半劳动力": Labour.WEAK,
        "丧失劳动能力": Labour.LOST,
        "无劳动能力": Labour.NONE,
    },
    default=Labour.ORDINARY,
)
HEALTH = Choices(
    Health,
    {
        "慢性病": Health.CHRONIC,
        "长期慢性病": Health.CHRONIC,
        "大病": Health.SERIOUS,
        "残疾人": Health.DISABLED,
    },
    default=Health.HEALTHY,
)
POOR_WORDS = {"贫困户": True, "建档立卡贫困户": True, "一般农户": False, "非贫困户": False, "": False}

C_NUMBER, C_VILLAGE, C_NAME, C_ID, C_RELATION = "户编号", "村代码", "姓名", "身份证号", "与户主关系"
C_LABOUR, C_HEALTH, C_PHONE, C_ADDRESS, C_TYPE, C_DATE = (
    "劳动能力",
    "健康状况",
    "联系电话",
    "住址",
    "户类型",
    "识别日期",
)
HOUSEHOLD_FIELDS = (C_VILLAGE, C_PHONE, C_ADDRESS, C_TYPE, C_DATE)  # one value per household

COLUMNS = [
    Column(
        C_NUMBER,
        True,
        "同一户的每名成员填写相同的户编号；系统中已有的户编号不能再次导入。",
        "1至32位数字或字母",
        "5109031010019999",
    ),
    Column(
        C_VILLAGE,
        True,
        "户所在村的12位行政区划代码，须是您管辖范围内的村。可只填在户主行。",
        "12位数字（村级区划）",
        "510903101001",
    ),
    Column(C_NAME, True, "成员姓名。", "不超过60字", "张德明"),
    Column(
        C_ID,
        True,
        "18位居民身份证号码，校验位须正确；同一人在全系统只能登记一次。",
        "18位，末位可为X",
        "51090319620315011X",
    ),
    Column(
        C_RELATION,
        True,
        "每户有且只有一名户主。",
        "、".join(RELATIONS.labels) + "（也可写之子、之女、妻等）",
        "户主",
    ),
    Column(C_LABOUR, False, "留空按“普通劳动力”。", "、".join(LABOUR.labels), "普通劳动力"),
    Column(C_HEALTH, False, "留空按“健康”。", "、".join(HEALTH.labels), "健康"),
    Column(
        C_PHONE,
        False,
        "户的联系电话，可只填在户主行。",
        "11位手机号，或固定电话如 0825-2221234",
        "13800001111",
    ),
    Column(C_ADDRESS, False, "户的住址，可只填在户主行。", "不超过200字", "永兴村3组12号"),
    Column(
        C_TYPE,
        False,
        "留空按“一般农户”。贫困户导入后即为建档立卡贫困户（来源记为“历史数据导入”）。",
        "贫困户、一般农户",
        "贫困户",
    ),
    Column(
        C_DATE,
        False,
        "贫困户必填，为识别纳入（建档立卡）的日期，不能晚于今天；一般农户不填。",
        "2014-10-01、2014/10/1、2014.10.1、2014年10月1日 或 20141001",
        "2014-10-01",
    ),
]
MAX_NUMBER_LENGTH = 32


@dataclass
class PersonRow:
    line: int
    number: str
    member: MemberInput
    shared: dict[str, Any]  # the household columns this row filled in, parsed


@dataclass
class HouseholdPlan:
    number: str
    line: int
    members: list[MemberInput] = field(default_factory=list)
    village: Region | None = None
    phone: str = ""
    address: str = ""
    identified_on: dt.date | None = None


@dataclass
class Lookups:
    regions: RegionLookup
    existing_numbers: set[str]
    registered: dict[str, tuple[str, str]]  # id hash → (household number, village code)
    seen_ids: dict[str, int] = field(default_factory=dict)  # id hash → first row in this file


def _parse_number(text: str) -> str:
    if not text:
        raise CellError(C_NUMBER, "不能为空")
    if len(text) > MAX_NUMBER_LENGTH or not text.isascii() or not text.replace("-", "").isalnum():
        raise CellError(C_NUMBER, f"“{text}”无效，应为1至{MAX_NUMBER_LENGTH}位数字或字母")
    return text


def _parse_type(text: str) -> bool:
    if text not in POOR_WORDS:
        raise CellError(C_TYPE, f"“{text}”不在可选范围内，可填：贫困户、一般农户")
    return POOR_WORDS[text]


def _parse_date(text: str) -> dt.date | None:
    if not text:
        return None
    day = parse_date(text)
    if day > dt.date.today():
        raise CellError(C_DATE, f"日期 {day.isoformat()} 晚于今天")
    return day


def _fetch_lookups(actor: Any, rows: list[tuple[int, dict[str, str]]]) -> Lookups:
    numbers = {cells.get(C_NUMBER, "").strip() for _, cells in rows}
    hashes = set()
    for _, cells in rows:
        try:
            hashes.add(lookup_hash(validate_id_number(cells.get(C_ID, ""))))
        except DomainError:
            continue
    # Uniqueness is national: a person or number registered in another county still counts.
    registered = {
        h: (number, village)
        for h, number, village in Member.objects.filter(id_hash__in=hashes).values_list(
            "id_hash", "household__number", "household__village_id"
        )
    }
    existing = set(Household.objects.filter(number__in=numbers).values_list("number", flat=True))
    codes = {cells.get(C_VILLAGE, "").strip() for _, cells in rows}
    return Lookups(RegionLookup(actor, codes), existing, registered)


def _check_id(reader: RowReader, number: str, lookups: Lookups) -> str | None:
    id_number = reader.get(C_ID, validate_id_number)
    if id_number is None:
        return None
    digest = lookup_hash(id_number)
    first = lookups.seen_ids.setdefault(digest, reader.line)
    if first != reader.line:
        reader.error(C_ID, f"与第{first}行的身份证号重复")
    elif digest in lookups.registered:
        other_number, village = lookups.registered[digest]
        if other_number != number:  # a re-imported household is reported once, by its number
            where = other_number if lookups.regions.in_scope(village) else "其他地区"
            reader.error(C_ID, f"身份证号 {mask_id_number(id_number)} 已登记（{where}），同一人不能重复登记")
    return id_number


def _parse_person(
    line: int, cells: dict[str, str], lookups: Lookups, report: ImportReport
) -> PersonRow | None:
    reader = RowReader(line, cells, report)
    number = reader.get(C_NUMBER, _parse_number) or ""
    name = reader.get(C_NAME, required_text(C_NAME, 60))
    id_number = _check_id(reader, number, lookups)
    relation = reader.get(C_RELATION, lambda t: RELATIONS.parse(C_RELATION, t))
    labour = reader.get(C_LABOUR, lambda t: LABOUR.parse(C_LABOUR, t))
    health = reader.get(C_HEALTH, lambda t: HEALTH.parse(C_HEALTH, t))
    shared: dict[str, Any] = {}
    for column, parse in (
        (C_VILLAGE, lookups.regions.village),
        (C_PHONE, optional_phone(C_PHONE)),
        (C_ADDRESS, lambda t: t[:200]),
        (C_TYPE, _parse_type),
        (C_DATE, _parse_date),
    ):
        if reader.text(column):
            shared[column] = reader.get(column, parse)
    if reader.failed or not (name and id_number and relation and labour and health):
        return None
    return PersonRow(line, number, MemberInput(name, id_number, relation, labour, health), shared)


def _shared_value(number: str, rows: list[PersonRow], column: str, report: ImportReport) -> Any:
    """A household column may be filled on one row or repeated on several, but never with different values."""
    filled = [(p.line, p.shared[column]) for p in rows if column in p.shared]
    if not filled:
        return None
    first_line, value = filled[0]
    for line, other in filled[1:]:
        if other != value:
            report.add(line, column, f"与第{first_line}行不一致：户编号 {number} 只能有一个{column}")
    return value


def _plan(number: str, rows: list[PersonRow], report: ImportReport) -> HouseholdPlan | None:
    before = len(report.errors)
    line = rows[0].line
    heads = sum(1 for p in rows if p.member.relation == Relation.HEAD)
    if heads != 1:
        report.add(line, C_RELATION, f"户编号 {number} 有{heads}名户主，每户必须有且只有一名户主")
    shared = {column: _shared_value(number, rows, column, report) for column in HOUSEHOLD_FIELDS}
    if shared[C_VILLAGE] is None:
        report.add(line, C_VILLAGE, f"户编号 {number} 没有填写村代码")
    poor, day = bool(shared[C_TYPE]), shared[C_DATE]
    if poor and day is None:
        report.add(line, C_DATE, "贫困户必须填写识别日期")
    if not poor and day is not None:
        report.add(line, C_DATE, "一般农户不填写识别日期")
    if len(report.errors) > before:
        return None
    return HouseholdPlan(
        number=number,
        line=line,
        members=[p.member for p in rows],
        village=shared[C_VILLAGE],
        phone=shared[C_PHONE] or "",
        address=shared[C_ADDRESS] or "",
        identified_on=day,
    )


def _validate(actor: Any, table: Table, report: ImportReport) -> list[HouseholdPlan]:
    rows = row_dicts(table)
    lookups = _fetch_lookups(actor, rows)
    groups: dict[str, list[PersonRow]] = defaultdict(list)
    first_line: dict[str, int] = {}
    incomplete: set[str] = set()
    for line, cells in rows:
        report.total_rows += 1
        number = cells.get(C_NUMBER, "").strip()
        if number:
            first_line.setdefault(number, line)
        person = _parse_person(line, cells, lookups, report)
        if person is None:
            incomplete.add(number)
        else:
            groups[number].append(person)
    plans = []
    for number, line in first_line.items():
        if number in lookups.existing_numbers:
            report.add(line, C_NUMBER, f"户编号 {number} 已存在，不能重复导入（修改请在农户页面进行）")
        elif number not in incomplete:
            plan = _plan(number, groups[number], report)
            if plan is not None:
                plans.append(plan)
    return plans


def _write(actor: Any, plans: list[HouseholdPlan]) -> int:
    for plan in plans:
        assert plan.village is not None  # _plan refuses a household without one
        try:
            household = household_register(
                actor=actor,
                village=plan.village,
                members=plan.members,
                number=plan.number,
                phone=plan.phone,
                address=plan.address,
            )
            if plan.identified_on is not None:
                household_record_event(
                    actor=actor,
                    household=household,
                    kind=EventKind.IDENTIFIED,
                    date=plan.identified_on,
                    reason="批量导入：建档立卡贫困户",
                    source=EventSource.IMPORT,
                )
        except DomainError as exc:
            raise WriteFailed(plan.line, C_NUMBER, exc.message) from exc
    people = sum(len(p.members) for p in plans)
    audit.record(
        actor=actor,
        action="import",
        target_type="registry.household",
        region_code=getattr(actor, "audit_region_code", ""),
        note=f"批量导入农户 {len(plans)} 户、成员 {people} 人",
    )
    return len(plans)


def import_households(*, actor: Any, table: Table, dry_run: bool) -> ImportReport:
    """Check every row; unless dry_run, write all households in one transaction, or none when any row fails."""
    ensure_can(actor, "import")
    require_headers(table, required_headers(COLUMNS))
    report = ImportReport()
    plans = _validate(actor, table, report)
    return run_with_failures(
        parsed=plans, report=report, dry_run=dry_run, write=lambda p: _write(actor, p), headers=table.headers
    )
