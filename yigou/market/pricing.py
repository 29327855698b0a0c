"""Reference prices (市场参考价) entered by offices, and the price check of a certification application.

A product's price is held to the latest observed market price of the same name, specification and unit,
looked for in the product's county first, then its city, then anywhere. A price above the reference by more
than the margin (setting ``YIGOU_PRICE_MARGIN``, default 0.20 = 20%) needs a written explanation and is flagged
for the reviewers.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.db import transaction

from yigou.accounts.scope import ensure_can, ensure_region_in_scope
from yigou.core import audit
from yigou.core.errors import DomainError
from yigou.regions.models import Region

from .models import ReferencePrice

CENT = Decimal("0.01")


def price_margin() -> Decimal:
    return Decimal(str(settings.YIGOU_PRICE_MARGIN))


def money(value: Any, what: str) -> Decimal:
    """A positive amount in yuan with at most two decimals, or a Chinese refusal naming the field."""
    try:
        amount = Decimal(str(value).strip())
    except (InvalidOperation, TypeError):
        raise DomainError("invalid_input", detail=f"{what}“{value}”不是有效金额") from None
    if not amount.is_finite() or amount <= 0:
        raise DomainError("invalid_input", detail=f"{what}必须大于0")
    if amount != amount.quantize(CENT):
        raise DomainError("invalid_input", detail=f"{what}“{value}”最多两位小数")
    return amount


def reference_for(
    name: str, specification: str, unit: str, county_code: str, today: dt.date
) -> ReferencePrice | None:
    """The latest observation up to today for the same name+specification+unit: county, else city, else anywhere."""
    same = ReferencePrice.objects.filter(
        name=name.strip(), specification=specification.strip(), unit=unit.strip(), observed_on__lte=today
    ).order_by("-observed_on", "-pk")
    for prefix in (county_code[:6], county_code[:4], ""):
        found = same.filter(region__code__startswith=prefix).first() if prefix else same.first()
        if found is not None:
            return found
    return None


@dataclass(frozen=True)
class PriceCheck:
    reference: Decimal | None
    ceiling: Decimal | None  # reference × (1 + margin), to the fen
    flagged: bool


def check_price(price: Decimal, reference: ReferencePrice | None) -> PriceCheck:
    if reference is None:
        return PriceCheck(None, None, False)
    ceiling = (reference.price * (1 + price_margin())).quantize(CENT)
    return PriceCheck(reference.price, ceiling, price > ceiling)


@dataclass
class ReferencePriceInput:
    name: str
    specification: str
    unit: str
    price: Any
    observed_on: dt.date
    source: str = ""


@transaction.atomic
def reference_price_add(
    *, actor: Any, region: Region, data: ReferencePriceInput, today: dt.date | None = None
) -> ReferencePrice:
    """Offices record a market price observed in their region (a county office in its county, and so on)."""
    ensure_can(actor, "market.prices")
    ensure_region_in_scope(actor, region.code)
    today = today or dt.date.today()
    name, spec, unit = data.name.strip(), data.specification.strip(), data.unit.strip()
    if not name or not spec or not unit:
        raise DomainError("invalid_input", detail="产品名称、规格和计量单位都必须填写")
    if data.observed_on > today:
        raise DomainError("invalid_input", detail=f"采价日期 {data.observed_on} 晚于今天")
    row = ReferencePrice.objects.create(
        name=name[:100],
        specification=spec[:100],
        unit=unit[:16],
        price=money(data.price, "市场价"),
        region=region,
        observed_on=data.observed_on,
        source=data.source.strip()[:200],
    )
    audit.record(
        actor=actor,
        action="reference_price_add",
        target=row,
        changes={"price": str(row.price), "observed_on": str(row.observed_on)},
    )
    return row
