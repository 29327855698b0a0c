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


class CaseStatus(models.TextChoices):
    OPEN = "open", "处置中"
    CLOSED = "closed", "已结案"


class CloseReason(models.TextChoices):
    """How a case ends: sold (the only one the platform decides by itself) or by hand with one of the others."""

    SOLD = "sold", "已售完"
    STORED = "stored", "已入库储存"
    PROCESSED = "processed", "已转加工"
    SPOILED = "spoiled", "已变质损失"
    OTHER = "other", "其他"


MANUAL_CLOSE_REASONS = (CloseReason.STORED, CloseReason.PROCESSED, CloseReason.SPOILED, CloseReason.OTHER)


class CaseStep(models.TextChoices):
    OPENED = "opened", "立案"
    RAISED = "raised", "级别提高"
    ESCALATED = "escalated", "超时上报"
    ASSIGNED = "assigned", "指定责任人"
    PUBLISHED = "published", "发布预售清单"
    NOTIFIED = "notified", "通知采购方"
    SOLD = "sold", "销售进展"
    CLOSED = "closed", "结案"
