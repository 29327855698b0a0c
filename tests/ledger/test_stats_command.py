"""`yigou stats` gives the same table as the page, in JSON, CSV or XLSX, as the system actor."""

import datetime as dt
import io
import json
from contextlib import contextmanager

import openpyxl
import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.models import F

from tests.ledger.example import build_example
from tests.ledger.test_render import expected_json
from yigou.ledger.models import Beneficiary, PurchaseLine


@pytest.fixture
def example(world):
    return build_example(world)


def run(*args):
    out, err = io.StringIO(), io.StringIO()
    call_command("stats", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_json_to_stdout_is_the_agreed_structure(example):
    out, _ = run("--region", "510900000000", "--period", "2018-01..2018-04", "--format", "json")
    assert json.loads(out) == expected_json()


def test_table_is_the_default_action(example):
    explicit, _ = run("table", "--region", "510903000000", "--period", "2018-03")
    implicit, _ = run("--region", "510903000000", "--period", "2018-03")
    assert explicit == implicit
    data = json.loads(implicit)
    assert (data["total"]["values"]["amount_total"], data["period"]) == (250.0, "2018-03")
    assert [r["region_name"] for r in data["rows"]] == ["永兴镇", "老池镇"]


def test_xlsx_and_csv_to_files(example, tmp_path):
    xlsx, csv_file = tmp_path / "t.xlsx", tmp_path / "t.csv"
    _, err = run(
        "--region", "510900000000", "--period", "2018-01..2018-04", "--format", "xlsx", "--out", str(xlsx)
    )
    assert err.strip() == f"已写入 {xlsx}：遂宁市2018年1—4月以购助扶成果统计表"
    ws = openpyxl.load_workbook(xlsx).active
    assert (ws["A1"].value, ws["O4"].value, ws["O7"].value) == (
        "遂宁市2018年1—4月以购助扶成果统计表",
        2050,
        3650,
    )
    run("--region", "510900000000", "--period", "2018-01..2018-04", "--format", "csv", "--out", str(csv_file))
    lines = csv_file.read_bytes().decode("utf-8-sig").splitlines()
    assert lines[1].startswith(
        "510903000000,船山区,1,1,0,0,0,0,0.50,1,1,1,1150.00,1,200.00,2050.00,1050.00,1000.00,"
    )
    assert lines[4].split(",")[15] == "3650.00"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--region", "519999000000", "--period", "2018-04"], "行政区划无效：区划代码“519999000000”不存在"),
        (["--region", "510900000000", "--period", "2018-13"], "输入有误：月份“2018-13”无效"),
        (
            ["--region", "510900000000", "--period", "2018-04..2018-01"],
            "输入有误：期间结束 2018-01-31 早于开始 2018-04-01",
        ),
        (["--period", "2018-04"], "请用 --region 指定区划代码，如 --region 510900000000"),
        (
            ["--region", "510900000000", "--period", "2018-04", "--format", "xlsx"],
            "XLSX 格式须用 --out 指定输出文件",
        ),
    ],
)
def test_bad_region_or_period_is_a_chinese_error(world, args, message):
    with pytest.raises(CommandError) as caught:
        run(*args)
    assert str(caught.value) == message


def test_bad_region_exits_non_zero_from_the_console(world, capsys):
    from django.core.management import execute_from_command_line

    with pytest.raises(SystemExit) as caught:
        execute_from_command_line(["yigou", "stats", "--region", "519999000000", "--period", "2018-04"])
    assert caught.value.code == 1
    assert "行政区划无效" in capsys.readouterr().err


def test_stats_verify_finds_no_difference_after_the_worked_example(world):
    from io import StringIO

    from django.core.management import call_command

    from tests.ledger.example import build_example

    build_example(world)
    out = StringIO()
    call_command("stats", "verify", stdout=out)
    first, second = out.getvalue().splitlines()
    assert first.startswith("核对范围：全部区域；购买记录 7 笔，汇总行 ")
    assert second == "未发现差异：统计表与原始台账一致。"


def test_stats_verify_reports_a_difference_and_fails(world):
    from io import StringIO

    import pytest
    from django.core.management import CommandError, call_command

    from tests.ledger.example import build_example
    from yigou.ledger.models import MonthRollup

    build_example(world)
    MonthRollup.objects.filter(region_code="510904000000", year=2018, month=3).update(poor_income=1)
    out = StringIO()
    with pytest.raises(CommandError) as err:
        call_command("stats", "verify", "--region", "510904000000", stdout=out)
    assert str(err.value) == "发现 1 处差异，可运行 yigou stats rebuild 重建汇总。"
    assert "月汇总 ('510904000000', 3, 2018, 3) poor_income: 服务值 1，台账重算 160000" in out.getvalue()
    call_command("stats", "rebuild", stdout=StringIO())
    call_command("stats", "verify", "--region", "510904000000", stdout=out)
    assert out.getvalue().endswith("未发现差异：统计表与原始台账一致。\n")


@pytest.mark.parametrize(
    ("model", "label"),
    [(PurchaseLine, "购买明细 明细"), (Beneficiary, "受益农户 受益行")],
    ids=["line", "beneficiary"],
)
def test_stats_verify_reports_a_row_whose_date_is_not_its_purchases(world, model, label):
    build_example(world)
    assert not model.objects.exclude(purchase_date=F("purchase__date")).exists()
    row = model.objects.order_by("pk").first()
    with guards_off():  # on PostgreSQL a trigger refuses the change; rows from before it could still differ
        model.objects.filter(pk=row.pk).update(purchase_date=dt.date(2018, 12, 31))
    out = io.StringIO()
    with pytest.raises(CommandError) as err:
        call_command("stats", "verify", stdout=out)
    assert str(err.value) == "发现 1 处差异，可运行 yigou stats rebuild 重建汇总。"
    assert (
        f"{label} {row.pk}（购买记录 {row.purchase_id}） purchase_date: "
        f"服务值 2018-12-31，台账重算 {row.purchase.date.isoformat()}"
    ) in out.getvalue()


@contextmanager
def guards_off():
    """Triggers off for the test's transaction (PostgreSQL; the tests connect as a superuser)."""
    if connection.vendor != "postgresql":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL session_replication_role = replica")
        try:
            yield
        finally:
            cursor.execute("SET LOCAL session_replication_role = origin")
