"""Planting fake-figure patterns in the test world: a village of peers who sell alike, and a helper that records a
purchase through the ledger service (the same path as the pages and the API)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from tests.world import person
from yigou.ledger.services import LineInput, PurchaseInput, purchase_record
from yigou.registry import services as registry

DAY = dt.date(2018, 5, 10)


@pytest.fixture
def peers(world) -> list:
    """Twelve households of 永兴村 (510903101001) besides 张德明's."""
    village = world.region("510903101001")
    rows = []
    for n in range(12):
        rows.append(
            registry.household_register(
                actor=world.users["admin"],
                village=village,
                members=[registry.MemberInput(f"农户{n:02d}", person("510903", 1960 + n, 100 + n))],
            )
        )
    return rows


def sell(
    world,
    household,
    quantity="10",
    price="60.00",
    *,
    day=DAY,
    product="腊肉",
    unit="公斤",
    reference=None,
    **extra,
):
    qty, unit_price = Decimal(quantity), Decimal(price)
    data = PurchaseInput(
        date=day,
        buyer_kind=extra.pop("buyer_kind", "individual"),
        channel=extra.pop("channel", "onsite"),
        buyer_name=extra.pop("buyer_name", "李四"),
        seller_household=household,
        lines=[
            LineInput(
                product=product,
                quantity=qty,
                unit=unit,
                unit_price=unit_price,
                amount=qty * unit_price,
                reference_price=Decimal(reference) if reference else None,
            )
        ],
        **extra,
    )
    purchase, _ = purchase_record(actor=world.users["admin"], data=data)
    return purchase
