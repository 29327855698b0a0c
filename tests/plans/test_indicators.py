"""Computed indicators equal the 以购助扶成果统计表 of the same region and period (tests/ledger/example.py)."""

import datetime as dt
from decimal import Decimal

import pytest

from tests.ledger.example import build_example
from yigou.plans.enums import STATS_INDICATORS, Indicator
from yigou.plans.indicators import Measurer
from yigou.reporting.selectors import merged_stats_table

START, END = dt.date(2018, 1, 1), dt.date(2018, 4, 30)


@pytest.fixture
def example(world):
    return build_example(world)


@pytest.mark.parametrize("code", ["510900000000", "510903000000", "510904000000", "510903101000"])
def test_every_statistics_indicator_equals_the_table(world, example, code):
    table = merged_stats_table(world.users["admin"], code, "2018-01..2018-04")
    measurer = Measurer(dt.date(2018, 12, 31))
    for indicator in STATS_INDICATORS:
        assert measurer.value(indicator, world.region(code), START, END) == Decimal(
            str(table.total.values[indicator])
        ), indicator


def test_the_worked_figures(world, example):
    measurer = Measurer(dt.date(2018, 12, 31))
    city, chuanshan = world.region("510900000000"), world.region("510903000000")
    assert measurer.value(Indicator.AMOUNT_TOTAL, city, START, END) == Decimal("3650.00")
    assert measurer.value(Indicator.AMOUNT_TOTAL, chuanshan, START, END) == Decimal("2050.00")
    assert measurer.value(Indicator.POOR_HOUSEHOLDS, city, START, END) == 2
    assert measurer.value(Indicator.BUYER_UNITS, city, START, END) == 1  # distinct over the city
    assert measurer.value(Indicator.OUTLETS_COUNTER, city, START, END) == 1
    assert measurer.value(Indicator.COOPERATIVES, city, START, END) == 2
    assert measurer.value(Indicator.COOPERATIVES, chuanshan, START, END) == 1


def test_a_period_still_running_is_measured_up_to_the_day(world, example):
    january = Measurer(dt.date(2018, 1, 31))
    assert january.value(Indicator.AMOUNT_TOTAL, world.region("510900000000"), START, END) == Decimal(
        "1600.00"
    )
    before = Measurer(dt.date(2017, 12, 31))
    assert before.value(Indicator.AMOUNT_TOTAL, world.region("510900000000"), START, END) == 0
