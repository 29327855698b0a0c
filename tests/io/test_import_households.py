"""Importing households: one row per person, all-or-nothing, with a report in Chinese."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.io.files import (
    BAD_DATE_INDEX,
    BAD_ID_INDEX,
    BAD_VILLAGE_INDEX,
    HOUSEHOLD_HEADERS,
    csv_bytes,
    household_rows,
    line_of_household,
    person_id,
    xlsx_bytes,
)
from tests.world import person
from yigou.core.errors import DomainError, PermissionDeniedError
from yigou.core.models import AuditEntry
from yigou.core.tabular import read_table
from yigou.registry.enums import EventSource, Health, HouseholdStatus, Labour, Relation
from yigou.registry.importers import import_households
from yigou.registry.models import Household, StatusEvent


def _import(actor, rows, *, dry_run=False, encoding="gbk", headers=HOUSEHOLD_HEADERS):
    table = read_table(csv_bytes(headers, rows, encoding), "households.csv")
    return import_households(actor=actor, table=table, dry_run=dry_run)


def _errors(report):
    return [(e.row, e.column, e.message) for e in report.errors]


def test_gbk_file_with_three_bad_rows_reports_exactly_those_rows_and_writes_nothing(world, snapshot):
    rows = household_rows(1000)
    before = snapshot()
    report = _import(world.users["chuanshan"], rows)
    assert report.total_rows == 1020
    assert _errors(report) == [
        (line_of_household(rows, f"T{BAD_ID_INDEX:05d}"), "身份证号", "身份证号码无效：校验位不正确"),
        (line_of_household(rows, f"T{BAD_VILLAGE_INDEX:05d}"), "村代码", "区划代码“510903101099”不存在"),
        (
            line_of_household(rows, f"T{BAD_DATE_INDEX:05d}"),
            "识别日期",
            "输入有误：日期“2014-13-01”无效，应写作 2018-04-01、2018/4/1 或 2018年4月1日",
        ),
    ]
    assert report.written == 0
    assert report.ok is False
    assert snapshot() == before


def test_fixed_file_writes_exactly_1000_households_through_the_services(world, snapshot):
    before = snapshot()
    report = _import(world.users["chuanshan"], household_rows(1000, broken=False))
    assert _errors(report) == []
    assert report.written == 1000
    after = snapshot()
    assert after["households"] - before["households"] == 1000
    assert after["members"] - before["members"] == 1020
    assert after["events"] - before["events"] == 500
    assert after["audit"] - before["audit"] == 1000 + 500 + 1
    assert Household.objects.filter(number__startswith="T", status=HouseholdStatus.POOR).count() == 500
    assert StatusEvent.objects.filter(source=EventSource.IMPORT, date=dt.date(2014, 10, 1)).count() == 500 + 2
    summary = AuditEntry.objects.get(action="import")
    assert (summary.note, summary.region_code, summary.actor_name) == (
        "批量导入农户 1000 户、成员 1020 人",
        "510903000000",
        "chuanshan",
    )


def test_a_multi_member_household_keeps_its_members_relations_and_household_columns(world):
    _import(world.users["chuanshan"], household_rows(1000, broken=False))
    hh = Household.objects.get(number="T00100")
    assert (hh.village_id, hh.size, hh.phone, hh.address, hh.status) == (
        "510903101002",
        3,
        "13800000100",
        "2组",
        HouseholdStatus.POOR,
    )
    members = [(m.name, m.relation, m.labour, m.health, m.id_number) for m in hh.members.order_by("id")]
    assert members == [
        ("周桂兰", Relation.HEAD, Labour.ORDINARY, Health.HEALTHY, person_id(100, 0)),
        ("周秀兰", Relation.SPOUSE, Labour.WEAK, Health.CHRONIC, person_id(100, 1, male=False)),
        ("周小明", Relation.CHILD, Labour.ORDINARY, Health.HEALTHY, person_id(100, 2)),
    ]
    assert hh.events.get().date == dt.date(2014, 10, 1)
    assert Household.objects.get(number="T00001").status == HouseholdStatus.NON_POOR


def test_importing_the_same_file_again_is_refused_for_every_household_and_writes_nothing(world, snapshot):
    rows = household_rows(1000, broken=False)
    _import(world.users["chuanshan"], rows)
    before = snapshot()
    report = _import(world.users["chuanshan"], rows)
    assert len(report.errors) == 1000
    assert {e.column for e in report.errors} == {"户编号"}
    assert _errors(report)[0] == (2, "户编号", "户编号 T00000 已存在，不能重复导入（修改请在农户页面进行）")
    assert report.written == 0
    assert snapshot() == before


def test_utf8_bom_xlsx_and_gbk_files_parse_and_check_identically(world):
    rows = household_rows(40)
    tables = [
        read_table(csv_bytes(HOUSEHOLD_HEADERS, rows, "gbk"), "a.csv"),
        read_table(csv_bytes(HOUSEHOLD_HEADERS, rows, "utf-8-sig"), "a.csv"),
        read_table(xlsx_bytes(HOUSEHOLD_HEADERS, rows), "a.xlsx"),
    ]
    assert [t.encoding for t in tables] == ["gbk", "utf-8-sig", "xlsx"]
    assert tables[0].headers == tables[1].headers == tables[2].headers == HOUSEHOLD_HEADERS
    assert tables[0].rows == tables[1].rows == tables[2].rows == rows
    reports = [import_households(actor=world.users["admin"], table=t, dry_run=True).as_dict() for t in tables]
    assert reports[0] == reports[1] == reports[2]
    assert [e["row"] for e in reports[0]["errors"]] == [14, 24, 34]  # type: ignore[index]


def test_anju_user_gets_an_error_for_the_row_in_a_chuanshan_village(world, snapshot):
    rows = [
        ["A1", "510904101001", "刘一", person("510904", 1980, 201), "户主", "", "", "", "", "", ""],
        ["A2", "510903101001", "张二", person("510903", 1980, 202), "户主", "", "", "", "", "", ""],
    ]
    before = snapshot()
    report = _import(world.users["anju"], rows)
    assert _errors(report) == [(3, "村代码", "“永兴村”（510903101001）不在您的管辖范围内")]
    assert snapshot() == before


def _one(number, village, name, id_number, relation="户主", **extra):
    row = dict(zip(HOUSEHOLD_HEADERS, [number, village, name, id_number, relation] + [""] * 6, strict=True))
    row.update(extra)
    return list(row.values())


def test_household_level_checks_are_reported_on_the_right_rows(world, snapshot):
    zhang_id = world.households["zhang"].members.get(relation=Relation.HEAD).id_number
    twice = person("510903", 1981, 301)
    rows = [
        _one("H1", "510903101001", "甲", person("510903", 1981, 302), "之子"),  # no head
        _one("H2", "510903101001", "乙", person("510903", 1981, 303)),
        _one("H2", "510903101002", "丙", person("510903", 1981, 304), "配偶"),  # another village
        _one("H3", "510903101001", "丁", twice),
        _one("H4", "510903101001", "戊", twice),  # same person twice in the file
        _one("H5", "510903101001", "己", zhang_id),  # already registered
        _one("H6", "510903101001", "庚", person("510903", 1981, 305), 户类型="贫困户"),  # no date
        _one(
            "H7", "510903100000", "辛", person("510903", 1981, 306), 联系电话="12345"
        ),  # township, bad phone
        _one("H8", "510903101001", "壬", person("510903", 1981, 307), "表哥", 劳动能力="很强"),
    ]
    before = snapshot()
    report = _import(world.users["chuanshan"], rows)
    assert _errors(report) == [
        (2, "与户主关系", "户编号 H1 有0名户主，每户必须有且只有一名户主"),
        (4, "村代码", "与第3行不一致：户编号 H2 只能有一个村代码"),
        (6, "身份证号", "与第5行的身份证号重复"),
        (
            7,
            "身份证号",
            f"身份证号 {zhang_id[:6]}********{zhang_id[-4:]} 已登记（{world.households['zhang'].number}），"
            "同一人不能重复登记",
        ),
        (8, "识别日期", "贫困户必须填写识别日期"),
        (9, "村代码", "区划代码“510903100000”不存在"),
        (9, "联系电话", "“12345”不是有效的手机号或固定电话"),
        (
            10,
            "与户主关系",
            "“表哥”不在可选范围内，可填：户主、配偶、子女、父母、孙子女、兄弟姐妹、儿媳/女婿、其他",
        ),
        (
            10,
            "劳动能力",
            "“很强”不在可选范围内，可填：技能劳动力、普通劳动力、弱劳动力或半劳动力、丧失劳动力、无劳动力",
        ),
    ]
    assert snapshot() == before


def test_a_township_code_is_refused_as_a_village(world):
    rows = [_one("H1", "510903101000", "甲", person("510903", 1982, 310))]
    report = _import(world.users["chuanshan"], rows)
    assert _errors(report) == [(2, "村代码", "村代码应为村级区划，“永兴镇”（510903101000）是乡级")]


def test_dry_run_checks_a_clean_file_and_writes_nothing(world, snapshot):
    before = snapshot()
    report = _import(world.users["chuanshan"], household_rows(20, broken=False), dry_run=True)
    assert (report.ok, report.dry_run, report.written, report.total_rows) == (True, True, 0, 22)
    assert snapshot() == before


def test_a_file_without_the_required_columns_is_refused_whole(world):
    with pytest.raises(DomainError) as exc:
        _import(world.users["chuanshan"], [["H1", "甲"]], headers=["户编号", "姓名"])
    assert exc.value.message == "缺少必需的列：村代码、身份证号、与户主关系"


def test_a_village_worker_may_not_import(world, snapshot):
    before = snapshot()
    with pytest.raises(PermissionDeniedError):
        _import(world.users["village"], household_rows(2, broken=False))
    assert snapshot() == before
