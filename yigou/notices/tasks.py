"""Sending the text messages off the request (Celery; in-process when no broker is configured)."""

from __future__ import annotations

from celery import shared_task

from . import services


@shared_task(name="notices.deliver")
def deliver_notices(ids: list[int]) -> int:
    return services.deliver(ids)
