"""The set-based SQL rebuild and the incremental write path produce identical rollups."""

from tests.ledger.example import build_example
from yigou.ledger.models import DayRollup, MonthRollup, Presence
from yigou.ledger.rebuild import rebuild_all
from yigou.ledger.rollups import DAY_COLUMNS, MONTH_COLUMNS
from yigou.ledger.verify import verify


def snapshot():
    months = {
        (r["region_code"], r["level"], r["year"], r["month"]): tuple(r[c] for c in MONTH_COLUMNS)
        for r in MonthRollup.objects.values()
        if any(r[c] for c in MONTH_COLUMNS)
    }
    days = {
        (r["region_code"], r["day"]): tuple(r[c] for c in DAY_COLUMNS)
        for r in DayRollup.objects.values()
        if any(r[c] for c in DAY_COLUMNS)
    }
    presence = {
        (p.kind, p.key, p.region_code, p.day): p.refcount for p in Presence.objects.exclude(refcount=0)
    }
    return months, days, presence


def test_rebuild_reproduces_the_incremental_rollups(world):
    build_example(world)
    incremental = snapshot()
    rebuild_all()
    assert snapshot() == incremental
    assert verify().ok


def test_rebuild_repairs_tampered_rollups(world):
    build_example(world)
    MonthRollup.objects.filter(region_code="510900000000").update(m_hp=99)
    Presence.objects.all().delete()
    assert not verify().ok
    rebuild_all()
    assert verify().ok
