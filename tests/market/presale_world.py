"""The market the order tests share, on top of the test world: three pre-sale lists open today and their buyers.

永兴村 list (village staff "village"): 腊肉 10 公斤 at 60.00 and 土鸡蛋 200 个 at 1.50, both sold by 张德明 (poor),
    and 柑橘 50 公斤 at 4.31 sold by 船山区鲜果公司 (an enterprise linked to 张德明 and 王建国: equal shares).
永兴 cooperative list (producer staff "producer"): 蔬菜 500 公斤 at 5.00; cooperative shares 张德明 10, 王建国 20.
拦江村 list (安居 office "anju"): 土鸡 20 只 at 80.00 sold by 刘永福; 遂宁市财政局 is paired with 拦江村.
Buyers: "unit" (遂宁市财政局 staff), "bank" (船山区农商银行 staff), individuals "buyer" (李四) and "buyer2" (王五).

tests/market/conftest.py offers it as the `market` fixture; other test packages take it with
``market = pytest.fixture(market_fixture, name="market")``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from tests.world import PASSWORD, World
from yigou.accounts.enums import OrgKind, Role
from yigou.accounts.models import User
from yigou.accounts.services import organisation_create, system_actor, user_create
from yigou.demo.identity import fake_uscc
from yigou.market.models import PreSaleItem, PreSaleList
from yigou.market.presale import ItemInput, ListInput, presale_publish
from yigou.registry import services as registry
from yigou.registry.enums import Mechanism, ProducerKind
from yigou.registry.models import Producer

TODAY = dt.date.today()


@dataclass
class Market:
    world: World
    lists: dict[str, PreSaleList] = field(default_factory=dict)
    items: dict[str, PreSaleItem] = field(default_factory=dict)
    users: dict[str, User] = field(default_factory=dict)
    producers: dict[str, Producer] = field(default_factory=dict)

    def user(self, key: str) -> User:
        return self.users.get(key) or self.world.users[key]


def _number(text: str) -> Decimal:
    """A typo stays a typo (as a page would pass it on), so the service's own check answers it."""
    try:
        return Decimal(text)
    except ArithmeticError:
        return text  # type: ignore[return-value]


def item(name: str, quantity: str, unit: str, price: str, category: str = "meat_egg", **seller) -> ItemInput:
    return ItemInput(
        name=name,
        category=category,
        unit=unit,
        unit_price=_number(price),
        quantity=_number(quantity),
        window_start=TODAY,
        window_end=TODAY + dt.timedelta(days=30),
        **seller,
    )


def list_input(title: str, *, opens: int = -3, closes: int = 10) -> ListInput:
    return ListInput(
        title=title,
        opens_on=TODAY + dt.timedelta(days=opens),
        closes_on=TODAY + dt.timedelta(days=closes),
        contact_name="赵主任",
        contact_phone="13812345678",
    )


def _people(market: Market) -> None:
    world = market.world
    bank_org = organisation_create(
        actor=None,
        name="船山区农商银行",
        kind=OrgKind.UNIT,
        region=world.regions["510903000000"],
        unit=world.units["chuanshan_bank"],
    )
    market.users["bank"] = user_create(
        actor=system_actor(),
        username="bank",
        password=PASSWORD,
        role=Role.UNIT,
        organisation=bank_org,
        display_name="bank",
        check_password=False,
    )
    for key, name in (("buyer", "李四"), ("buyer2", "王五")):
        market.users[key] = user_create(
            actor=system_actor(),
            username=key,
            password=PASSWORD,
            role=Role.BUYER,
            organisation=None,
            display_name=name,
            check_password=False,
        )


def _sellers(market: Market) -> None:
    world, admin = market.world, market.world.users["admin"]
    hh = world.households
    fruit = registry.producer_register(
        actor=admin,
        kind=ProducerKind.ENTERPRISE,
        name="船山区鲜果公司",
        region=world.regions["510903101000"],
        uscc=fake_uscc("510903", 7),
        contact_name="钱经理",
        contact_phone="13822223333",
    )
    for key in ("zhang", "wang"):
        registry.linkage_add(
            actor=admin,
            producer=fruit,
            household=hh[key],
            mechanism=Mechanism.ORDER,
            start=dt.date(2017, 3, 1),
        )
    registry.coop_member_add(
        actor=admin,
        producer=world.producers["coop"],
        name="",
        household=hh["wang"],
        shares=Decimal("20"),
        capital=Decimal("4000.00"),
        joined_on=dt.date(2017, 3, 1),
    )
    market.producers["fruit"] = fruit


def _lists(market: Market) -> None:
    world = market.world
    hh, r = world.households, world.regions
    village = presale_publish(
        actor=world.users["village"],
        data=list_input("永兴村秋季农产品预售"),
        village=r["510903101001"],
        items=[
            item("腊肉", "10", "公斤", "60.00", seller_household=hh["zhang"]),
            item("土鸡蛋", "200", "个", "1.50", seller_household=hh["zhang"]),
            item("柑橘", "50", "公斤", "4.31", "fruit_veg", seller_producer=market.producers["fruit"]),
        ],
    )
    coop = presale_publish(
        actor=world.users["producer"],
        data=list_input("永兴蔬菜合作社冬季蔬菜"),
        producer=world.producers["coop"],
        items=[item("蔬菜", "500", "公斤", "5.00", "fruit_veg", seller_producer=world.producers["coop"])],
    )
    anju = presale_publish(
        actor=world.users["anju"],
        data=list_input("拦江村土鸡预售"),
        village=r["510904101001"],
        items=[item("土鸡", "20", "只", "80.00", seller_household=hh["liu"])],
    )
    market.lists.update(village=village, coop=coop, anju=anju)
    for owner in (village, coop, anju):
        for row in owner.items.all():
            market.items[row.name] = row


def build_market(world: World) -> Market:
    built = Market(world)
    _people(built)
    _sellers(built)
    _lists(built)
    return built


def market_fixture(world: World) -> Market:
    return build_market(world)
