"""The daily unsold-produce scan as a Celery task (scheduled by CELERY_BEAT_SCHEDULE in the settings)."""

from __future__ import annotations

import datetime as dt

from celery import shared_task

from . import monitoring


@shared_task(name="supply.scan_today")
def scan_today() -> int:
    """Scan the whole country for today; returns how many entries warrant a warning."""
    day = dt.date.today()
    findings = monitoring.scan(day)
    monitoring.store(findings, day)
    return len(findings)
