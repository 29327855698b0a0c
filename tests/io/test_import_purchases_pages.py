"""The import page for purchases: upload → report → confirm, the template, and large files as a background job."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from tests.ledger.example import _market
from tests.ledger.test_bulk_import import ROWS, counts, csv_bytes
from yigou.core.models import ImportJob, JobStatus
from yigou.ledger.bulk.layout import COLUMNS, HEADERS
from yigou.ledger.models import Purchase


@pytest.fixture
def market(world):
    return _market(world)


@pytest.fixture
def uploads(settings, tmp_path):
    settings.VAR_DIR = tmp_path
    return tmp_path / "uploads"


def bad_rows() -> list[str]:
    bad = list(ROWS)
    bad[0] = bad[0].replace("2018-01-10", "2018-13-10")
    bad[3] = bad[3].replace(",4,,,,", ",4,201,,,")
    bad[4] = bad[4].replace("5109041010010001", "5109041010019999")
    return bad


def upload(client, content: bytes, name="购买记录.csv"):
    file = io.BytesIO(content)
    file.name = name
    return client.post(reverse("www:import"), {"kind": "purchases", "file": file})


def confirm(client):
    return client.post(
        reverse("www:import"), {"action": "confirm", "token": client.session["io_import"]["token"]}
    )


def test_bad_rows_are_listed_and_confirming_writes_nothing(client, world, market, uploads):
    client.force_login(world.users["city"])
    before = counts()
    html = upload(client, csv_bytes(bad_rows())).content.decode()
    assert '<strong id="error-count">3</strong>' in html
    assert '<td class="num">2</td><td class="nowrap">日期</td>' in html
    assert '<td class="num">5</td><td class="nowrap">金额</td><td>201 不等于数量×单价 200.00</td>' in html
    assert '<td class="num">6</td><td class="nowrap">销售方</td>' in html
    assert 'id="confirm-import"' not in html
    html = confirm(client).content.decode()
    assert "导入未执行" in html
    assert counts() == before
    assert list(uploads.iterdir()) == []


def test_a_fixed_file_is_checked_then_confirmed_as_five_purchases(client, world, market, uploads):
    client.force_login(world.users["city"])
    html = upload(client, csv_bytes(ROWS)).content.decode()
    assert "共 6 行，5 笔购买，未发现错误。" in html
    assert 'id="import-background"' not in html
    assert Purchase.objects.count() == 0
    html = confirm(client).content.decode()
    assert (
        '<p id="import-summary">文件“购买记录.csv”共 6 行，5 笔购买，写入 5 笔，跳过已导入 0 笔。</p>' in html
    )
    assert Purchase.objects.count() == 5
    assert ImportJob.objects.count() == 0
    assert list(uploads.iterdir()) == []


def test_a_large_file_is_written_by_a_background_job_whose_status_shows_the_result(
    client, world, market, uploads, settings, django_capture_on_commit_callbacks
):
    settings.YIGOU_IMPORT_JOB_THRESHOLD = 3
    settings.YIGOU_IMPORT_JOB_INLINE = True
    client.force_login(world.users["city"])
    assert 'id="import-background"' in upload(client, csv_bytes(ROWS)).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = confirm(client)
    job = ImportJob.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("www:import_job", args=[job.pk])
    assert (job.kind, job.status, job.total_rows, job.processed_rows, job.created_by) == (
        "purchases",
        JobStatus.DONE,
        6,
        6,
        world.users["city"],
    )
    assert (job.report["written"], job.report["purchases"], job.report["ok"], job.region_code) == (
        5,
        5,
        True,
        "510900000000",
    )
    assert job.finished_at is not None and job.started_at is not None
    assert Purchase.objects.count() == 5
    assert list(uploads.iterdir()) == []
    html = client.get(reverse("www:import_job_status", args=[job.pk])).content.decode()
    assert '<p id="import-summary">共 6 行，5 笔购买，写入 5 笔，跳过已导入 0 笔。</p>' in html
    assert "hx-trigger" not in html  # finished: the page stops polling


def test_a_background_job_with_bad_rows_reports_them_and_writes_nothing(
    client, world, market, uploads, settings, django_capture_on_commit_callbacks
):
    settings.YIGOU_IMPORT_JOB_THRESHOLD = 3
    settings.YIGOU_IMPORT_JOB_INLINE = True
    client.force_login(world.users["city"])
    before = counts()
    upload(client, csv_bytes(bad_rows()))
    with django_capture_on_commit_callbacks(execute=True):
        confirm(client)
    job = ImportJob.objects.get()
    assert (job.status, job.processed_rows, job.report["error_count"]) == (JobStatus.DONE, 6, 3)
    assert [(e["row"], e["column"]) for e in job.report["errors"]] == [
        (2, "日期"),
        (5, "金额"),
        (6, "销售方"),
    ]
    html = client.get(reverse("www:import_job", args=[job.pk])).content.decode()
    assert '<strong id="error-count">3</strong>' in html
    assert '<td class="num">5</td><td class="nowrap">金额</td><td>201 不等于数量×单价 200.00</td>' in html
    assert counts()[:-1] == before[:-1]  # nothing in the ledger; the audit count is the last item
    assert Purchase.objects.count() == 0


def test_a_running_job_shows_its_progress_and_keeps_polling(client, world, settings, uploads):
    from yigou.core import jobs

    job = jobs.job_create(
        actor=world.users["chuanshan"],
        kind="purchases",
        file_path="/nonexistent",
        filename="大文件.csv",
        total_rows=250000,
    )
    jobs.job_started(job.pk)
    jobs.job_progress(job.pk, 120000)
    client.force_login(world.users["chuanshan"])
    html = client.get(reverse("www:import_job_status", args=[job.pk])).content.decode()
    assert '<p id="job-progress">已检查 120000 / 共 250000 行…</p>' in html
    assert f'hx-get="{reverse("www:import_job_status", args=[job.pk])}" hx-trigger="every 2s"' in html


def test_another_countys_user_cannot_open_the_job(client, world, settings):
    from yigou.core import jobs

    job = jobs.job_create(
        actor=world.users["chuanshan"],
        kind="purchases",
        file_path="/nonexistent",
        filename="p.csv",
        total_rows=10,
    )
    client.force_login(world.users["anju"])
    assert client.get(reverse("www:import_job", args=[job.pk])).status_code == 404
    assert client.get(reverse("www:import_job_status", args=[job.pk])).status_code == 404
    assert 'class="empty">没有后台导入任务。' in client.get(reverse("www:import_jobs")).content.decode()
    client.force_login(world.users["city"])
    assert client.get(reverse("www:import_job", args=[job.pk])).status_code == 200
    assert "p.csv" in client.get(reverse("www:import_jobs")).content.decode()


def test_a_user_without_ledger_record_is_refused(client, world, market, uploads):
    client.force_login(world.users["auditor"])
    assert client.get(reverse("www:import") + "?kind=purchases").status_code == 403
    assert upload(client, csv_bytes(ROWS)).status_code == 403
    assert client.get(reverse("www:import_template", args=["purchases"])).status_code == 403
    assert Purchase.objects.count() == 0


def test_a_village_recorder_may_import_purchases_but_not_the_registry(client, world, uploads):
    client.force_login(world.users["village"])
    html = client.get(reverse("www:import")).content.decode()
    assert '<option value="purchases" selected>购买记录（每条明细一行）</option>' in html
    assert '<option value="supply">供给台账（每个品种一行）</option>' in html
    assert 'value="households"' not in html
    file = io.BytesIO(b"x")
    file.name = "h.csv"
    assert client.post(reverse("www:import"), {"kind": "households", "file": file}).status_code == 403


def test_the_template_has_the_layout_and_its_example_row_passes_the_check(client, world, uploads):
    client.force_login(world.users["chuanshan"])
    response = client.get(reverse("www:import_template", args=["purchases"]))
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["购买记录", "填写说明"]
    rows = [[c or "" for c in r] for r in book["购买记录"].iter_rows(values_only=True)]
    assert rows[0] == HEADERS
    assert rows[1][:3] == ["示例-0001", timezone.localdate().isoformat(), "个人"]
    assert rows[1][6] == world.households["zhang"].number
    notes = list(book["填写说明"].iter_rows(values_only=True))
    assert [(r[0], r[1], r[2]) for r in notes[1 : len(COLUMNS) + 1]] == [
        (header, "必填" if required else "选填", description) for header, required, description in COLUMNS
    ]
    html = upload(client, response.content, name="购买记录导入模板.xlsx").content.decode()
    assert "共 1 行，1 笔购买，未发现错误。" in html


def test_the_import_formats_document_lists_every_purchase_column():
    from pathlib import Path

    text = (Path(__file__).resolve().parents[2] / "docs" / "import-formats.md").read_text(encoding="utf-8")
    assert "## 4. 购买记录 (purchases)" in text
    assert [header for header in HEADERS if f"| {header} |" not in text] == []
