"""Bulk import: the worked example as a file gives the same table; bad rows change nothing; re-import changes nothing."""

import datetime as dt
import io

import pytest
from openpyxl import Workbook

from tests.ledger.example import _market
from tests.ledger.test_worked_example import ANJU_JAN_APR, CHUANSHAN_JAN_APR
from yigou.core.errors import DomainError
from yigou.core.models import AuditEntry
from yigou.core.periods import parse_period
from yigou.core.tabular import read_table
from yigou.demo.identity import fake_uscc
from yigou.ledger.bulk.service import purchases_import
from yigou.ledger.models import Beneficiary, MonthRollup, Presence, Purchase, PurchaseLine
from yigou.ledger.table import build_table
from yigou.ledger.verify import verify

HEADER = "外部编号,日期,购买方类型,购买方,渠道,网点,销售方,产品,品类,数量,单位,单价,金额,产品来源,分配方式,受益农户"
COOP = fake_uscc("510903", 1)
ROWS = [
    "P1,2018-01-10,帮扶干部,遂宁市财政局/陈立,现场采购,,5109031010010001,腊肉,肉类,10,公斤,60,600,,,",
    f"P2,2018/1/20,帮扶单位,遂宁市财政局,现场采购,,{COOP},蔬菜,蔬菜,120,公斤,5,,合作社产品,逐户录入,5109031010010001:300",
    f"P2,2018/1/20,帮扶单位,遂宁市财政局,现场采购,,{COOP},蔬菜,蔬菜,80,公斤,5,400.00,,,",
    "P3,2018年2月5日,机关食堂,遂宁市财政局,食堂采购,,5109031010020001,大米,粮油,50,公斤,4,,,,",
    "P4,2018-03-15,帮扶单位,遂宁市财政局,现场采购,,5109041010010001,土鸡,畜禽,20,只,80,,,,",
    "P5,2018-03-20,个人,李四,销售网点,永兴村超市扶贫专柜,5109031010010001,蜂蜜,,5,斤,50,250,,,",
]


def csv_bytes(rows, encoding="gbk"):
    return ("\n".join([HEADER, *rows]) + "\n").encode(encoding)


def xlsx_bytes(rows: list[str]) -> bytes:
    """The rows as a workbook with dates, whole numbers and decimals stored as Excel cells, not text."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet()
    sheet.append(HEADER.split(","))
    for row in rows:
        cells: list[object] = []
        for column, text in zip(HEADER.split(","), row.split(","), strict=True):
            value: object = text or None
            if column == "日期" and text and "-" in text:
                value = dt.datetime.fromisoformat(text)
            elif column in ("数量", "单价", "金额") and text.replace(".", "", 1).isdigit():
                value = int(text) if text.isdigit() else float(text)
            cells.append(value)
        sheet.append(cells)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def counts():
    return tuple(
        m.objects.count() for m in (Purchase, PurchaseLine, Beneficiary, MonthRollup, Presence, AuditEntry)
    )


@pytest.fixture
def market(world):
    return _market(world)


def run(world, data, *, dry_run=False, user="admin"):
    return purchases_import(actor=world.users[user], table=read_table(data, "p.csv"), dry_run=dry_run)


def test_importing_the_worked_example_gives_the_same_table(world, market):
    report = run(world, csv_bytes(ROWS))
    assert (report.ok, report.total_rows, report.purchases, report.written, report.skipped) == (
        True,
        6,
        5,
        5,
        0,
    )
    table = build_table(world.region("510900000000"), parse_period("2018-01..2018-04"))
    assert table.rows[0].values == CHUANSHAN_JAN_APR
    assert table.rows[1].values == ANJU_JAN_APR
    assert Purchase.objects.get(external_id="P2").total == 1000
    assert verify().ok


def test_a_dry_run_writes_nothing(world, market):
    before = counts()
    report = run(world, csv_bytes(ROWS), dry_run=True)
    assert (report.ok, report.written, report.purchases) == (True, 0, 5)
    assert counts() == before


def test_bad_rows_are_reported_in_chinese_and_nothing_is_written(world, market):
    bad = list(ROWS)
    bad[0] = bad[0].replace("2018-01-10", "2018-13-10")
    bad[3] = bad[3].replace(",4,,,,", ",4,201,,,")
    bad[4] = bad[4].replace("5109041010010001", "5109041010019999")
    before = counts()
    report = run(world, csv_bytes(bad))
    assert [(e.row, e.column, e.message) for e in report.errors] == [
        (2, "日期", "日期“2018-13-10”无效，应写作 2018-04-01、2018/4/1 或 2018年4月1日"),
        (5, "金额", "201 不等于数量×单价 200.00"),
        (6, "销售方", "“5109041010019999”既不是已登记的户编号，也不是本区域经营主体的统一社会信用代码"),
    ]
    assert report.written == 0
    assert counts() == before


def test_importing_the_same_file_twice_changes_nothing_the_second_time(world, market):
    run(world, csv_bytes(ROWS, "utf-8-sig"))
    before = counts()
    report = run(world, csv_bytes(ROWS, "utf-8-sig"))
    assert (report.ok, report.written, report.skipped) == (True, 0, 5)
    assert counts() == before


def test_a_county_cannot_import_another_countys_sales(world, market):
    report = run(world, csv_bytes(ROWS), user="anju")
    # Row 6 is 安居区's own sale and passes; the cooperative of rows 3–4 is not even visible to 安居区.
    assert [(e.row, e.column) for e in report.errors] == [
        (2, "销售方"),
        (3, "销售方"),
        (4, "销售方"),
        (5, "销售方"),
        (7, "销售方"),
    ]
    assert report.errors[0].message == "该记录不在您的管辖区域内。"
    assert report.errors[1].message.endswith("既不是已登记的户编号，也不是本区域经营主体的统一社会信用代码")
    assert Purchase.objects.count() == 0


def test_a_beneficiary_not_linked_to_the_cooperative_is_refused(world, market):
    rows = [ROWS[1].replace("5109031010010001:300", "5109031010020001:300")]
    report = run(world, csv_bytes(rows))
    assert [(e.row, e.column, e.message) for e in report.errors] == [
        (
            2,
            "受益农户",
            "王建国户（5109031010020001） 在销售日与“船山区永兴蔬菜专业合作社”没有带贫联结，不能作为受益农户。",
        )
    ]


def test_a_file_without_the_required_columns_is_refused(world):
    with pytest.raises(DomainError) as err:
        run(world, "外部编号,日期\nP1,2018-01-01\n".encode())
    assert err.value.message.startswith("缺少必需的列：购买方类型、渠道、销售方")


def test_the_worked_example_as_xlsx_gives_the_same_table(world, market):
    report = run(world, xlsx_bytes(ROWS))
    assert (report.ok, report.total_rows, report.purchases, report.written) == (True, 6, 5, 5)
    table = build_table(world.region("510900000000"), parse_period("2018-01..2018-04"))
    assert table.rows[0].values == CHUANSHAN_JAN_APR
    assert table.rows[1].values == ANJU_JAN_APR
    assert Purchase.objects.get(external_id="P2").total == 1000
    assert verify().ok
