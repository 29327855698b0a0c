"""Delivered, outstanding and late: always recomputed from the ledger, never stored.

A draw on an order is delivered when the order has an unreversed ledger purchase for that line's seller (it was
paid), on the purchase's date; a draw on a purchase line is delivered unless the purchase was reversed. Refunded,
cancelled and rejected orders, rejected lines and reversed purchases drop out; orders still under way are pending.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from yigou.ledger.models import Purchase
from yigou.market.enums import Inspection, OrderStatus
from yigou.market.pricing import reference_for

from .enums import PriceRule
from .models import ContractDraw, ContractItem, DeliverySchedule
from .models.draws import DrawBase
from .numbers import CENT, NO_MONEY, ZERO

DEAD_ORDER = {OrderStatus.CANCELLED, OrderStatus.REJECTED, OrderStatus.REFUNDED}
PAID_ORDER = {OrderStatus.PAID, OrderStatus.RATED}
DELIVERED, PENDING, DROPPED = "delivered", "pending", "dropped"
STATE_LABELS = {
    DELIVERED: "已交付（已付款）",
    PENDING: "履行中（未付款）",
    DROPPED: "不计入（取消/退款/冲销）",
}


@dataclass(frozen=True)
class DrawState:
    draw: DrawBase
    state: str
    delivered_on: dt.date | None = None

    @property
    def label(self) -> str:
        return STATE_LABELS[self.state]

    def delivered_by(self, day: dt.date) -> bool:
        return self.state == DELIVERED and self.delivered_on is not None and self.delivered_on <= day


def _paid_orders(order_ids: set[int]) -> dict[tuple[int, int | None, int | None], dt.date]:
    rows = Purchase.objects.filter(order_id__in=order_ids, reverses__isnull=True, reversal__isnull=True)
    return {
        (o, h, p): day
        for o, h, p, day in rows.values_list("order_id", "seller_household_id", "seller_producer_id", "date")
    }


def _reversed(purchase_ids: set[int]) -> set[int]:
    return set(Purchase.objects.filter(reverses_id__in=purchase_ids).values_list("reverses_id", flat=True))


def states(draws: Sequence[DrawBase]) -> list[DrawState]:
    """Each draw with its state read from orders and the ledger (three queries for any number of draws)."""
    order_lines = [d.order_line for d in draws if d.order_line is not None]
    paid = _paid_orders({line.order_id for line in order_lines})
    reversed_ids = _reversed({d.purchase_line.purchase_id for d in draws if d.purchase_line is not None})
    result = []
    for draw in draws:
        line = draw.order_line
        if line is None:
            purchase = draw.purchase_line.purchase  # type: ignore[union-attr]
            dropped = purchase.pk in reversed_ids
            result.append(
                DrawState(draw, DROPPED if dropped else DELIVERED, None if dropped else purchase.date)
            )
            continue
        key = (line.order_id, line.item.seller_household_id, line.item.seller_producer_id)
        if line.inspection == Inspection.REJECTED or line.order.status in DEAD_ORDER:
            result.append(DrawState(draw, DROPPED))
        elif key in paid:
            result.append(DrawState(draw, DELIVERED, paid[key]))
        else:
            # A paid order whose purchase was reversed in the ledger no longer counts either.
            result.append(DrawState(draw, DROPPED if line.order.status in PAID_ORDER else PENDING))
    return result


DRAW_RELATED = ("order_line__order", "order_line__item", "purchase_line__purchase")


def agreed_price(item: ContractItem, day: dt.date) -> Decimal | None:
    """The fixed price, or the latest market observation of the item's reference series up to `day` (+ N%)."""
    if item.price_rule == PriceRule.FIXED:
        return item.price
    ref = item.reference
    assert ref is not None
    found = reference_for(ref.name, ref.specification, ref.unit, ref.region_id, day)
    if found is None:
        return None
    if item.price_rule == PriceRule.MARKET_PLUS and item.markup_percent is not None:
        return (found.price * (100 + item.markup_percent) / 100).quantize(CENT)
    return found.price


@dataclass
class ScheduleRow:
    due_on: dt.date
    quantity: Decimal
    cumulative: Decimal
    delivered_by_due: Decimal
    passed: bool

    @property
    def late(self) -> bool:
        return self.passed and self.delivered_by_due < self.cumulative

    @property
    def shortfall(self) -> Decimal:
        return max(self.cumulative - self.delivered_by_due, ZERO) if self.passed else ZERO


@dataclass
class ItemFigures:
    item: ContractItem
    price: Decimal | None
    delivered_qty: Decimal = ZERO
    delivered_value: Decimal = NO_MONEY
    pending_qty: Decimal = ZERO
    late_qty: Decimal = ZERO
    schedule: list[ScheduleRow] = field(default_factory=list)
    draws: list[DrawState] = field(default_factory=list)

    @property
    def agreed_qty(self) -> Decimal:
        return self.item.quantity

    @property
    def agreed_value(self) -> Decimal | None:
        return None if self.price is None else (self.item.quantity * self.price).quantize(CENT)

    @property
    def outstanding_qty(self) -> Decimal:
        return max(self.item.quantity - self.delivered_qty, ZERO)

    @property
    def outstanding_value(self) -> Decimal | None:
        return None if self.price is None else (self.outstanding_qty * self.price).quantize(CENT)

    @property
    def late_value(self) -> Decimal | None:
        return None if self.price is None else (self.late_qty * self.price).quantize(CENT)

    @property
    def is_late(self) -> bool:
        return any(row.late for row in self.schedule)


def _schedule(rows: Iterable[DeliverySchedule], done: list[DrawState], as_of: dt.date) -> list[ScheduleRow]:
    result, cumulative = [], ZERO
    for row in rows:
        cumulative += row.quantity
        by_due = sum((s.draw.quantity for s in done if s.delivered_by(row.due_on)), ZERO)
        result.append(ScheduleRow(row.due_on, row.quantity, cumulative, by_due, row.due_on < as_of))
    return result


def item_figures(item: ContractItem, draws: list[DrawState], as_of: dt.date) -> ItemFigures:
    done = [s for s in draws if s.delivered_by(as_of)]
    figures = ItemFigures(item=item, price=agreed_price(item, as_of), draws=draws)
    figures.delivered_qty = sum((s.draw.quantity for s in done), ZERO)
    figures.delivered_value = sum((s.draw.amount for s in done), NO_MONEY)
    figures.pending_qty = sum((s.draw.quantity for s in draws if s.state == PENDING), ZERO)
    figures.schedule = _schedule(item.schedule.all(), done, as_of)
    due_now = max((row.cumulative for row in figures.schedule if row.passed), default=ZERO)
    figures.late_qty = max(due_now - figures.delivered_qty, ZERO)
    return figures


@dataclass
class ContractFigures:
    items: list[ItemFigures]
    as_of: dt.date

    def _total(self, name: str) -> Decimal | None:
        values = [getattr(f, name) for f in self.items]
        return None if any(v is None for v in values) else sum(values, NO_MONEY)

    @property
    def agreed_value(self) -> Decimal | None:
        return self._total("agreed_value")

    @property
    def delivered_value(self) -> Decimal:
        return sum((f.delivered_value for f in self.items), NO_MONEY)

    @property
    def outstanding_value(self) -> Decimal | None:
        return self._total("outstanding_value")

    @property
    def late_value(self) -> Decimal | None:
        return self._total("late_value")

    @property
    def is_late(self) -> bool:
        return any(f.is_late for f in self.items)


def contract_figures(items: Sequence[ContractItem], as_of: dt.date) -> ContractFigures:
    """Figures for the items of one or more contracts, reading every draw of them at once."""
    draws = list(ContractDraw.objects.filter(item__in=items).select_related(*DRAW_RELATED).order_by("id"))
    by_item: dict[int, list[DrawState]] = {item.pk: [] for item in items}
    for state in states(draws):
        by_item[state.draw.item_id].append(state)  # type: ignore[attr-defined]
    return ContractFigures([item_figures(item, by_item[item.pk], as_of) for item in items], as_of)
