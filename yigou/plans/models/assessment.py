"""An assessment scheme (考核方案): weighted items over a plan's targets and tasks, with thresholds, caps and
deductions for overdue rectification. Scores are computed on demand (scoring.py), never stored."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models

from yigou.core.models import TimeStamped

from ..enums import Indicator, ItemSource, SubjectKind
from .plans import Plan


class Scheme(TimeStamped):
    plan = models.ForeignKey(Plan, verbose_name="方案", on_delete=models.CASCADE, related_name="schemes")
    name = models.CharField("考核名称", max_length=200)
    subject_kind = models.CharField("考核对象", max_length=8, choices=SubjectKind.choices)
    deduction = models.DecimalField("每项整改逾期扣分", max_digits=6, decimal_places=2, default=Decimal("0"))
    deduction_cap = models.DecimalField(
        "扣分上限", max_digits=6, decimal_places=2, default=Decimal("0"), help_text="0 表示不设上限"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="创建人", on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = "考核方案"
        verbose_name_plural = "考核方案"
        ordering = ["plan_id", "id"]

    def __str__(self) -> str:
        return self.name

    @property
    def audit_region_code(self) -> str:
        return self.plan.region_id


class SchemeItem(models.Model):
    scheme = models.ForeignKey(
        Scheme, verbose_name="考核方案", on_delete=models.CASCADE, related_name="items"
    )
    order = models.PositiveSmallIntegerField("顺序", default=0)
    name = models.CharField("考核指标", max_length=100)
    source = models.CharField("计分依据", max_length=8, choices=ItemSource.choices)
    indicator = models.CharField("目标指标", max_length=32, choices=Indicator.choices, blank=True)
    target_name = models.CharField("目标名称", max_length=200, blank=True, help_text="填报指标按目标名称对应")
    weight = models.DecimalField("权重（分）", max_digits=6, decimal_places=2)
    threshold = models.DecimalField(
        "起评线（%）", max_digits=6, decimal_places=2, default=Decimal("0"), help_text="完成率低于此不得分"
    )
    cap = models.DecimalField(
        "封顶（%）", max_digits=6, decimal_places=2, default=Decimal("100"), help_text="完成率超过此按此计"
    )

    class Meta:
        verbose_name = "考核指标"
        verbose_name_plural = "考核指标"
        ordering = ["scheme_id", "order", "id"]

    def __str__(self) -> str:
        return self.name
