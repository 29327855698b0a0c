"""A pre-order's settlement on any day, read from its draws: what was delivered, the deposit deducted from
deliveries made after it was paid (in date order), what is still to pay and what is owed back once it is closed."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from .enums import PreOrderStatus
from .figures import DRAW_RELATED, PENDING, DrawState, states
from .models import PreOrder
from .numbers import CENT, NO_MONEY, ZERO


@dataclass
class SettlementRow:
    day: dt.date
    quantity: Decimal
    amount: Decimal
    deducted: Decimal  # taken from the deposit
    cash: Decimal  # paid on delivery


@dataclass
class PreOrderFigures:
    preorder: PreOrder
    as_of: dt.date
    draws: list[DrawState]
    rows: list[SettlementRow] = field(default_factory=list)
    deposit_paid: Decimal = NO_MONEY
    pending_qty: Decimal = ZERO

    @property
    def agreed_value(self) -> Decimal:
        return (self.preorder.quantity * self.preorder.price).quantize(CENT)

    @property
    def delivered_qty(self) -> Decimal:
        return sum((r.quantity for r in self.rows), ZERO)

    @property
    def delivered_value(self) -> Decimal:
        return sum((r.amount for r in self.rows), NO_MONEY)

    @property
    def outstanding_qty(self) -> Decimal:
        return max(self.preorder.quantity - self.delivered_qty, ZERO)

    @property
    def outstanding_value(self) -> Decimal:
        return (self.outstanding_qty * self.preorder.price).quantize(CENT)

    @property
    def deposit_used(self) -> Decimal:
        return sum((r.deducted for r in self.rows), NO_MONEY)

    @property
    def deposit_left(self) -> Decimal:
        return self.deposit_paid - self.deposit_used

    @property
    def is_open(self) -> bool:
        return self.preorder.status == PreOrderStatus.OPEN

    @property
    def to_pay(self) -> Decimal:
        """Still to be paid in cash for the rest of the pre-order, after the deposit left."""
        return max(self.outstanding_value - self.deposit_left, NO_MONEY) if self.is_open else NO_MONEY

    @property
    def refund_due(self) -> Decimal:
        if not self.is_open:
            return self.deposit_left
        return max(self.deposit_left - self.outstanding_value, NO_MONEY)


def preorder_figures(preorder: PreOrder, as_of: dt.date) -> PreOrderFigures:
    draws = states(list(preorder.draws.select_related(*DRAW_RELATED).order_by("id")))
    paid_on = preorder.deposit_paid_on
    figures = PreOrderFigures(preorder, as_of, draws)
    figures.deposit_paid = preorder.deposit if paid_on is not None and paid_on <= as_of else NO_MONEY
    figures.pending_qty = sum((s.draw.quantity for s in draws if s.state == PENDING), ZERO)
    left = figures.deposit_paid
    done = sorted((s for s in draws if s.delivered_by(as_of)), key=lambda s: (s.delivered_on, s.draw.pk))
    for state in done:
        day, amount = state.delivered_on, state.draw.amount
        deducted = min(left, amount) if paid_on is not None and day >= paid_on else NO_MONEY  # type: ignore[operator]
        left -= deducted
        figures.rows.append(SettlementRow(day, state.draw.quantity, amount, deducted, amount - deducted))  # type: ignore[arg-type]
    return figures
