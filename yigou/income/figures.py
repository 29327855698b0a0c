"""The arithmetic of the card, one place for it: per-capita net income, and figures as the Chinese texts write them."""

from __future__ import annotations

from decimal import ROUND_CEILING, ROUND_HALF_UP, Decimal
from typing import Any

from .checks import CENT
from .enums import INCOME_COMPONENTS, Component

ZERO = Decimal("0.00")


def money(value: Any) -> Decimal:
    """A sum read from the database (SQLite may hand back a float or an int, PostgreSQL a Decimal), in cents."""
    if value is None:
        return ZERO
    return (value if isinstance(value, Decimal) else Decimal(str(value))).quantize(CENT, ROUND_HALF_UP)


def net_income(amounts: dict[str, Decimal]) -> Decimal:
    """工资性 + 经营性 + 财产性 + 转移性 − 生产经营性支出."""
    income = sum((amounts.get(c, ZERO) for c in INCOME_COMPONENTS), ZERO)
    return income - amounts.get(Component.COST, ZERO)


def per_capita(net: Decimal, size: int) -> Decimal:
    return (net / size).quantize(CENT, ROUND_HALF_UP)


def yuan(amount: Decimal) -> str:
    """12345.60 → “12345.60元”; whole yuan without decimals: “6000元”."""
    value = amount.quantize(CENT)
    return f"{value.to_integral():f}元" if value == value.to_integral() else f"{value:f}元"


def share(value: Decimal) -> str:
    """A share as a percentage, rounded up to 0.01% so a share just above a threshold never prints equal to it."""
    pct = (value * 100).quantize(CENT, ROUND_CEILING).normalize()
    return f"{pct:f}%"


def times(value: Decimal) -> str:
    return f"{value.normalize():f}"
