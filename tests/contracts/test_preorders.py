"""Pre-order YG-2018-001: 财政局 pre-orders 100 只 土鸡 at 80.00 (8,000.00) from 张德明, signed 2018-03-01,
harvest 2018-06-01..2018-09-30, deposit 2,000.00 paid 2018-03-05.

D1: order placed 06-15, 15 只 (1,200.00), paid 06-20 → the deposit covers it all (1,200.00 deducted, 0 cash).
D2: purchase recorded 07-10, 20 只 (1,600.00) → 800.00 of deposit left is deducted, 800.00 paid in cash.
As of 07-31: delivered 35 (2,800.00), outstanding 65 (5,200.00), deposit used up, 5,200.00 still to pay.
D2 reversed: delivered 15 (1,200.00), 800.00 of deposit left, outstanding 85 (6,800.00), 6,000.00 to pay.
Closed then: nothing more to pay, the 800.00 left is owed back to the buyer.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from yigou.contracts.models import PreOrder, PreOrderDraw
from yigou.contracts.numbers import plain
from yigou.contracts.preorders import (
    PreOrderInput,
    PreOrderParties,
    preorder_create,
    preorder_draw_order,
    preorder_draw_purchase,
    preorder_end,
)
from yigou.contracts.settlement import preorder_figures
from yigou.core.errors import DomainError
from yigou.core.models import AuditEntry
from yigou.ledger.services import purchase_reverse

from .example import record_direct

D = dt.date


def sign(world, **changes) -> PreOrder:
    data = PreOrderInput(
        number="YG-2018-001",
        name="土鸡",
        category="meat_egg",
        unit="只",
        quantity="100",
        price="80.00",
        signed_on=D(2018, 3, 1),
        harvest_start=D(2018, 6, 1),
        harvest_end=D(2018, 9, 30),
        deposit="2000.00",
        deposit_paid_on=D(2018, 3, 5),
    )
    for name, value in changes.items():
        setattr(data, name, value)
    parties = PreOrderParties(buyer_unit=world.units["finance"], seller_household=world.households["zhang"])
    return preorder_create(actor=world.users["city"], data=data, parties=parties, today=D(2018, 3, 5))


def settlement(preorder, as_of):
    f = preorder_figures(PreOrder.objects.get(pk=preorder.pk), as_of)
    return {
        "delivered": (plain(f.delivered_qty), str(f.delivered_value)),
        "outstanding": (plain(f.outstanding_qty), str(f.outstanding_value)),
        "deposit": (str(f.deposit_paid), str(f.deposit_used), str(f.deposit_left)),
        "to_pay": str(f.to_pay),
        "refund_due": str(f.refund_due),
        "rows": [
            (str(r.day), plain(r.quantity), str(r.amount), str(r.deducted), str(r.cash)) for r in f.rows
        ],
    }


def deliver_both(world, market, preorder):
    d1 = market.place(D(2018, 6, 15), 土鸡="15")
    preorder_draw_order(actor=world.users["unit"], order=d1, preorder=preorder)
    market.receive(d1, D(2018, 6, 18))
    market.pay(d1, D(2018, 6, 20))
    d2 = record_direct(world, D(2018, 7, 10), "土鸡", "20", "只", "80")
    preorder_draw_purchase(actor=world.users["admin"], purchase=d2, preorder=preorder)
    return d2


def test_the_deposit_is_deducted_from_later_deliveries_until_used(world, market):
    preorder = sign(world)
    deliver_both(world, market, preorder)

    assert settlement(preorder, D(2018, 7, 31)) == {
        "delivered": ("35", "2800.00"),
        "outstanding": ("65", "5200.00"),
        "deposit": ("2000.00", "2000.00", "0.00"),
        "to_pay": "5200.00",
        "refund_due": "0.00",
        "rows": [
            ("2018-06-20", "15", "1200.00", "1200.00", "0.00"),
            ("2018-07-10", "20", "1600.00", "800.00", "800.00"),
        ],
    }


def test_a_reversed_delivery_gives_its_deposit_back_and_closing_makes_the_rest_refundable(world, market):
    preorder = sign(world)
    d2 = deliver_both(world, market, preorder)
    purchase_reverse(actor=world.users["admin"], purchase=d2, reason="数量登记错误")

    open_ = settlement(preorder, D(2018, 7, 31))
    preorder_end(
        actor=world.users["city"], preorder=preorder, status="closed", reason="采收期结束，双方协商结清"
    )
    closed = settlement(preorder, D(2018, 10, 8))

    assert open_ == {
        "delivered": ("15", "1200.00"),
        "outstanding": ("85", "6800.00"),
        "deposit": ("2000.00", "1200.00", "800.00"),
        "to_pay": "6000.00",
        "refund_due": "0.00",
        "rows": [("2018-06-20", "15", "1200.00", "1200.00", "0.00")],
    }
    assert (closed["to_pay"], closed["refund_due"], closed["deposit"]) == (
        "0.00",
        "800.00",
        ("2000.00", "1200.00", "800.00"),
    )


def test_an_unpaid_deposit_is_not_deducted(world, market):
    preorder = sign(world, deposit_paid_on=None)
    deliver_both(world, market, preorder)

    figures = settlement(preorder, D(2018, 7, 31))

    assert (figures["deposit"], figures["to_pay"], figures["refund_due"]) == (
        ("0.00", "0.00", "0.00"),
        "5200.00",
        "0.00",
    )


def test_a_deposit_above_the_pre_order_value_is_refused_and_nothing_is_written(world):
    before = (PreOrder.objects.count(), AuditEntry.objects.count())

    with pytest.raises(DomainError) as caught:
        sign(world, deposit=Decimal("8000.01"))

    assert caught.value.message == "输入有误：定金 8000.01 元超过预购总额 8000.00 元"
    assert (PreOrder.objects.count(), AuditEntry.objects.count()) == before


def test_another_sellers_goods_do_not_fulfil_the_pre_order(world, market):
    preorder = sign(
        world, name="蔬菜", unit="公斤", price="4.40", quantity="500", deposit="0", deposit_paid_on=None
    )
    order = market.place(D(2018, 6, 15), 蔬菜="10")  # sold by the cooperative, not by 张德明
    before = (PreOrderDraw.objects.count(), AuditEntry.objects.count())

    with pytest.raises(DomainError) as caught:
        preorder_draw_order(actor=world.users["unit"], order=order, preorder=preorder)

    assert caught.value.message == f"订单{order.pk}的销售方不是“预购YG-2018-001”的销售方，不能计入。"
    assert (PreOrderDraw.objects.count(), AuditEntry.objects.count()) == before
