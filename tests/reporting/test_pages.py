"""Reporting pages: the paper-form entry with inline errors and results, lists, exports, scope."""

import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.reporting.example import ANJU, CITY, build
from yigou.reporting.models import FormValue, OutlierFlag, ValidationResult
from yigou.reporting.services import builtin_form, values_save

pytestmark = pytest.mark.usefixtures("world")


def test_entry_page_looks_like_the_paper_form(web_for):
    html = web_for("anju").get(f"/reporting/entry/?region={ANJU}&month=2018-03").content.decode()
    assert "安居区2018年3月以购助扶成果统计表" in html
    assert (
        html.index('id="v_activities"')
        < html.index('id="v_amount_total"')
        < html.index('id="v_buyer_social_orgs"')
    )
    assert "<legend>购买金额</legend>" in html
    assert '<span class="unit">元</span>' in html and 'inputmode="decimal"' in html
    assert "保存并校验" in html


def test_saving_shows_errors_inline_and_writes_nothing(web_for):
    response = web_for("anju").post(
        "/reporting/entry/",
        {"region": ANJU, "month": "2018-03", "v_amount_total": "1x", "v_poor_households": "2"},
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert '<small class="error">“总额”的数值“1x”无效：不是数字</small>' in html
    assert 'value="2"' in html  # what was typed stays
    assert FormValue.objects.count() == 0


def test_saving_shows_the_violations_at_once_through_htmx(web_for):
    response = web_for("anju").post(
        "/reporting/entry/",
        {"region": ANJU, "month": "2018-03", "v_amount_total": "100", "v_amount_own": "50"},
        HTTP_HX_REQUEST="true",
    )
    html = response.content.decode()
    assert response.status_code == 200 and html.startswith('<div id="entry">')
    assert "有重要性为“高”的规则未通过：改正前不能上报。" in html
    assert (
        "购买金额总额应等于农户自产与合作社产品之和：购买金额·总额 = 100，购买金额·其中农户自产 + 购买金额·其中合作社产品 = 50"
        in html
    )
    assert FormValue.objects.count() == 2


def test_a_non_blocking_violation_is_commented_on_the_page(world, web_for):
    values_save(
        actor=world.users["anju"],
        region_code=ANJU,
        year=2018,
        month=3,
        values={"buyer_units": "3", "buyers_total": "2"},
    )
    result = ValidationResult.objects.get()
    client = web_for("anju")
    response = client.post(
        f"/reporting/results/{result.pk}/comment/", {"comment": "代购", "next": "/reporting/entry/"}
    )
    assert response.status_code == 302
    result.refresh_from_db()
    assert result.comment == "代购"
    assert (
        web_for("chuanshan").post(f"/reporting/results/{result.pk}/comment/", {"comment": "x"}).status_code
        == 404
    )


def test_another_county_cannot_open_or_save_anjus_form(web_for):
    client = web_for("chuanshan")
    assert client.get(f"/reporting/entry/?region={ANJU}&month=2018-03").status_code == 403
    assert (
        client.post(
            "/reporting/entry/", {"region": ANJU, "month": "2018-03", "v_amount_total": "1"}
        ).status_code
        == 403
    )
    assert FormValue.objects.count() == 0


def test_the_auditor_sees_the_form_read_only(world, web_for):
    html = web_for("auditor").get(f"/reporting/entry/?region={ANJU}&month=2018-03").content.decode()
    assert (
        'id="v_amount_total" name="v_amount_total" value="" inputmode="decimal" autocomplete="off" disabled'
        in html
    )
    assert "保存并校验" not in html
    assert web_for("unit").get("/reporting/entry/").status_code == 403


def test_run_validation_then_list_search_and_export(world, web_for):
    build(world)
    client = web_for("city")
    response = client.post("/reporting/results/run/", {"region": CITY, "period": "2018-03"})
    assert response.status_code == 302
    html = client.get(response["Location"]).content.decode()
    assert html.count("<tr><td>") == 3 and "遂宁经济技术开发区" in html
    assert client.get("/reporting/results/?q=收入").content.decode().count("<tr><td>") == 1
    assert web_for("chuanshan").get("/reporting/results/").content.decode().count("<tr><td>") == 0
    book = openpyxl.load_workbook(io.BytesIO(client.get("/reporting/results/?export=xlsx").content))
    sheet = book.active
    assert [c.value for c in sheet[2]][:4] == ["区划代码", "区域", "期间", "规则"]
    assert [c.value for c in sheet[3]][:6] == [
        CITY,
        "遂宁市",
        "2018年3月",
        "R01",
        "购买金额总额应等于农户自产与合作社产品之和",
        4700,
    ]


def test_reconciliation_page_and_xlsx(world, web_for):
    build(world)
    client = web_for("city")
    html = client.get(f"/reporting/reconciliation/?region={CITY}&period=2018-03").content.decode()
    assert "<td>船山区</td><td>台账（另有填报）</td>" in html and "<td>安居区</td><td>填报</td>" in html
    assert '<td>购买金额·总额</td><td class="num">1600.00</td><td class="num">1700.00</td>' in html
    data = client.get(f"/reporting/reconciliation/?region={CITY}&period=2018-03&export=xlsx").content
    sheet = openpyxl.load_workbook(io.BytesIO(data)).active
    assert sheet["A1"].value == "遂宁市2018年3月台账与填报数据核对表"
    assert [c.value for c in sheet[3]] == [
        "510903000000",
        "船山区",
        "amount_total",
        "购买金额·总额",
        "元",
        1600,
        1700,
        100,
    ]
    assert web_for("anju").get(f"/reporting/reconciliation/?region={CITY}&period=2018-03").status_code == 403


def test_stats_page_shows_the_merged_table(world, web_for):
    build(world)
    html = web_for("city").get(f"/stats/?region={CITY}&period=2018-03").content.decode()
    assert "安居区、遂宁经济技术开发区无台账数据，采用填报数据" in html
    assert "4,600.00" in html


def test_outliers_list_and_resolve(world, web_for):
    builtin_form().elements.filter(code="poor_households").update(max_value=5)
    values_save(
        actor=world.users["anju"], region_code=ANJU, year=2018, month=3, values={"poor_households": "8"}
    )
    client = web_for("anju")
    assert "超出设定范围" in client.get("/reporting/outliers/").content.decode()
    flag = OutlierFlag.objects.get()
    assert client.post("/reporting/outliers/", {"flag": flag.pk, "note": "核实无误"}).status_code == 302
    flag.refresh_from_db()
    assert (flag.status, flag.note) == ("resolved", "核实无误")
    assert (
        web_for("chuanshan").post("/reporting/outliers/", {"flag": flag.pk, "note": "x"}).status_code == 404
    )


def test_import_page_reports_errors_and_imports(web_for):
    client = web_for("anju")
    bad = SimpleUploadedFile("f.csv", b"region,amount_total\n510904000000,abc\n")
    response = client.post("/reporting/import/", {"file": bad, "period": "2018-03"})
    assert response.status_code == 400 and "“总额”的数值“abc”无效：不是数字" in response.content.decode()
    good = SimpleUploadedFile("f.csv", b"region,amount_total\n510904000000,5\n")
    response = client.post("/reporting/import/", {"file": good, "period": "2018-03"})
    assert "导入完成：共 1 行，更新 1 个数值。" in response.content.decode()
    assert web_for("auditor").get("/reporting/import/").status_code == 403


def test_outliers_search_and_export(world, web_for):
    builtin_form().elements.filter(code="poor_households").update(max_value=5)
    values_save(
        actor=world.users["anju"], region_code=ANJU, year=2018, month=3, values={"poor_households": "8"}
    )
    client = web_for("city")
    assert "<td>安居区</td>" in client.get("/reporting/outliers/?q=户数").content.decode()
    assert "<td>安居区</td>" not in client.get("/reporting/outliers/?q=收入").content.decode()
    sheet = openpyxl.load_workbook(io.BytesIO(client.get("/reporting/outliers/?export=xlsx").content)).active
    assert [c.value for c in sheet[3]][:7] == [ANJU, "安居区", "2018-03", "户数", "户", 8, "超出设定范围"]


def test_results_sort_by_rule_descending(world, web_for):
    build(world)
    client = web_for("city")
    client.post("/reporting/results/run/", {"region": CITY, "period": "2018-03"})
    html = client.get("/reporting/results/?sort=-rule").content.decode()
    assert html.index("<td>R02</td>") < html.index("<td>R01</td>")


def test_an_administrator_is_asked_to_pick_a_region(web_for):
    response = web_for("admin").get("/reporting/entry/?month=2018-03")
    html = response.content.decode()
    assert response.status_code == 400 and "请选择统计区域" in html
    assert '<option value="510900000000">　遂宁市</option>' in html
