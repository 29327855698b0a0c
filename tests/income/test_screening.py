"""部门筛查预警: an all-or-nothing import of a department's list matched to members by ID number."""

from __future__ import annotations

import pytest

from tests.world import person
from yigou.core.columns import template_bytes
from yigou.core.errors import PermissionDeniedError
from yigou.core.tabular import Table, read_table
from yigou.income.models import MonitoringCase
from yigou.income.screening import COLUMNS, import_screening, template, template_name

from .cases_world import D, open_case

pytestmark = pytest.mark.django_db
HEADERS = ["身份证号", "姓名", "发生日期", "风险类型", "情况说明"]
ZHANG, SPOUSE, WANG = (
    person("510903", 1962, 1),
    person("510903", 1965, 2, male=False),
    person("510903", 1970, 3),
)


def table(*rows):
    return Table(HEADERS, [list(r) for r in rows], "utf-8")


def run(world, rows, *, department="medical", dry_run=False, actor="chuanshan"):
    return import_screening(
        actor=world.users[actor], table=table(*rows), department=department, dry_run=dry_run
    )


def test_rows_of_one_household_make_one_case(world):
    report = run(
        world,
        [
            (ZHANG, "张德明", "2026-03-05", "", "住院自付 32000 元"),
            (SPOUSE, "李秀英", "2026-02-20", "因残", "残疾等级评定"),
            (WANG, "王建国", "2026/3/1", "", "门诊慢病自付 8000 元"),
        ],
    )
    assert (report.ok, report.written, report.skipped) == (True, 2, 0)
    zhang = MonitoringCase.objects.get(household=world.households["zhang"])
    assert (zhang.channel, zhang.group, zhang.risks, zhang.discovered_on) == (
        "screening",
        "unstable",
        ["illness", "disability"],
        D(2026, 2, 20),
    )
    assert zhang.note == "医保部门（医疗费用）筛查：住院自付 32000 元；残疾等级评定"
    assert MonitoringCase.objects.get(household=world.households["wang"]).group == "marginal"


def test_one_unmatched_row_writes_nothing_and_is_reported(world):
    stranger = person("510903", 1990, 55)
    report = run(
        world,
        [
            (ZHANG, "张德明", "2026-03-05", "", ""),
            (stranger, "赵六", "2026-03-05", "", ""),
            (person("510904", 1958, 4), "刘永福", "2026-03-05", "", ""),  # 安居区: outside 船山区
            (WANG, "王建军", "2026-13-01", "洪水", ""),
        ],
    )
    assert not report.ok and report.written == 0
    assert [(e.row, e.column) for e in report.errors] == [
        (3, "身份证号"),
        (4, "身份证号"),
        (5, "姓名"),
        (5, "发生日期"),
        (5, "风险类型"),
    ]
    masked = f"{stranger[:6]}********{stranger[-4:]}"
    assert report.errors[0].message == f"身份证号 {masked} 未匹配到您管辖范围内的登记农户家庭成员"
    assert report.errors[2].message == "姓名“王建军”与登记的姓名不一致"
    assert not MonitoringCase.objects.exists()


def test_a_dry_run_writes_nothing_and_an_open_case_is_skipped(world):
    assert run(world, [(ZHANG, "张德明", "2026-03-05", "", "")], dry_run=True).written == 0
    assert not MonitoringCase.objects.exists()
    open_case(world, world.households["zhang"])
    report = run(world, [(ZHANG, "张德明", "2026-03-05", "", "")], department="emergency")
    assert (report.written, report.skipped) == (0, 1)
    assert MonitoringCase.objects.count() == 1


def test_the_department_sets_the_default_risk(world):
    run(world, [(WANG, "王建国", "2026-03-05", "", "")], department="human_resources")
    assert MonitoringCase.objects.get().risks == ["unemployment"]


def test_the_template_reads_back_with_its_headers_and_auditors_cannot_import(world):
    data = template("emergency")
    assert data == template_bytes(template_name("emergency"), COLUMNS)
    assert read_table(data, "模板.xlsx").headers == HEADERS
    assert template_name("emergency") == "应急管理部门筛查名单"
    with pytest.raises(PermissionDeniedError):
        run(world, [], actor="auditor")
