"""The 以购助扶成果统计表 of the worked example as JSON, CSV and XLSX, cell by cell."""

import csv
import io
import json
from decimal import Decimal

import openpyxl
import pytest

from tests.ledger.example import build_example
from tests.ledger.test_worked_example import ANJU_JAN_APR, CHUANSHAN_JAN_APR, SUINING_JAN_APR, ZERO_ROW
from yigou.core.periods import parse_period
from yigou.ledger import render
from yigou.ledger.columns import CODES
from yigou.ledger.table import build_table

FOOTNOTES = [
    "“参与购买·总人数”合计 4 按全区去重计算，各行相加为 5：同一对象在多个下级区域出现时合计只计一次。",
    "“参与购买·帮扶单位”合计 1 按全区去重计算，各行相加为 2：同一对象在多个下级区域出现时合计只计一次。",
]


def as_json_values(values):
    return {k: float(v) if isinstance(v, Decimal) else v for k, v in values.items()}


def expected_json():
    return {
        "region": "510900000000",
        "region_name": "遂宁市",
        "period": "2018-01..2018-04",
        "period_label": "2018年1—4月",
        "title": "遂宁市2018年1—4月以购助扶成果统计表",
        "rows": [
            {
                "region_code": "510903000000",
                "region_name": "船山区",
                "values": as_json_values(CHUANSHAN_JAN_APR),
            },
            {"region_code": "510904000000", "region_name": "安居区", "values": as_json_values(ANJU_JAN_APR)},
            {
                "region_code": "510971000000",
                "region_name": "遂宁经济技术开发区",
                "values": as_json_values(ZERO_ROW),
            },
        ],
        "total": {"values": as_json_values(SUINING_JAN_APR)},
        "footnotes": FOOTNOTES,
    }


@pytest.fixture
def city_table(world):
    build_example(world)
    return build_table(world.region("510900000000"), parse_period("2018-01..2018-04"))


def test_json_has_the_agreed_structure_and_exact_values(city_table):
    text = render.render_json(city_table)
    assert json.loads(text) == expected_json()


def test_json_writes_money_with_two_decimals_and_counts_as_integers(city_table):
    text = render.render_json(city_table)
    assert '"amount_total": 2050.00,' in text
    assert '"fees_waived_wan": 0.50,' in text
    assert '"buyers_total": 4,' in text
    assert '"amount_total": "' not in text


def test_csv_starts_with_a_bom_and_flattens_the_two_header_rows(city_table):
    data = render.render_csv(city_table)
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows[0][:5] == [
        "区划代码",
        "县(区)",
        "开展以购助扶活动次数(次)",
        "累计开办·社区超市专柜(个)",
        "累计开办·QQ/微信超市(个)",
    ]
    assert rows[0][8] == "免收费用(万元)"
    assert rows[0][15:18] == ["购买金额·总额(元)", "购买金额·其中农户自产(元)", "购买金额·其中合作社产品(元)"]
    assert len(rows[0]) == 2 + len(CODES)
    assert [r[:2] for r in rows[1:]] == [
        ["510903000000", "船山区"],
        ["510904000000", "安居区"],
        ["510971000000", "遂宁经济技术开发区"],
        ["510900000000", "合计"],
    ]
    chuanshan = dict(zip(CODES, rows[1][2:], strict=True))
    assert (chuanshan["amount_total"], chuanshan["fees_waived_wan"], chuanshan["poor_households"]) == (
        "2050.00",
        "0.50",
        "1",
    )
    total = dict(zip(CODES, rows[4][2:], strict=True))
    assert (total["amount_total"], total["poor_income"], total["buyers_total"]) == ("3650.00", "2750.00", "4")
    assert len(rows) == 5


def test_xlsx_has_the_official_title_merged_header_values_and_footnotes(city_table):
    book = openpyxl.load_workbook(io.BytesIO(render.render_xlsx(city_table)))
    ws = book.active
    assert ws["A1"].value == "遂宁市2018年1—4月以购助扶成果统计表"
    merged = {str(r) for r in ws.merged_cells.ranges}
    # Title across all 24 columns; name and standalone columns over both header rows; groups over their columns.
    assert {
        "A1:X1",
        "A2:A3",
        "B2:B3",
        "C2:G2",
        "H2:H3",
        "I2:J2",
        "K2:L2",
        "M2:N2",
        "O2:R2",
        "S2:X2",
    } <= merged
    assert (ws["A2"].value, ws["B2"].value, ws["C2"].value, ws["H2"].value) == (
        "县(区)",
        "开展以购助扶活动次数(次)",
        "累计开办(个)",
        "免收费用(万元)",
    )
    assert (ws["I2"].value, ws["K2"].value, ws["O2"].value, ws["S2"].value) == (
        "覆盖行政村(个)",
        "贫困群众参与",
        "购买金额(元)",
        "参与购买",
    )
    assert [ws.cell(3, c).value for c in range(11, 15)] == ["户数(户)", "收入(元)", "户数(户)", "收入(元)"]
    assert [ws.cell(3, c).value for c in range(15, 18)] == ["总额", "其中农户自产", "其中合作社产品"]
    assert [ws.cell(r, 1).value for r in range(4, 8)] == ["船山区", "安居区", "遂宁经济技术开发区", "合计"]
    assert (ws["O4"].value, ws["P4"].value, ws["Q4"].value, ws["H4"].value) == (2050, 1050, 1000, 0.5)
    assert (ws["O5"].value, ws["L5"].value, ws["D5"].value) == (1600, 1600, 1)
    assert (ws["O7"].value, ws["L7"].value, ws["R7"].value, ws["S7"].value, ws["T7"].value) == (
        3650,
        2750,
        0,
        4,
        1,
    )
    assert ws["O4"].number_format == "#,##0.00"
    assert ws["A1"].font.name == "黑体"
    assert ws["O4"].font.name == "宋体"
    assert [ws.cell(r, 1).value for r in (9, 10)] == FOOTNOTES
    assert ws.column_dimensions["A"].width > ws.column_dimensions["B"].width


def test_xlsx_of_a_township_heads_the_rows_as_villages(world):
    build_example(world)
    table = build_table(world.region("510903101000"), parse_period("2018-03"))
    ws = openpyxl.load_workbook(io.BytesIO(render.render_xlsx(table))).active
    assert ws["A1"].value == "永兴镇2018年3月以购助扶成果统计表"
    assert ws["A2"].value == "村"
    assert [ws.cell(r, 1).value for r in range(4, 7)] == ["永兴村", "石佛村", "合计"]
    assert (ws["O4"].value, ws["O6"].value) == (250, 250)
