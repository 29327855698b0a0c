"""The worked example of the benefit tests: 船山区永兴蔬菜专业合作社's 2018 with three members — 张德明 (a poor
household, with a share quantified from state grants and a preferred share at a guaranteed 8%), 王建国 and 赵社长
(a member without a registered household) — and the figures a cooperative's accountant would write down by hand."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

import pytest

from yigou.benefits import book
from yigou.benefits.enums import AccountKind
from yigou.ledger.services import LineInput, PurchaseInput, purchase_record
from yigou.registry import services as registry
from yigou.registry.models import CoopMember

YEAR = 2018


@dataclass
class Coop:
    producer: object
    zhang: CoopMember
    wang: CoopMember
    zhao: CoopMember


def coop_sale(world, household, amount: str, day=dt.date(YEAR, 6, 1)):
    """The cooperative's own ledger sale whose income is entered as the member household's."""
    total = Decimal(amount)
    return purchase_record(
        actor=world.users["admin"],
        data=PurchaseInput(
            date=day,
            buyer_kind="individual",
            channel="onsite",
            buyer_name="李四",
            seller_producer=world.producers["coop"],
            attribution="entered",
            beneficiaries=[(household, total)],
            lines=[
                LineInput(
                    product="蔬菜", quantity=Decimal("100"), unit="公斤", unit_price=total / 100, amount=total
                )
            ],
        ),
    )


def entry(world, member, amount: str, day=dt.date(YEAR, 5, 1)):
    return book.book_record(
        actor=world.users["admin"],
        producer=world.producers["coop"],
        data=book.BookInput(member=member, date=day, product="蔬菜", amount=amount),
    )


@pytest.fixture
def coop(world) -> Coop:
    return build_coop(world)


def build_coop(world) -> Coop:
    admin, producer = world.users["admin"], world.producers["coop"]
    zhang = CoopMember.objects.get(producer=producer, household=world.households["zhang"])
    wang = registry.coop_member_add(
        actor=admin,
        producer=producer,
        name="",
        household=world.households["wang"],
        joined_on=dt.date(2017, 1, 1),
    )
    zhao = registry.coop_member_add(
        actor=admin, producer=producer, name="赵社长", joined_on=dt.date(2017, 1, 1)
    )
    # Trading volume: 张德明 29,400.00 in the book + 600.00 of the cooperative's ledger sales = 30,000.00.
    entry(world, zhang, "29400.00")
    coop_sale(world, world.households["zhang"], "600.00")
    entry(world, wang, "50000.00")
    entry(world, zhao, "20000.00")
    for member, kind, amount, rate in (
        (zhang, AccountKind.CONTRIBUTION, "2000.00", "0"),
        (zhang, AccountKind.GRANT, "8000.00", "0"),
        (zhang, AccountKind.PREFERRED, "10000.00", "8"),
        (wang, AccountKind.CONTRIBUTION, "300000.00", "0"),
        (zhao, AccountKind.CONTRIBUTION, "400000.00", "0"),
    ):
        book.capital_account_set(actor=admin, member=member, kind=kind, amount=amount, min_rate=rate)
    return Coop(producer, zhang, wang, zhao)
