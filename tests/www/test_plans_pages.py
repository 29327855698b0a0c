"""The plan pages by role: the city's ledger with statuses, search, pagination and XLSX; the task-list import with
its Chinese report (nothing written); a report from the lead unit; splits refused in Chinese; a county sees only its
share and another county's plan is a 404; the ranking with its XLSX and DOCX; findings closed on their page."""

from __future__ import annotations

import datetime as dt
import io
import re

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.plans.example import build, make_plan
from yigou.core.xlsx import Sheet, write_workbook
from yigou.plans import services
from yigou.plans.models import Finding, Plan, Target, Task

pytestmark = pytest.mark.django_db
HEADERS = ["序号", "任务内容", "牵头单位", "配合单位", "完成时限"]


def upload(rows, name="tasks.xlsx"):
    data = write_workbook([Sheet(name="任务清单", headers=HEADERS, rows=rows)])
    return SimpleUploadedFile(name, data)


def ledger_numbers(html: str) -> list[str]:
    body = html[html.index('id="ledger"') :]
    return re.findall(r'<tr data-task="([\d.]+)">', body[: body.index("</table>")])


@pytest.fixture
def example(world):
    return build(world)


def test_the_city_creates_a_plan_and_imports_its_task_list(world, client_for):
    city = client_for("city")
    response = city.post(
        "/plans/",
        {
            "title": "遂宁市消费扶贫方案",
            "region": "510900000000",
            "starts_on": "2018-01-01",
            "ends_on": "2018-12-31",
            "rhythm": "monthly",
        },
    )
    plan = Plan.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/plans/{plan.pk}/"
    bad = city.post(f"/plans/{plan.pk}/import/", {"file": upload([["1", "任务", "", "", "2018-06-30"]])})
    assert "导入未执行" in bad.content.decode() and "不能为空" in bad.content.decode()
    assert not Task.objects.exists()
    rows = [
        [str(n), f"任务{n}", "市商务局", "市财政局", "2018-06-30" if n % 2 else "长期"] for n in range(1, 56)
    ]
    ok = city.post(f"/plans/{plan.pk}/import/", {"file": upload(rows)})
    assert "已导入 55 项任务" in ok.content.decode()
    page = city.get(f"/plans/{plan.pk}/")
    assert ledger_numbers(page.content.decode())[:3] == ["1", "2", "3"]
    assert "第 1/2 页" in page.content.decode()
    found = city.get(f"/plans/{plan.pk}/", {"q": "任务17"})
    assert ledger_numbers(found.content.decode()) == ["17"]
    book = openpyxl.load_workbook(io.BytesIO(city.get(f"/plans/{plan.pk}/", {"export": "xlsx"}).content))
    sheet = book.active
    assert [c.value for c in sheet[2]][:6] == ["序号", "任务内容", "牵头单位", "配合单位", "完成时限", "状态"]
    assert sheet.max_row == 57
    template = city.get(f"/plans/{plan.pk}/import/", {"template": "1"})
    assert template.status_code == 200


def test_another_county_sees_nothing_of_a_plan_it_has_no_share_in(world, client_for):
    plan = make_plan(world)
    task = services.task_add(
        actor=world.users["city"],
        plan=plan,
        data=services.TaskInput("1", "任务", "市商务局", due_on=dt.date(2018, 6, 30)),
    )
    anju = client_for("anju")
    assert anju.get(f"/plans/{plan.pk}/").status_code == 404
    assert anju.get(f"/plans/tasks/{task.pk}/").status_code == 404
    assert "遂宁市消费扶贫实施方案" not in anju.get("/plans/").content.decode()


def test_a_county_sees_its_share_and_splits_it_with_a_chinese_refusal(world, client_for, example):
    chuanshan = client_for("chuanshan")
    page = chuanshan.get(f"/plans/{example.plan.pk}/").content.decode()
    assert page.count("data-target=") == 2  # its two shares, not the city's targets nor 安居区's
    share = example.parts["chain_chuanshan"]
    refused = chuanshan.post(
        f"/plans/targets/{share.pk}/", {"action": "split", "parts": "510903101000 4\n510903102000 1"}
    )
    assert "分解合计 5.00 不等于目标值 6.00（相差 -1.00），未分解。" in refused.content.decode()
    assert not Target.objects.filter(parent=share).exists()
    done = chuanshan.post(
        f"/plans/targets/{share.pk}/", {"action": "split", "parts": "510903101000 4\n510903102000 2"}
    )
    assert done.status_code == 302
    assert client_for("anju").get(f"/plans/targets/{share.pk}/").status_code == 404


def test_the_lead_unit_reports_progress_with_evidence(world, client_for):
    plan = make_plan(world)
    task = services.task_add(
        actor=world.users["city"],
        plan=plan,
        data=services.TaskInput("1", "食堂采购", "遂宁市财政局", due_on=dt.date(2018, 6, 30)),
    )
    unit = client_for("unit")
    evidence = SimpleUploadedFile("签到表.pdf", b"%PDF-1.4")
    response = unit.post(
        f"/plans/tasks/{task.pk}/",
        {"reported_on": "2018-05-01", "progress": "60", "text": "已采购两批", "evidence": evidence},
    )
    assert response.status_code == 302
    assert Task.objects.get(pk=task.pk).progress == 60
    bad = unit.post(f"/plans/tasks/{task.pk}/", {"reported_on": "2018-05-02", "progress": "50", "text": "x"})
    assert "进度只能保持或增加" in bad.content.decode()
    assert task.reports.count() == 1


def test_the_ranking_page_with_xlsx_and_the_bulletin_section(world, client_for, example):
    city = client_for("city")
    url = f"/plans/schemes/{example.scheme.pk}/"
    html = city.get(url, {"as_of": "2018-12-31"}).content.decode()
    assert re.findall(r'<tr data-subject="(\S+)">', html) == ["船山区", "安居区"]
    assert "船山区得分最高（69.00分）" in html
    book = openpyxl.load_workbook(
        io.BytesIO(city.get(url, {"as_of": "2018-12-31", "export": "xlsx"}).content)
    )
    sheet = book.active
    assert sheet["A1"].value == "遂宁市2018年度消费扶贫工作考核得分排名表（截至2018年12月31日）"
    assert [c.value for c in sheet[3]] == [
        1,
        "船山区",
        "50.00",
        "30.00",
        "110.00",
        "44.00",
        1,
        "5.00",
        "69.00",
    ]
    docx = city.get(url, {"as_of": "2018-12-31", "export": "docx"})
    assert docx.content[:2] == b"PK"


def test_a_finding_is_closed_on_its_page_and_told_in_chinese_when_closed_twice(world, client_for, example):
    finding = Finding.objects.filter(status="open", region_id="510904101000").first()
    city = client_for("city")
    assert (
        city.post(f"/plans/findings/{finding.pk}/", {"closed_on": "2018-10-10", "note": "已挂牌"}).status_code
        == 302
    )
    again = city.post(f"/plans/findings/{finding.pk}/", {"closed_on": "2018-10-11", "note": "x"})
    assert "已于 2018-10-10 销号" in again.content.decode()
    assert client_for("chuanshan").get(f"/plans/findings/{finding.pk}/").status_code == 404


def test_the_overdue_list_shows_late_tasks_with_days(world, client_for):
    plan = make_plan(world)
    services.task_add(
        actor=world.users["city"],
        plan=plan,
        data=services.TaskInput("1", "建立台账", "市商务局", due_on=dt.date(2018, 6, 30)),
    )
    html = client_for("city").get("/plans/overdue/").content.decode()
    assert "建立台账" in html
    assert str((dt.date.today() - dt.date(2018, 6, 30)).days) in html
    assert client_for("producer").get("/plans/overdue/").status_code == 403


def test_the_network_page_registers_a_site_and_shows_only_the_county_s_own(world, client_for):
    chuanshan = client_for("chuanshan")
    done = chuanshan.post(
        "/plans/network/",
        {
            "kind": "service_centre",
            "name": "永兴村综合服务社",
            "region": "510903101001",
            "opened_on": "2018-05-01",
        },
    )
    assert done.status_code == 302
    assert "永兴村综合服务社" in chuanshan.get("/plans/network/").content.decode()
    assert "永兴村综合服务社" not in client_for("anju").get("/plans/network/").content.decode()
    refused = client_for("chuanshan").post(
        "/plans/network/",
        {"kind": "service_centre", "name": "x", "region": "510903101001", "opened_on": ""},
        follow=True,
    )
    assert "请填写建成/开业日期" in refused.content.decode()
