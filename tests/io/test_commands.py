"""The import and export commands: the report in Chinese or JSON, and a failing exit on any error."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import CommandError, call_command

from tests.io.files import HOUSEHOLD_HEADERS, csv_bytes, household_rows, xlsx_bytes
from tests.io.test_exports import sheet_rows
from tests.io.test_import_producers_units import GOOD_PRODUCERS, GOOD_UNITS, PRODUCER_HEADERS, UNIT_HEADERS
from yigou.core.models import AuditEntry


def _run(*args: str) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_import_households_prints_the_errors_as_a_table_and_fails(world, tmp_path, snapshot):
    path = tmp_path / "农户.csv"
    path.write_bytes(csv_bytes(HOUSEHOLD_HEADERS, household_rows(40)))
    before = snapshot()
    out = io.StringIO()
    with pytest.raises(CommandError) as exc:
        call_command("import-households", str(path), stdout=out)
    assert str(exc.value) == "导入未执行：共 3 处错误，请修改后重新导入。"
    assert out.getvalue().splitlines() == [
        "共 42 行，发现 3 处错误，全部数据均未导入：",
        "",
        "行      列        原因",
        "14      身份证号  身份证号码无效：校验位不正确",
        "24      村代码    区划代码“510903101099”不存在",
        "34      识别日期  输入有误：日期“2014-13-01”无效，应写作 2018-04-01、2018/4/1 或 2018年4月1日",
    ]
    assert snapshot() == before


def test_import_households_dry_run_prints_json_and_writes_nothing(world, tmp_path, snapshot):
    path = tmp_path / "农户.xlsx"
    path.write_bytes(xlsx_bytes(HOUSEHOLD_HEADERS, household_rows(10, broken=False)))
    before = snapshot()
    report = json.loads(_run("import-households", str(path), "--dry-run", "--json"))
    assert report == {"total_rows": 12, "written": 0, "skipped": 0, "dry_run": True, "ok": True, "errors": []}
    assert snapshot() == before


def test_import_households_writes_as_the_system_actor_or_as_a_named_user(world, tmp_path, snapshot):
    path = tmp_path / "农户.csv"
    path.write_bytes(csv_bytes(HOUSEHOLD_HEADERS, household_rows(10, broken=False)))
    before = snapshot()
    assert _run("import-households", str(path)) == "导入完成：共 12 行，已导入 10 条。\n"
    assert snapshot()["households"] - before["households"] == 10
    assert AuditEntry.objects.get(action="import").actor_name == "system"
    other = tmp_path / "other.csv"
    other.write_bytes(csv_bytes(HOUSEHOLD_HEADERS, household_rows(2, broken=False, prefix="S")))
    with pytest.raises(CommandError):
        call_command("import-households", str(other), "--as", "anju", stdout=io.StringIO())
    with pytest.raises(CommandError) as exc:
        call_command("import-households", str(other), "--as", "nobody", stdout=io.StringIO())
    assert str(exc.value) == "用户 nobody 不存在或已停用"


def test_import_producers_and_units_commands(world, tmp_path):
    producers, units = tmp_path / "p.csv", tmp_path / "u.csv"
    producers.write_bytes(csv_bytes(PRODUCER_HEADERS, GOOD_PRODUCERS))
    units.write_bytes(csv_bytes(UNIT_HEADERS, GOOD_UNITS))
    assert (
        _run("import-producers", str(producers), "--as", "chuanshan") == "导入完成：共 3 行，已导入 3 条。\n"
    )
    assert _run("import-units", str(units), "--as", "city") == "导入完成：共 3 行，已导入 3 条。\n"


def test_a_missing_file_is_refused(world, tmp_path):
    with pytest.raises(CommandError) as exc:
        call_command("import-units", str(tmp_path / "none.csv"))
    assert str(exc.value) == f"文件不存在：{tmp_path / 'none.csv'}"


def test_export_households_writes_the_region_only(world, tmp_path):
    out = tmp_path / "安居.xlsx"
    assert (
        _run("export-households", "--region", "510904000000", "--out", str(out)) == f"已导出 1 行到 {out}\n"
    )
    _, _, rows = sheet_rows(out.read_bytes())
    assert [(r[0], r[3], r[4][6:14]) for r in rows] == [
        (world.households["liu"].number, "刘永福", "********")
    ]


def test_export_producers_and_units_commands(world, tmp_path):
    out = tmp_path / "p.xlsx"
    _run("export-producers", "--region", "510903000000", "--out", str(out))
    assert [r[1] for r in sheet_rows(out.read_bytes())[2]] == ["船山区永兴蔬菜专业合作社"]
    _run("export-units", "--as", "anju", "--out", str(out))
    assert [r[0] for r in sheet_rows(out.read_bytes())[2]] == ["遂宁市财政局"]
