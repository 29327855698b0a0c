"""Certification fixtures: an application by the 永兴 cooperative and the same product taken all the way into
the catalog.

Dates: applied 2018-06-01; reviewed by 永兴镇 and certified by 船山区 on 2018-06-01 (notice 2018-06-01..06-06);
listed on 2018-06-07, valid until 2019-06-07. Certificate 510903-2018-0001.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.market.presale_world import Market, build_market
from tests.world import World
from yigou.market import certification as cert
from yigou.market.models import Product

APPLIED = dt.date(2018, 6, 1)
LISTED = dt.date(2018, 6, 7)


def letter(name: str = "承诺函.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"%PDF-1.4 commitment", content_type="application/pdf")


def honey(world: World, **changes: object) -> cert.ApplyInput:
    data = cert.ApplyInput(
        name="永兴土蜂蜜",
        category="processed",
        specification="500克/瓶",
        unit="瓶",
        capacity=Decimal("2000"),
        capacity_period="year",
        base="永兴镇永兴村3组蜂场",
        price=Decimal("45.00"),
        mechanism="order",
        households=[world.households["zhang"]],
        files=[("commitment", letter())],
        price_links="https://example.com/honey/1",
        mechanism_note="订单收购社员蜂蜜",
    )
    for key, value in changes.items():
        setattr(data, key, value)
    return data


def certify(world: World, product: Product) -> Product:
    cert.product_review(actor=world.users["yongxing"], product=product, passed=True, reason="材料齐全")
    return cert.product_decide(actor=world.users["chuanshan"], product=product, certify=True, today=APPLIED)


@pytest.fixture
def applied(world: World) -> Product:
    return cert.product_apply(
        actor=world.users["producer"], producer=world.producers["coop"], data=honey(world), today=APPLIED
    )


@pytest.fixture
def listed(world: World, applied: Product) -> Product:
    certify(world, applied)
    return cert.product_list(actor=world.users["chuanshan"], product=applied, today=LISTED)


@pytest.fixture
def market(world: World) -> Market:
    """Pre-sale lists open today and their buyers (tests/market/presale_world.py)."""
    return build_market(world)
