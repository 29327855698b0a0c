"""The worked example of the contract tests (遂宁市, 2018), every figure computed by hand.

Contract HT-2018-001, signed 2018-03-01 by the city office, 2018-03-01..2018-12-31: buyer 遂宁市财政局; sellers
永兴村 and the 永兴 cooperative. Items:
  I1 腊肉 100 公斤 at a fixed 60.00 (6,000.00); schedule 2018-05-31 40, 2018-08-31 30, 2018-11-30 30.
  I2 蔬菜 1,000 公斤 at the market price + 10%: reference 蔬菜/散装/公斤 4.00 (船山区, 2018-03-01) → 4.40 (4,400.00);
     schedule 2018-06-30 500, 2018-09-30 500.
永兴村's pre-sale list (2018-04-01..2018-08-31): 腊肉 60.00 and 土鸡 80.00 from 张德明, 蔬菜 4.40 from the cooperative,
大米 4.00 from 张德明 (not in the contract).
Orders by the 财政局 (unit staff), each counted against the contract when placed:
  O1 placed 04-10: 腊肉 30 (1,800.00) + 蔬菜 300 (1,320.00), paid 05-20.
  O2 placed 06-01: 腊肉 20 (1,200.00) + 蔬菜 400 (1,760.00), paid 07-05, refunded 07-10.
  O3 placed 06-10: 腊肉 15 (900.00), received but not paid.
  O4 placed 07-15: 蔬菜 250 (1,100.00), paid 07-20.
  P  recorded 08-25 straight in the ledger: 腊肉 10 公斤 × 60 (600.00) from 张德明, counted against the contract.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from yigou.contracts.models import Contract
from yigou.contracts.parties import PartiesInput
from yigou.contracts.services import ContractInput, ItemInput, contract_create, contract_transition
from yigou.ledger.enums import BuyerKind, Channel
from yigou.ledger.models import Purchase
from yigou.ledger.services import LineInput, PurchaseInput, purchase_record
from yigou.market import ordering
from yigou.market import presale as presale_services
from yigou.market.models import Order, PreSaleList
from yigou.market.pricing import ReferencePriceInput, reference_price_add

D = dt.date


class Clock:
    def __init__(self, start: dt.datetime):
        self.current = start

    def now(self) -> dt.datetime:
        return self.current

    def set(self, day: dt.date) -> dt.date:
        self.current = dt.datetime(day.year, day.month, day.day, 2, 0, tzinfo=dt.UTC)
        return day


@dataclass
class Market:
    world: Any
    clock: Clock
    presale: PreSaleList
    items: dict[str, int] = field(default_factory=dict)

    def place(self, day: dt.date, **lines: str) -> Order:
        self.clock.set(day)
        return ordering.order_place(
            actor=self.world.users["unit"],
            presale_list=self.presale,
            buyer_kind=BuyerKind.UNIT,
            today=day,
            lines=[(self.items[name], qty) for name, qty in lines.items()],
        )

    def receive(self, order: Order, day: dt.date) -> Order:
        self.clock.set(day)
        seller, buyer = self.world.users["village"], self.world.users["unit"]
        order = ordering.order_confirm(actor=seller, order=order)
        order = ordering.order_ship(actor=seller, order=order)
        return ordering.order_receive(actor=buyer, order=order)

    def pay(self, order: Order, day: dt.date) -> Order:
        self.clock.set(day)
        return ordering.order_pay(actor=self.world.users["unit"], order=order, paid_on=day, today=day)

    def refund(self, order: Order, day: dt.date) -> Order:
        self.clock.set(day)
        request = ordering.aftersale_request(
            actor=self.world.users["unit"], order=order, kind="refund", reason="腊肉变质"
        )
        ordering.aftersale_resolve(
            actor=self.world.users["village"], request=request, approve=True, resolution="同意退款"
        )
        return Order.objects.get(pk=order.pk)


def build_market(world: Any, clock: Clock) -> Market:
    clock.set(D(2018, 4, 1))
    zhang, coop = world.households["zhang"], world.producers["coop"]
    offer = presale_services.ItemInput
    window = {"window_start": D(2018, 4, 1), "window_end": D(2018, 12, 31)}
    presale = presale_services.presale_publish(
        actor=world.users["village"],
        village=world.regions["510903101001"],
        today=D(2018, 4, 1),
        data=presale_services.ListInput(
            title="永兴村2018年农产品预售",
            opens_on=D(2018, 4, 1),
            closes_on=D(2018, 8, 31),
            contact_name="永兴村委会",
            contact_phone="13800001234",
        ),
        items=[
            offer(
                "腊肉", "meat_egg", "公斤", Decimal("60.00"), Decimal("200"), seller_household=zhang, **window
            ),
            offer(
                "蔬菜", "fruit_veg", "公斤", Decimal("4.40"), Decimal("2000"), seller_producer=coop, **window
            ),
            offer(
                "土鸡", "meat_egg", "只", Decimal("80.00"), Decimal("200"), seller_household=zhang, **window
            ),
            offer(
                "大米", "grain_oil", "公斤", Decimal("4.00"), Decimal("500"), seller_household=zhang, **window
            ),
        ],
    )
    return Market(world, clock, presale, {item.name: item.pk for item in presale.items.all()})


def sign_contract(world: Any, **changes: Any) -> Contract:
    r = world.regions
    reference = reference_price_add(
        actor=world.users["chuanshan"],
        region=r["510903000000"],
        today=D(2018, 3, 1),
        data=ReferencePriceInput("蔬菜", "散装", "公斤", "4.00", D(2018, 3, 1), source="永兴镇农贸市场"),
    )
    data = ContractInput(
        number="HT-2018-001",
        title="遂宁市财政局认购永兴村农产品合同",
        signed_on=D(2018, 3, 1),
        period_start=D(2018, 3, 1),
        period_end=D(2018, 12, 31),
    )
    for name, value in changes.items():
        setattr(data, name, value)
    contract = contract_create(
        actor=world.users["city"],
        data=data,
        parties=PartiesInput(
            units=[world.units["finance"]], villages=[r["510903101001"]], producers=[world.producers["coop"]]
        ),
        items=[
            ItemInput(
                "腊肉",
                "meat_egg",
                "公斤",
                "100",
                price="60.00",
                schedule=[(D(2018, 5, 31), "40"), (D(2018, 8, 31), "30"), (D(2018, 11, 30), "30")],
            ),
            ItemInput(
                "蔬菜",
                "fruit_veg",
                "公斤",
                "1000",
                price_rule="market_plus",
                markup_percent="10",
                reference=reference,
                schedule=[(D(2018, 6, 30), "500"), (D(2018, 9, 30), "500")],
            ),
        ],
    )
    return contract_transition(actor=world.users["city"], contract=contract, action="activate")


def record_direct(world: Any, day: dt.date, product: str, qty: str, unit: str, price: str) -> Purchase:
    data = PurchaseInput(
        date=day,
        buyer_kind=BuyerKind.UNIT,
        buyer_unit=world.units["finance"],
        channel=Channel.CONTRACT,
        seller_household=world.households["zhang"],
        lines=[LineInput(product=product, quantity=Decimal(qty), unit=unit, unit_price=Decimal(price))],
    )
    return purchase_record(actor=world.users["admin"], data=data)[0]
