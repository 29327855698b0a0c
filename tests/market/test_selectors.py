"""Reads for the market pages: open lists (paired villages first), a seller's lists, orders by side with to-do counts,
an order's detail with its timeline and the steps the user may take."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.market.flows import paid, place, shipped
from tests.market.presale_world import TODAY, item, list_input
from yigou.core.errors import NotFoundError
from yigou.market import ordering, selectors
from yigou.market.presale import presale_change, presale_publish, presale_withdraw
from yigou.registry import services as registry

pytestmark = pytest.mark.django_db


def titles(rows) -> list[str]:
    return [row.title for row in rows]


@pytest.fixture
def lanjiang(market):
    """A list of the 拦江 pig cooperative (拦江镇, 安居区): same county as 财政局's paired village 拦江村."""
    world = market.world
    coop = world.producers["anju_coop"]
    registry.linkage_add(
        actor=world.users["admin"],
        producer=coop,
        household=world.households["liu"],
        mechanism="wage",
        start=dt.date(2017, 1, 1),
    )
    return presale_publish(
        actor=world.users["anju"],
        data=list_input("拦江黑猪肉预售", closes=30),
        producer=coop,
        items=[item("黑猪肉", "100", "公斤", "36.00", seller_producer=coop)],
    )


def test_a_unit_sees_its_paired_villages_first_then_their_counties(market, lanjiang):
    # 财政局 is paired with 拦江村 (安居区); the other lists close on the same day, newest first.
    rows = list(selectors.open_lists(market.user("unit")))
    assert titles(rows) == [
        "拦江村土鸡预售",
        "拦江黑猪肉预售",
        "永兴蔬菜合作社冬季蔬菜",
        "永兴村秋季农产品预售",
    ]
    assert [row.affinity for row in rows] == [2, 1, 0, 0]
    # 农商银行 is paired with 永兴村 (船山区): its list first, the cooperative of 永兴镇 (船山区) next.
    assert titles(selectors.open_lists(market.user("bank"))) == [
        "永兴村秋季农产品预售",
        "永兴蔬菜合作社冬季蔬菜",
        "拦江村土鸡预售",
        "拦江黑猪肉预售",
    ]


def test_everyone_signed_in_browses_open_lists_by_closing_date(market, lanjiang):
    # Three lists close in 10 days (newest first), the 黑猪肉 list in 30.
    for key in ("buyer", "anju", "producer"):
        assert titles(selectors.open_lists(market.user(key))) == [
            "拦江村土鸡预售",
            "永兴蔬菜合作社冬季蔬菜",
            "永兴村秋季农产品预售",
            "拦江黑猪肉预售",
        ]


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({"region": "510904000000"}, ["拦江村土鸡预售"]),
        ({"region": "510903101000"}, ["永兴蔬菜合作社冬季蔬菜", "永兴村秋季农产品预售"]),
        ({"category": "fruit_veg"}, ["永兴蔬菜合作社冬季蔬菜", "永兴村秋季农产品预售"]),
        ({"category": "meat_egg", "region": "510903"}, ["永兴村秋季农产品预售"]),
        ({"q": "腊肉"}, ["永兴村秋季农产品预售"]),
        ({"q": "土鸡"}, ["拦江村土鸡预售", "永兴村秋季农产品预售"]),
        ({"q": "合作社"}, ["永兴蔬菜合作社冬季蔬菜"]),
    ],
)
def test_open_lists_filter_by_region_category_and_name(market, filters, expected):
    assert titles(selectors.open_lists(market.user("buyer"), **filters)) == expected


def test_withdrawn_closed_and_future_lists_are_not_open(market):
    village = market.user("village")
    presale_withdraw(actor=village, presale_list=market.lists["village"], reason="停止供货")
    later = list_input("拦江村土鸡预售", opens=2, closes=9)
    presale_change(actor=market.user("anju"), presale_list=market.lists["anju"], data=later)
    assert titles(selectors.open_lists(market.user("buyer"))) == ["永兴蔬菜合作社冬季蔬菜"]
    assert titles(selectors.open_lists(market.user("buyer"), today=TODAY + dt.timedelta(days=12))) == []


def test_open_lists_take_a_fixed_number_of_queries(market, lanjiang, django_assert_num_queries):
    with django_assert_num_queries(3):  # the unit's pairings, the lists, their items (one prefetch)
        rows = list(selectors.open_lists(market.user("unit")))
        assert sum(len(row.items.all()) for row in rows) == 6


def test_a_closed_list_is_found_only_on_its_sellers_side(market):
    owner = market.lists["village"]
    presale_withdraw(actor=market.user("village"), presale_list=owner, reason="停止供货")
    assert selectors.presale_list(market.user("village"), owner.pk) == owner
    assert selectors.presale_list(market.user("chuanshan"), owner.pk) == owner
    for key in ("anju", "unit", "buyer", "producer"):
        with pytest.raises(NotFoundError):
            selectors.presale_list(market.user(key), owner.pk)
        with pytest.raises(NotFoundError):
            selectors.list_history(market.user(key), owner)
    assert [e.action for e in selectors.list_history(market.user("village"), owner)] == [
        "presale_withdraw",
        "presale_publish",
    ]


@pytest.mark.parametrize(
    ("key", "expected"),
    [
        ("village", ["永兴村秋季农产品预售"]),
        ("yongxing", ["永兴蔬菜合作社冬季蔬菜", "永兴村秋季农产品预售"]),
        ("producer", ["永兴蔬菜合作社冬季蔬菜"]),
        ("anju", ["拦江村土鸡预售"]),
        ("unit", []),
        ("buyer", []),
    ],
)
def test_a_seller_sees_its_own_lists(market, key, expected):
    assert sorted(titles(selectors.seller_lists(market.user(key)))) == sorted(expected)


def test_a_sellers_lists_filter_by_state(market):
    village = market.user("village")
    presale_withdraw(actor=village, presale_list=market.lists["village"], reason="停止供货")
    chuanshan = market.user("chuanshan")
    assert titles(selectors.seller_lists(chuanshan, state="withdrawn")) == ["永兴村秋季农产品预售"]
    assert titles(selectors.seller_lists(chuanshan, state="open")) == ["永兴蔬菜合作社冬季蔬菜"]
    assert titles(selectors.seller_lists(chuanshan, state="closed", today=TODAY + dt.timedelta(days=11))) == [
        "永兴蔬菜合作社冬季蔬菜"
    ]
    assert selectors.list_state(market.lists["coop"], TODAY - dt.timedelta(days=4)) == "upcoming"


def test_orders_by_side_and_what_waits_for_me(market):
    first = place(market, 腊肉="1")
    second = ordering.order_confirm(actor=market.user("village"), order=place(market, 土鸡蛋="10"))
    third = shipped(market, place(market, 柑橘="2"))
    fourth = paid(market, place(market, 腊肉="2"))
    ordering.aftersale_request(actor=market.user("unit"), order=fourth, kind="refund", reason="变质")
    fifth = place(market, who="bank", 腊肉="1")
    unit, village = market.user("unit"), market.user("village")
    assert [o.pk for o in selectors.orders(unit, side="buyer", sort="created")] == [
        first.pk,
        second.pk,
        third.pk,
        fourth.pk,
    ]
    assert selectors.orders(unit, side="seller").count() == 0
    assert selectors.orders(village, side="seller").count() == 5
    assert [o.pk for o in selectors.orders(unit, side="buyer", waiting=True)] == [third.pk]
    waiting = {o.pk for o in selectors.orders(village, side="seller", waiting=True)}
    assert waiting == {first.pk, second.pk, fourth.pk, fifth.pk}  # placed, confirmed, an after-sale request
    assert [o.pk for o in selectors.orders(village, side="seller", status="confirmed")] == [second.pk]
    assert selectors.orders(village, side="seller", q="农商银行").count() == 1
    assert [o.pk for o in selectors.orders(village, side="seller", q=str(third.pk))] == [third.pk]
    todo = selectors.todo(village)["seller"]
    assert (todo.by_status, todo.aftersales, todo.total) == ({"placed": 2, "confirmed": 1}, 1, 4)
    mine = selectors.todo(unit)
    assert list(mine) == ["buyer"] and mine["buyer"].by_status == {"shipped": 1, "received": 0}


def test_order_detail_has_the_timeline_and_the_steps_each_side_may_take(market):
    order = place(market, 腊肉="1")
    detail = selectors.order_detail(market.user("village"), order.pk)
    assert [(e.label, e.actor.username) for e in detail.timeline] == [("下单", "unit")]
    assert detail.actions == {"confirm", "cancel"}
    assert selectors.order_detail(market.user("unit"), order.pk).actions == {"cancel"}
    assert selectors.order_detail(market.user("auditor"), order.pk).actions == set()
    shipped(market, order)
    assert selectors.order_detail(market.user("unit"), order.pk).actions == {"receive"}
    assert selectors.order_detail(market.user("village"), order.pk).actions == set()
    for key in ("anju", "bank", "buyer", "producer"):
        with pytest.raises(NotFoundError):
            selectors.order_detail(market.user(key), order.pk)


def test_after_paying_the_buyer_rates_or_asks_and_the_seller_resolves(market):
    order = paid(market, place(market, 腊肉="1"))
    detail = selectors.order_detail(market.user("unit"), order.pk)
    assert detail.actions == {"rate", "aftersale"}
    assert [p.total for p in detail.purchases] == [60]
    ordering.aftersale_request(actor=market.user("unit"), order=order, kind="return", reason="变质")
    assert selectors.order_detail(market.user("unit"), order.pk).actions == {"rate"}
    assert selectors.order_detail(market.user("village"), order.pk).actions == {"resolve"}


def test_buyers_filter_by_the_counties_that_have_open_lists(market):
    assert [c.name for c in selectors.open_list_counties()] == ["船山区", "安居区"]
    presale_withdraw(actor=market.user("anju"), presale_list=market.lists["anju"], reason="停止供货")
    assert [c.name for c in selectors.open_list_counties()] == ["船山区"]
