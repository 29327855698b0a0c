"""The import and export pages: upload → report → confirm, templates, and XLSX downloads."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from tests.io.files import HOUSEHOLD_HEADERS, csv_bytes, household_rows
from tests.io.test_exports import sheet_rows
from yigou.assist.importers import import_units
from yigou.core.models import AuditEntry
from yigou.core.tabular import read_table
from yigou.registry.importers import import_households, import_producers
from yigou.registry.models import Household


@pytest.fixture
def uploads(settings, tmp_path):
    settings.VAR_DIR = tmp_path
    return tmp_path / "uploads"


def _upload(client, content: bytes, name="农户.csv", kind="households"):
    file = io.BytesIO(content)
    file.name = name
    return client.post(reverse("www:import"), {"kind": kind, "file": file})


def test_upload_with_three_bad_rows_shows_them_and_confirming_writes_nothing(
    client, world, uploads, snapshot
):
    client.force_login(world.users["chuanshan"])
    before = snapshot()
    response = _upload(client, csv_bytes(HOUSEHOLD_HEADERS, household_rows(1000)))
    html = response.content.decode()
    assert response.status_code == 200
    assert '<strong id="error-count">3</strong>' in html
    assert (
        '<td class="num">14</td><td class="nowrap">身份证号</td><td>身份证号码无效：校验位不正确</td>' in html
    )
    assert (
        '<td class="num">24</td><td class="nowrap">村代码</td><td>区划代码“510903101099”不存在</td>' in html
    )
    assert '<td class="num">34</td><td class="nowrap">识别日期</td>' in html
    assert 'id="confirm-import"' not in html
    token = client.session["io_import"]["token"]
    assert (uploads / token).exists()
    response = client.post(reverse("www:import"), {"action": "confirm", "token": token})
    assert "导入未执行" in response.content.decode()
    assert snapshot() == before
    assert not (uploads / token).exists()


def test_fixed_file_is_checked_then_confirmed_and_written(client, world, uploads, snapshot):
    client.force_login(world.users["chuanshan"])
    before = snapshot()
    response = _upload(client, csv_bytes(HOUSEHOLD_HEADERS, household_rows(1000, broken=False)))
    assert "检查通过" in response.content.decode()
    assert snapshot() == before
    token = client.session["io_import"]["token"]
    response = client.post(reverse("www:import"), {"action": "confirm", "token": token})
    assert "共 1020 行，已导入 1000 条（户）" in response.content.decode()
    assert snapshot()["households"] - before["households"] == 1000
    assert Household.objects.filter(number__startswith="T").count() == 1000
    assert "io_import" not in client.session
    assert list(uploads.iterdir()) == []


def test_a_confirmation_with_a_foreign_token_is_refused(client, world, uploads, snapshot):
    client.force_login(world.users["chuanshan"])
    _upload(client, csv_bytes(HOUSEHOLD_HEADERS, household_rows(5, broken=False)))
    before = snapshot()
    response = client.post(reverse("www:import"), {"action": "confirm", "token": "0" * 32})
    assert "待导入的文件已失效，请重新上传。" in response.content.decode()
    assert snapshot() == before


def test_an_unreadable_or_incomplete_file_is_explained(client, world, uploads):
    client.force_login(world.users["chuanshan"])
    response = _upload(client, csv_bytes(["户编号", "姓名"], [["1", "甲"]]))
    assert "缺少必需的列：村代码、身份证号、与户主关系" in response.content.decode()
    response = _upload(client, b"x", name="a.txt")
    assert "只能上传 XLSX 或 CSV 文件。" in response.content.decode()


def test_import_page_needs_the_import_capability(client, world):
    # Village recorders may import purchases (ledger.record); the auditor may import nothing.
    client.force_login(world.users["auditor"])
    assert client.get(reverse("www:import")).status_code == 403
    client.logout()
    response = client.get(reverse("www:import"))
    assert (response.status_code, response["Location"]) == (302, "/login/?next=/io/import/")


@pytest.mark.parametrize(
    ("kind", "importer", "user"),
    [
        ("households", import_households, "chuanshan"),
        ("producers", import_producers, "chuanshan"),
        ("units", import_units, "city"),
    ],
)
def test_each_template_has_the_headers_a_notes_sheet_and_an_example_that_passes_the_checks(
    client, world, kind, importer, user
):
    client.force_login(world.users[user])
    response = client.get(reverse("www:import_template", args=[kind]))
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    book = load_workbook(io.BytesIO(response.content), read_only=True)
    assert book.sheetnames[1] == "填写说明"
    notes = list(book.worksheets[1].iter_rows(values_only=True))
    table = read_table(response.content, "t.xlsx")
    assert [r[0] for r in notes[1 : len(table.headers) + 1]] == table.headers
    report = importer(actor=world.users[user], table=table, dry_run=True)
    assert (report.total_rows, report.errors) == (1, [])


def test_template_download_names_the_file_in_chinese(client, world):
    client.force_login(world.users["chuanshan"])
    response = client.get(reverse("www:import_template", args=["households"]))
    assert response["Content-Disposition"] == (
        "attachment; filename*=utf-8''%E5%86%9C%E6%88%B7%E5%AF%BC%E5%85%A5%E6%A8%A1%E6%9D%BF.xlsx"
    )
    assert client.get(reverse("www:import_template", args=["nothing"])).status_code == 404


def test_export_as_anju_returns_only_the_anju_rows(client, world):
    client.force_login(world.users["anju"])
    response = client.get(reverse("www:export"), {"kind": "households", "status": "poor"})
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    _, _, rows = sheet_rows(response.content)
    assert [(r[0], r[3]) for r in rows] == [(world.households["liu"].number, "刘永福")]
    assert AuditEntry.objects.get(action="export").changes == {
        "filters": {"status": "poor"},
        "revealed": False,
    }


def test_export_with_reveal_by_chuanshan_is_full_and_audited_but_city_gets_masked(client, world):
    client.force_login(world.users["chuanshan"])
    _, _, rows = sheet_rows(client.get(reverse("www:export"), {"kind": "households", "reveal": "1"}).content)
    assert rows[0][4] == world.households["zhang"].members.order_by("id")[0].id_number
    assert AuditEntry.objects.filter(action="reveal_export", actor_name="chuanshan").count() == 1
    client.force_login(world.users["city"])
    _, _, rows = sheet_rows(client.get(reverse("www:export"), {"kind": "households", "reveal": "1"}).content)
    assert {len(r[4]) for r in rows} == {18} and {r[4][6:14] for r in rows} == {"********"}
    assert AuditEntry.objects.filter(action="reveal_export").count() == 1


def test_producer_and_unit_exports_take_the_list_filters(client, world):
    client.force_login(world.users["city"])
    response = client.get(
        reverse("www:export"), {"kind": "producers", "kind_filter": "cooperative", "q": "安居"}
    )
    assert [r[1] for r in sheet_rows(response.content)[2]] == ["安居区拦江黑猪养殖专业合作社"]
    response = client.get(reverse("www:export"), {"kind": "units", "budget": "1"})
    assert [r[0] for r in sheet_rows(response.content)[2]] == ["遂宁市财政局"]


def test_export_page_offers_reveal_only_to_users_who_may_reveal(client, world):
    client.force_login(world.users["city"])
    assert "含完整证件号" not in client.get(reverse("www:export")).content.decode()
    client.force_login(world.users["chuanshan"])
    assert "含完整证件号" in client.get(reverse("www:export")).content.decode()


def test_an_unconfirmed_upload_older_than_a_day_is_removed_by_the_next_upload(client, world, uploads):
    import os
    import time

    client.force_login(world.users["chuanshan"])
    uploads.mkdir(parents=True)
    stale, fresh = uploads / ("a" * 32), uploads / ("b" * 32)
    stale.write_bytes(b"old"), fresh.write_bytes(b"new")
    day_ago = time.time() - 24 * 3600 - 60
    os.utime(stale, (day_ago, day_ago))
    _upload(client, csv_bytes(HOUSEHOLD_HEADERS, household_rows(2, broken=False)))
    assert sorted(p.name for p in uploads.iterdir()) == sorted(
        ["b" * 32, client.session["io_import"]["token"]]
    )
