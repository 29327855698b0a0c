"""Pre-sale list and order pages: browse, publish, order, every step by its role, refusals shown in Chinese with
nothing changed, and scope (a 安居 office cannot open a 船山 list's orders: 404)."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.test import Client

from tests.market.flows import paid, place, shipped, snapshot
from tests.market.presale_world import TODAY, market_fixture
from yigou.ledger.models import Purchase
from yigou.market import ordering
from yigou.market.models import Order, PreSaleItem, PreSaleList

pytestmark = pytest.mark.django_db
market = pytest.fixture(market_fixture, name="market")

ROLES = [
    "admin",
    "city",
    "chuanshan",
    "anju",
    "zone",
    "yongxing",
    "village",
    "auditor",
    "unit",
    "producer",
    "bank",
    "buyer",
]


def login(market, key: str) -> Client:
    client = Client()
    client.force_login(market.user(key))
    return client


def text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


@pytest.mark.parametrize("key", ROLES)
def test_browse_and_orders_pages_render_for_every_role(market, key):
    client = login(market, key)
    assert client.get("/market/").status_code == 200
    assert client.get("/market/mine/").status_code == 200
    assert client.get("/orders/").status_code == 200
    assert 'href="/market/"' in text(client.get("/"))


def test_a_unit_browses_with_its_paired_village_first(market):
    page = text(login(market, "unit").get("/market/"))
    assert (
        page.index("拦江村土鸡预售")
        < page.index("永兴蔬菜合作社冬季蔬菜")
        < page.index("永兴村秋季农产品预售")
    )
    assert "结对帮扶村" in page
    filtered = text(login(market, "unit").get("/market/", {"category": "fruit_veg"}))
    assert "永兴蔬菜合作社冬季蔬菜" in filtered and "拦江村土鸡预售" not in filtered


def test_the_list_page_offers_the_order_form_to_buyers_only(market):
    url = f"/market/{market.lists['village'].pk}/"
    assert 'id="place-order"' in text(login(market, "unit").get(url))
    assert 'id="place-order"' in text(login(market, "buyer").get(url))
    seller_page = text(login(market, "village").get(url))
    assert 'id="place-order"' not in seller_page and 'id="seller-actions"' in seller_page
    assert 'id="seller-actions"' not in text(login(market, "anju").get(url))


def test_a_unit_orders_from_the_list_page(market):
    owner = market.lists["village"]
    items = market.items
    client = login(market, "unit")
    response = client.post(
        f"/market/{owner.pk}/order/",
        {
            f"qty-{items['腊肉'].pk}": "2",
            f"qty-{items['柑橘'].pk}": "7",
            "buyer_kind": "unit",
            "delivery_address": "遂宁市财政局食堂",
        },
    )
    order = Order.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/orders/{order.pk}/"
    assert (order.total, order.delivery_address) == (Decimal("150.17"), "遂宁市财政局食堂")
    page = text(client.get(response["Location"]))
    assert "已下单（订单" in page and "150.17 元" in page


def test_out_of_stock_is_shown_in_chinese_on_the_list_page_and_nothing_changes(market):
    owner, items = market.lists["village"], market.items
    place(market, 腊肉="9")
    before = snapshot()
    response = login(market, "bank").post(
        f"/market/{owner.pk}/order/", {f"qty-{items['土鸡蛋'].pk}": "10", f"qty-{items['腊肉'].pk}": "3"}
    )
    assert response.status_code == 400
    page = text(response)
    assert "库存不足：“腊肉”尚可订购 1公斤，您订购了 3公斤。" in page
    assert (
        f'name="qty-{items["腊肉"].pk}" id="qty-{items["腊肉"].pk}" aria-label="腊肉订购数量" value="3"'
        in page
    )
    assert snapshot() == before


def test_an_order_without_quantities_is_refused(market):
    before = snapshot()
    response = login(market, "unit").post(f"/market/{market.lists['village'].pk}/order/", {})
    assert response.status_code == 400 and "请至少填写一个品种的订购数量。" in text(response)
    assert snapshot() == before


def test_sellers_and_auditors_cannot_order(market):
    before = snapshot()
    url = f"/market/{market.lists['village'].pk}/order/"
    for key in ("village", "auditor", "producer"):
        assert login(market, key).post(url, {f"qty-{market.items['腊肉'].pk}": "1"}).status_code == 403
    assert snapshot() == before


def test_a_village_publishes_a_list_with_several_items(market):
    zhang = market.world.households["zhang"]
    client = login(market, "village")
    form = text(client.get("/market/new/"))  # one village in scope: straight to the form
    assert "发布预售清单：永兴村" in form and 'name="village" value="510903101001"' in form
    assert f'value="h:{zhang.pk}"' in form and f'value="h:{market.world.households["wang"].pk}"' not in form
    chooser = text(login(market, "yongxing").get("/market/new/"))
    assert 'value="510903101001"' in chooser and 'value="510903101002"' in chooser
    data = {
        "village": "510903101001",
        "title": "永兴村冬季预售",
        "opens_on": str(TODAY),
        "closes_on": str(TODAY),
        "delivery": "pickup",
        "contact_name": "李主任",
        "contact_phone": "13812340000",
        "note": "",
        "item-TOTAL_FORMS": "3",
        "item-INITIAL_FORMS": "0",
        "item-MIN_NUM_FORMS": "1",
        "item-MAX_NUM_FORMS": "50",
    }
    for n, (name, price) in enumerate((("香肠", "55.00"), ("菜籽油", "18.50"))):
        data.update(
            {
                f"item-{n}-name": name,
                f"item-{n}-category": "processed",
                f"item-{n}-unit": "公斤",
                f"item-{n}-unit_price": price,
                f"item-{n}-quantity": "30",
                f"item-{n}-window_start": str(TODAY),
                f"item-{n}-window_end": str(TODAY),
                f"item-{n}-seller": f"h:{zhang.pk}",
            }
        )
    response = client.post("/market/new/", data)
    owner = PreSaleList.objects.get(title="永兴村冬季预售")
    assert response.status_code == 302 and response["Location"] == f"/market/{owner.pk}/"
    assert [(i.name, i.unit_price) for i in owner.items.all()] == [
        ("香肠", Decimal("55.00")),
        ("菜籽油", Decimal("18.50")),
    ]


def test_a_bad_list_is_refused_on_the_form_in_chinese(market):
    zhang = market.world.households["zhang"]
    before = PreSaleList.objects.count(), PreSaleItem.objects.count()
    data = {
        "village": "510903101001",
        "title": "坏清单",
        "opens_on": str(TODAY),
        "closes_on": str(TODAY),
        "delivery": "pickup",
        "contact_name": "李主任",
        "contact_phone": "12345",
        "item-TOTAL_FORMS": "1",
        "item-INITIAL_FORMS": "0",
        "item-MIN_NUM_FORMS": "1",
        "item-MAX_NUM_FORMS": "50",
        "item-0-name": "香肠",
        "item-0-category": "processed",
        "item-0-unit": "公斤",
        "item-0-unit_price": "55",
        "item-0-quantity": "30",
        "item-0-window_start": str(TODAY),
        "item-0-window_end": str(TODAY),
        "item-0-seller": f"h:{zhang.pk}",
    }
    response = login(market, "village").post("/market/new/", data)
    assert response.status_code == 400 and "电话号码格式不正确：12345" in text(response)
    assert (PreSaleList.objects.count(), PreSaleItem.objects.count()) == before


def test_publishing_for_a_village_outside_scope_is_not_found(market):
    assert login(market, "village").get("/market/new/", {"village": "510903101002"}).status_code == 404
    assert login(market, "anju").get("/market/new/", {"village": "510903101001"}).status_code == 404
    assert login(market, "unit").get("/market/new/").status_code == 403


def test_a_seller_edits_an_item_withdraws_and_reads_the_history(market):
    owner, client = market.lists["village"], login(market, "village")
    item = market.items["腊肉"]
    place(market, 腊肉="4")
    refused = client.post(
        f"/market/{owner.pk}/items/{item.pk}/",
        {
            "quantity": "3",
            "unit_price": "60.00",
            "window_start": str(item.window_start),
            "window_end": str(item.window_end),
        },
    )
    assert refused.status_code == 400 and "可售数量不能少于已被订购的 4公斤" in text(refused)
    ok = client.post(
        f"/market/{owner.pk}/items/{item.pk}/",
        {
            "quantity": "12",
            "unit_price": "62.00",
            "window_start": str(item.window_start),
            "window_end": str(item.window_end),
        },
    )
    assert ok.status_code == 302
    assert client.post(f"/market/{owner.pk}/withdraw/", {"reason": ""}).status_code == 400
    assert client.post(f"/market/{owner.pk}/withdraw/", {"reason": "暂停供货"}).status_code == 302
    history = text(client.get(f"/market/{owner.pk}/history/"))
    assert "撤回清单" in history and "暂停供货" in history
    assert "数量：10.000 → 12" in history and "单价：60.00 → 62.00" in history
    assert login(market, "anju").get(f"/market/{owner.pk}/history/").status_code == 404
    assert login(market, "anju").get(f"/market/{owner.pk}/").status_code == 404  # withdrawn: seller side only


def test_others_cannot_edit_a_list(market):
    owner = market.lists["village"]
    for key in ("anju", "unit", "buyer", "producer"):
        assert login(market, key).get(f"/market/{owner.pk}/edit/").status_code == 404
    assert login(market, "auditor").get(f"/market/{owner.pk}/edit/").status_code == 403


def test_an_anju_office_cannot_open_a_chuanshan_lists_orders(market):
    order = place(market, 腊肉="2")
    anju = login(market, "anju")
    assert anju.get(f"/orders/{order.pk}/").status_code == 404
    before = snapshot()
    assert anju.post(f"/orders/{order.pk}/confirm/").status_code == 404
    assert snapshot() == before
    assert re.findall(r'data-order="(\d+)"', text(anju.get("/orders/"))) == []
    assert login(market, "chuanshan").get(f"/orders/{order.pk}/").status_code == 200


@pytest.mark.parametrize(
    ("key", "status"),
    [("bank", 404), ("buyer", 404), ("producer", 404), ("auditor", 200), ("village", 200), ("unit", 200)],
)
def test_an_order_page_is_seen_exactly_in_scope(market, key, status):
    order = place(market, 腊肉="2")
    assert login(market, key).get(f"/orders/{order.pk}/").status_code == status


def test_the_whole_lifecycle_through_the_pages(market):
    order = place(market, 腊肉="2", 土鸡蛋="30", 柑橘="7")
    seller, buyer = login(market, "village"), login(market, "unit")
    url = f"/orders/{order.pk}/"
    assert 'id="step-confirm"' in text(seller.get(url)) and 'id="step-confirm"' not in text(buyer.get(url))
    assert seller.post(url + "confirm/").status_code == 302
    assert seller.post(url + "ship/", {"note": "顺丰 SF123"}).status_code == 302
    egg = order.lines.get(item__name="土鸡蛋")
    response = buyer.post(url + "receive/", {f"reject-{egg.pk}": "1", f"reason-{egg.pk}": "破损"})
    assert response.status_code == 302
    assert "已验收：合格 2 项，拒收 1 项。" in text(buyer.get(url))
    response = buyer.post(url + "pay/", {"paid_on": str(TODAY), "payment_ref": "ZZ-2026-01"})
    assert response.status_code == 302
    page = text(buyer.get(url))
    assert "已登记付款（150.17 元），购买记录已写入台账。" in page
    assert sorted(Purchase.objects.filter(order=order).values_list("total", flat=True)) == [
        Decimal("30.17"),
        Decimal("120.00"),
    ]
    timeline = re.findall(r'data-action="(\w+)"', page)
    assert timeline == ["place", "confirm", "ship", "receive", "pay"]
    assert buyer.post(url + "rate/", {"rating": "4", "comment": "很好"}).status_code == 302
    assert buyer.post(url + "aftersale/", {"kind": "refund", "reason": "柑橘偏酸"}).status_code == 302
    assert seller.post(url + "resolve/", {"decision": "approve", "resolution": "同意退款"}).status_code == 302
    order.refresh_from_db()
    assert order.status == "refunded"
    assert Purchase.objects.filter(order=order, reverses__isnull=False).count() == 2


def test_a_refused_step_is_shown_in_chinese_and_changes_nothing(market):
    order = shipped(market, place(market, 腊肉="2"))
    buyer = login(market, "unit")
    line = order.lines.get()
    before = snapshot()
    response = buyer.post(f"/orders/{order.pk}/receive/", {f"reject-{line.pk}": "1", f"reason-{line.pk}": ""})
    assert response.status_code == 400 and "拒收“腊肉”须填写原因" in text(response)
    assert f'id="reject-{line.pk}" value="1" checked' in text(response)  # the choice is kept for the retry
    response = buyer.post(f"/orders/{order.pk}/pay/", {"paid_on": str(TODAY)})
    assert response.status_code == 400 and "订单当前状态为“已发货/待提货”，不能登记付款。" in text(response)
    response = buyer.post(f"/orders/{order.pk}/cancel/", {"reason": "不要了"})
    assert response.status_code == 400 and "不能取消（已发货的订单请申请售后）" in text(response)
    assert snapshot() == before
    assert login(market, "village").post(f"/orders/{order.pk}/receive/").status_code == 403
    assert buyer.post(f"/orders/{order.pk}/explode/").status_code == 404
    assert snapshot() == before


def test_paying_twice_on_the_page_is_refused(market):
    order = paid(market, place(market, 腊肉="2"))
    before = snapshot()
    response = login(market, "unit").post(f"/orders/{order.pk}/pay/", {"paid_on": str(TODAY)})
    assert response.status_code == 400 and "订单当前状态为“已付款”，不能登记付款。" in text(response)
    assert snapshot() == before


def test_my_orders_show_what_waits_for_me_and_export(market):
    first = place(market, 腊肉="1")
    ordering.order_confirm(actor=market.user("village"), order=place(market, 土鸡蛋="2"))
    place(market, who="buyer", owner="coop", 蔬菜="1")
    seller = login(market, "village")
    page = text(seller.get("/orders/"))
    assert re.findall(r'data-order="(\d+)"', page) == [
        str(o.pk) for o in Order.objects.filter(region_id="510903101001").order_by("-created_at", "-id")
    ]
    assert "卖方已确认 <strong>1</strong>" in page and "已下单 <strong>1</strong>" in page
    assert 'id="todo-total">2<' in page
    buyer_page = text(login(market, "unit").get("/orders/", {"status": "placed"}))
    assert re.findall(r'data-order="(\d+)"', buyer_page) == [str(first.pk)]
    export = login(market, "unit").get("/orders/", {"format": "csv"})
    rows = export.content.decode("utf-8-sig").splitlines()
    assert rows[0].startswith("订单编号,预售清单") and len(rows) == 3
    assert login(market, "buyer").get("/orders/").content.decode().count("data-order=") == 1


def test_the_order_and_list_pages_take_the_same_queries_for_one_row_or_many(market):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    place(market, 腊肉="1")
    client = login(market, "village")

    def queries(url: str) -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    one = (queries("/orders/"), queries("/market/"), queries("/market/mine/"))
    for _ in range(4):
        place(market, who="bank", 土鸡蛋="1")
    assert (queries("/orders/"), queries("/market/"), queries("/market/mine/")) == one
