"""Real concurrent buyers, each in its own thread and database connection: stock is never oversold, every buyer who
missed out is told 库存不足, and orders naming the same items in opposite orders do not deadlock."""

from __future__ import annotations

import threading
from decimal import Decimal

import pytest
from django.db import connection, connections

from tests.market.presale_world import Market, build_market
from tests.world import build_world
from yigou.core.errors import DomainError
from yigou.market import ordering
from yigou.market.models import Order, OrderLine, PreSaleItem

BUYERS = 8


def _race(market: Market, plans: list[tuple[str, list[tuple[str, str]]]]) -> list[str]:
    """Starts every plan (buyer, [(item, quantity)]) together; returns 'ok' or the refusal's message for each."""
    results: list[str] = [""] * len(plans)
    start = threading.Barrier(len(plans))

    def run(n: int, who: str, wanted: list[tuple[str, str]]) -> None:
        try:
            start.wait()
            ordering.order_place(
                actor=market.user(who),
                presale_list=market.lists["village"],
                lines=[(market.items[name].pk, q) for name, q in wanted],
            )
            results[n] = "ok"
        except DomainError as exc:
            results[n] = exc.message
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(n, who, wanted)) for n, (who, wanted) in enumerate(plans)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    return results


@pytest.fixture
def market(transactional_db):
    yield build_market(build_world())
    if connection.vendor == "postgresql":  # the flush after a transactional test must pass the audit trigger
        with connection.cursor() as cursor:
            cursor.execute("SET yigou.audit_maintenance = 'on'")


def test_eight_buyers_race_for_ten_kilos_and_exactly_three_get_three(market):
    buyers = ["unit", "bank", "buyer", "buyer2"] * 2
    results = _race(market, [(who, [("腊肉", "3")]) for who in buyers])
    assert results.count("ok") == 3
    refused = [r for r in results if r != "ok"]
    assert len(refused) == 5 and all(r.startswith("库存不足：“腊肉”尚可订购 1公斤") for r in refused)
    assert PreSaleItem.objects.get(name="腊肉").reserved == Decimal("9")
    assert (Order.objects.count(), OrderLine.objects.count()) == (3, 3)


def test_orders_naming_the_same_items_in_opposite_orders_all_succeed(market):
    forward, backward = [("腊肉", "1"), ("土鸡蛋", "10")], [("土鸡蛋", "10"), ("腊肉", "1")]
    results = _race(market, [("unit", forward), ("bank", backward), ("buyer", forward), ("buyer2", backward)])
    assert results == ["ok"] * 4
    stock = dict(PreSaleItem.objects.values_list("name", "reserved"))
    assert (stock["腊肉"], stock["土鸡蛋"]) == (Decimal("4"), Decimal("40"))
