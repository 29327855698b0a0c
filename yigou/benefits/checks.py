"""Input checks shared by the benefit services: amounts that may be zero, months, a paid year that is locked."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from yigou.core.errors import DomainError

from .compute import CENT


def money(
    value: Any, what: str, field: str, *, allow_zero: bool = False, allow_negative: bool = False
) -> Decimal:
    try:
        amount = Decimal(str(value).strip().replace(",", ""))
    except (InvalidOperation, ValueError):
        raise DomainError("invalid_input", detail=f"{what}“{value}”不是数字", field=field) from None
    if not amount.is_finite() or amount != amount.quantize(CENT):
        raise DomainError("invalid_input", detail=f"{what}最多 2 位小数", field=field)
    if amount < 0 and not allow_negative:
        raise DomainError("invalid_input", detail=f"{what}不能为负数", field=field)
    if amount == 0 and not allow_zero:
        raise DomainError("invalid_input", detail=f"{what}须大于 0", field=field)
    if abs(amount) > Decimal("999999999999.99"):
        raise DomainError("invalid_input", detail=f"{what}超出上限", field=field)
    return amount.quantize(CENT)


def number(value: Any, what: str, field: str, places: int = 2) -> Decimal:
    try:
        amount = Decimal(str(value).strip().replace(",", ""))
    except (InvalidOperation, ValueError):
        raise DomainError("invalid_input", detail=f"{what}“{value}”不是数字", field=field) from None
    if not amount.is_finite() or amount < 0 or amount != round(amount, places):
        raise DomainError(
            "invalid_input", detail=f"{what}须为不小于 0 的数，最多 {places} 位小数", field=field
        )
    return amount


def month(value: Any, field: str = "month") -> int:
    text = str(value or "").strip()
    if not text.isdigit() or not 1 <= int(text) <= 12:
        raise DomainError("invalid_input", detail=f"月份“{text}”无效，应为 1 到 12", field=field)
    return int(text)


def whole(value: Any, what: str, field: str, *, least: int = 0, most: int = 31) -> int:
    text = str(value if value is not None else "").strip()
    if not text.isdigit() or not least <= int(text) <= most:
        raise DomainError(
            "invalid_input", detail=f"{what}“{text}”无效，应为 {least} 到 {most} 的整数", field=field
        )
    return int(text)
