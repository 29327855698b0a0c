"""The worked example of the reporting tests: 遂宁市, March 2018, every figure computed by hand.

船山区 keeps the ledger (and also sent a form, which disagrees):
  L1 2018-03-05 cadre 陈立 buys 600.00 of 腊肉 from 张德明 (poor, 永兴村, poor village), on site.
  L2 2018-03-12 unit 遂宁市财政局 buys 1000.00 of vegetables from the 永兴 cooperative; 张德明 earned 300.00.
  Its form (county level): amount_total 1700, amount_own 700, amount_coop 1000, poor_households 1.
安居区 reports by form only: the county itself reports everything but activities, which its township 拦江镇
  reports (1); amount_total 2000 ≠ own 1200 + cooperative 600 (R01).
经开区 (zone) reports by form only: poor 900 + non-poor 200 = 1100 income > amount_total 1000 (R02).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from yigou.ledger.enums import Attribution, BuyerKind, Channel
from yigou.ledger.services import LineInput, PurchaseInput, purchase_record
from yigou.reporting.services import values_save

D = Decimal
CITY, CHUANSHAN, ANJU, ZONE, LANJIANG = (
    "510900000000",
    "510903000000",
    "510904000000",
    "510971000000",
    "510904101000",
)

ZERO_ROW = {
    "activities": 0,
    "outlets_counter": 0,
    "outlets_online_shop": 0,
    "outlets_service_store": 0,
    "outlets_temp_market": 0,
    "outlets_ecommerce": 0,
    "fees_waived_wan": D("0.00"),
    "villages_poor": 0,
    "villages_nonpoor": 0,
    "poor_households": 0,
    "poor_income": D("0.00"),
    "nonpoor_households": 0,
    "nonpoor_income": D("0.00"),
    "amount_total": D("0.00"),
    "amount_own": D("0.00"),
    "amount_coop": D("0.00"),
    "amount_certified": D("0.00"),
    "buyers_total": 0,
    "buyer_units": 0,
    "buyer_cadres": 0,
    "buyer_canteens": 0,
    "buyer_enterprises": 0,
    "buyer_social_orgs": 0,
}

ANJU_FORM = {
    "villages_poor": "1",
    "poor_households": "3",
    "poor_income": "1200",
    "nonpoor_households": "1",
    "nonpoor_income": "300",
    "amount_total": "2000",
    "amount_own": "1200",
    "amount_coop": "600",
    "buyers_total": "5",
    "buyer_units": "2",
    "buyer_cadres": "3",
}
ZONE_FORM = {
    "outlets_counter": "1",
    "fees_waived_wan": "0.2",
    "poor_households": "2",
    "poor_income": "900",
    "nonpoor_households": "1",
    "nonpoor_income": "200",
    "amount_total": "1000",
    "amount_own": "700",
    "amount_coop": "300",
    "buyers_total": "4",
    "buyer_units": "1",
}
CHUANSHAN_FORM = {"amount_total": "1700", "amount_own": "700", "amount_coop": "1000", "poor_households": "1"}


def _line(product: str, quantity: str, unit: str, price: str) -> LineInput:
    return LineInput(product=product, quantity=D(quantity), unit=unit, unit_price=D(price))


def ledger(world) -> None:
    admin, hh = world.users["admin"], world.households
    purchase_record(
        actor=admin,
        data=PurchaseInput(
            date=dt.date(2018, 3, 5),
            buyer_kind=BuyerKind.CADRE,
            buyer_cadre=world.cadres["chen"],
            channel=Channel.ONSITE,
            seller_household=hh["zhang"],
            lines=[_line("腊肉", "10", "公斤", "60")],
        ),
    )
    purchase_record(
        actor=admin,
        data=PurchaseInput(
            date=dt.date(2018, 3, 12),
            buyer_kind=BuyerKind.UNIT,
            buyer_unit=world.units["finance"],
            channel=Channel.ONSITE,
            seller_producer=world.producers["coop"],
            lines=[_line("蔬菜", "200", "公斤", "5")],
            attribution=Attribution.ENTERED,
            beneficiaries=[(hh["zhang"], D("300.00"))],
        ),
    )


def forms(world) -> None:
    admin = world.users["admin"]
    for code, values in (
        (ANJU, ANJU_FORM),
        (ZONE, ZONE_FORM),
        (CHUANSHAN, CHUANSHAN_FORM),
        (LANJIANG, {"activities": "1"}),
    ):
        values_save(actor=admin, region_code=code, year=2018, month=3, values=values)


def build(world) -> None:
    ledger(world)
    forms(world)
