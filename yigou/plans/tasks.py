"""The daily dispatch reminders as a Celery task (scheduled by CELERY_BEAT_SCHEDULE in the settings)."""

from __future__ import annotations

from celery import shared_task

from .reminders import remind


@shared_task(name="plans.remind_today")
def remind_today() -> int:
    """Send today's reminders; returns how many were sent (0 on a second run the same day)."""
    return remind().total
