"""The 以购助扶成果统计表 page: the worked example's figures, drill-down, scope, periods and exports."""

import csv
import io
import json
import re

import openpyxl
import pytest
from django.urls import reverse

from tests.ledger.example import build_example
from tests.ledger.test_render import expected_json

PERIOD = {"period": "2018-01..2018-04"}


@pytest.fixture
def example(world):
    return build_example(world)


def stats(client, **params):
    return client.get(reverse("www:stats"), params)


def row_cells(html, code):
    """The texts of the cells of the row of one region (the total row carries the table's own code)."""
    row = re.search(rf'<tr[^>]*data-region="{code}">(.*?)</tr>', html, re.S).group(1)
    return [re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]


def test_city_table_for_january_to_april_shows_the_worked_example(client_for, example):
    html = stats(client_for("city"), region="510900000000", **PERIOD).content.decode()
    assert "<strong>遂宁市2018年1—4月以购助扶成果统计表</strong>" in html
    chuanshan = row_cells(html, "510903000000")
    assert chuanshan == [
        "船山区",
        "1",
        "1",
        "0",
        "0",
        "0",
        "0",
        "0.50",
        "1",
        "1",
        "1",
        "1,150.00",
        "1",
        "200.00",
        "2,050.00",
        "1,050.00",
        "1,000.00",
        "0.00",
        "4",
        "1",
        "1",
        "1",
        "0",
        "0",
    ]
    assert row_cells(html, "510904000000")[14] == "1,600.00"
    assert row_cells(html, "510971000000")[14] == "0.00"
    total = row_cells(html, "510900000000")
    assert (total[0], total[11], total[14], total[18]) == ("合计", "2,750.00", "3,650.00", "4")
    assert "各行相加为 5" in html and 'id="footnotes"' in html


def test_header_has_two_rows_with_merged_groups_and_units(client_for, example):
    html = stats(client_for("city"), region="510900000000", **PERIOD).content.decode()
    thead = re.search(r"<thead>(.*?)</thead>", html, re.S).group(1)
    first, second = re.findall(r"<tr>(.*?)</tr>", thead, re.S)
    assert re.findall(r"<th[^>]*>([^<]+)</th>", first) == [
        "县(区)",
        "开展以购助扶活动次数(次)",
        "累计开办(个)",
        "免收费用(万元)",
        "覆盖行政村(个)",
        "贫困群众参与",
        "非贫困群众参与",
        "购买金额(元)",
        "参与购买",
    ]
    assert '<th colspan="5">累计开办(个)</th>' in first and '<th rowspan="2">免收费用(万元)</th>' in first
    assert re.findall(r"<th>([^<]+)</th>", second)[5:10] == [
        "贫困村",
        "非贫困村",
        "户数(户)",
        "收入(元)",
        "户数(户)",
    ]


def test_each_child_region_links_to_its_own_table(client_for, example):
    client = client_for("city")
    html = stats(client, region="510900000000", **PERIOD).content.decode()
    assert '<a href="?region=510903000000&amp;period=2018-01..2018-04">船山区</a>' in html
    county = stats(client, region="510903000000", **PERIOD).content.decode()
    assert "船山区2018年1—4月以购助扶成果统计表" in county
    assert row_cells(county, "510903101000")[0] == "永兴镇"
    assert row_cells(county, "510903101000")[14] == "2,050.00"
    assert '<th rowspan="2">乡镇</th>' in county
    assert '<a href="?region=510900000000&amp;period=2018-01..2018-04">遂宁市</a> › 船山区' in county
    township = stats(client, region="510903101000", **PERIOD).content.decode()
    assert row_cells(township, "510903101001")[14] == "850.00"


def test_a_village_lists_its_purchases_for_the_period(client_for, example):
    html = stats(client_for("city"), region="510903101001", **PERIOD).content.decode()
    assert row_cells(html, "510903101001")[14] == "850.00"
    amounts = re.findall(r'<td class="num amount">([^<]+)</td>', html)
    assert amounts == ["-100.00", "100.00", "250.00", "600.00"]
    assert "永兴村 2018年1—4月 购买记录" in html


def test_county_user_cannot_open_or_drill_into_another_county(client_for, example):
    client = client_for("anju")
    assert stats(client, region="510903000000", **PERIOD).status_code == 403
    assert stats(client, region="510903101001", **PERIOD).status_code == 403
    assert stats(client, region="510900000000", **PERIOD).status_code == 403
    own = stats(client, **PERIOD)
    html = own.content.decode()
    assert own.status_code == 200
    assert "安居区2018年1—4月以购助扶成果统计表" in html
    assert "510903000000" not in html and "遂宁市</a>" not in html
    assert row_cells(html, "510904101000")[14] == "1,600.00"


def test_county_user_cannot_export_another_county(client_for, example):
    url = reverse("www:stats_export", args=["xlsx"])
    assert client_for("anju").get(url, {"region": "510903000000", **PERIOD}).status_code == 403


def test_month_picker_and_date_range(client_for, example):
    client = client_for("city")
    html = stats(client, region="510900000000", mode="month", month="2018-01").content.decode()
    assert "遂宁市2018年1月以购助扶成果统计表" in html
    assert row_cells(html, "510903000000")[14] == "1,600.00"
    html = stats(
        client, region="510900000000", mode="dates", start="2018-01-15", end="2018-03-16"
    ).content.decode()
    assert "遂宁市2018年01月15日—2018年03月16日以购助扶成果统计表" in html
    assert row_cells(html, "510900000000")[14] == "2,800.00"
    html = stats(
        client, region="510900000000", mode="range", **{"from": "2018-02", "to": "2018-04"}
    ).content.decode()
    assert row_cells(html, "510903000000")[14] == "450.00"


def test_bad_period_or_region_is_explained_in_chinese(client_for, example):
    response = stats(client_for("city"), region="510900000000", period="2018-13")
    assert response.status_code == 400
    assert "输入有误：月份“2018-13”无效" in response.content.decode()
    response = stats(client_for("admin"), region="519999000000", period="2018-04")
    assert response.status_code == 400
    assert "区划代码“519999000000”不存在" in response.content.decode()


def test_xlsx_export_has_the_official_layout(client_for, example):
    response = client_for("city").get(
        reverse("www:stats_export", args=["xlsx"]), {"region": "510900000000", **PERIOD}
    )
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert "attachment" in response["Content-Disposition"]
    ws = openpyxl.load_workbook(io.BytesIO(response.content)).active
    assert ws["A1"].value == "遂宁市2018年1—4月以购助扶成果统计表"
    assert {"A1:X1", "A2:A3", "C2:G2", "O2:R2", "S2:X2"} <= {str(r) for r in ws.merged_cells.ranges}
    assert (ws["O2"].value, ws["O3"].value, ws["H2"].value) == ("购买金额(元)", "总额", "免收费用(万元)")
    assert (ws["A4"].value, ws["O4"].value, ws["H4"].value, ws["L4"].value) == ("船山区", 2050, 0.5, 1150)
    assert (ws["A7"].value, ws["O7"].value, ws["S7"].value) == ("合计", 3650, 4)


def test_csv_and_json_exports_are_exact(client_for, example):
    client = client_for("city")
    data = client.get(reverse("www:stats_export", args=["csv"]), {"region": "510900000000", **PERIOD}).content
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows[0][15] == "购买金额·总额(元)"
    assert [r[15] for r in rows[1:]] == ["2050.00", "1600.00", "0.00", "3650.00"]
    response = client.get(reverse("www:stats_export", args=["json"]), {"region": "510900000000", **PERIOD})
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert json.loads(response.content) == expected_json()


def test_chart_page_has_amounts_by_month_channel_and_child(client_for, example):
    response = client_for("city").get(reverse("www:stats_chart"), {"region": "510900000000", **PERIOD})
    html = response.content.decode()
    data = json.loads(
        re.search(r'<script id="chart-data" type="application/json">(.*?)</script>', html, re.S).group(1)
    )
    assert data == {
        "by_month": {
            "labels": ["2018-01", "2018-02", "2018-03", "2018-04"],
            "values": [1600.0, 200.0, 1850.0, 0.0],
        },
        "by_channel": {"labels": ["销售网点", "食堂采购", "现场采购"], "values": [250.0, 200.0, 3200.0]},
        "by_child": {"labels": ["船山区", "安居区", "遂宁经济技术开发区"], "values": [2050.0, 1600.0, 0.0]},
    }
    # Old county PCs may have no internet: every script is served by the app itself.
    # (A plain "cdn" substring test failed whenever the random CSRF token spelled it.)
    scripts = re.findall(r'<script[^>]*\bsrc="([^"]+)"', html)
    assert "/static/www/vendor/echarts.min.js" in scripts
    assert all(src.startswith("/static/") for src in scripts)


def test_unit_users_have_no_statistics_page(client_for, example):
    assert stats(client_for("unit"), **PERIOD).status_code == 403


def test_without_a_period_the_page_opens_on_the_latest_year_with_purchases(client_for, example):
    # The ledger's last sale visible to 船山区 is on 2018-04-02, long before this year: the page starts there.
    html = stats(client_for("chuanshan")).content.decode()
    assert "<strong>船山区2018年1—4月以购助扶成果统计表</strong>" in html
    assert row_cells(html, "510903101000")[14] == "2,050.00"
