"""Pre-sale lists and orders over the API, with every figure worked out by hand.

The list 永兴村春季预售 (published by the 永兴村 village account) offers
  土鸡  80.00 元/只, 10 只, sold by the household 张德明 (永兴村);
  青菜   2.50 元/斤, 100 斤, sold by 船山区永兴蔬菜专业合作社 (linked to 张德明, 10 shares).
The unit account (遂宁市财政局) orders 3 只土鸡 + 12.5 斤青菜 = 240.00 + 31.25 = 271.25 元.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from tests.api.orders_world import (
    TODAY,
    counts,
    item_input,
    items,
    list_info,
    place,
    placed_fixture,
    shop_fixture,
)
from yigou.accounts.enums import OrgKind, Role
from yigou.accounts.services import organisation_create, system_actor, user_create
from yigou.core.errors import NotFoundError
from yigou.ledger.models import Purchase
from yigou.market import presale, selectors
from yigou.market.models import AfterSale

shop = pytest.fixture(shop_fixture, name="shop")
placed = pytest.fixture(placed_fixture, name="placed")


# --- placing -------------------------------------------------------------------------------------------------


def test_a_unit_places_an_order_and_the_stock_is_reserved(world, shop, placed):
    chicken, greens = items(shop)

    assert (
        placed["status"],
        placed["status_label"],
        placed["total"],
        placed["buyer_kind"],
        placed["buyer_name"],
    ) == (
        "placed",
        "已下单",
        "271.25",
        "unit",
        "遂宁市财政局",
    )
    assert [
        (line["name"], line["quantity"], line["unit_price"], line["amount"]) for line in placed["lines"]
    ] == [
        ("土鸡", "3.000", "80.00", "240.00"),
        ("青菜", "12.500", "2.50", "31.25"),
    ]
    assert [(e["action"], e["to_status"], e["actor"]) for e in placed["events"]] == [
        ("place", "placed", "unit")
    ]
    chicken.refresh_from_db()
    greens.refresh_from_db()
    assert (chicken.reserved, greens.reserved) == (Decimal("3.000"), Decimal("12.500"))
    assert (placed["region"], placed["county_code"], placed["presale_title"]) == (
        "510903101001",
        "510903000000",
        "永兴村春季预售",
    )


def test_ordering_more_than_is_left_is_409_out_of_stock_and_changes_nothing(world, shop, placed, client_for):
    chicken, greens = items(shop)
    before = counts()

    response = place(client_for("unit"), shop, (greens.pk, "1"), (chicken.pk, "8"))

    assert response.status_code == 409
    assert response.json() == {
        "code": "out_of_stock",
        "message": "库存不足：“土鸡”尚可订购 7只，您订购了 8只。",
    }
    assert counts() == before  # the 青菜 line reserved first is rolled back with the order


@pytest.mark.parametrize(
    ("lines", "message"),
    [
        ([("chicken", "abc")], "输入有误：第1项数量“abc”不是有效数字"),
        ([("chicken", "0")], "输入有误：第1项数量必须大于0，最多三位小数"),
        ([("chicken", "1.0001")], "输入有误：第1项数量必须大于0，最多三位小数"),
        ([("other", "1")], "输入有误：订购的品种不在该预售清单中"),
    ],
)
def test_bad_order_lines_are_refused_in_chinese_and_change_nothing(world, shop, client_for, lines, message):
    other = presale.presale_publish(
        actor=world.users["anju"],
        data=list_info("拦江村预售"),
        village=world.region("510904101001"),
        items=[item_input("黑猪肉", "斤", "30.00", "50", seller_household=world.households["liu"])],
    )
    ids = {"chicken": items(shop)[0].pk, "other": other.items.get().pk}
    before = counts()

    response = place(client_for("unit"), shop, *[(ids[key], q) for key, q in lines])

    assert response.status_code == 400
    assert response.json() == {"code": "invalid_input", "message": message}
    assert counts() == before


def test_a_closed_list_takes_no_orders_and_is_out_of_a_buyers_sight(world, client_for):
    closed = presale.presale_publish(
        actor=world.users["village"],
        data=list_info("去年预售", opens=-60, closes=-30),
        village=world.region("510903101001"),
        items=[item_input("土鸡", "只", "80.00", "10", seller_household=world.households["zhang"])],
    )
    before = counts()

    response = place(client_for("unit"), closed, (closed.items.get().pk, "1"))

    # A closed list is no longer an offer: a buyer sees it no more than on the page (which answers 404).
    assert response.status_code == 400
    assert response.json() == {
        "code": "invalid_input",
        "message": f"输入有误：预售清单（编号 {closed.pk}）不存在或无权访问",
        "field": "presale_list",
    }
    with pytest.raises(NotFoundError):
        selectors.presale_list(world.users["unit"], closed.pk)
    assert counts() == before


def test_a_unknown_list_and_a_malformed_body_are_400(world, shop, client_for):
    before = counts()

    missing = client_for("unit").post(
        "/api/v1/orders/", {"presale_list": 999999, "lines": [{"item": 1, "quantity": "1"}]}, format="json"
    )
    empty = client_for("unit").post("/api/v1/orders/", {"presale_list": shop.pk, "lines": []}, format="json")

    assert missing.status_code == 400
    assert missing.json() == {
        "code": "invalid_input",
        "message": "输入有误：预售清单（编号 999999）不存在或无权访问",
        "field": "presale_list",
    }
    assert empty.status_code == 400
    assert (empty.json()["code"], list(empty.json()["fields"])) == ("invalid_input", ["lines"])
    assert counts() == before


def test_a_unit_orders_for_its_own_cadre_but_not_for_another_units(world, shop, client_for):
    chicken, _ = items(shop)

    ok = place(client_for("unit"), shop, (chicken.pk, "1"), buyer_kind="cadre", cadre=world.cadres["chen"].pk)
    before = counts()
    refused = place(
        client_for("unit"), shop, (chicken.pk, "1"), buyer_kind="cadre", cadre=world.cadres["sun"].pk
    )

    assert ok.status_code == 201
    assert (ok.json()["buyer_kind"], ok.json()["buyer_name"], ok.json()["buyer_cadre"]) == (
        "cadre",
        "陈立",
        world.cadres["chen"].pk,
    )
    # The unit sees the order its cadre placed (scope reaches it through the cadre's unit).
    assert [row["id"] for row in client_for("unit").get("/api/v1/orders/").json()["results"]] == [
        ok.json()["id"]
    ]
    assert refused.status_code == 400
    assert refused.json() == {
        "code": "invalid_input",
        "message": f"输入有误：干部（编号 {world.cadres['sun'].pk}）不存在或无权访问",
        "field": "cadre",
    }
    assert counts() == before


def test_a_seller_account_may_not_buy(world, shop, client_for):
    before = counts()

    response = place(client_for("village"), shop, (items(shop)[0].pk, "1"))

    assert response.status_code == 403
    assert response.json() == {"code": "forbidden", "message": "无权执行此操作。"}
    assert counts() == before


# --- scope ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("username", "sees"),
    [
        ("unit", True),
        ("village", True),
        ("chuanshan", True),
        ("city", True),
        ("admin", True),
        ("anju", False),
        ("zone", False),
        ("person", False),
        ("bank", False),
    ],
)
def test_an_order_is_seen_by_buyer_and_seller_side_only(world, placed, client_for, username, sees):
    if username == "person":
        world.users["person"] = user_create(
            actor=system_actor(),
            username="person",
            password="x",
            role=Role.BUYER,
            organisation=None,
            check_password=False,
        )
    if username == "bank":  # staff of another assisting unit
        org = organisation_create(
            actor=None,
            name="船山区农商银行",
            kind=OrgKind.UNIT,
            region=world.region("510903000000"),
            unit=world.units["chuanshan_bank"],
        )
        world.users["bank"] = user_create(
            actor=system_actor(),
            username="bank",
            password="x",
            role=Role.UNIT,
            organisation=org,
            check_password=False,
        )
    client = client_for(username)

    detail = client.get(f"/api/v1/orders/{placed['id']}/")
    listed = [row["id"] for row in client.get("/api/v1/orders/").json()["results"]]

    if sees:
        assert (detail.status_code, detail.json()["total"], listed) == (200, "271.25", [placed["id"]])
    else:
        assert (detail.status_code, detail.json(), listed) == (
            404,
            {"code": "not_found", "message": "记录不存在或无权访问。"},
            [],
        )


def test_another_county_cannot_act_on_an_order(world, placed, client_for):
    before = counts()

    response = client_for("anju").post(f"/api/v1/orders/{placed['id']}/confirm/", {}, format="json")

    assert response.status_code == 404
    assert counts() == before


def test_an_individual_buyer_orders_and_sees_only_its_own_orders(world, shop, placed, client_for):
    world.users["person"] = user_create(
        actor=system_actor(),
        username="person",
        password="x",
        role=Role.BUYER,
        organisation=None,
        check_password=False,
    )
    client = client_for("person")

    response = place(client, shop, (items(shop)[0].pk, "2"))

    assert response.status_code == 201
    assert (response.json()["buyer_kind"], response.json()["buyer_name"], response.json()["total"]) == (
        "individual",
        "person",
        "160.00",
    )
    assert [row["id"] for row in client.get("/api/v1/orders/").json()["results"]] == [response.json()["id"]]


# --- lifecycle -----------------------------------------------------------------------------------------------


def post(client: Any, order_id: int, action: str, body: dict[str, Any] | None = None) -> Any:
    return client.post(f"/api/v1/orders/{order_id}/{action}/", body or {}, format="json")


def test_the_whole_life_of_an_order_lands_in_the_ledger_once_and_a_refund_reverses_it(
    world, shop, placed, client_for
):
    seller, buyer, oid = client_for("village"), client_for("unit"), placed["id"]
    chicken, greens = items(shop)
    greens_line = placed["lines"][1]["id"]

    assert post(seller, oid, "confirm", {"note": "明早发"}).json()["status"] == "confirmed"
    assert post(seller, oid, "ship").json()["status_label"] == "已发货/待提货"
    received = post(buyer, oid, "receive", {"rejected": [{"line": greens_line, "reason": "菜叶发黄"}]}).json()
    assert (received["status"], received["accepted_total"]) == ("received", "240.00")
    assert [(line["inspection"], line["reject_reason"]) for line in received["lines"]] == [
        ("accepted", ""),
        ("rejected", "菜叶发黄"),
    ]
    greens.refresh_from_db()
    assert greens.reserved == Decimal("0.000")  # the rejected 12.5 斤 are back on sale

    paid = post(buyer, oid, "pay", {"payment_ref": "ZF-001"}).json()
    assert (paid["status"], paid["paid_on"], paid["payment_ref"]) == ("paid", str(TODAY), "ZF-001")
    purchase = Purchase.objects.get(order_id=oid)
    assert (purchase.total, purchase.external_id, purchase.seller_household_id, purchase.buyer_unit_id) == (
        Decimal("240.00"),
        f"order-{oid}-h{world.households['zhang'].pk}",
        world.households["zhang"].pk,
        world.units["finance"].pk,
    )
    again = post(buyer, oid, "pay")
    assert (again.status_code, again.json()["message"]) == (400, "订单当前状态为“已付款”，不能登记付款。")
    assert Purchase.objects.filter(order_id=oid).count() == 1

    assert post(buyer, oid, "rate", {"rating": 5, "comment": "很新鲜"}).json()["rating"] == 5
    asked = post(buyer, oid, "aftersale", {"kind": "refund", "reason": "部分土鸡偏小"})
    assert asked.status_code == 201
    request_id = asked.json()["after_sales"][0]["id"]
    refunded = post(
        seller, oid, "aftersale-resolve", {"aftersale": request_id, "approve": True, "resolution": "同意退款"}
    ).json()
    assert refunded["status"] == "refunded"
    assert [e["action"] for e in refunded["events"]] == [
        "place",
        "confirm",
        "ship",
        "receive",
        "pay",
        "rate",
        "aftersale",
        "refund",
    ]
    totals = sorted(Purchase.objects.filter(order_id=oid).values_list("total", flat=True))
    assert totals == [Decimal("-240.00"), Decimal("240.00")]
    chicken.refresh_from_db()
    assert chicken.reserved == Decimal("3.000")  # delivered goods stay sold


def test_wrong_side_and_wrong_state_are_refused_and_change_nothing(world, placed, client_for):
    before = counts()
    oid = placed["id"]

    buyer_confirms = post(client_for("unit"), oid, "confirm")
    early_ship = post(client_for("village"), oid, "ship")
    seller_pays = post(client_for("village"), oid, "pay")
    no_reason = post(client_for("unit"), oid, "cancel", {"reason": ""})
    bad_rating = post(client_for("unit"), oid, "rate", {"rating": 9})

    assert (buyer_confirms.status_code, buyer_confirms.json()["code"]) == (403, "forbidden")
    assert (early_ship.status_code, early_ship.json()) == (
        400,
        {"code": "order_transition_illegal", "message": "订单当前状态为“已下单”，不能发货。"},
    )
    assert (seller_pays.status_code, seller_pays.json()["code"]) == (403, "forbidden")
    assert (no_reason.status_code, no_reason.json()["code"], list(no_reason.json()["fields"])) == (
        400,
        "invalid_input",
        ["reason"],
    )
    assert (bad_rating.status_code, bad_rating.json()["message"]) == (
        400,
        "订单当前状态为“已下单”，不能评价。",
    )
    assert counts() == before


def test_cancelling_gives_the_stock_back(world, shop, placed, client_for):
    chicken, greens = items(shop)

    response = post(client_for("unit"), placed["id"], "cancel", {"reason": "会议取消"})

    assert (response.status_code, response.json()["status"], response.json()["cancel_reason"]) == (
        200,
        "cancelled",
        "会议取消",
    )
    assert response.json()["events"][-1]["note"] == "买方取消：会议取消"
    chicken.refresh_from_db()
    greens.refresh_from_db()
    assert (chicken.reserved, greens.reserved) == (Decimal("0.000"), Decimal("0.000"))


def test_waiting_filter_shows_what_waits_for_each_side(world, placed, client_for):
    assert [r["id"] for r in client_for("village").get("/api/v1/orders/?waiting=1").json()["results"]] == [
        placed["id"]
    ]
    assert client_for("unit").get("/api/v1/orders/?waiting=1").json()["results"] == []
    assert client_for("unit").get("/api/v1/orders/?status=cancelled").json()["results"] == []
    assert [r["id"] for r in client_for("city").get("/api/v1/orders/?q=财政").json()["results"]] == [
        placed["id"]
    ]
    assert client_for("city").get("/api/v1/orders/?q=农商").json()["results"] == []


def test_resolving_an_aftersale_of_another_order_is_refused(world, shop, placed, client_for):
    before = counts()

    response = post(
        client_for("village"),
        placed["id"],
        "aftersale-resolve",
        {"aftersale": 12345, "approve": True, "resolution": "同意"},
    )

    assert response.status_code == 400
    assert response.json() == {
        "code": "invalid_input",
        "message": "输入有误：售后申请（编号 12345）不属于此订单",
        "field": "aftersale",
    }
    assert (counts(), AfterSale.objects.count()) == (before, 0)
