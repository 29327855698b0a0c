"""`yigou demo --households 200`: pre-sale lists open around today and orders in several states, paid ones in
this year's ledger and table exactly once.

With 200 households each village of the demo has one household, so every village list sells one household's goods:
碑垭村 (the village account's village), 兴隆村 (paired with 遂宁市财政局, the unit account), the 磨溪镇 lotus
cooperative (the producer account) and 朝阳社区, whose list opens next week.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from yigou.accounts.models import User
from yigou.core.periods import parse_period
from yigou.ledger.models import Purchase
from yigou.ledger.table import build_table
from yigou.market import selectors
from yigou.market.models import Order, PreSaleList
from yigou.regions.models import Region

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo_output")]

D = Decimal


def test_four_lists_around_today_three_of_them_open():
    today = dt.date.today()
    lists = list(PreSaleList.objects.order_by("id"))
    assert [(lst.title, lst.opens_on - today, lst.closes_on - today) for lst in lists] == [
        ("碑垭村冬季农产品预售", dt.timedelta(days=-5), dt.timedelta(days=20)),
        ("船山区磨溪镇莲藕种植专业合作社冬季蔬果预售", dt.timedelta(days=-3), dt.timedelta(days=25)),
        ("兴隆村结对帮扶农产品预售", dt.timedelta(days=-1), dt.timedelta(days=14)),
        ("朝阳社区春笋预售", dt.timedelta(days=7), dt.timedelta(days=40)),
    ]
    unit = User.objects.get(username="unit")
    assert [lst.title for lst in selectors.open_lists(unit)][:1] == ["兴隆村结对帮扶农产品预售"]
    assert selectors.open_lists(unit).count() == 3


def test_orders_in_every_state_and_the_stock_they_hold():
    orders = list(
        Order.objects.order_by("id").values_list("presale_list__title", "buyer_name", "status", "total")
    )
    assert orders == [
        ("碑垭村冬季农产品预售", "遂宁市财政局", "placed", D("532.00")),
        ("船山区磨溪镇莲藕种植专业合作社冬季蔬果预售", "遂宁市财政局", "shipped", D("632.00")),
        ("碑垭村冬季农产品预售", "遂宁市财政局", "paid", D("800.00")),
        ("兴隆村结对帮扶农产品预售", "遂宁市财政局", "paid", D("1188.00")),
        ("船山区磨溪镇莲藕种植专业合作社冬季蔬果预售", "个人采购人演示账号", "rated", D("45.00")),
        ("碑垭村冬季农产品预售", "个人采购人演示账号", "cancelled", D("68.00")),
    ]
    village = PreSaleList.objects.get(title="碑垭村冬季农产品预售")
    # 腊肉 5 (placed; the cancelled 1 went back), 土鸡蛋 120 + 300, 粉条 20.
    assert [(i.name, i.reserved) for i in village.items.all()] == [
        ("农家腊肉", D("5")),
        ("土鸡蛋", D("420")),
        ("红薯粉条", D("20")),
    ]


def test_paid_orders_are_in_this_years_ledger_once_and_in_the_table():
    today = dt.date.today()
    paid = Purchase.objects.filter(source="order").order_by("total")
    assert [(p.total, p.attribution, p.date, p.channel) for p in paid] == [
        (D("45.00"), "coop_shares", today, "platform"),
        (D("800.00"), "self", today, "platform"),
        (D("1188.00"), "self", today, "platform"),
    ]
    assert all(p.order.purchases.count() == 1 for p in paid)
    table = build_table(
        Region.objects.get(code="510903000000"), parse_period(f"{today:%Y}-01..{today:%Y-%m}")
    )
    # 2033.00 of paid orders and 2040.00 of 鸭蛋 bought today by a canteen to close the supply season's case.
    assert table.total.values["amount_total"] == D("4073.00")
