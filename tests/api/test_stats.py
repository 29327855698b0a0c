"""The 以购助扶成果统计表 as JSON over the API: the worked example's figures, exactly, and its refusals."""

from __future__ import annotations

import json
from collections.abc import Callable
from decimal import Decimal

import pytest

from tests.ledger.example import build_example
from tests.ledger.test_worked_example import ANJU_JAN_APR, CHUANSHAN_JAN_APR, SUINING_JAN_APR, ZERO_ROW
from yigou.ledger.columns import CODES, COLUMNS

URL = "/api/v1/stats/table/"


@pytest.fixture
def example(world):
    return build_example(world)


def exact(response) -> dict:
    """The body with money kept as Decimal, so 2050.00 is compared as written."""
    return json.loads(response.content, parse_float=Decimal)


def typed(values: dict) -> dict:
    """Each value with its JSON type: money a two-decimal number, every count an integer."""
    return {code: (type(v).__name__, v) for code, v in values.items()}


def test_the_city_table_for_january_to_april_has_every_expected_figure(world, example, client_for: Callable):
    response = client_for("city").get(f"{URL}?region=510900000000&period=2018-01..2018-04")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json; charset=utf-8"
    body = exact(response)
    assert (body["region"], body["period"], body["title"]) == (
        "510900000000",
        "2018-01..2018-04",
        "遂宁市2018年1—4月以购助扶成果统计表",
    )
    assert [(r["region_code"], r["region_name"]) for r in body["rows"]] == [
        ("510903000000", "船山区"),
        ("510904000000", "安居区"),
        ("510971000000", "遂宁经济技术开发区"),
    ]
    assert typed(body["rows"][0]["values"]) == typed(CHUANSHAN_JAN_APR)
    assert typed(body["rows"][1]["values"]) == typed(ANJU_JAN_APR)
    assert typed(body["rows"][2]["values"]) == typed(ZERO_ROW)
    assert typed(body["total"]["values"]) == typed(SUINING_JAN_APR)
    assert list(body["total"]["values"]) == CODES
    assert (body["rows"][0]["values"]["amount_total"], body["total"]["values"]["buyers_total"]) == (
        Decimal("2050.00"),
        4,
    )
    assert '"amount_total": 2050.00' in response.content.decode()
    assert body["footnotes"] == [
        "“参与购买·总人数”合计 4 按全区去重计算，各行相加为 5：同一对象在多个下级区域出现时合计只计一次。",
        "“参与购买·帮扶单位”合计 1 按全区去重计算，各行相加为 2：同一对象在多个下级区域出现时合计只计一次。",
    ]


def test_a_county_user_gets_its_own_county_by_default(world, example, client_for: Callable):
    body = exact(client_for("chuanshan").get(f"{URL}?period=2018-01..2018-04"))

    assert (body["region"], [r["region_name"] for r in body["rows"]]) == (
        "510903000000",
        ["永兴镇", "老池镇"],
    )
    assert typed(body["total"]["values"]) == typed(CHUANSHAN_JAN_APR)


def test_a_region_outside_the_users_scope_is_forbidden(world, example, client_for: Callable):
    response = client_for("anju").get(f"{URL}?region=510903000000&period=2018-01..2018-04")

    assert response.status_code == 403
    assert response.json() == {"code": "out_of_scope", "message": "该记录不在您的管辖区域内。"}


@pytest.mark.parametrize(
    ("period", "message"),
    [
        ("2018-13", "输入有误：月份“2018-13”无效"),
        ("2018-04..2018-01", "输入有误：期间结束 2018-01-31 早于开始 2018-04-01"),
        ("", "输入有误：请指定统计期间，如 2018-04 或 2018-01..2018-04"),
        ("去年", "输入有误：期间“去年”无效，应写作 2018-04、2018-01..2018-04 或 2018-01-05..2018-03-20"),
    ],
)
def test_a_bad_period_is_a_chinese_400(world, client_for: Callable, period, message):
    response = client_for("city").get(URL, {"region": "510900000000", "period": period})

    assert response.status_code == 400
    assert response.json() == {"code": "invalid_input", "message": message}


def test_an_unknown_region_is_a_400(world, client_for: Callable):
    response = client_for("admin").get(f"{URL}?region=519999000000&period=2018-01")

    assert response.status_code == 400
    assert response.json() == {
        "code": "region_invalid",
        "message": "行政区划无效：区划代码“519999000000”不存在",
    }


@pytest.mark.parametrize("username", ["unit", "producer"])
def test_unit_and_producer_users_get_no_statistics(world, client_for: Callable, username):
    response = client_for(username).get(f"{URL}?region=510900000000&period=2018-01")

    assert response.status_code == 403
    assert response.json() == {"code": "forbidden", "message": "无权执行此操作。"}


def test_signed_out_requests_are_refused(world, client_for: Callable):
    response = client_for(None).get(f"{URL}?region=510900000000&period=2018-01")

    assert response.status_code == 403
    assert response.json()["code"] == "not_authenticated"


def test_the_columns_come_in_the_official_order_with_their_units(world, client_for: Callable):
    body = client_for("village").get("/api/v1/stats/columns/").json()

    assert [c["code"] for c in body] == CODES
    assert len(body) == 23
    assert body[0] == {
        "code": "activities",
        "label": "开展以购助扶活动次数",
        "group": "开展以购助扶活动次数",
        "unit": "次",
        "kind": "count",
    }
    assert body[6] == {
        "code": "fees_waived_wan",
        "label": "免收费用",
        "group": "免收费用",
        "unit": "万元",
        "kind": "wan",
    }
    assert [(c["group"], c["label"], c["unit"]) for c in body] == [
        (c.group, c.label, c.unit) for c in COLUMNS
    ]
