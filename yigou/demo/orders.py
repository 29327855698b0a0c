"""Pre-sale lists open around today and orders in several states, so the market pages have something to show.

Everything goes through the services as the demo accounts: the village account publishes its village's list, the
cooperative account its own, the city office a list for a village the demo unit assists (so that unit sees it
first), and the 船山 office a list that opens next week. The unit and the individual buyer then order: one order
waits for the village to confirm, one for the unit to receive, two are paid (and so in this year's ledger), one
was cancelled.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from yigou.accounts.models import User
from yigou.assist.models import UnitVillagePairing
from yigou.market import ordering
from yigou.market.models import Order, PreSaleItem, PreSaleList
from yigou.market.presale import ItemInput, ListInput, presale_publish
from yigou.regions.enums import Level
from yigou.regions.models import Region
from yigou.registry.models import Household, Linkage, Producer

# name, category, unit, unit price, quantity available
VILLAGE_GOODS = [
    ("农家腊肉", "meat_egg", "公斤", "68.00", "200"),
    ("土鸡蛋", "meat_egg", "个", "1.60", "3000"),
    ("红薯粉条", "processed", "公斤", "16.00", "300"),
]
COOP_GOODS = [
    ("时令蔬菜", "fruit_veg", "公斤", "4.50", "2000"),
    ("精品柑橘", "fruit_veg", "公斤", "6.80", "800"),
]
PAIRED_GOODS = [("菜籽油", "grain_oil", "升", "22.00", "400"), ("土鸡", "meat_egg", "只", "88.00", "60")]


@dataclass
class DemoOrders:
    lists: list[PreSaleList] = field(default_factory=list)
    orders: list[Order] = field(default_factory=list)


def _item(goods: tuple[str, str, str, str, str], today: dt.date, **seller: Any) -> ItemInput:
    name, category, unit, price, quantity = goods
    return ItemInput(
        name=name,
        category=category,
        unit=unit,
        unit_price=Decimal(price),
        quantity=Decimal(quantity),
        window_start=today,
        window_end=today + dt.timedelta(days=45),
        **seller,
    )


def _list(title: str, today: dt.date, opens: int, closes: int, contact: str, note: str) -> ListInput:
    return ListInput(
        title=title,
        opens_on=today + dt.timedelta(days=opens),
        closes_on=today + dt.timedelta(days=closes),
        contact_name=contact,
        contact_phone="13980001234",
        note=note,
    )


def _households(village: Region, n: int) -> list[Household]:
    return list(Household.objects.filter(village=village).order_by("number")[:n])


def _village_list(user: User, today: dt.date) -> PreSaleList | None:
    village = user.region
    sellers = _households(village, len(VILLAGE_GOODS)) if village is not None else []
    if village is None or not sellers:
        return None
    items = [
        _item(goods, today, seller_household=sellers[n % len(sellers)])
        for n, goods in enumerate(VILLAGE_GOODS)
    ]
    return presale_publish(
        actor=user,
        village=village,
        items=items,
        data=_list(
            f"{village.name}冬季农产品预售", today, -5, 20, "村文书", "村委会集中发货，也可到村委会自提"
        ),
    )


def _live_linkage(producer: Producer, today: dt.date) -> bool:
    return Linkage.objects.filter(producer=producer, start__lte=today).exclude(end__lt=today).exists()


def _coop_list(user: User, today: dt.date) -> PreSaleList | None:
    coop = user.organisation.producer if user.organisation is not None else None
    if coop is None or not _live_linkage(coop, today):
        return None
    items = [_item(goods, today, seller_producer=coop) for goods in COOP_GOODS]
    return presale_publish(
        actor=user,
        producer=coop,
        items=items,
        data=_list(
            f"{coop.name}冬季蔬果预售", today, -3, 25, "合作社理事长", "社员统一采收分拣，冷链配送到单位食堂"
        ),
    )


def _paired_list(user: User, unit_user: User, today: dt.date) -> PreSaleList | None:
    """A list in a village the demo unit assists, published by the city office on the village's behalf."""
    unit_id = unit_user.organisation.unit_id if unit_user.organisation is not None else None
    pairing = (
        UnitVillagePairing.objects.filter(unit_id=unit_id).select_related("village").order_by("id").first()
    )
    sellers = _households(pairing.village, len(PAIRED_GOODS)) if pairing is not None else []
    if pairing is None or not sellers:
        return None
    items = [
        _item(goods, today, seller_household=sellers[n % len(sellers)])
        for n, goods in enumerate(PAIRED_GOODS)
    ]
    return presale_publish(
        actor=user,
        village=pairing.village,
        items=items,
        data=_list(
            f"{pairing.village.name}结对帮扶农产品预售", today, -1, 14, "驻村第一书记", "帮扶单位优先认购"
        ),
    )


def _upcoming_list(user: User, village_user: User, today: dt.date) -> PreSaleList | None:
    """Opens next week in another village of 船山区: shown among the office's own lists, not yet to buyers."""
    own = village_user.region
    county = user.region
    if own is None or county is None:
        return None
    village = (
        Region.objects.filter(code__startswith=county.code[:6], level=Level.VILLAGE, households__isnull=False)
        .exclude(code=own.code)
        .order_by("code")
        .first()
    )
    if village is None:
        return None
    items = [
        _item(
            ("春笋", "fruit_veg", "公斤", "9.00", "500"), today, seller_household=_households(village, 1)[0]
        )
    ]
    return presale_publish(
        actor=user,
        village=village,
        items=items,
        data=_list(f"{village.name}春笋预售", today, 7, 40, "乡镇扶贫专干", "春节后采挖"),
    )


def _lines(owner: PreSaleList, *quantities: str) -> list[tuple[int, str]]:
    items = list(PreSaleItem.objects.filter(presale_list=owner).order_by("id"))
    return [(item.pk, q) for item, q in zip(items, quantities, strict=False) if q]


def _advance(order: Order, to: str, seller: User, buyer: User) -> Order:
    order = ordering.order_confirm(actor=seller, order=order, note="已安排采收")
    order = ordering.order_ship(actor=seller, order=order, note="统一配送")
    if to == "shipped":
        return order
    order = ordering.order_receive(actor=buyer, order=order)
    order = ordering.order_pay(actor=buyer, order=order, payment_ref="演示-转账凭证")
    if to == "rated":
        order = ordering.order_rate(actor=buyer, order=order, rating=5, comment="新鲜实惠，下次还买")
    return order


def _orders(
    lists: dict[str, PreSaleList | None], users: dict[str, User], sellers: dict[str, User]
) -> list[Order]:
    unit, buyer = users["unit"], users["buyer"]
    made: list[Order] = []
    plans = [  # list, buyer, quantities by item, final state
        ("village", unit, ("5", "120", ""), "placed"),
        ("coop", unit, ("80", "40"), "shipped"),
        ("village", unit, ("", "300", "20"), "paid"),
        ("paired", unit, ("30", "6"), "paid"),
        ("coop", buyer, ("10",), "rated"),
        ("village", buyer, ("1",), "cancelled"),
    ]
    for key, who, quantities, state in plans:
        owner = lists.get(key)
        if owner is None:
            continue
        order = ordering.order_place(
            actor=who,
            presale_list=owner,
            lines=_lines(owner, *quantities),
            delivery_address="单位食堂" if who == unit else "",
        )
        if state == "cancelled":
            order = ordering.order_cancel(actor=who, order=order, reason="改期采购")
        elif state != "placed":
            order = _advance(order, state, sellers[key], who)
        made.append(order)
    return made


def build_orders(*, users: list[User], say: Callable[[str], None]) -> DemoOrders:
    today = dt.date.today()
    by_name = {u.username: u for u in users}
    lists = {
        "village": _village_list(by_name["village"], today),
        "coop": _coop_list(by_name["producer"], today),
        "paired": _paired_list(by_name["city"], by_name["unit"], today),
        "upcoming": _upcoming_list(by_name["chuanshan"], by_name["village"], today),
    }
    sellers = {"village": by_name["village"], "coop": by_name["producer"], "paired": by_name["city"]}
    out = DemoOrders(lists=[owner for owner in lists.values() if owner is not None])
    out.orders = _orders(lists, by_name, sellers)
    paid = sum(1 for o in out.orders if o.status in ("paid", "rated"))
    say(f"预售清单：{len(out.lists)} 个；订单 {len(out.orders)} 个，其中已付款 {paid} 个（已计入本年台账）。")
    return out
