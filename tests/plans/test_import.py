"""Importing a task list in the Tiexi layout: all or nothing, with a Chinese report row by row."""

import datetime as dt

import pytest

from tests.plans.example import make_plan
from yigou.core.errors import NotFoundError
from yigou.core.tabular import read_table
from yigou.core.xlsx import Sheet, write_workbook
from yigou.plans.importing import COLUMNS, import_tasks, template
from yigou.plans.models import Task

HEADERS = ["序号", "任务内容", "牵头单位", "配合单位", "完成时限", "方案章节"]
GOOD = [
    [
        "11",
        "引导和扶持一批消费扶贫示范企业",
        "区商务局",
        "区发改局、区农业农村局",
        "2018-06-30",
        "（二）拓宽渠道",
    ],
    ["11.1", "开展流通基础设施建设", "区商务局", "", "2018/9/30", "（二）拓宽渠道"],
    ["12", "鼓励设立电商产业孵化园", "遂宁市财政局", "平西乡人民政府", "长期", ""],
]


def table(rows):
    return read_table(write_workbook([Sheet(name="任务清单", headers=HEADERS, rows=rows)]), "tasks.xlsx")


@pytest.fixture
def plan(world):
    return make_plan(world)


def test_a_clean_file_adds_every_task_with_units_and_deadlines(world, plan):
    report = import_tasks(actor=world.users["city"], plan=plan, table=table(GOOD), dry_run=False)
    assert (report.ok, report.written) == (True, 3)
    rows = [
        (
            t.number,
            t.lead_unit,
            t.co_units,
            t.due_on,
            t.standing,
            t.parent.number if t.parent else None,
            t.lead_id,
        )
        for t in Task.objects.filter(plan=plan)
    ]
    assert rows == [
        ("11", "区商务局", ["区发改局", "区农业农村局"], dt.date(2018, 6, 30), False, None, None),
        ("11.1", "区商务局", [], dt.date(2018, 9, 30), False, "11", None),
        ("12", "遂宁市财政局", ["平西乡人民政府"], None, True, None, world.units["finance"].pk),
    ]


def test_a_dry_run_writes_nothing(world, plan):
    report = import_tasks(actor=world.users["city"], plan=plan, table=table(GOOD), dry_run=True)
    assert (report.ok, report.written) == (True, 0)
    assert not Task.objects.exists()


def test_bad_rows_are_reported_in_chinese_and_nothing_is_written(world, plan):
    rows = [
        *GOOD,
        ["12", "重复序号", "区商务局", "", "2018-06-30", ""],
        ["13", "", "区商务局", "", "2018-06-30", ""],
        ["14", "没有牵头单位", "", "", "2018-06-30", ""],
        ["15", "时限无效", "区商务局", "", "明年", ""],
        ["16", "超出实施期", "区商务局", "", "2019-03-01", ""],
        ["9.1", "上级不存在", "区商务局", "", "2018-06-30", ""],
    ]
    report = import_tasks(actor=world.users["city"], plan=plan, table=table(rows), dry_run=False)
    assert [(e.row, e.column, e.message) for e in report.errors] == [
        (5, "序号", "序号 12 与第 4 行重复"),
        (6, "任务内容", "不能为空"),
        (7, "牵头单位", "不能为空"),
        (8, "完成时限", "“明年”不是日期，请写 2019-12-31，或“长期”"),
        (9, "完成时限", "完成时限 2019-03-01 不在方案实施期（2018-01-01 至 2018-12-31）内"),
        (10, "序号", "上级任务 9 不在方案或本文件中"),
    ]
    assert report.written == 0
    assert not Task.objects.exists()


def test_another_county_cannot_import_into_the_citys_plan(world, plan):
    with pytest.raises(NotFoundError):
        import_tasks(actor=world.users["chuanshan"], plan=plan, table=table(GOOD), dry_run=False)
    assert not Task.objects.exists()


def test_the_template_has_the_tiexi_columns(world):
    book = read_table(template(), "template.xlsx")
    assert book.headers == [c.header for c in COLUMNS] == HEADERS
