"""The input checks every write and read of the income card shares: a year, an amount, a choice, a text."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils import timezone

from yigou.core.errors import DomainError
from yigou.regions.checks import get_region
from yigou.regions.models import Region

FIRST_YEAR = 2014  # 精准扶贫 and the 建档立卡 registry start with 2014's identification
MAX_AMOUNT = Decimal("999999999999.99")  # Decimal(14, 2)
CENT = Decimal("0.01")


def last_year() -> int:
    """The latest year a card may be kept for: next year's, for a projection made late in the current one."""
    return timezone.localdate().year + 1


def check_year(value: Any, field: str = "year") -> int:
    text = str(value if value is not None else "").strip()
    top = last_year()
    if len(text) != 4 or not text.isdigit() or not FIRST_YEAR <= int(text) <= top:
        raise DomainError(
            "invalid_input",
            detail=f"年度“{text}”无效，应为 {FIRST_YEAR} 至 {top} 之间的四位年份",
            field=field,
        )
    return int(text)


def check_amount(value: Any, what: str = "金额", field: str = "amount") -> Decimal:
    """A positive amount in yuan with at most two decimal places."""
    try:
        amount = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        raise DomainError("invalid_input", detail=f"{what}“{value}”不是数字", field=field) from None
    if not amount.is_finite() or amount <= 0:
        raise DomainError("invalid_input", detail=f"{what}须大于 0（更正已登记的金额请用冲正）", field=field)
    if amount != amount.quantize(CENT):
        raise DomainError("invalid_input", detail=f"{what}最多 2 位小数", field=field)
    if amount > MAX_AMOUNT:
        raise DomainError("invalid_input", detail=f"{what}超出上限", field=field)
    return amount.quantize(CENT)


def check_choice(value: Any, choices: Any, what: str, field: str) -> str:
    if value not in choices.values:
        raise DomainError("invalid_input", detail=f"{what}“{value}”不在可选范围内", field=field)
    return str(value)


def check_text(value: Any, what: str, field: str, *, least: int = 0, most: int = 1000) -> str:
    text = str(value or "").strip()
    if len(text) < least:
        raise DomainError("invalid_input", detail=f"请填写{what}（至少 {least} 个字）", field=field)
    if len(text) > most:
        raise DomainError("invalid_input", detail=f"{what}不能超过 {most} 个字", field=field)
    return text


def check_region(code: Any, field: str = "region") -> Region:
    text = str(code or "").strip()
    if len(text) != 12 or not text.isdigit():
        raise DomainError("invalid_input", detail=f"区划代码“{text}”无效，应为 12 位数字", field=field)
    return get_region(text)
