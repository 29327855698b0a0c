"""An administrator orders on a unit's behalf from the list page: it picks the unit (and, to buy as a cadre, one
of that unit's cadres). 腊肉 2 公斤 × 60.00 + 柑橘 7 公斤 × 4.31 = 120.00 + 30.17 = 150.17; 土鸡蛋 10 个 × 1.50 = 15.00.
Refusals come back on the page in Chinese and change nothing; unit staff cannot use the picker for another unit."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.test import Client

from tests.market.flows import snapshot
from tests.market.presale_world import market_fixture
from yigou.market.models import Order

pytestmark = pytest.mark.django_db
market = pytest.fixture(market_fixture, name="market")


def login(market, key: str) -> Client:
    client = Client()
    client.force_login(market.user(key))
    return client


def text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


def unit_options(page: str) -> list[str]:
    found = re.search(r'<select name="unit"[^>]*>(.*?)</select>', page)
    return re.findall(r"<option [^>]*>([^<]*)</option>", found.group(1)) if found else []


def test_the_administrator_gets_a_unit_picker_and_buyers_do_not(market):
    url = f"/market/{market.lists['village'].pk}/"

    admin_page = text(login(market, "admin").get(url))

    assert 'id="place-order"' in admin_page and "代哪个帮扶单位下单" in admin_page
    assert unit_options(admin_page) == ["请选择", "船山区农商银行", "遂宁市财政局"]
    assert unit_options(text(login(market, "unit").get(url))) == []
    assert unit_options(text(login(market, "buyer").get(url))) == []


def test_the_administrator_orders_for_a_unit(market):
    owner, items, bank = market.lists["village"], market.items, market.world.units["chuanshan_bank"]

    response = login(market, "admin").post(
        f"/market/{owner.pk}/order/",
        {
            "unit": bank.pk,
            "buyer_kind": "unit",
            f"qty-{items['腊肉'].pk}": "2",
            f"qty-{items['柑橘'].pk}": "7",
            "delivery_address": "船山区农商银行食堂",
        },
    )

    order = Order.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/orders/{order.pk}/"
    assert (
        order.buyer_kind,
        order.buyer_unit_id,
        order.buyer_name,
        order.buyer_user.username,
        order.total,
    ) == ("unit", bank.pk, "船山区农商银行", "admin", Decimal("150.17"))


def test_the_administrator_orders_as_one_of_the_units_cadres(market):
    owner, items, world = market.lists["village"], market.items, market.world

    login(market, "admin").post(
        f"/market/{owner.pk}/order/",
        {
            "unit": world.units["chuanshan_bank"].pk,
            "buyer_kind": "cadre",
            "cadre": world.cadres["sun"].pk,
            f"qty-{items['土鸡蛋'].pk}": "10",
        },
    )

    order = Order.objects.get()
    assert (order.buyer_kind, order.buyer_cadre_id, order.buyer_name, order.total) == (
        "cadre",
        world.cadres["sun"].pk,
        "孙红",
        Decimal("15.00"),
    )


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({}, "请选择代为下单的帮扶单位。"),
        ({"unit": "999999"}, "选择一个有效的选项。 999999 不在可用的选项中。"),
        ({"unit": "bank", "buyer_kind": "cadre", "cadre": "chen"}, "干部购买须选择本单位的帮扶干部"),
    ],
)
def test_a_refused_order_for_a_unit_is_shown_in_chinese_and_changes_nothing(market, fields, message):
    world, item = market.world, market.items["腊肉"]
    ids = {"bank": world.units["chuanshan_bank"].pk, "chen": world.cadres["chen"].pk}
    data = {name: ids.get(value, value) for name, value in fields.items()}
    before = snapshot()

    response = login(market, "admin").post(
        f"/market/{market.lists['village'].pk}/order/", {**data, f"qty-{item.pk}": "1"}
    )

    assert response.status_code == 400 and message in text(response)
    assert snapshot() == before


def test_unit_staff_cannot_pick_another_unit(market):
    owner, item, world = market.lists["village"], market.items["腊肉"], market.world

    login(market, "unit").post(
        f"/market/{owner.pk}/order/", {"unit": world.units["chuanshan_bank"].pk, f"qty-{item.pk}": "1"}
    )

    assert list(Order.objects.values_list("buyer_unit__name", "total")) == [
        ("遂宁市财政局", Decimal("60.00"))
    ]
