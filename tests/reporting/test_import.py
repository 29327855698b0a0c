"""Form imports are all or nothing: every error is reported by row, column and a Chinese reason."""

import io

import openpyxl
import pytest

from yigou.core.errors import DomainError
from yigou.core.models import AuditEntry
from yigou.core.tabular import read_table
from yigou.reporting import hooks
from yigou.reporting.importing import form_import
from yigou.reporting.models import FormValue


def table(text):
    return read_table(text.encode("utf-8"), "f.csv")


def counts():
    return FormValue.objects.count(), AuditEntry.objects.count()


def errors(result):
    return [(e.row, e.column, e.message) for e in result.report.errors]


def test_wide_file_with_errors_writes_nothing_and_says_why(world):
    before = counts()
    result = form_import(
        actor=world.users["anju"],
        dry_run=False,
        table=table(
            "region,period,amount_total,poor_households,bogus\n"
            "510904000000,2018-03,100,2.5,\n"
            "510903000000,2018-03,100,1,\n"
            "999999999999,2018-03,1,1,\n"
            "510904101000,2018-01..2018-03,1,1,\n"
            "510904101001,2018-03,abc,,\n"
            "510904000000,2018-03,5,,\n"
        ),
    )
    assert errors(result) == [
        (1, "bogus", "列“bogus”不是报表“以购助扶成果统计表”的指标代码"),
        (2, "poor_households", "“户数”的数值“2.5”无效：须为整数（单位：户）"),
        (3, "region", "船山区（510903000000）：该记录不在您的管辖区域内。"),
        (4, "region", "区划代码“999999999999”不存在"),
        (5, "period", "“以购助扶成果统计表”是月报，期间须为单个月份，如 2018-04，而不是“2018-01..2018-03”。"),
        (6, "amount_total", "“总额”的数值“abc”无效：不是数字"),
        (7, "amount_total", "510904000000 2018-03 的“总额”在文件中出现了两次"),
    ]
    assert counts() == before


def test_long_file_with_errors_writes_nothing(world):
    before = counts()
    result = form_import(
        actor=world.users["admin"],
        dry_run=False,
        table=table(
            "region,period,element,value\n"
            "510904000000,2018-03,amount_total,100\n"
            "510904000000,2018-13,amount_total,100\n"
            "510904000000,2018-03,amount_typo,1\n"
            ",2018-03,amount_own,1\n"
        ),
    )
    assert errors(result) == [
        (3, "period", "输入有误：月份“2018-13”无效"),
        (4, "element", "报表“以购助扶成果统计表”中没有指标“amount_typo”"),
        (5, "region", "区划代码不能为空"),
    ]
    assert counts() == before


def test_a_locked_period_is_an_error_of_its_rows(world):
    def locked(region_code, year, month):
        raise DomainError("invalid_input", detail="该期间已审核锁定")

    hooks.ENTRY_GUARDS.append(locked)
    try:
        result = form_import(
            actor=world.users["admin"],
            dry_run=False,
            table=table("region,period,element,value\n510904000000,2018-03,amount_total,1\n"),
        )
    finally:
        hooks.ENTRY_GUARDS.remove(locked)
    assert errors(result) == [(2, "period", "输入有误：该期间已审核锁定")]
    assert FormValue.objects.count() == 0


def test_missing_region_column_is_refused(world):
    with pytest.raises(DomainError, match="缺少必需的列：region"):
        form_import(actor=None, dry_run=True, table=table("code,amount_total\n510904000000,1\n"))


def test_xlsx_wide_file_imports_with_the_period_option(world):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["region", "region_name", "amount_total", "amount_own", "amount_coop"])
    sheet.append(["510904000000", "安居区", 300, 200, 100])
    buffer = io.BytesIO()
    book.save(buffer)
    result = form_import(
        actor=world.users["anju"],
        dry_run=False,
        period="2018-05",
        table=read_table(buffer.getvalue(), "f.xlsx"),
    )
    assert (result.report.ok, result.report.written, result.layout, result.violations) == (
        True,
        3,
        "wide",
        [],
    )
    assert sorted(FormValue.objects.values_list("element__code", "month")) == [
        ("amount_coop", 5),
        ("amount_own", 5),
        ("amount_total", 5),
    ]
