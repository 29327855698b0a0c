"""Buy-back 永兴镇红薯包村回购: 遂宁红薯食品有限公司 supplies seedlings to 永兴村 and 石佛村 and guarantees 3.00 元/公斤.

Deliveries: 张德明 500 公斤 × 3.20 (1,600.00) on 10-08 and 200 × 3.10 (620.00) on 10-20; 王建国 300 × 3.00 (900.00)
on 10-09. The enterprise is registered as a private assisting unit, so each delivery is also a ledger purchase.
"""

from __future__ import annotations

import datetime as dt

import pytest

from tests.world import World
from yigou.assist import services as assist
from yigou.contracts.buyback import (
    BuyBackInput,
    buyback_close,
    buyback_create,
    buyback_deliver,
    buyback_delivery_reverse,
    buyback_enrol,
    household_incomes,
)
from yigou.contracts.models import BuyBack, BuyBackDelivery
from yigou.contracts.numbers import plain
from yigou.core.errors import DomainError, PermissionDeniedError
from yigou.core.models import AuditEntry
from yigou.demo.identity import fake_uscc
from yigou.ledger.models import MonthRollup, Purchase
from yigou.registry import services as registry

D = dt.date


def set_up(world: World, *, in_ledger: bool = True) -> BuyBack:
    admin, r = world.users["admin"], world.regions
    enterprise = registry.producer_register(
        actor=admin,
        kind="enterprise",
        name="遂宁红薯食品有限公司",
        region=r["510903101000"],
        uscc=fake_uscc("510903", 9),
    )
    unit = assist.unit_register(
        actor=admin, region=r["510903000000"], name="遂宁红薯食品有限公司", kind="private"
    )
    buyback = buyback_create(
        actor=world.users["chuanshan"],
        enterprise=enterprise,
        buyer_unit=unit if in_ledger else None,
        villages=[r["510903101001"], r["510903101002"]],
        data=BuyBackInput(
            "永兴镇红薯包村回购",
            "红薯",
            "fruit_veg",
            "公斤",
            "3.00",
            "2018年秋季",
            D(2018, 9, 1),
            D(2018, 11, 30),
            "免费提供脱毒红薯种苗，技术员驻村指导",
        ),
    )
    for key in ("zhang", "wang"):
        buyback_enrol(
            actor=world.users["chuanshan"],
            buyback=buyback,
            household=world.households[key],
            enrolled_on=D(2018, 3, 1),
        )
    return buyback


def deliver(world, buyback, key, day, qty, price):
    return buyback_deliver(
        actor=world.users["chuanshan"],
        buyback=buyback,
        household=world.households[key],
        day=day,
        qty=qty,
        unit_price=price,
        today=D(2018, 12, 1),
    )


def incomes(buyback):
    return [
        (h.household.head_name, h.deliveries, plain(h.quantity), str(h.income))
        for h in household_incomes(buyback)
    ]


def test_deliveries_become_household_income_and_ledger_purchases(world):
    buyback = set_up(world)
    deliver(world, buyback, "zhang", D(2018, 10, 8), "500", "3.20")
    deliver(world, buyback, "wang", D(2018, 10, 9), "300", "3.00")
    deliver(world, buyback, "zhang", D(2018, 10, 20), "200", "3.10")

    assert incomes(buyback) == [("张德明", 2, "700", "2220.00"), ("王建国", 1, "300", "900.00")]
    in_ledger = Purchase.objects.filter(buyer_kind="enterprise", channel="contract").order_by("date")
    assert [(p.seller_household.head_name, str(p.total), p.buyer_unit.name) for p in in_ledger] == [
        ("张德明", "1600.00", "遂宁红薯食品有限公司"),
        ("王建国", "900.00", "遂宁红薯食品有限公司"),
        ("张德明", "620.00", "遂宁红薯食品有限公司"),
    ]


def test_a_price_below_the_floor_is_refused_and_changes_nothing(world):
    buyback = set_up(world)
    deliver(world, buyback, "zhang", D(2018, 10, 8), "500", "3.20")
    before = (
        BuyBackDelivery.objects.count(),
        Purchase.objects.count(),
        AuditEntry.objects.count(),
        sorted(MonthRollup.objects.values_list("region_code", "month", "amount_total")),
    )

    with pytest.raises(DomainError) as caught:
        deliver(world, buyback, "wang", D(2018, 10, 9), "100", "2.80")

    assert caught.value.message == "收购价 2.80 元/公斤 低于保底价 3.00 元/公斤，不能登记。"
    after = (
        BuyBackDelivery.objects.count(),
        Purchase.objects.count(),
        AuditEntry.objects.count(),
        sorted(MonthRollup.objects.values_list("region_code", "month", "amount_total")),
    )
    assert after == before
    assert incomes(buyback) == [("张德明", 1, "500", "1600.00"), ("王建国", 0, "0", "0.00")]


def test_reversing_a_delivery_reverses_its_ledger_purchase_too(world):
    buyback = set_up(world)
    deliver(world, buyback, "zhang", D(2018, 10, 8), "500", "3.20")
    wrong = deliver(world, buyback, "zhang", D(2018, 10, 20), "200", "3.10")

    buyback_delivery_reverse(actor=world.users["chuanshan"], delivery=wrong, reason="重复登记")

    assert incomes(buyback)[0] == ("张德明", 1, "500", "1600.00")
    assert Purchase.objects.filter(reverses=wrong.purchase).get().total == -wrong.amount


def test_without_a_registered_enterprise_unit_deliveries_stay_out_of_the_ledger(world):
    buyback = set_up(world, in_ledger=False)
    purchases = Purchase.objects.count()

    delivery = deliver(world, buyback, "wang", D(2018, 10, 9), "300", "3.00")

    assert (delivery.purchase, Purchase.objects.count()) == (None, purchases)
    assert incomes(buyback)[1] == ("王建国", 1, "300", "900.00")


def test_a_household_outside_the_villages_cannot_join(world):
    buyback = set_up(world)
    before = AuditEntry.objects.count()

    with pytest.raises(DomainError) as caught:
        buyback_enrol(
            actor=world.users["admin"],
            buyback=buyback,
            household=world.households["liu"],
            enrolled_on=D(2018, 3, 1),
        )

    assert caught.value.message == f"输入有误：农户{world.households['liu'].number}不在本回购项目的村"
    assert AuditEntry.objects.count() == before


def test_a_closed_buy_back_takes_no_more_deliveries(world):
    buyback = set_up(world)
    buyback_close(actor=world.users["chuanshan"], buyback=buyback, reason="产季结束")
    before = (BuyBackDelivery.objects.count(), AuditEntry.objects.count())

    with pytest.raises(DomainError) as caught:
        deliver(world, buyback, "zhang", D(2018, 10, 8), "500", "3.20")

    assert caught.value.message == "输入有误：回购项目“永兴镇红薯包村回购”已结束，不能再登记交售"
    assert (BuyBackDelivery.objects.count(), AuditEntry.objects.count()) == before


def test_a_village_records_deliveries_of_its_own_households_only(world):
    buyback = set_up(world)
    before = BuyBackDelivery.objects.count()

    with pytest.raises(PermissionDeniedError):
        buyback_deliver(
            actor=world.users["village"],
            buyback=buyback,
            household=world.households["wang"],
            day=D(2018, 10, 9),
            qty="300",
            unit_price="3.00",
            today=D(2018, 12, 1),
        )
    mine = buyback_deliver(
        actor=world.users["village"],
        buyback=buyback,
        household=world.households["zhang"],
        day=D(2018, 10, 9),
        qty="100",
        unit_price="3.00",
        today=D(2018, 12, 1),
    )

    assert (str(mine.amount), BuyBackDelivery.objects.count()) == ("300.00", before + 1)
