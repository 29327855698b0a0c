"""The order state machine in one table: who takes each step, from which states, and what it is called.

The services (`ordering`) check a step against this table before they change anything; `actions_for` reads
the same table to tell the pages and the API which buttons a user has on an order, and `waiting_for` which
states wait for a user's next step. A step added or changed here changes all three at once.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from yigou.accounts.enums import Role
from yigou.accounts.scope import can, scope_for
from yigou.core.errors import DomainError, PermissionDeniedError

from .enums import AfterSaleStatus, OrderStatus
from .models import Order
from .presale import ensure_may_sell

SELLER, BUYER = "seller", "buyer"


@dataclass(frozen=True)
class Step:
    sides: frozenset[str]
    sources: frozenset[str]
    label: str  # what the refusal message says the user tried to do
    # What the after-sale condition must be: None = irrelevant, True = one is pending, False = none is pending.
    pending_aftersale: bool | None = None


def _step(sides: set[str], sources: set[str], label: str, pending: bool | None = None) -> Step:
    return Step(frozenset(sides), frozenset(sources), label, pending)


STEPS: dict[str, Step] = {
    "confirm": _step({SELLER}, {OrderStatus.PLACED}, "确认订单"),
    "ship": _step({SELLER}, {OrderStatus.CONFIRMED}, "发货"),
    "cancel": _step(
        {SELLER, BUYER}, {OrderStatus.PLACED, OrderStatus.CONFIRMED}, "取消（已发货的订单请申请售后）"
    ),
    "receive": _step({BUYER}, {OrderStatus.SHIPPED}, "验收"),
    "pay": _step({BUYER}, {OrderStatus.RECEIVED}, "登记付款"),
    "rate": _step({BUYER}, {OrderStatus.PAID}, "评价"),
    "aftersale": _step({BUYER}, {OrderStatus.PAID, OrderStatus.RATED}, "申请售后", pending=False),
    # A refunded order keeps its settled request: resolving it again is told "已处理", not a state error.
    "resolve": _step(
        {SELLER}, {OrderStatus.PAID, OrderStatus.RATED, OrderStatus.REFUNDED}, "处理售后", pending=True
    ),
}
# The steps that move an order forward and so make it wait for one side (cancel and rate can wait forever).
WAITING_STEPS = {SELLER: ("confirm", "ship"), BUYER: ("receive", "pay")}


def is_seller(actor: Any, order: Order) -> bool:
    """The seller side: the list's producer, or offices and villages over its region."""
    try:
        ensure_may_sell(actor, order.region_id, order.producer_id)
    except PermissionDeniedError:
        return False
    return True


def is_buyer(actor: Any, order: Order) -> bool:
    scope = scope_for(actor)
    if scope.everything:
        return True
    if scope.kind == "person":
        return order.buyer_user_id == actor.pk
    return (
        scope.kind == "unit"
        and can(actor, "market.buy")
        and scope.unit_id in (order.buyer_unit_id, getattr(order.buyer_cadre, "unit_id", None))
    )


def sides_on(actor: Any, order: Order) -> set[str]:
    """The sides of this order the user stands on (an administrator stands on both)."""
    held = set()
    if is_seller(actor, order):
        held.add(SELLER)
    if is_buyer(actor, order):
        held.add(BUYER)
    return held


def _has_pending_aftersale(order: Order) -> bool:
    return order.after_sales.filter(status=AfterSaleStatus.REQUESTED).exists()


def check_step(actor: Any, order: Order, name: str) -> set[str]:
    """Refuse a step the user may not take now (403 for the wrong side, 400 for the wrong state)."""
    step = STEPS[name]
    held = sides_on(actor, order) & step.sides
    if not held:
        raise PermissionDeniedError()
    if order.status not in step.sources:
        raise DomainError("order_transition_illegal", current=order.get_status_display(), action=step.label)
    return held


def actions_for(actor: Any, order: Order) -> set[str]:
    """The steps this user may take on this order now: the pages and the API show exactly these."""
    held = sides_on(actor, order)
    pending: bool | None = None
    actions = set()
    for name, step in STEPS.items():
        if not held & step.sides or order.status not in step.sources:
            continue
        if step.pending_aftersale is not None:
            if pending is None:
                pending = _has_pending_aftersale(order)
            if pending != step.pending_aftersale:
                continue
        actions.add(name)
    return actions


def waiting_for(actor: Any) -> dict[str, list[str]]:
    """Which states wait for this user's action, by side: the to-do counts and the `waiting` filters."""
    sides: dict[str, list[str]] = {}
    if can(actor, "market.sell"):
        sides[SELLER] = _waiting_states(SELLER)
    if can(actor, "market.buy") or getattr(actor, "role", "") == Role.BUYER:
        sides[BUYER] = _waiting_states(BUYER)
    return sides


def _waiting_states(side: str) -> list[str]:
    states = [state for name in WAITING_STEPS[side] for state in sorted(STEPS[name].sources)]
    return list(dict.fromkeys(states))
