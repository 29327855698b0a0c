"""Who may see and act on an order: the buyer's side, the seller's side over the list's region, nobody else.

A user who sees the order but stands on the wrong side is refused (403); one who does not see it is told it does
not exist (404, exactly like a missing order), so a refusal never reveals that an order exists.

Orders: U — 遂宁市财政局 (staff "unit") buys from the 永兴村 list (船山区); P — 李四 ("buyer") buys from the
永兴 cooperative's list (永兴镇). Every refused step leaves orders, lines, stock, events, ledger and audit as they were.
"""

from __future__ import annotations

import pytest

from tests.market.flows import paid, place, shipped, snapshot
from yigou.accounts.scope import restrict
from yigou.core.errors import NotFoundError, PermissionDeniedError
from yigou.market import ordering
from yigou.market.models import AfterSale, Order, OrderEvent, OrderLine

pytestmark = pytest.mark.django_db

SEES_U = {"admin", "city", "chuanshan", "yongxing", "village", "auditor", "unit"}
SEES_P = {"admin", "city", "chuanshan", "yongxing", "auditor", "producer", "buyer"}
EVERYONE = {
    "admin",
    "city",
    "chuanshan",
    "anju",
    "zone",
    "yongxing",
    "village",
    "auditor",
    "unit",
    "producer",
    "bank",
    "buyer",
    "buyer2",
}


@pytest.fixture
def orders(market):
    return {"U": place(market, 腊肉="2"), "P": place(market, who="buyer", owner="coop", 蔬菜="3")}


@pytest.mark.parametrize("key", sorted(EVERYONE))
def test_each_user_sees_exactly_the_orders_of_their_side(market, orders, key):
    user = market.user(key)
    seen = {
        name for name, order in orders.items() if restrict(user, Order.objects.filter(pk=order.pk)).exists()
    }
    expected = {name for name, who in (("U", SEES_U), ("P", SEES_P)) if key in who}
    assert seen == expected
    for model in (OrderLine, OrderEvent):
        rows = restrict(user, model.objects.all()).values_list("order_id", flat=True).distinct()
        assert set(rows) == {orders[name].pk for name in expected}


def refusal(key: str, sees: set[str]) -> type[Exception]:
    return PermissionDeniedError if key in sees else NotFoundError


SELLER_REFUSED = ["anju", "zone", "bank", "unit", "buyer", "buyer2", "auditor", "producer"]
BUYER_REFUSED = ["bank", "buyer", "buyer2", "anju", "village", "chuanshan", "auditor", "producer"]


@pytest.mark.parametrize("key", SELLER_REFUSED)
@pytest.mark.parametrize("step", ["confirm", "ship", "cancel"])
def test_only_the_seller_side_confirms_and_ships(market, orders, key, step):
    order = orders["U"]
    if step == "ship":
        order = ordering.order_confirm(actor=market.user("village"), order=order)
    if step == "cancel" and key == "unit":
        return  # the buyer may cancel its own order: tested in test_ordering
    actor = market.user(key)
    calls = {
        "confirm": lambda: ordering.order_confirm(actor=actor, order=order),
        "ship": lambda: ordering.order_ship(actor=actor, order=order),
        "cancel": lambda: ordering.order_cancel(actor=actor, order=order, reason="无权取消"),
    }
    before = snapshot()
    with pytest.raises(refusal(key, SEES_U)):
        calls[step]()
    assert snapshot() == before


@pytest.mark.parametrize("key", BUYER_REFUSED)
@pytest.mark.parametrize("step", ["receive", "pay", "rate", "aftersale"])
def test_only_the_buyer_receives_pays_rates_and_asks_for_after_sales(market, orders, key, step):
    order = shipped(market, orders["U"])
    if step == "pay":
        order = ordering.order_receive(actor=market.user("unit"), order=order)
    elif step in ("rate", "aftersale"):
        order = paid(market, place(market, 土鸡蛋="5"))
    actor = market.user(key)
    calls = {
        "receive": lambda: ordering.order_receive(actor=actor, order=order),
        "pay": lambda: ordering.order_pay(actor=actor, order=order),
        "rate": lambda: ordering.order_rate(actor=actor, order=order, rating=1),
        "aftersale": lambda: ordering.aftersale_request(
            actor=actor, order=order, kind="refund", reason="无理由"
        ),
    }
    before = snapshot()
    with pytest.raises(refusal(key, SEES_U)):
        calls[step]()
    assert snapshot() == before


@pytest.mark.parametrize("key", ["unit", "anju", "bank", "buyer", "auditor"])
def test_only_the_seller_side_resolves_after_sales(market, orders, key):
    order = paid(market, orders["U"])
    request = ordering.aftersale_request(actor=market.user("unit"), order=order, kind="refund", reason="变质")
    before = snapshot()
    with pytest.raises(refusal(key, SEES_U)):
        ordering.aftersale_resolve(actor=market.user(key), request=request, approve=True, resolution="同意")
    assert snapshot() == before
    assert AfterSale.objects.get().status == "requested"


@pytest.mark.parametrize("key", ["producer", "village", "chuanshan", "auditor", "zone"])
def test_sellers_offices_and_auditors_do_not_place_orders(market, key):
    before = snapshot()
    with pytest.raises(PermissionDeniedError):
        place(market, who=key, 腊肉="1")
    assert snapshot() == before


def test_an_individual_cannot_act_on_another_individuals_order(market, orders):
    order = orders["P"]
    before = snapshot()
    for call in (
        lambda: ordering.order_cancel(actor=market.user("buyer2"), order=order, reason="x"),
        lambda: ordering.order_confirm(actor=market.user("buyer2"), order=order),
    ):
        with pytest.raises(NotFoundError) as refused:
            call()
        assert refused.value.message == "记录不存在或无权访问。"
    assert snapshot() == before
