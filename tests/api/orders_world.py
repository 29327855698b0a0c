"""The pre-sale list and order the API tests share, worked out by hand.

The list 永兴村春季预售 (published by the 永兴村 village account) offers
  土鸡  80.00 元/只, 10 只, sold by the household 张德明 (永兴村);
  青菜   2.50 元/斤, 100 斤, sold by 船山区永兴蔬菜专业合作社 (linked to 张德明, 10 shares).
The unit account (遂宁市财政局) orders 3 只土鸡 + 12.5 斤青菜 = 240.00 + 31.25 = 271.25 元.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from tests.world import World
from yigou.core.models import AuditEntry
from yigou.ledger.models import Purchase
from yigou.market import presale
from yigou.market.models import Order, OrderEvent, OrderLine, PreSaleItem, PreSaleList

TODAY = dt.date.today()


def item_input(name: str, unit: str, price: str, quantity: str, **seller: Any) -> presale.ItemInput:
    return presale.ItemInput(
        name=name,
        category="meat_egg" if name in ("土鸡", "黑猪肉") else "fruit_veg",
        unit=unit,
        unit_price=Decimal(price),
        quantity=Decimal(quantity),
        window_start=TODAY,
        window_end=TODAY + dt.timedelta(days=30),
        **seller,
    )


def list_info(title: str, opens: int = -1, closes: int = 20) -> presale.ListInput:
    return presale.ListInput(
        title=title,
        opens_on=TODAY + dt.timedelta(days=opens),
        closes_on=TODAY + dt.timedelta(days=closes),
        contact_name="王主任",
        contact_phone="13812345678",
    )


def shop_fixture(world: World) -> PreSaleList:
    return presale.presale_publish(
        actor=world.users["village"],
        data=list_info("永兴村春季预售"),
        village=world.region("510903101001"),
        items=[
            item_input("土鸡", "只", "80.00", "10", seller_household=world.households["zhang"]),
            item_input("青菜", "斤", "2.50", "100", seller_producer=world.producers["coop"]),
        ],
    )


def items(shop: PreSaleList) -> tuple[PreSaleItem, PreSaleItem]:
    chicken, greens = shop.items.order_by("pk")
    return chicken, greens


def place(client: Any, shop: PreSaleList, *lines: tuple[int, str], **extra: Any) -> Any:
    body = {"presale_list": shop.pk, "lines": [{"item": i, "quantity": q} for i, q in lines], **extra}
    return client.post("/api/v1/orders/", body, format="json")


def counts() -> tuple[int, ...]:
    reserved = tuple(PreSaleItem.objects.order_by("pk").values_list("reserved", flat=True))
    return (
        Order.objects.count(),
        OrderLine.objects.count(),
        OrderEvent.objects.count(),
        AuditEntry.objects.count(),
        Purchase.objects.count(),
        *reserved,
    )


def placed_fixture(world: World, shop: PreSaleList, client_for: Callable) -> dict[str, Any]:
    chicken, greens = items(shop)
    response = place(client_for("unit"), shop, (chicken.pk, "3"), (greens.pk, "12.5"))
    assert response.status_code == 201, response.json()
    return response.json()
