"""`yigou import-purchases`: progress on stderr, the report in Chinese or JSON, a failing exit on any error."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import CommandError, call_command

from tests.ledger.test_bulk_import import ROWS, counts, csv_bytes
from yigou.ledger.models import Purchase


@pytest.fixture
def market(world):
    from tests.ledger.example import _market

    return _market(world)


def bad_rows() -> list[str]:
    bad = list(ROWS)
    bad[0] = bad[0].replace("2018-01-10", "2018-13-10")
    bad[3] = bad[3].replace(",4,,,,", ",4,201,,,")
    bad[4] = bad[4].replace("5109041010010001", "5109041010019999")
    return bad


def run(*args: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("import-purchases", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_the_worked_example_in_gbk_is_imported_as_five_purchases(world, market, tmp_path):
    path = tmp_path / "购买记录.csv"
    path.write_bytes(csv_bytes(ROWS, "gbk"))
    out, err = run(str(path))
    assert out == "导入完成：共 6 行，5 笔购买，写入 5 笔，跳过已导入 0 笔\n"
    assert err == "已检查 6 行。\n"
    assert sorted(Purchase.objects.values_list("external_id", flat=True)) == ["P1", "P2", "P3", "P4", "P5"]


def test_the_same_file_again_writes_nothing_and_skips_five(world, market, tmp_path):
    path = tmp_path / "购买记录.csv"
    path.write_bytes(csv_bytes(ROWS, "gbk"))
    run(str(path))
    before = counts()
    out, _ = run(str(path))
    assert out == "导入完成：共 6 行，0 笔购买，写入 0 笔，跳过已导入 5 笔\n"
    assert counts() == before


def test_a_file_with_three_bad_rows_lists_them_fails_and_writes_nothing(world, market, tmp_path):
    path = tmp_path / "购买记录.csv"
    path.write_bytes(csv_bytes(bad_rows(), "gbk"))
    before = counts()
    out, err = io.StringIO(), io.StringIO()
    with pytest.raises(CommandError) as exc:
        call_command("import-purchases", str(path), stdout=out, stderr=err)
    assert exc.value.returncode == 1
    assert str(exc.value) == "导入未执行：共 3 处错误，请修改后重新导入。"
    assert out.getvalue().splitlines() == [
        "共 6 行，发现 3 处错误，全部数据均未导入：",
        "",
        "行      列      原因",
        "2       日期    日期“2018-13-10”无效，应写作 2018-04-01、2018/4/1 或 2018年4月1日",
        "5       金额    201 不等于数量×单价 200.00",
        "6       销售方  “5109041010019999”既不是已登记的户编号，也不是本区域经营主体的统一社会信用代码",
        "",
        "共 6 行，0 笔购买，写入 0 笔，跳过已导入 0 笔",
    ]
    assert counts() == before
    assert Purchase.objects.count() == 0


def test_a_dry_run_prints_json_and_writes_nothing(world, market, tmp_path):
    path = tmp_path / "购买记录.csv"
    path.write_bytes(csv_bytes(ROWS, "utf-8-sig"))
    before = counts()
    out, _ = run(str(path), "--dry-run", "--json")
    assert json.loads(out) == {
        "total_rows": 6,
        "written": 0,
        "skipped": 0,
        "dry_run": True,
        "ok": True,
        "errors": [],
        "purchases": 5,
        "error_count": 0,
    }
    assert counts() == before


def test_progress_is_printed_every_ten_thousand_rows(world, market, tmp_path):
    path = tmp_path / "购买记录.csv"
    path.write_bytes(csv_bytes(ROWS))
    run(str(path))
    path.write_bytes(csv_bytes([ROWS[0]] * 10_001))  # already imported: every row is skipped
    out, err = run(str(path), "--as", "chuanshan")
    assert err == "已检查 10000 行…\n已检查 10001 行。\n"
    assert out == "导入完成：共 10001 行，0 笔购买，写入 0 笔，跳过已导入 1 笔\n"


def test_a_user_without_the_ledger_capability_is_refused(world, market, tmp_path):
    path = tmp_path / "购买记录.csv"
    path.write_bytes(csv_bytes(ROWS))
    with pytest.raises(CommandError) as exc:
        run(str(path), "--as", "auditor")
    assert str(exc.value) == "无权执行此操作。"
    assert Purchase.objects.count() == 0
