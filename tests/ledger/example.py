"""The worked example of the ledger tests: 遂宁市, January–April 2018, every figure computed by hand.

P1 2018-01-10 cadre 陈立 buys 600.00 of 腊肉 from 张德明 (poor, 永兴村, poor village), on site.
P2 2018-01-20 unit 遂宁市财政局 buys 1000.00 of vegetables from the 永兴 cooperative (永兴镇); 张德明 earned 300.00.
P3 2018-02-05 the 财政局 canteen buys 200.00 of rice from 王建国 (non-poor, 石佛村, non-poor village).
P4 2018-03-15 unit 财政局 buys 1600.00 of chickens from 刘永福 (poor, 拦江村, 安居区), on site.
P5 2018-03-20 individual 李四 buys 250.00 of honey from 张德明 at the 永兴村 supermarket counter.
P6 2018-04-02 cadre 孙红 buys 100.00 from 张德明 — reversed the same day (entered by mistake).
Activities: 2018-01-20 fair at 永兴镇; 2018-03-15 on-site purchase at 拦江村; 2018-05-01 fair (outside).
Outlets: counter at 永兴村 (2017-12-01, 5,000 元 waived); QQ shop at 拦江村 (2018-02-01, 3,000 元);
temporary market at 永兴镇 (2018-01-01, closed 2018-03-01, 1,000 元).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from yigou.ledger.enums import Attribution, BuyerKind, Channel
from yigou.ledger.models import Purchase
from yigou.ledger.services import LineInput, PurchaseInput, purchase_record, purchase_reverse
from yigou.market import services as market


@dataclass
class Example:
    purchases: dict[str, Purchase]


def line(product: str, quantity: str, unit: str, price: str) -> LineInput:
    return LineInput(product=product, quantity=Decimal(quantity), unit=unit, unit_price=Decimal(price))


def _market(world) -> dict:
    admin, r = world.users["admin"], world.regions
    counter = market.outlet_open(
        actor=admin,
        region=r["510903101001"],
        name="永兴村超市扶贫专柜",
        kind="counter",
        opened_on=dt.date(2017, 12, 1),
        fees_waived=Decimal("5000"),
    )
    market.outlet_open(
        actor=admin,
        region=r["510904101001"],
        name="拦江村QQ超市",
        kind="online_shop",
        opened_on=dt.date(2018, 2, 1),
        fees_waived=Decimal("3000"),
    )
    temp = market.outlet_open(
        actor=admin,
        region=r["510903101000"],
        name="永兴镇临时小集市",
        kind="temp_market",
        opened_on=dt.date(2018, 1, 1),
        fees_waived=Decimal("1000"),
    )
    market.outlet_close(actor=admin, outlet=temp, closed_on=dt.date(2018, 3, 1))
    fair = market.activity_record(
        actor=admin,
        region=r["510903101000"],
        title="永兴镇以购助扶采购节",
        kind="fair",
        date=dt.date(2018, 1, 20),
    )
    market.activity_record(
        actor=admin,
        region=r["510904101001"],
        title="拦江村现场采购",
        kind="onsite",
        date=dt.date(2018, 3, 15),
    )
    market.activity_record(
        actor=admin, region=r["510903101001"], title="五一展销", kind="fair", date=dt.date(2018, 5, 1)
    )
    return {"counter": counter, "fair": fair}


def build_example(world) -> Example:
    m = _market(world)
    admin, hh, units, cadres = world.users["admin"], world.households, world.units, world.cadres
    data = {
        "P1": PurchaseInput(
            date=dt.date(2018, 1, 10),
            buyer_kind=BuyerKind.CADRE,
            buyer_cadre=cadres["chen"],
            channel=Channel.ONSITE,
            seller_household=hh["zhang"],
            lines=[line("腊肉", "10", "公斤", "60")],
        ),
        "P2": PurchaseInput(
            date=dt.date(2018, 1, 20),
            buyer_kind=BuyerKind.UNIT,
            buyer_unit=units["finance"],
            channel=Channel.ONSITE,
            seller_producer=world.producers["coop"],
            activity=m["fair"],
            lines=[line("蔬菜", "200", "公斤", "5")],
            attribution=Attribution.ENTERED,
            beneficiaries=[(hh["zhang"], Decimal("300.00"))],
        ),
        "P3": PurchaseInput(
            date=dt.date(2018, 2, 5),
            buyer_kind=BuyerKind.CANTEEN,
            buyer_unit=units["finance"],
            channel=Channel.CANTEEN,
            seller_household=hh["wang"],
            lines=[line("大米", "50", "公斤", "4")],
        ),
        "P4": PurchaseInput(
            date=dt.date(2018, 3, 15),
            buyer_kind=BuyerKind.UNIT,
            buyer_unit=units["finance"],
            channel=Channel.ONSITE,
            seller_household=hh["liu"],
            lines=[line("土鸡", "20", "只", "80")],
        ),
        "P5": PurchaseInput(
            date=dt.date(2018, 3, 20),
            buyer_kind=BuyerKind.INDIVIDUAL,
            buyer_name="李四",
            channel=Channel.OUTLET,
            outlet=m["counter"],
            seller_household=hh["zhang"],
            lines=[line("蜂蜜", "5", "斤", "50")],
        ),
        "P6": PurchaseInput(
            date=dt.date(2018, 4, 2),
            buyer_kind=BuyerKind.CADRE,
            buyer_cadre=cadres["sun"],
            channel=Channel.ONSITE,
            seller_household=hh["zhang"],
            lines=[line("鸡蛋", "10", "斤", "10")],
        ),
    }
    purchases = {key: purchase_record(actor=admin, data=value)[0] for key, value in data.items()}
    purchases["P6R"] = purchase_reverse(
        actor=admin, purchase=purchases["P6"], reason="录入错误：该笔为重复登记"
    )
    return Example(purchases)
