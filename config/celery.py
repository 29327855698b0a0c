"""Celery app; runs tasks eagerly in-process when no REDIS_URL broker is configured."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")

app = Celery("yigou")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
