"""The daily unsold-produce scan as a Celery task (scheduled by CELERY_BEAT_SCHEDULE in the settings)."""

from __future__ import annotations

import datetime as dt

from celery import shared_task

from . import cases, monitoring


@shared_task(name="supply.scan_today")
def scan_today() -> int:
    """Scan the whole country for today; returns how many entries warrant a warning."""
    day = dt.date.today()
    findings = monitoring.scan(day)
    monitoring.store(findings, day)
    cases.sync()
    return len(findings)


@shared_task(name="supply.cases_hourly")
def cases_hourly() -> dict[str, int]:
    """Between scans: close what sold out, escalate what is overdue."""
    done = cases.sync()
    return {"opened": done.opened, "escalated": done.escalated, "closed": done.closed}
