"""A contract's delivered, outstanding and late figures follow the orders placed against it (see example.py)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from yigou.contracts.draws import contract_draw_order, contract_draw_purchase
from yigou.contracts.figures import contract_figures
from yigou.contracts.models import Contract, ContractDraw
from yigou.contracts.numbers import plain
from yigou.core.errors import DomainError
from yigou.core.models import AuditEntry
from yigou.ledger.enums import BuyerKind, Channel
from yigou.ledger.services import LineInput, PurchaseInput, purchase_record, purchase_reverse
from yigou.market.presale import presale_item_change

from .example import Market, record_direct, sign_contract

D = dt.date


def items(contract, as_of):
    """Per item: (agreed qty, agreed value, delivered qty, delivered value, pending, outstanding qty and value,
    late qty, late value)."""
    figures = contract_figures(list(contract.items.all()), as_of)
    rows = [
        tuple(
            str(v)
            for v in (
                plain(f.agreed_qty),
                f.agreed_value,
                plain(f.delivered_qty),
                f.delivered_value,
                plain(f.pending_qty),
                plain(f.outstanding_qty),
                f.outstanding_value,
                plain(f.late_qty),
                f.late_value,
            )
        )
        for f in figures.items
    ]
    totals = tuple(
        str(v)
        for v in (
            figures.agreed_value,
            figures.delivered_value,
            figures.outstanding_value,
            figures.late_value,
        )
    )
    return rows, totals


def schedules(contract, as_of):
    """Per schedule row: (due, cumulative, delivered by the due date, late, shortfall at the due date)."""
    figures = contract_figures(list(contract.items.all()), as_of)
    return [
        [
            (
                str(r.due_on),
                str(plain(r.cumulative)),
                str(plain(r.delivered_by_due)),
                r.late,
                str(plain(r.shortfall)),
            )
            for r in f.schedule
        ]
        for f in figures.items
    ]


def build_orders(world, market: Market):
    contract = sign_contract(world)
    unit = world.users["unit"]
    o1 = market.place(D(2018, 4, 10), 腊肉="30", 蔬菜="300")
    contract_draw_order(actor=unit, order=o1, contract=contract)
    market.receive(o1, D(2018, 5, 15))
    market.pay(o1, D(2018, 5, 20))
    o2 = market.place(D(2018, 6, 1), 腊肉="20", 蔬菜="400")
    contract_draw_order(actor=unit, order=o2, contract=contract)
    market.receive(o2, D(2018, 7, 1))
    market.pay(o2, D(2018, 7, 5))
    o3 = market.place(D(2018, 6, 10), 腊肉="15")
    contract_draw_order(actor=unit, order=o3, contract=contract)
    market.receive(o3, D(2018, 6, 20))
    return contract, {"O1": o1, "O2": o2, "O3": o3}


def test_paid_orders_count_as_delivered_and_the_unpaid_one_only_as_pending(world, market):
    contract, _ = build_orders(world, market)

    rows, totals = items(contract, D(2018, 7, 8))

    assert rows == [
        ("100", "6000.00", "50", "3000.00", "15", "50", "3000.00", "0", "0.00"),
        ("1000", "4400.00", "700", "3080.00", "0", "300", "1320.00", "0", "0.00"),
    ]
    assert totals == ("10400.00", "6080.00", "4320.00", "0.00")
    # Late against the schedule: 30 of 40 腊肉 by 05-31, 300 of 500 蔬菜 by 06-30 (O2 was paid on 07-05).
    assert schedules(contract, D(2018, 7, 8)) == [
        [
            ("2018-05-31", "40", "30", True, "10"),
            ("2018-08-31", "70", "50", False, "0"),
            ("2018-11-30", "100", "50", False, "0"),
        ],
        [("2018-06-30", "500", "300", True, "200"), ("2018-09-30", "1000", "700", False, "0")],
    ]


def test_a_refund_drops_the_order_out_and_later_deliveries_come_in(world, market):
    contract, orders = build_orders(world, market)
    market.refund(orders["O2"], D(2018, 7, 10))
    o4 = market.place(D(2018, 7, 15), 蔬菜="250")
    contract_draw_order(actor=world.users["unit"], order=o4, contract=contract)
    market.receive(o4, D(2018, 7, 18))
    market.pay(o4, D(2018, 7, 20))
    direct = record_direct(world, D(2018, 8, 25), "腊肉", "10", "公斤", "60")
    contract_draw_purchase(actor=world.users["city"], purchase=direct, contract=contract)

    rows, totals = items(contract, D(2018, 9, 1))

    assert rows == [
        ("100", "6000.00", "40", "2400.00", "15", "60", "3600.00", "30", "1800.00"),
        ("1000", "4400.00", "550", "2420.00", "0", "450", "1980.00", "0", "0.00"),
    ]
    assert totals == ("10400.00", "4820.00", "5580.00", "1800.00")
    assert schedules(contract, D(2018, 9, 1)) == [
        [
            ("2018-05-31", "40", "30", True, "10"),
            ("2018-08-31", "70", "40", True, "30"),
            ("2018-11-30", "100", "40", False, "0"),
        ],
        [("2018-06-30", "500", "300", True, "200"), ("2018-09-30", "1000", "550", False, "0")],
    ]


def test_paying_the_unpaid_order_and_reversing_the_direct_purchase_move_the_figures(world, market):
    contract, orders = build_orders(world, market)
    market.refund(orders["O2"], D(2018, 7, 10))
    direct = record_direct(world, D(2018, 8, 25), "腊肉", "10", "公斤", "60")
    contract_draw_purchase(actor=world.users["city"], purchase=direct, contract=contract)
    market.pay(orders["O3"], D(2018, 9, 5))

    paid, _ = items(contract, D(2018, 9, 10))
    purchase_reverse(actor=world.users["admin"], purchase=direct, reason="重复登记")
    reversed_, _ = items(contract, D(2018, 9, 10))

    # 腊肉: O1 30 + P 10 + O3 15 = 55 (3,300.00); 70 due by 08-31 → 15 late. Without P: 45, 25 late.
    assert paid[0] == ("100", "6000.00", "55", "3300.00", "0", "45", "2700.00", "15", "900.00")
    assert reversed_[0] == ("100", "6000.00", "45", "2700.00", "0", "55", "3300.00", "25", "1500.00")


def test_lines_of_other_products_are_left_out_and_recorded_as_skipped(world, market):
    contract = sign_contract(world)
    order = market.place(D(2018, 4, 10), 腊肉="5", 大米="10")

    draws = contract_draw_order(actor=world.users["unit"], order=order, contract=contract)

    assert [(d.item.name, str(plain(d.quantity)), str(d.amount)) for d in draws] == [("腊肉", "5", "300.00")]
    entry = AuditEntry.objects.filter(action="contract_draw").get()
    assert (entry.note, entry.changes) == (f"订单{order.pk}", {"lines": 1, "skipped": 1, "amount": "300.00"})


def _refused(world, call):
    before = (ContractDraw.objects.count(), AuditEntry.objects.count())
    with pytest.raises(DomainError) as caught:
        call()
    assert (ContractDraw.objects.count(), AuditEntry.objects.count()) == before
    return caught.value.message


def test_a_price_off_the_rule_is_refused_and_changes_nothing(world, market):
    contract = sign_contract(world, price_tolerance=Decimal("5"))
    market.clock.set(D(2018, 4, 5))
    item = market.presale.items.get(name="蔬菜")
    presale_item_change(actor=world.users["village"], item=item, unit_price=Decimal("4.70"))
    order = market.place(D(2018, 4, 10), 蔬菜="100")

    message = _refused(
        world, lambda: contract_draw_order(actor=world.users["unit"], order=order, contract=contract)
    )

    assert message == "“蔬菜”单价 4.70 元偏离约定价 4.40 元超过 5%，不能计入。"


def test_more_than_agreed_is_refused_unless_the_contract_allows_it(world, market):
    contract = sign_contract(world)
    first = market.place(D(2018, 4, 10), 腊肉="90")
    contract_draw_order(actor=world.users["unit"], order=first, contract=contract)
    second = market.place(D(2018, 4, 11), 腊肉="15")

    message = _refused(
        world, lambda: contract_draw_order(actor=world.users["unit"], order=second, contract=contract)
    )

    assert message == "“腊肉”累计 105公斤 将超过约定数量 100公斤，不能计入。"


def test_the_same_order_cannot_count_twice(world, market):
    contract = sign_contract(world)
    order = market.place(D(2018, 4, 10), 腊肉="5")
    contract_draw_order(actor=world.users["unit"], order=order, contract=contract)

    message = _refused(
        world, lambda: contract_draw_order(actor=world.users["unit"], order=order, contract=contract)
    )

    assert message == "“腊肉”这笔明细已计入“遂宁市财政局认购永兴村农产品合同”，不能重复计入。"


def test_a_buyer_who_is_not_a_party_is_refused(world, market):
    contract = sign_contract(world)
    bank = purchase_record(
        actor=world.users["admin"],
        data=PurchaseInput(
            date=D(2018, 4, 12),
            buyer_kind=BuyerKind.UNIT,
            buyer_unit=world.units["chuanshan_bank"],
            channel=Channel.CONTRACT,
            seller_household=world.households["zhang"],
            lines=[LineInput(product="腊肉", quantity=Decimal("5"), unit="公斤", unit_price=Decimal("60"))],
        ),
    )[0]

    message = _refused(
        world, lambda: contract_draw_purchase(actor=world.users["city"], purchase=bank, contract=contract)
    )

    assert message == f"购买记录{bank.pk}的购买方不是“遂宁市财政局认购永兴村农产品合同”的购买方，不能计入。"


def test_a_seller_who_is_not_a_party_is_refused(world, market):
    contract = sign_contract(world)
    liu = purchase_record(
        actor=world.users["admin"],
        data=PurchaseInput(
            date=D(2018, 4, 12),
            buyer_kind=BuyerKind.UNIT,
            buyer_unit=world.units["finance"],
            channel=Channel.CONTRACT,
            seller_household=world.households["liu"],
            lines=[LineInput(product="腊肉", quantity=Decimal("5"), unit="公斤", unit_price=Decimal("60"))],
        ),
    )[0]

    message = _refused(
        world, lambda: contract_draw_purchase(actor=world.users["city"], purchase=liu, contract=contract)
    )

    assert (
        message
        == "销售方“刘永福户（5109041010010001）”不是“遂宁市财政局认购永兴村农产品合同”的销售方，不能计入。"
    )


def test_a_draft_contract_takes_no_deliveries(world, market):
    contract = sign_contract(world)
    Contract.objects.filter(pk=contract.pk).update(status="draft")
    order = market.place(D(2018, 4, 10), 腊肉="5")

    message = _refused(
        world, lambda: contract_draw_order(actor=world.users["unit"], order=order, contract=contract)
    )

    assert message == "合同“遂宁市财政局认购永兴村农产品合同”当前状态为“草拟”，只有履行中的合同才能计入交付。"
