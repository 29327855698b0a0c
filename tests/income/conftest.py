"""Households of the test world's villages for the income card and the monitoring scan, and a helper that writes
an income entry through the service (the same path pages and imports will use)."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest

from tests.world import person
from yigou.income.services import income_record
from yigou.registry import services as registry
from yigou.registry.enums import EventKind, Relation

_seq = itertools.count(300)
RELATIONS = [Relation.HEAD, Relation.SPOUSE, Relation.CHILD, Relation.CHILD, Relation.PARENT, Relation.PARENT]


def register(world, name: str, size: int, *, village: str = "510903101001", registered: bool = False):
    """A household of `size` members in a village of 船山区; `registered`: 建档立卡 in 2014 (status poor)."""
    members = [
        registry.MemberInput(f"{name}{n}", person("510903", 1960 + n, next(_seq)), relation=RELATIONS[n])
        for n in range(size)
    ]
    household = registry.household_register(
        actor=world.users["admin"], village=world.region(village), members=members
    )
    if registered:
        registry.household_record_event(
            actor=world.users["admin"],
            household=household,
            kind=EventKind.IDENTIFIED,
            date=dt.date(2014, 10, 1),
            reason="2014年建档立卡",
            source="import",
        )
    household.refresh_from_db()
    return household


def enter(world, household, year, component, amount, source="survey", *, actor="chuanshan", note=""):
    return income_record(
        actor=world.users[actor],
        household=household,
        year=year,
        component=component,
        amount=amount,
        source=source,
        note=note,
    )


def card_of(
    world, household, year, *, wage="0", business="0", prop="0", transfer="0", cost="0", actor="chuanshan"
):
    """A whole card from one 入户调查: the components that are not zero."""
    for component, amount in (
        ("wage", wage),
        ("business", business),
        ("property", prop),
        ("transfer", transfer),
        ("cost", cost),
    ):
        if amount != "0":
            enter(world, household, year, component, amount, actor=actor)


@pytest.fixture
def family(world):
    """A household of four in 永兴村, not registered."""
    return register(world, "赵", 4)
