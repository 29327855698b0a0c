"""Choices of fake-figure detection: the rules, and the states and steps of an investigation case."""

from __future__ import annotations

from django.db import models


class RuleCode(models.TextChoices):
    DUPLICATE = "duplicate", "重复录入"
    BATCH = "batch", "同日批量等额购买"
    VOLUME = "volume", "销量异常（同类比较）"
    PRICE = "price", "价格异常"
    HEAPING = "heaping", "整数/尾数堆积"
    BENFORD = "benford", "首位数字分布异常（本福特定律）"
    DEADLINE = "deadline", "报送截止前集中录入"
    FORMS = "forms", "报表数大于台账数"
    AFTER_EXIT = "after_exit", "退出或清退后仍计贫困户收入"
    BEYOND_SUPPLY = "beyond_supply", "销量超过供给台账产量"


class InvestigationStatus(models.TextChoices):
    """open → assigned → explained → confirmed | dismissed; a case may be decided once assigned."""

    OPEN = "open", "已立案"
    ASSIGNED = "assigned", "已交办"
    EXPLAINED = "explained", "已说明"
    CONFIRMED = "confirmed", "已查实（已冲销）"
    DISMISSED = "dismissed", "已排除"


OPEN_STATUSES = (InvestigationStatus.OPEN, InvestigationStatus.ASSIGNED, InvestigationStatus.EXPLAINED)
CLOSED_STATUSES = (InvestigationStatus.CONFIRMED, InvestigationStatus.DISMISSED)


class InvestigationStep(models.TextChoices):
    OPENED = "opened", "立案"
    ASSIGNED = "assigned", "交办"
    EXPLAINED = "explained", "情况说明"
    FILED = "filed", "上传材料"
    CONFIRMED = "confirmed", "查实并冲销"
    DISMISSED = "dismissed", "排除"
