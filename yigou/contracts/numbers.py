"""Reading the figures people type: quantities (3 decimals), money (2 decimals), percentages — refused in Chinese."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from yigou.core.errors import DomainError

CENT, MILLI = Decimal("0.01"), Decimal("0.001")
ZERO = Decimal("0")
NO_MONEY = Decimal("0.00")


def number(
    value: Any, what: str, places: Decimal, *, positive: bool = True, allow_zero: bool = False
) -> Decimal:
    try:
        parsed = Decimal(str(value).strip())
    except (InvalidOperation, TypeError):
        raise DomainError("invalid_input", detail=f"{what}“{value}”不是有效数字") from None
    if not parsed.is_finite():
        raise DomainError("invalid_input", detail=f"{what}“{value}”不是有效数字")
    if positive and (parsed < 0 or (parsed == 0 and not allow_zero)):
        raise DomainError("invalid_input", detail=f"{what}必须大于0" if not allow_zero else f"{what}不能为负")
    if parsed != parsed.quantize(places):
        decimals = "两" if places == CENT else "三"
        raise DomainError("invalid_input", detail=f"{what}“{value}”最多{decimals}位小数")
    return parsed


def quantity(value: Any, what: str) -> Decimal:
    return number(value, what, MILLI)


def money(value: Any, what: str, *, allow_zero: bool = False) -> Decimal:
    return number(value, what, CENT, allow_zero=allow_zero)


def percent(value: Any, what: str, *, low: Decimal, high: Decimal) -> Decimal:
    parsed = number(value, what, CENT, positive=False)
    if not low <= parsed <= high:
        raise DomainError("invalid_input", detail=f"{what}须在 {low}% 到 {high}% 之间")
    return parsed


def plain(value: Decimal | None) -> str:
    """12.500 → 12.5, 30.000 → 30: quantities as people write them."""
    if value is None:
        return "—"
    text = f"{value:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text
