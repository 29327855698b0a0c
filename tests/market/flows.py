"""Small steps the order tests share: place an order by item names, move it along, and count what was written."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from tests.market.presale_world import Market
from yigou.core.models import AuditEntry
from yigou.ledger.models import Beneficiary, Purchase
from yigou.market import ordering
from yigou.market.models import AfterSale, Order, OrderEvent, OrderLine, PreSaleItem


def lines(market: Market, **wanted: str) -> list[tuple[int, str]]:
    return [(market.items[name].pk, quantity) for name, quantity in wanted.items()]


def place(market: Market, who: str = "unit", owner: str = "village", **wanted: str) -> Order:
    return ordering.order_place(
        actor=market.user(who), presale_list=market.lists[owner], lines=lines(market, **wanted)
    )


def seller_of(owner: str) -> str:
    return {"village": "village", "coop": "producer", "anju": "anju"}[owner]


def shipped(market: Market, order: Order, owner: str = "village") -> Order:
    seller = market.user(seller_of(owner))
    order = ordering.order_confirm(actor=seller, order=order)
    return ordering.order_ship(actor=seller, order=order)


def paid(market: Market, order: Order, who: str = "unit", owner: str = "village", **rejected: str) -> Order:
    order = shipped(market, order, owner)
    by_item = {line.item.name: line.pk for line in order.lines.select_related("item")}
    reasons = {by_item[name]: reason for name, reason in rejected.items()}
    order = ordering.order_receive(actor=market.user(who), order=order, rejected=reasons)
    return ordering.order_pay(actor=market.user(who), order=order, payment_ref="BANK-0001")


def reserved(market: Market) -> dict[str, Decimal]:
    return {item.name: item.reserved for item in PreSaleItem.objects.all()}


def snapshot() -> dict[str, Any]:
    """Everything an order step may write; a refused step must leave all of it as it was."""
    return {
        "orders": list(
            Order.objects.order_by("pk").values_list("pk", "status", "total", "paid_on", "rating")
        ),
        "lines": list(OrderLine.objects.order_by("pk").values_list("pk", "inspection")),
        "events": OrderEvent.objects.count(),
        "aftersales": list(AfterSale.objects.order_by("pk").values_list("pk", "status")),
        "reserved": list(
            PreSaleItem.objects.order_by("pk").values_list("pk", "quantity", "reserved", "unit_price")
        ),
        "purchases": Purchase.objects.count(),
        "beneficiaries": Beneficiary.objects.count(),
        "audit": AuditEntry.objects.count(),
    }
