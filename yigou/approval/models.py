"""Submissions of a region's monthly figures up the region tree, their history, and the locks approval sets."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from yigou.regions.models import Region
from yigou.reporting.builtin import BUILTIN_CODE

from .enums import Action, State

DEFAULT_FORM = BUILTIN_CODE  # the built-in 以购助扶成果统计表 of the reporting app


class Submission(models.Model):
    """One region's report for one month of one form: submitted by its staff, decided by its parent's office."""

    region = models.ForeignKey(Region, verbose_name="填报区划", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField("年")
    month = models.PositiveSmallIntegerField("月")
    form_code = models.CharField("报表", max_length=40, default=DEFAULT_FORM)
    state = models.CharField("状态", max_length=12, choices=State.choices, default=State.DRAFT)
    first_submitted_at = models.DateTimeField("首次上报时间", null=True, blank=True)
    submitted_at = models.DateTimeField("最近上报时间", null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="上报人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField("审核时间", null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="审核人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    reason = models.CharField("退回/解锁原因", max_length=500, blank=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "上报审核"
        verbose_name_plural = "上报审核"
        ordering = ["-year", "-month", "region_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["region", "year", "month", "form_code"], name="approval_one_per_period"
            )
        ]
        indexes = [models.Index(fields=["year", "month", "form_code"], name="approval_sub_period")]

    def __str__(self) -> str:
        return f"{self.region.name} {self.year}年{self.month}月"

    @property
    def audit_region_code(self) -> str:
        return self.region_id


class Step(models.Model):
    """The history of one submission: every transition with who, when and why (the audit log has it too)."""

    submission = models.ForeignKey(
        Submission, verbose_name="上报", on_delete=models.PROTECT, related_name="steps"
    )
    action = models.CharField("操作", max_length=12, choices=Action.choices)
    from_state = models.CharField("原状态", max_length=12, choices=State.choices)
    to_state = models.CharField("新状态", max_length=12, choices=State.choices)
    reason = models.CharField("原因", max_length=500, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="操作人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    at = models.DateTimeField("时间", auto_now_add=True)

    class Meta:
        verbose_name = "审核记录"
        verbose_name_plural = "审核记录"
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.get_action_display()}：{self.get_from_state_display()} → {self.get_to_state_display()}"


class Lock(models.Model):
    """An approved region-month: its data and its subtree's cannot change until the approver unlocks it.

    Checked on every ledger write and form value write, so it is one indexed lookup by (year, month, code).
    """

    region_code = models.CharField("区划代码", max_length=12)
    year = models.PositiveSmallIntegerField("年")
    month = models.PositiveSmallIntegerField("月")
    submission = models.OneToOneField(
        Submission, verbose_name="上报", on_delete=models.PROTECT, related_name="lock"
    )
    locked_at = models.DateTimeField("锁定时间", auto_now_add=True)

    class Meta:
        verbose_name = "数据锁定"
        verbose_name_plural = "数据锁定"
        indexes = [models.Index(fields=["year", "month", "region_code"], name="approval_lock_lookup")]

    def __str__(self) -> str:
        return f"{self.region_code} {self.year}-{self.month:02d}"
