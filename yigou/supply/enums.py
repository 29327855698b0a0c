"""Choices of the supply and demand books and of the unsold-produce warnings."""

from __future__ import annotations

from django.db import models


class Storage(models.TextChoices):
    AMBIENT = "ambient", "常温"
    CHILLED = "chilled", "冷藏"
    FROZEN = "frozen", "冷冻"
    CELLAR = "cellar", "窖藏"
    LIVE = "live", "活体（圈养/待售）"


class Level(models.TextChoices):
    """Three levels, lowest first; the order of the values is the order of severity."""

    WATCH = "watch", "关注"
    WARN = "warn", "预警"
    SEVERE = "severe", "严重"


SEVERITY = {Level.WATCH: 1, Level.WARN: 2, Level.SEVERE: 3}
