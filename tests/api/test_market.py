"""Outlets and activities over the API: scoped lists, opening, closing and recording through the services."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from tests.ledger.example import build_example
from yigou.core.models import AuditEntry
from yigou.market.models import Activity, Outlet


@pytest.fixture
def example(world):
    return build_example(world)


@pytest.mark.parametrize(
    ("username", "expected"),
    [
        ("city", ["永兴镇临时小集市", "永兴村超市扶贫专柜", "拦江村QQ超市"]),
        ("chuanshan", ["永兴镇临时小集市", "永兴村超市扶贫专柜"]),
        ("anju", ["拦江村QQ超市"]),
        ("zone", []),
        ("unit", []),
    ],
)
def test_each_user_lists_the_outlets_in_its_scope(world, example, client_for: Callable, username, expected):
    rows = client_for(username).get("/api/v1/outlets/").json()["results"]

    assert [r["name"] for r in rows] == expected


def test_an_outlet_shows_its_kind_dates_and_fees(world, example, client_for: Callable):
    temp = Outlet.objects.get(name="永兴镇临时小集市")

    body = client_for("chuanshan").get(f"/api/v1/outlets/{temp.pk}/").json()

    assert (body["kind"], body["kind_label"], body["region_name"], body["opened_on"], body["closed_on"]) == (
        "temp_market",
        "临时小集市",
        "永兴镇",
        "2018-01-01",
        "2018-03-01",
    )
    assert body["fees_waived"] == "1000.00"


def test_outlet_list_filters_by_kind_and_region(world, example, client_for: Callable):
    client = client_for("city")

    by_kind = client.get("/api/v1/outlets/?kind=online_shop").json()["results"]
    by_region = client.get("/api/v1/outlets/?region=510903101001").json()["results"]

    assert [r["name"] for r in by_kind] == ["拦江村QQ超市"]
    assert [r["name"] for r in by_region] == ["永兴村超市扶贫专柜"]


def test_an_office_opens_an_outlet_in_its_county(world, client_for: Callable):
    response = client_for("chuanshan").post(
        "/api/v1/outlets/",
        {
            "name": "石佛村便民服务店",
            "kind": "service_store",
            "region": "510903101002",
            "opened_on": "2018-02-01",
            "fees_waived": "1200.00",
            "operator": world.units["chuanshan_bank"].pk,
        },
        format="json",
    )

    assert response.status_code == 201
    body = response.json()
    assert (body["kind_label"], body["county_code"], body["fees_waived"], body["operator_name"]) == (
        "便民服务店",
        "510903000000",
        "1200.00",
        "船山区农商银行",
    )
    assert Outlet.objects.filter(name="石佛村便民服务店", region_id="510903101002").count() == 1


def test_opening_an_outlet_in_another_county_is_refused_and_writes_nothing(world, client_for: Callable):
    outlets, entries = Outlet.objects.count(), AuditEntry.objects.count()

    response = client_for("anju").post(
        "/api/v1/outlets/",
        {
            "name": "越界网点",
            "kind": "counter",
            "region": "510903101002",
            "opened_on": "2018-02-01",
        },
        format="json",
    )

    assert response.status_code == 403
    assert response.json() == {"code": "out_of_scope", "message": "该记录不在您的管辖区域内。"}
    assert (Outlet.objects.count(), AuditEntry.objects.count()) == (outlets, entries)


def test_an_unknown_outlet_kind_is_refused(world, client_for: Callable):
    response = client_for("chuanshan").post(
        "/api/v1/outlets/",
        {
            "name": "某网点",
            "kind": "kiosk",
            "region": "510903101002",
            "opened_on": "2018-02-01",
        },
        format="json",
    )

    assert response.status_code == 400
    assert response.json() == {"code": "invalid_input", "message": "输入有误：网点类型“kiosk”不在可选范围内"}
    assert Outlet.objects.count() == 0


def test_a_village_user_may_not_open_outlets(world, client_for: Callable):
    response = client_for("village").post(
        "/api/v1/outlets/",
        {
            "name": "村网点",
            "kind": "counter",
            "region": "510903101001",
            "opened_on": "2018-02-01",
        },
        format="json",
    )

    assert (response.status_code, response.json()["code"]) == (403, "forbidden")
    assert Outlet.objects.count() == 0


def test_closing_an_outlet_and_closing_it_again(world, example, client_for: Callable):
    counter = Outlet.objects.get(name="永兴村超市扶贫专柜")
    client = client_for("chuanshan")

    closed = client.post(f"/api/v1/outlets/{counter.pk}/close/", {"closed_on": "2018-06-30"}, format="json")
    again = client.post(f"/api/v1/outlets/{counter.pk}/close/", {"closed_on": "2018-07-31"}, format="json")

    assert (closed.status_code, closed.json()["closed_on"]) == (200, "2018-06-30")
    assert again.status_code == 400
    assert again.json() == {"code": "invalid_input", "message": "输入有误：网点已于 2018-06-30 关闭"}
    counter.refresh_from_db()
    assert str(counter.closed_on) == "2018-06-30"


def test_closing_another_countys_outlet_is_not_found(world, example, client_for: Callable):
    counter = Outlet.objects.get(name="永兴村超市扶贫专柜")

    response = client_for("anju").post(
        f"/api/v1/outlets/{counter.pk}/close/", {"closed_on": "2018-06-30"}, format="json"
    )

    assert (response.status_code, response.json()["code"]) == (404, "not_found")
    counter.refresh_from_db()
    assert counter.closed_on is None


# --- activities ----------------------------------------------------------------------------------------------


def test_activities_are_listed_in_scope_and_by_period(world, example, client_for: Callable):
    city = client_for("city").get("/api/v1/activities/").json()["results"]
    jan_apr = client_for("city").get("/api/v1/activities/?period=2018-01..2018-04").json()["results"]
    anju = client_for("anju").get("/api/v1/activities/").json()["results"]

    assert [(a["date"], a["title"]) for a in city] == [
        ("2018-05-01", "五一展销"),
        ("2018-03-15", "拦江村现场采购"),
        ("2018-01-20", "永兴镇以购助扶采购节"),
    ]
    assert [a["title"] for a in jan_apr] == ["拦江村现场采购", "永兴镇以购助扶采购节"]
    assert [(a["title"], a["kind_label"], a["region_name"]) for a in anju] == [
        ("拦江村现场采购", "现场采购", "拦江村")
    ]


def test_an_office_records_an_activity_organised_by_a_unit(world, client_for: Callable):
    response = client_for("city").post(
        "/api/v1/activities/",
        {
            "title": "遂宁市机关食堂采购日",
            "kind": "canteen",
            "date": "2018-04-10",
            "region": "510900000000",
            "organiser": world.units["finance"].pk,
        },
        format="json",
    )

    assert response.status_code == 201
    body = response.json()
    assert (body["kind_label"], body["county_code"], body["organiser_display"]) == (
        "食堂采购",
        "",
        "遂宁市财政局",
    )
    assert Activity.objects.count() == 1


def test_an_activity_by_an_organiser_outside_scope_is_refused_like_a_missing_one(world, client_for: Callable):
    response = client_for("chuanshan").post(
        "/api/v1/activities/",
        {
            "title": "采购节",
            "kind": "fair",
            "date": "2018-04-10",
            "region": "510903101000",
            "organiser": world.units["finance"].pk,
        },
        format="json",
    )

    finance = world.units["finance"].pk
    assert response.status_code == 400
    assert response.json() == {
        "code": "invalid_input",
        "message": f"输入有误：帮扶单位（编号 {finance}）不存在或无权访问",
        "field": "organiser",
    }
    assert Activity.objects.count() == 0


def test_market_lists_are_one_count_and_one_page_query(
    world, example, client_for: Callable, django_assert_num_queries
):
    client = client_for("city")

    with django_assert_num_queries(2):
        outlets = client.get("/api/v1/outlets/")
    with django_assert_num_queries(2):
        activities = client.get("/api/v1/activities/")

    assert (outlets.json()["count"], activities.json()["count"]) == (3, 3)
