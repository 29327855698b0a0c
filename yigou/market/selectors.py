"""Reads of pre-sale lists and orders for the pages: every row through `restrict`, except open lists.

An open list (published, not withdrawn, taking orders today) is an offer to every buyer, so any signed-in user may
browse and open it; closed and withdrawn lists, their history and every order stay inside the owner's scope.
"""

from __future__ import annotations

import datetime as dt
import functools
import operator
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Case, Count, Exists, IntegerField, OuterRef, Prefetch, Q, QuerySet, Value, When

from yigou.accounts.scope import restrict, scope_for
from yigou.assist.models import UnitVillagePairing
from yigou.core.errors import DomainError, NotFoundError
from yigou.core.models import AuditEntry
from yigou.regions.models import Region, prefix_of
from yigou.registry.models import Producer

from . import order_steps
from .enums import AfterSaleStatus, OrderStatus
from .models import AfterSale, Order, OrderEvent, OrderLine, PreSaleItem, PreSaleList

LIST_STATES = {"open": "接单中", "upcoming": "未开始", "closed": "已截止", "withdrawn": "已撤回"}
ORDER_SORTS = {
    "-created": ("-created_at", "-id"),
    "created": ("created_at", "id"),
    "-total": ("-total", "-id"),
    "total": ("total", "id"),
}
SIDES = {"buyer": "我买的", "seller": "我卖的"}


def _today(today: dt.date | None) -> dt.date:
    return today or dt.date.today()


def _open(today: dt.date) -> Q:
    return Q(withdrawn=False, opens_on__lte=today, closes_on__gte=today)


def _items() -> Prefetch:
    return Prefetch(
        "items", queryset=PreSaleItem.objects.select_related("seller_household", "seller_producer")
    )


def _affinity(actor: Any, today: dt.date) -> Any:
    """2: a village the user's unit is paired with; 1: a list in the county of such a village; 0: the rest."""
    scope = scope_for(actor)
    if scope.kind != "unit":
        return Value(0, output_field=IntegerField())
    pairings = UnitVillagePairing.objects.filter(unit_id=scope.unit_id, start__lte=today).exclude(
        end__lt=today
    )
    villages = list(pairings.values_list("village_id", flat=True))
    if not villages:
        return Value(0, output_field=IntegerField())
    in_county = Q()
    for county in sorted({code[:6] for code in villages}):
        in_county |= Q(region__code__startswith=county)
    return Case(
        When(region_id__in=villages, then=Value(2)),
        When(in_county, then=Value(1)),
        default=Value(0),
        output_field=IntegerField(),
    )


def _filtered(rows: QuerySet[PreSaleList], region: str, category: str, q: str) -> QuerySet[PreSaleList]:
    if region:
        rows = rows.filter(region__code__startswith=prefix_of(region))
    if category:
        rows = rows.filter(Exists(PreSaleItem.objects.filter(presale_list=OuterRef("pk"), category=category)))
    if q:
        named = PreSaleItem.objects.filter(presale_list=OuterRef("pk"), name__icontains=q)
        rows = rows.filter(Q(title__icontains=q) | Exists(named))
    return rows


def open_lists(
    actor: Any, *, region: str = "", category: str = "", q: str = "", today: dt.date | None = None
) -> QuerySet[PreSaleList]:
    """Lists taking orders today; a unit's paired villages first, then their counties, then the soonest closing."""
    day = _today(today)
    rows = _filtered(PreSaleList.objects.filter(_open(day)), region, category, q)
    return (
        rows.select_related("region", "producer")
        .prefetch_related(_items())
        .annotate(affinity=_affinity(actor, day))
        .order_by("-affinity", "closes_on", "-id")
    )


def browses_own_region(actor: Any) -> bool:
    """Offices and village staff filter open lists by the places of their own region; buyers by county."""
    return scope_for(actor).kind == "region"


def own_producer(actor: Any) -> Any:
    """Producer staff sell as their producer and choose no other; None for everyone else."""
    scope = scope_for(actor)
    if scope.kind != "producer":
        return None
    return (
        restrict(actor, Producer.objects.select_related("region"))
        .filter(pk=int(scope.producer_id or 0))
        .first()
    )


def open_list_counties(today: dt.date | None = None) -> QuerySet[Region]:
    """The counties that have lists open today: the region filter of the browse page (not every county in China)."""
    codes = PreSaleList.objects.filter(_open(_today(today))).values("county_code")
    return Region.objects.filter(code__in=codes).order_by("code")


def seller_lists(
    actor: Any,
    *,
    state: str = "",
    q: str = "",
    region: str = "",
    category: str = "",
    today: dt.date | None = None,
) -> QuerySet[PreSaleList]:
    """The lists on the user's selling side (their region or their producer), in every state, newest first."""
    day = _today(today)
    rows = _filtered(restrict(actor, PreSaleList.objects.all()), region, category, q)
    states = {
        "open": _open(day),
        "upcoming": Q(withdrawn=False, opens_on__gt=day),
        "closed": Q(withdrawn=False, closes_on__lt=day),
        "withdrawn": Q(withdrawn=True),
    }
    if state in states:
        rows = rows.filter(states[state])
    return (
        rows.select_related("region", "producer")
        .prefetch_related(_items())
        .annotate(n_items=Count("items", distinct=True), n_orders=Count("orders", distinct=True))
        .order_by("-opens_on", "-id")
    )


def list_state(owner: PreSaleList, today: dt.date | None = None) -> str:
    day = _today(today)
    if owner.withdrawn:
        return "withdrawn"
    if day < owner.opens_on:
        return "upcoming"
    return "closed" if day > owner.closes_on else "open"


def presale_list(actor: Any, pk: int, today: dt.date | None = None) -> PreSaleList:
    """One list: open today (anyone signed in) or on the user's selling side; otherwise 'not found'."""
    day = _today(today)
    own = restrict(actor, PreSaleList.objects.all()).values("pk")
    found = (
        PreSaleList.objects.filter(Q(pk=pk) & (_open(day) | Q(pk__in=own)))
        .select_related("region", "producer", "published_by")
        .prefetch_related(_items())
        .first()
    )
    if found is None or scope_for(actor).kind == "none":
        raise NotFoundError()
    return found


def may_name_list(actor: Any, owner: PreSaleList, today: dt.date | None = None) -> bool:
    """Whether an order form may name this list: the rows of `presale_list` (open today, or on the user's selling
    side), decided for a list already read; only a list not open today costs a query."""
    if scope_for(actor).kind == "none":
        return False
    return owner.is_open_on(_today(today)) or is_own_list(actor, owner)


def is_own_list(actor: Any, owner: PreSaleList) -> bool:
    return restrict(actor, PreSaleList.objects.filter(pk=owner.pk)).exists()


def list_history(actor: Any, owner: PreSaleList) -> QuerySet[AuditEntry]:
    """Every change of the list and its items, newest first (seller side only)."""
    if not is_own_list(actor, owner):
        raise NotFoundError()
    return AuditEntry.objects.filter(target_type="market.presalelist", target_id=str(owner.pk)).order_by(
        "-at", "-id"
    )


# --- orders ---------------------------------------------------------------------------------------------------


def sides(actor: Any) -> list[str]:
    """Which sides of orders a user has: buyers (units, individuals) and sellers (regions, producers)."""
    kind = scope_for(actor).kind
    if kind == "all":
        return ["buyer", "seller"]
    if kind in ("unit", "person"):
        return ["buyer"]
    return ["seller"] if kind in ("region", "producer") else []


def _side(actor: Any, side: str) -> QuerySet[Order]:
    """One side's orders, or with side "" every order of the sides the user has."""
    rows = restrict(actor, Order.objects.all())
    if side not in sides(actor) and not (side == "" and sides(actor)):
        return rows.none()
    return rows


def orders(
    actor: Any,
    *,
    side: str = "",
    status: str = "",
    q: str = "",
    waiting: bool = False,
    sort: str = "-created",
    region: str = "",
    presale_list: int | None = None,
) -> QuerySet[Order]:
    """Orders of one side (or of all the user's sides); `waiting` keeps those that wait for this user's next
    step on that side — a state the side acts on, or for the seller a pending after-sale request."""
    rows = _side(actor, side)
    if status in OrderStatus.values:
        rows = rows.filter(status=status)
    if region:
        rows = rows.filter(region__code__startswith=prefix_of(region))
    if presale_list is not None:
        rows = rows.filter(presale_list_id=presale_list)
    if waiting:
        conditions = [_waiting_q(actor, one) for one in ([side] if side else sides(actor))]
        rows = rows.filter(functools.reduce(operator.or_, conditions)) if conditions else rows.none()
    if q:
        number = int(q) if q.isdigit() else None
        match = Q(buyer_name__icontains=q) | Q(presale_list__title__icontains=q)
        rows = rows.filter(match | Q(pk=number) if number is not None else match)
    return rows.select_related("presale_list", "region", "producer").order_by(
        *ORDER_SORTS.get(sort, ORDER_SORTS["-created"])
    )


def _pending_aftersale() -> Exists:
    return Exists(AfterSale.objects.filter(order=OuterRef("pk"), status=AfterSaleStatus.REQUESTED))


def _waiting_q(actor: Any, side: str) -> Q:
    states = order_steps.waiting_for(actor).get(side, [])
    condition = Q(status__in=states)
    if side == "seller":
        condition |= Q(_pending_aftersale())
    return condition


def named_aftersale(actor: Any, order: Order, pk: int) -> AfterSale:
    """An after-sale request named for resolution: one of this (visible) order's, else refused on the field."""
    visible = restrict(actor, Order.objects.filter(pk=order.pk))
    row = AfterSale.objects.filter(pk=pk, order__in=visible).first()
    if row is None:
        raise DomainError("invalid_input", detail=f"售后申请（编号 {pk}）不属于此订单", field="aftersale")
    return row


@dataclass
class Todo:
    """What waits for the user on one side: counts by state, pending after-sales, and their sum."""

    side: str
    by_status: dict[str, int] = field(default_factory=dict)
    aftersales: int = 0

    @property
    def total(self) -> int:
        return sum(self.by_status.values()) + self.aftersales

    @property
    def rows(self) -> list[tuple[str, str, int]]:
        return [(s, OrderStatus(s).label, n) for s, n in self.by_status.items()]


def todo(actor: Any) -> dict[str, Todo]:
    """To-do counts per side in two queries each: the states that wait for me, and after-sales to resolve."""
    result: dict[str, Todo] = {}
    for side, states in order_steps.waiting_for(actor).items():
        if side not in sides(actor):
            continue
        rows = _side(actor, side)
        counts = dict(rows.filter(status__in=states).values_list("status").annotate(n=Count("id")).order_by())
        entry = Todo(side, {s: counts.get(s, 0) for s in states})
        if side == "seller":
            entry.aftersales = rows.filter(_pending_aftersale()).count()
        result[side] = entry
    return result


EVENT_LABELS = {
    "place": "下单",
    "confirm": "卖方确认",
    "ship": "发货/备货完成",
    "cancel": "取消订单",
    "receive": "验收",
    "pay": "登记付款",
    "rate": "评价",
    "aftersale": "申请售后",
    "refund": "同意售后并退款",
    "aftersale_decline": "拒绝售后",
}


@dataclass
class OrderDetail:
    order: Order
    lines: list[OrderLine]
    timeline: list[OrderEvent]
    after_sales: list[AfterSale]
    actions: set[str]
    purchases: list[Any]


def order_detail(actor: Any, pk: int) -> OrderDetail:
    order = (
        restrict(actor, Order.objects.all())
        .select_related("presale_list", "region", "producer", "buyer_unit", "buyer_cadre", "buyer_user")
        .filter(pk=pk)
        .first()
    )
    if order is None:
        raise NotFoundError()
    lines = list(order.lines.select_related("item", "item__seller_household", "item__seller_producer"))
    timeline = list(order.events.select_related("actor").order_by("at", "id"))
    for event in timeline:
        event.label = EVENT_LABELS.get(event.action, event.action)  # type: ignore[attr-defined]
    after_sales = list(order.after_sales.select_related("requested_by", "resolved_by").order_by("created_at"))
    purchases = list(restrict(actor, order.purchases.all()).order_by("id"))
    return OrderDetail(order, lines, timeline, after_sales, order_steps.actions_for(actor, order), purchases)
