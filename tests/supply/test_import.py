"""Importing the supply book: a clean file writes every row; one bad row writes nothing and the report names each
cell in Chinese; the template has the importer's headers."""

from __future__ import annotations

import io
import json
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from yigou.core.columns import template_bytes
from yigou.core.models import AuditEntry
from yigou.core.tabular import read_table
from yigou.supply.importing import COLUMNS, import_supply
from yigou.supply.models import SupplyEntry

pytestmark = pytest.mark.django_db

HEADER = "村代码,户编号,品名,品类,单位,预计可售数量,上市开始,上市结束,保鲜天数,预期单价,储存方式,联系人,联系电话,说明"


def csv_of(world, *rows: str) -> bytes:
    zhang = world.households["zhang"].number
    return ("\n".join([HEADER, *rows]).replace("ZHANG", zhang) + "\n").encode("utf-8")


def test_a_clean_file_writes_every_row(world, tmp_path):
    data = csv_of(
        world,
        "510903101001,ZHANG,腊肉,肉禽蛋奶,公斤,500,2018-12-01,2019-01-31,60,60.00,常温,张德明,13811112222,",
        "510903101001,,柑橘,果蔬,公斤,2000.5,2018/11/1,2018年12月31日,30,,冷藏,,,村集体果园",
    )
    report = import_supply(
        actor=world.users["chuanshan"], table=read_table(data, "supply.csv"), dry_run=False
    )
    assert report.as_dict() == {
        "total_rows": 2,
        "written": 2,
        "skipped": 0,
        "dry_run": False,
        "ok": True,
        "errors": [],
    }
    rows = list(
        SupplyEntry.objects.order_by("id").values_list(
            "name", "quantity", "household__number", "storage", "season"
        )
    )
    assert rows == [
        ("腊肉", Decimal("500.000"), world.households["zhang"].number, "ambient", 2018),
        ("柑橘", Decimal("2000.500"), None, "chilled", 2018),
    ]


def test_one_bad_row_writes_nothing_and_every_bad_cell_is_named(world, tmp_path):
    data = csv_of(
        world,
        "510903101001,ZHANG,腊肉,肉禽蛋奶,公斤,500,2018-12-01,2019-01-31,60,60.00,常温,,,",
        "510904101001,,黑猪,肉禽蛋奶,头,10,2018-12-01,2019-01-31,60,,,,,",
        "510903101001,9999,柑橘,水果,公斤,-5,2018-13-01,2018-12-31,30,,,,,",
        "510903101001,,香肠,肉禽蛋奶,公斤,100,2018-12-31,2018-12-01,30,,,,,",
    )
    before = (SupplyEntry.objects.count(), AuditEntry.objects.count())
    path = tmp_path / "supply.csv"
    path.write_bytes(data)
    out = io.StringIO()
    with pytest.raises(CommandError, match="导入未执行"):
        call_command("import-supply", str(path), "--as", "chuanshan", "--json", stdout=out)
    errors = [(e["row"], e["column"], e["message"]) for e in json.loads(out.getvalue())["errors"]]
    assert errors == [
        (3, "村代码", "“拦江村”（510904101001）不在您的管辖范围内"),
        (4, "户编号", "户编号 9999 的农户不存在或不在您的管辖范围内"),
        (4, "品类", errors[2][2]),
        (4, "上市开始", "输入有误：日期“2018-13-01”无效，应写作 2018-04-01、2018/4/1 或 2018年4月1日"),
        (5, "上市结束", "上市结束日期 2018-12-01 早于开始日期 2018-12-31"),
    ]
    assert errors[2][2].startswith("“水果”不在可选范围内，可填：")
    assert (SupplyEntry.objects.count(), AuditEntry.objects.count()) == before


def test_the_template_has_the_importers_headers():
    table = read_table(template_bytes("供给台账", COLUMNS), "template.xlsx")
    assert ",".join(table.headers) == HEADER
