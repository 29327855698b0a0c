"""The contracts worked example and a clock that can be set to a day of 2018."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from .example import Clock, build_market


@pytest.fixture
def clock(monkeypatch) -> Clock:
    """Orders are stamped with timezone.now(); the example runs in 2018, so the clock is set to each day."""
    clock = Clock(dt.datetime(2018, 3, 1, 10, 0, tzinfo=dt.UTC))
    monkeypatch.setattr(timezone, "now", clock.now)
    return clock


@pytest.fixture
def market(world, clock):
    return build_market(world, clock)
