"""Random sequences of orders, cancellations, inspections, payments and refunds keep stock and ledger consistent.

A small Python model predicts which operations must succeed; the database must agree, and after every step:

* stock:  0 ≤ reserved ≤ quantity for every item, and (from ordering.py: placing reserves every line, cancelling
  releases every line, a rejected line is released on receipt, nothing else touches `reserved`)
      reserved == Σ lines of orders that are placed / confirmed / shipped
                + Σ accepted lines of orders that are received / paid / rated / refunded
  (a refund reverses money, not goods: what was delivered stays sold);
* ledger: for every order, Σ Purchase.total over Purchase.order = order (reversals are negative) equals its
  accepted total when paid or rated, and 0 otherwise (a refunded order nets to 0);
* a refused operation changes nothing;
* at the end `yigou stats verify` finds no difference between the rollups and the raw ledger.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import transaction
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from tests.world import World
from yigou.accounts.enums import Role
from yigou.accounts.services import system_actor, user_create
from yigou.core.errors import DomainError
from yigou.ledger.models import Purchase
from yigou.ledger.verify import verify
from yigou.market import order_ledger, ordering, presale
from yigou.market.enums import Inspection, OrderStatus
from yigou.market.models import AfterSale, Order, OrderEvent, OrderLine, PreSaleItem, PreSaleList

TODAY = dt.date.today()
CENT = Decimal("0.01")
# name, unit, price, stock, seller key
ITEMS = [("土鸡", "只", "80.00", "10"), ("青菜", "斤", "2.50", "6.5"), ("菜籽油", "斤", "12.30", "20")]
BUYERS = ["unit", "cadre", "person"]
OPEN = {OrderStatus.PLACED, OrderStatus.CONFIRMED, OrderStatus.SHIPPED}
DELIVERED = {OrderStatus.RECEIVED, OrderStatus.PAID, OrderStatus.RATED, OrderStatus.REFUNDED}
IN_LEDGER = {OrderStatus.PAID, OrderStatus.RATED}

half_units = st.integers(1, 24).map(lambda n: Decimal(n) / 2)  # 0.5 … 12, often more than is left
place = st.tuples(
    st.just("place"),
    st.sampled_from(BUYERS),
    st.lists(st.tuples(st.integers(0, len(ITEMS) - 1), half_units), min_size=1, max_size=3),
)
act = st.tuples(
    st.sampled_from(["confirm", "ship", "cancel", "receive", "pay", "rate", "refund", "decline"]),
    st.integers(0, 7),  # which order (modulo how many exist)
    st.lists(st.booleans(), min_size=3, max_size=3),  # which lines are rejected on receipt
    st.booleans(),  # True: the wrong side tries it and must be refused
)
# "next": the natural next step of the chosen order, so that long lives (paid, rated, refunded) occur often.
advance = st.tuples(
    st.just("next"), st.integers(0, 7), st.lists(st.booleans(), min_size=3, max_size=3), st.booleans()
)
operation = st.one_of(place, advance, advance, advance, advance, act)
NEXT = {
    OrderStatus.PLACED: ["confirm", "cancel"],
    OrderStatus.CONFIRMED: ["ship", "cancel"],
    OrderStatus.SHIPPED: ["receive"],
    OrderStatus.RECEIVED: ["pay"],
    OrderStatus.PAID: ["rate", "refund"],
    OrderStatus.RATED: ["refund", "decline"],
}


class Rollback(Exception):
    pass


@dataclass
class ModelOrder:
    pk: int
    buyer: str
    lines: dict[int, Decimal]  # item index → quantity (merged like the service merges)
    status: str = OrderStatus.PLACED
    accepted: set[int] = field(default_factory=set)
    pending_aftersale: bool = False


@dataclass
class Model:
    """What the service must do, computed without the database."""

    stock: list[Decimal]
    reserved: list[Decimal] = field(default_factory=lambda: [Decimal(0)] * len(ITEMS))
    orders: list[ModelOrder] = field(default_factory=list)

    def can_reserve(self, wanted: dict[int, Decimal]) -> bool:
        return all(q <= self.stock[i] - self.reserved[i] for i, q in wanted.items())


def _setup(world: World) -> tuple[PreSaleList, list[PreSaleItem], dict[str, Any]]:
    admin = world.users["admin"]
    sellers = [
        {"seller_household": world.households["zhang"]},
        {"seller_producer": world.producers["coop"]},
        {"seller_producer": world.producers["coop"]},
    ]
    shop = presale.presale_publish(
        actor=admin,
        village=world.region("510903101001"),
        data=presale.ListInput(
            title="永兴村预售",
            opens_on=TODAY - dt.timedelta(days=1),
            closes_on=TODAY + dt.timedelta(days=30),
            contact_name="王主任",
            contact_phone="13812345678",
        ),
        items=[
            presale.ItemInput(
                name=name,
                category="grain_oil",
                unit=unit,
                unit_price=Decimal(price),
                quantity=Decimal(stock),
                window_start=TODAY,
                window_end=TODAY,
                **seller,
            )
            for (name, unit, price, stock), seller in zip(ITEMS, sellers, strict=True)
        ],
    )
    person = user_create(
        actor=system_actor(),
        username="buyer-person",
        password="x",
        role=Role.BUYER,
        organisation=None,
        display_name="赵六",
        check_password=False,
    )
    actors = {
        "unit": world.users["unit"],
        "cadre": world.users["unit"],
        "person": person,
        "seller": world.users["village"],
    }
    return shop, list(shop.items.order_by("pk")), actors


def snapshot() -> tuple[Any, ...]:
    return (
        tuple(PreSaleItem.objects.order_by("pk").values_list("reserved", flat=True)),
        tuple(Order.objects.order_by("pk").values_list("status", flat=True)),
        tuple(OrderLine.objects.order_by("pk").values_list("inspection", flat=True)),
        OrderEvent.objects.count(),
        Purchase.objects.count(),
        tuple(AfterSale.objects.order_by("pk").values_list("status", flat=True)),
    )


# --- applying one operation to the database and to the model -----------------------------------------------


def _place(world, shop, items, actors, model: Model, buyer: str, lines) -> tuple[str, bool, bool]:
    wanted: dict[int, Decimal] = defaultdict(Decimal)
    for index, quantity in lines:
        wanted[index] += quantity
    expected = model.can_reserve(wanted)
    extra = {"buyer_kind": "cadre", "cadre": world.cadres["chen"]} if buyer == "cadre" else {}
    try:
        order = ordering.order_place(
            actor=actors[buyer], presale_list=shop, lines=[(items[i].pk, q) for i, q in lines], **extra
        )
    except DomainError as error:
        assert error.code == "out_of_stock", error.message
        assert error.message.startswith("库存不足：")
        return "place", expected, False
    model.orders.append(ModelOrder(order.pk, buyer, dict(wanted)))
    for i, q in wanted.items():
        model.reserved[i] += q
    return "place", expected, True


def _expect(order: ModelOrder, name: str, wrong: bool, rejected: list[bool]) -> bool:
    """Whether the service must accept `name` on this order (and by this side)."""
    if wrong:
        return False
    allowed = {
        "confirm": order.status == OrderStatus.PLACED,
        "ship": order.status == OrderStatus.CONFIRMED,
        "cancel": order.status in (OrderStatus.PLACED, OrderStatus.CONFIRMED),
        "receive": order.status == OrderStatus.SHIPPED,
        "pay": order.status == OrderStatus.RECEIVED,
        "rate": order.status == OrderStatus.PAID,
        "refund": order.status in IN_LEDGER and not order.pending_aftersale,
        "decline": order.status in IN_LEDGER and not order.pending_aftersale,
    }
    return allowed[name]


def _run_action(
    actors, model: Model, order: ModelOrder, name: str, wrong: bool, rejected: list[bool]
) -> None:
    buyer, seller = actors[order.buyer], actors["seller"]
    if wrong:  # the other side tries it
        buyer, seller = seller, (actors["person"] if order.buyer != "person" else actors["unit"])
    db_order = Order.objects.get(pk=order.pk)
    if name == "confirm":
        ordering.order_confirm(actor=seller, order=db_order)
    elif name == "ship":
        ordering.order_ship(actor=seller, order=db_order)
    elif name == "cancel":
        # The seller cancels with a reason as well as the buyer; `wrong` gives it to an outsider.
        ordering.order_cancel(actor=seller if wrong else buyer, order=db_order, reason="测试取消")
    elif name == "receive":
        lines = list(db_order.lines.order_by("pk"))
        refused = {line.pk: "质量不合格" for line, r in zip(lines, rejected, strict=False) if r}
        ordering.order_receive(actor=buyer, order=db_order, rejected=refused)
    elif name == "pay":
        ordering.order_pay(actor=buyer, order=db_order)
    elif name == "rate":
        ordering.order_rate(actor=buyer, order=db_order, rating=4)
    else:
        request = ordering.aftersale_request(actor=buyer, order=db_order, kind="refund", reason="测试退款")
        ordering.aftersale_resolve(actor=seller, request=request, approve=name == "refund", resolution="处理")


def _apply_to_model(model: Model, order: ModelOrder, name: str, rejected: list[bool]) -> None:
    if name == "confirm":
        order.status = OrderStatus.CONFIRMED
    elif name == "ship":
        order.status = OrderStatus.SHIPPED
    elif name == "cancel":
        order.status = OrderStatus.CANCELLED
        for i, q in order.lines.items():
            model.reserved[i] -= q
    elif name == "receive":
        for n, (i, q) in enumerate(sorted(order.lines.items())):
            if n < len(rejected) and rejected[n]:
                model.reserved[i] -= q
            else:
                order.accepted.add(i)
        order.status = OrderStatus.RECEIVED if order.accepted else OrderStatus.REJECTED
    elif name == "pay":
        order.status = OrderStatus.PAID
    elif name == "rate":
        order.status = OrderStatus.RATED
    elif name == "refund":
        order.status = OrderStatus.REFUNDED


def _act(actors, model: Model, op) -> tuple[str, bool, bool]:
    name, which, rejected, wrong = op
    if not model.orders:
        return name, False, False
    order = model.orders[which % len(model.orders)]
    if name == "next":
        # An order still under way; its forward step, or one time in four the alternative (cancel, refund…).
        going = [o for o in model.orders if o.status in NEXT] or [order]
        order = going[0] if which < 6 else going[-1]  # mostly the oldest: carried to the end of its life
        steps = NEXT.get(order.status, ["confirm"])  # a finished order: a step that must be refused
        name = steps[-1] if wrong and rejected[0] else steps[0]
        wrong = False
    expected = _expect(order, name, wrong, rejected)
    try:
        with transaction.atomic():  # the refund's request and resolution succeed or fail together
            _run_action(actors, model, order, name, wrong, rejected)
    except DomainError:
        return name, expected, False
    _apply_to_model(model, order, name, rejected)
    return name, expected, True


# --- invariants --------------------------------------------------------------------------------------------


def _check_stock(items: list[PreSaleItem], model: Model) -> None:
    held: dict[int, Decimal] = defaultdict(Decimal)
    for line in OrderLine.objects.select_related("order"):
        live = line.order.status in OPEN
        kept = line.order.status in DELIVERED and line.inspection == Inspection.ACCEPTED
        if live or kept:
            held[line.item_id] += line.quantity
    for index, item in enumerate(items):
        item.refresh_from_db()
        assert Decimal(0) <= item.reserved <= item.quantity, (item.name, item.reserved)
        assert item.reserved == held[item.pk], (item.name, item.reserved, held[item.pk])
        assert item.reserved == model.reserved[index], (item.name, item.reserved, model.reserved[index])


def _check_ledger(model: Model, items: list[PreSaleItem]) -> None:
    for order in model.orders:
        row = Order.objects.get(pk=order.pk)
        assert row.status == order.status, (order.pk, row.status, order.status)
        # Summed here, not by the database: SQLite's SUM over decimals is a float sum (a payment and its refund
        # came to -2.8e-14 instead of 0).
        net = sum(Purchase.objects.filter(order=row).values_list("total", flat=True), Decimal("0.00"))
        accepted = sum(
            (
                (q * Decimal(ITEMS[i][2])).quantize(CENT)
                for i, q in order.lines.items()
                if i in order.accepted
            ),
            Decimal("0.00"),
        )
        assert accepted == order_ledger.accepted_total(row)
        assert net == (accepted if order.status in IN_LEDGER else Decimal("0.00")), (
            order.pk,
            order.status,
            net,
        )


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(operations=st.lists(operation, min_size=10, max_size=30))
def test_random_order_histories_keep_stock_and_ledger_consistent(world, operations):
    try:
        with transaction.atomic():
            shop, items, actors = _setup(world)
            model = Model(stock=[Decimal(stock) for *_, stock in ITEMS])
            for op in operations:
                before = snapshot()
                if op[0] == "place":
                    name, expected, done = _place(world, shop, items, actors, model, op[1], op[2])
                else:
                    name, expected, done = _act(actors, model, op)
                assert done == expected, (op, expected, done)
                event(f"{name} {'done' if done else 'refused'}")
                if not done:
                    assert snapshot() == before, op
                _check_stock(items, model)
                _check_ledger(model, items)
            report = verify()
            assert report.ok, [str(d) for d in report.differences[:5]]
            raise Rollback
    except Rollback:
        pass
