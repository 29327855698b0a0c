"""The demo's monitoring year: a case in each group and through each channel, measures open and overdue, one
clearance ending with MONITOR_ENDED, one no-labour household refused clearance, a matched and an unmatched
declaration."""

from __future__ import annotations

import pytest

from yigou.income.clearance import assess
from yigou.income.enums import MeasureStatus
from yigou.income.models import Declaration, Measure, MonitoringCase
from yigou.income.selectors import is_overdue
from yigou.registry.enums import EventKind

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo_output")]


def test_a_case_in_each_group_and_each_channel():
    cases = MonitoringCase.objects.all()
    assert cases.count() == 8
    assert set(cases.values_list("group", flat=True)) == {"unstable", "marginal", "sudden"}
    assert set(cases.values_list("channel", flat=True)) == {"visit", "screening", "scan", "declaration"}
    assert {
        s: cases.filter(status=s).count() for s in ("identifying", "monitored", "cleared", "rejected")
    } == {
        "identifying": 3,
        "monitored": 3,
        "cleared": 1,
        "rejected": 1,
    }


def test_measures_open_overdue_and_done():
    rows = list(Measure.objects.all())
    assert len(rows) == 4
    assert sum(1 for m in rows if m.status == MeasureStatus.OPEN) == 2
    assert sum(1 for m in rows if is_overdue(m)) == 1
    assert sum(1 for m in rows if m.status == MeasureStatus.DONE) == 2


def test_one_clearance_and_one_household_kept_without_labour():
    cleared = MonitoringCase.objects.get(status="cleared")
    cleared.household.refresh_from_db()
    assert cleared.household.monitor_type == ""
    assert cleared.household.events.order_by("-date", "-id").first().kind == EventKind.MONITOR_ENDED
    kept = [
        c
        for c in MonitoringCase.objects.filter(status="monitored")
        if assess(c.household, c.ended_on or c.started_on).no_labour
    ]
    assert len(kept) == 1


def test_a_matched_and_an_unmatched_declaration():
    assert sorted(Declaration.objects.values_list("status", flat=True)) == ["case_opened", "new"]
    assert Declaration.objects.filter(household__isnull=True).count() == 1
