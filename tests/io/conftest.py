"""Counting what an import may change, so failure paths can assert that nothing did."""

from __future__ import annotations

import pytest

from yigou.assist.models import AssistingUnit
from yigou.core.models import AuditEntry
from yigou.registry.models import Household, Member, Producer, StatusEvent


def counts() -> dict[str, int]:
    return {
        "households": Household.objects.count(),
        "members": Member.objects.count(),
        "events": StatusEvent.objects.count(),
        "producers": Producer.objects.count(),
        "units": AssistingUnit.objects.count(),
        "audit": AuditEntry.objects.count(),
    }


@pytest.fixture
def snapshot():
    return counts
