"""Pre-sale lists over the API: open lists for buyers (paired villages first), a seller's own lists, publishing."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.api.orders_world import (
    TODAY,
    item_input,
    list_info,
    placed_fixture,
    shop_fixture,
)
from tests.world import World
from yigou.core.models import AuditEntry
from yigou.market import presale
from yigou.market.models import PreSaleItem, PreSaleList

shop = pytest.fixture(shop_fixture, name="shop")
placed = pytest.fixture(placed_fixture, name="placed")


# --- pre-sale lists ------------------------------------------------------------------------------------------


@pytest.fixture
def anju_list(world: World) -> PreSaleList:
    return presale.presale_publish(
        actor=world.users["anju"],
        data=list_info("拦江村黑猪预售", closes=40),
        village=world.region("510904101001"),
        items=[item_input("黑猪肉", "斤", "30.00", "50", seller_household=world.households["liu"])],
    )


def test_buyers_see_open_lists_with_their_paired_village_first(world, shop, anju_list, client_for):
    presale.presale_publish(
        actor=world.users["village"],
        data=list_info("已截止的清单", opens=-60, closes=-30),
        village=world.region("510903101001"),
        items=[item_input("土鸡", "只", "80.00", "10", seller_household=world.households["zhang"])],
    )

    for_unit = client_for("unit").get("/api/v1/presale-lists/").json()["results"]
    for_office = client_for("zone").get("/api/v1/presale-lists/").json()["results"]

    # 遂宁市财政局 assists 拦江村, so its list comes first although it closes later.
    assert [(r["title"], r["paired"], r["is_open"]) for r in for_unit] == [
        ("拦江村黑猪预售", True, True),
        ("永兴村春季预售", False, True),
    ]
    assert [r["title"] for r in for_office] == ["永兴村春季预售", "拦江村黑猪预售"]
    chicken = for_unit[1]["items"][0]
    assert (chicken["name"], chicken["available"], chicken["seller_name"], chicken["category_label"]) == (
        "土鸡",
        "10.000",
        "永兴村农户",
        "肉禽蛋奶",
    )


def test_open_lists_filter_by_region_category_and_name(world, shop, anju_list, client_for):
    client = client_for("unit")

    def titles(params: str) -> list[str]:
        return [r["title"] for r in client.get(f"/api/v1/presale-lists/?{params}").json()["results"]]

    assert titles("region=510904") == ["拦江村黑猪预售"]
    assert titles("category=fruit_veg") == ["永兴村春季预售"]
    assert titles("q=黑猪") == ["拦江村黑猪预售"]
    assert titles("q=青菜") == ["永兴村春季预售"]


def test_sellers_see_their_own_lists_and_a_closed_list_is_hidden_from_other_counties(world, shop, client_for):
    closed = presale.presale_publish(
        actor=world.users["village"],
        data=list_info("已截止的清单", opens=-60, closes=-30),
        village=world.region("510903101001"),
        items=[item_input("土鸡", "只", "80.00", "10", seller_household=world.households["zhang"])],
    )

    mine = client_for("village").get("/api/v1/presale-lists/mine/").json()["results"]
    anju_mine = client_for("anju").get("/api/v1/presale-lists/mine/").json()["results"]
    own = client_for("chuanshan").get(f"/api/v1/presale-lists/{closed.pk}/")
    other = client_for("anju").get(f"/api/v1/presale-lists/{closed.pk}/")
    open_to_all = client_for("anju").get(f"/api/v1/presale-lists/{shop.pk}/")

    assert [(r["title"], r["is_open"]) for r in mine] == [("永兴村春季预售", True), ("已截止的清单", False)]
    assert anju_mine == []
    assert (own.status_code, own.json()["is_open"]) == (200, False)
    assert (other.status_code, other.json()["code"]) == (404, "not_found")
    assert (open_to_all.status_code, open_to_all.json()["title"]) == (200, "永兴村春季预售")


def test_a_village_publishes_a_list_through_the_api(world, client_for):
    body = {
        "title": "石佛村秋季预售",
        "village": "510903101001",
        "opens_on": str(TODAY),
        "closes_on": str(TODAY + dt.timedelta(days=10)),
        "delivery": "pickup",
        "contact_name": "王主任",
        "contact_phone": "13812345678",
        "items": [
            {
                "name": "柑橘",
                "category": "fruit_veg",
                "unit": "斤",
                "unit_price": "4.20",
                "quantity": "500",
                "window_start": str(TODAY),
                "window_end": str(TODAY + dt.timedelta(days=20)),
                "seller_household": world.households["zhang"].pk,
            }
        ],
    }

    response = client_for("village").post("/api/v1/presale-lists/", body, format="json")

    assert response.status_code == 201, response.json()
    data = response.json()
    assert (data["title"], data["region"], data["delivery_label"], data["is_open"]) == (
        "石佛村秋季预售",
        "510903101001",
        "自提",
        True,
    )
    assert [(i["name"], i["unit_price"], i["quantity"], i["reserved"]) for i in data["items"]] == [
        ("柑橘", "4.20", "500.000", "0.000"),
    ]
    assert AuditEntry.objects.filter(action="presale_publish").count() == 1


@pytest.mark.parametrize(
    ("username", "change", "status", "expected"),
    [
        ("anju", {}, 403, {"code": "out_of_scope", "message": "该记录不在您的管辖区域内。"}),
        ("unit", {}, 403, {"code": "forbidden", "message": "无权执行此操作。"}),
        (
            "village",
            {"village": "510904101001"},
            403,
            {"code": "out_of_scope", "message": "该记录不在您的管辖区域内。"},
        ),
        (
            "village",
            {"closes_on": str(TODAY - dt.timedelta(days=1))},
            400,
            {
                "code": "invalid_input",
                "message": f"输入有误：截止日期 {TODAY - dt.timedelta(days=1)} 早于开始日期 {TODAY}",
            },
        ),
        (
            "village",
            {
                "items": [
                    {
                        "name": "柑橘",
                        "category": "fruit_veg",
                        "unit": "斤",
                        "unit_price": "4.205",
                        "quantity": "5",
                        "window_start": str(TODAY),
                        "window_end": str(TODAY),
                        "seller_household": "zhang",
                    }
                ]
            },
            400,
            {"code": "invalid_input", "message": "输入有误：第1项单价“4.205”小数位数过多"},
        ),
    ],
)
def test_publishing_bad_lists_is_refused_and_writes_nothing(
    world, client_for, username, change, status, expected
):
    body = {
        "title": "石佛村秋季预售",
        "village": "510903101001",
        "opens_on": str(TODAY),
        "closes_on": str(TODAY),
        "contact_name": "王主任",
        "contact_phone": "13812345678",
        "items": [
            {
                "name": "柑橘",
                "category": "fruit_veg",
                "unit": "斤",
                "unit_price": "4.20",
                "quantity": "5",
                "window_start": str(TODAY),
                "window_end": str(TODAY),
                "seller_household": world.households["zhang"].pk,
            }
        ],
        **change,
    }
    body["items"] = [{**item, "seller_household": world.households["zhang"].pk} for item in body["items"]]
    before = (PreSaleList.objects.count(), PreSaleItem.objects.count(), AuditEntry.objects.count())

    response = client_for(username).post("/api/v1/presale-lists/", body, format="json")

    assert (response.status_code, response.json()) == (status, expected)
    assert (PreSaleList.objects.count(), PreSaleItem.objects.count(), AuditEntry.objects.count()) == before
