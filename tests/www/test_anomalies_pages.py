"""The fake-figure pages: a county office sees its duplicate and opens a case; another county sees nothing and gets a
404 on the case; the city's auditor sees the list but no assign or decide forms; the filtered list as XLSX; a bad
period or region is told in Chinese and nothing changes; the case walks assign → explain → confirm on its page."""

from __future__ import annotations

import io
import json
import re

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.anomalies.conftest import sell
from yigou.anomalies import cases
from yigou.anomalies.models import Finding, Investigation
from yigou.anomalies.scan import scan
from yigou.core.periods import parse_period
from yigou.ledger.models import Purchase
from yigou.notices.models import Notice

pytestmark = pytest.mark.django_db
FINDINGS = "/anomalies/?period=2018"


@pytest.fixture
def duplicate(world):
    zhang = world.households["zhang"]
    first, copy = sell(world, zhang, external_id="A-1"), sell(world, zhang, external_id="B-7")
    scan(world.region("510903000000"), parse_period("2018"))
    return Finding.objects.get(), first, copy


def rows(html: str) -> list[str]:
    body = html[html.index('<table class="grid stack" id="findings">') :]
    return re.findall(r'<tr data-finding="(\d+)">', body[: body.index("</table>")])


def test_a_county_office_sees_its_finding_with_the_figures(client_for, duplicate):
    finding, _, _ = duplicate
    html = client_for("chuanshan").get(FINDINGS).content.decode()
    assert rows(html) == [str(finding.pk)]
    assert "重复录入" in html and "2 笔：A-1、B-7" in html and finding.evidence in html
    assert "600.00" in html and 'class="open-case">立案</button>' in html and 'id="rescan"' in html


def test_another_county_sees_nothing_and_the_case_is_not_found(client_for, world, duplicate):
    finding, _, _ = duplicate
    case = cases.case_open(actor=world.users["auditor"], finding=finding)
    anju = client_for("anju")
    assert rows(anju.get(FINDINGS).content.decode()) == []
    assert anju.get(f"/anomalies/cases/{case.pk}/").status_code == 404
    assert anju.post(f"/anomalies/findings/{finding.pk}/open/").status_code == 404
    assert "没有符合条件的案件。" in anju.get("/anomalies/cases/").content.decode()


def test_the_auditor_opens_a_case_but_gets_no_assign_or_decide_forms(client_for, world, duplicate):
    finding, _, _ = duplicate
    auditor = client_for("auditor")
    assert rows(auditor.get(FINDINGS).content.decode()) == [str(finding.pk)]
    response = auditor.post(f"/anomalies/findings/{finding.pk}/open/", {"period": "2018"})
    case = Investigation.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/anomalies/cases/{case.pk}/"
    html = auditor.get(response["Location"]).content.decode()
    assert case.number in html and "已立案" in html
    for form in ("assign-form", "confirm-form", "dismiss-form", "explain-form"):
        assert f'id="{form}"' not in html
    assert (
        auditor.post(
            f"/anomalies/cases/{case.pk}/assign/", {"assignee": world.users["chuanshan"].pk}
        ).status_code
        == 403
    )
    # The list now links the case instead of offering 立案.
    listed = auditor.get(FINDINGS).content.decode()
    assert f'href="/anomalies/cases/{case.pk}/">{case.number}</a>' in listed and "open-case" not in listed


def test_the_case_goes_from_assign_to_confirm_on_its_page(client_for, world, duplicate, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    finding, first, copy = duplicate
    case = cases.case_open(actor=world.users["auditor"], finding=finding)
    city, chuanshan = client_for("city"), client_for("chuanshan")
    page = city.get(f"/anomalies/cases/{case.pk}/").content.decode()
    assert (
        'id="assign-form"' in page and 'id="confirm-form"' not in page
    )  # nothing to decide before assigning
    assert (
        city.post(
            f"/anomalies/cases/{case.pk}/assign/", {"assignee": world.users["chuanshan"].pk, "due_on": ""}
        ).status_code
        == 302
    )
    refused = chuanshan.post(f"/anomalies/cases/{case.pk}/explain/", {"text": "属实"})
    assert refused.status_code == 400 and "请填写情况说明（至少 10 个字）" in refused.content.decode()
    upload = SimpleUploadedFile("说明.pdf", b"%PDF-1.4 test", content_type="application/pdf")
    done = chuanshan.post(
        f"/anomalies/cases/{case.pk}/explain/",
        {"text": "经核实，B-7 为乡镇汇总时重复导入。", "files": [upload]},
    )
    assert done.status_code == 302
    case.refresh_from_db()
    file = case.files.get()
    download = chuanshan.get(f"/anomalies/files/{file.pk}/")
    assert download.status_code == 200 and b"".join(download.streaming_content) == b"%PDF-1.4 test"
    assert client_for("anju").get(f"/anomalies/files/{file.pk}/").status_code == 404
    village = client_for("village").get(f"/anomalies/cases/{case.pk}/").content.decode()
    assert 'id="explain-form"' in village and 'id="confirm-form"' not in village and "说明.pdf" in village
    assert city.post(f"/anomalies/cases/{case.pk}/confirm/", {"reason": "重复录入属实"}).status_code == 302
    html = city.get(f"/anomalies/cases/{case.pk}/").content.decode()
    assert '<strong id="case-status">已查实（已冲销）</strong>' in html and "1 笔，600.00 元" in html
    assert (
        Purchase.objects.filter(reverses=copy).exists()
        and not Purchase.objects.filter(reverses=first).exists()
    )


def test_the_filtered_list_downloads_as_xlsx(client_for, duplicate):
    finding, _, _ = duplicate
    response = client_for("city").get("/anomalies/?region=510903000000&period=2018&export=xlsx")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    values = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert values[1][:4] == ["可疑度", "规则", "区划代码", "区划"]
    assert len(values) == 3
    row = values[2]
    assert (row[0], row[1], row[2], row[6], row[7], row[9], row[11]) == (
        90,
        "重复录入",
        finding.region_id,
        2,
        "A-1、B-7",
        600,
        "未立案",
    )
    filtered = client_for("city").get("/anomalies/?region=510903000000&period=2018&rule=price&export=xlsx")
    assert len(list(openpyxl.load_workbook(io.BytesIO(filtered.content)).active.iter_rows())) == 2


def test_a_bad_period_or_region_is_told_in_chinese_and_nothing_changes(client_for, duplicate):
    city = client_for("city")
    response = city.get("/anomalies/?period=2018-13")
    assert response.status_code == 400 and "月份“2018-13”无效" in response.content.decode()
    before = list(Finding.objects.values_list("pk", "updated_at"))
    bad = city.post("/anomalies/scan/", {"region": "510903000000", "period": "去年"}, follow=True)
    assert "期间“去年”无效" in bad.content.decode()
    outside = client_for("anju").post(
        "/anomalies/scan/", {"region": "510903000000", "period": "2018"}, follow=True
    )
    assert "不在本账号的管辖范围内" in outside.content.decode()
    assert list(Finding.objects.values_list("pk", "updated_at")) == before
    assert (
        client_for("village")
        .post("/anomalies/scan/", {"region": "510903101001", "period": "2018"})
        .status_code
        == 403
    )


def test_rescanning_keeps_the_finding_and_says_what_happened(client_for, duplicate):
    finding, _, _ = duplicate
    response = client_for("chuanshan").post(
        "/anomalies/scan/", {"region": "510903000000", "period": "2018"}, follow=True
    )
    assert (
        "已重新扫描船山区2018年1—12月：疑点 1 个（新增 0，更新 1，移除 0，已排除而不再提示 0）。"
        in response.content.decode()
    )
    assert list(Finding.objects.values_list("pk", flat=True)) == [finding.pk]


def test_the_case_list_counts_cases_by_child_region(client_for, world, duplicate):
    finding, _, _ = duplicate
    case = cases.case_open(actor=world.users["auditor"], finding=finding)
    html = client_for("city").get("/anomalies/cases/").content.decode()
    board = html[html.index('id="case-board"') : html.index("</table>")]
    assert re.search(
        r'data-region="510903000000"><td>船山区</td><td class="num">1</td><td class="num">0</td>', board
    )
    assert re.search(r'data-region="510904000000"><td>安居区</td><td class="num">0</td>', board)
    assert f">{case.number}</a>" in html
    chart = json.loads(
        re.search(r'<script id="case-chart-data" type="application/json">(.*?)</script>', html)[1]
    )
    names = [r.name for r in world.region("510900000000").children.order_by("code")]
    assert chart["labels"] == names
    open_bars = dict(zip(names, chart["series"][0]["values"], strict=True))
    assert (
        chart["series"][0]["name"] == "核查中" and open_bars["船山区"] == 1 and sum(open_bars.values()) == 1
    )
    assert (
        "没有符合条件的案件。"
        in client_for("city").get("/anomalies/cases/?status=confirmed").content.decode()
    )


@pytest.mark.parametrize(
    ("user", "findings", "case_list", "link"),
    [
        ("admin", 200, 200, "/anomalies/"),
        ("city", 200, 200, "/anomalies/"),
        ("chuanshan", 200, 200, "/anomalies/"),
        ("auditor", 200, 200, "/anomalies/"),
        ("village", 403, 200, "/anomalies/cases/"),
        ("unit", 403, 403, None),
        ("producer", 403, 403, None),
    ],
)
def test_pages_and_menu_link_by_role(client_for, world, user, findings, case_list, link):
    client = client_for(user)
    assert client.get(FINDINGS).status_code == findings
    assert client.get("/anomalies/cases/").status_code == case_list
    html = client.get("/").content.decode()
    nav = html[html.index('<nav class="menu">') : html.index("</nav>")]
    assert re.findall(r'<a href="([^"]+)">疑点核查</a>', nav) == ([link] if link else [])


def test_the_notices_of_a_case_link_to_its_page(world, duplicate):
    finding, _, _ = duplicate
    case = cases.case_open(actor=world.users["auditor"], finding=finding)
    cases.case_assign(actor=world.users["city"], case=case, assignee=world.users["chuanshan"].pk)
    notice = Notice.objects.get(recipient=world.users["chuanshan"], kind="investigation")
    assert notice.link == f"/anomalies/cases/{case.pk}/"
