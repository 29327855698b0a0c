"""A work plan (工作方案) of a region: goals, tasks and sub-tasks with their lead and co-operating units, targets
split down the region tree and across units (分解下达), progress reports, supervision findings and reminders sent.

Reports are append-only: a task's progress is its latest report, a reported target's figure its latest report.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.conf import settings
from django.db import models

from yigou.core.models import TimeStamped
from yigou.regions.models import Region

from ..enums import FindingStatus, Indicator, ReminderKind, Rhythm

USER = settings.AUTH_USER_MODEL


class Plan(TimeStamped):
    region = models.ForeignKey(Region, verbose_name="制定区域", on_delete=models.PROTECT, related_name="+")
    title = models.CharField("方案名称", max_length=200)
    document_no = models.CharField("文号", max_length=60, blank=True)
    goals = models.TextField("工作目标", blank=True)
    rhythm = models.CharField("调度频次", max_length=12, choices=Rhythm.choices, default=Rhythm.MONTHLY)
    starts_on = models.DateField("实施起始")
    ends_on = models.DateField("实施截止")
    created_by = models.ForeignKey(USER, verbose_name="创建人", on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = "工作方案"
        verbose_name_plural = "工作方案"
        ordering = ["-starts_on", "-id"]
        indexes = [
            models.Index(fields=["region"], name="plan_region_prefix", opclasses=["varchar_pattern_ops"])
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def audit_region_code(self) -> str:
        return self.region_id


class Task(TimeStamped):
    plan = models.ForeignKey(Plan, verbose_name="方案", on_delete=models.CASCADE, related_name="tasks")
    parent = models.ForeignKey(
        "self",
        verbose_name="上级任务",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="subtasks",
    )
    number = models.CharField("序号", max_length=20)
    sort_key = models.CharField("排序键", max_length=60, db_index=True)
    title = models.TextField("任务内容")
    section = models.CharField("方案章节", max_length=200, blank=True)
    lead_unit = models.CharField("牵头单位", max_length=200)
    co_units = models.JSONField("配合单位", default=list, blank=True)
    lead = models.ForeignKey(
        "assist.AssistingUnit",
        verbose_name="牵头单位（已登记）",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    due_on = models.DateField("完成时限", null=True, blank=True)
    standing = models.BooleanField("长期任务", default=False)
    progress = models.DecimalField("进度（%）", max_digits=5, decimal_places=2, default=Decimal("0"))
    reported_on = models.DateField("最近报送", null=True, blank=True)
    completed_on = models.DateField("完成日期", null=True, blank=True)

    class Meta:
        verbose_name = "任务"
        verbose_name_plural = "任务"
        ordering = ["plan_id", "sort_key", "id"]
        constraints = [models.UniqueConstraint(fields=["plan", "number"], name="task_number_unique")]

    def __str__(self) -> str:
        return f"{self.number}. {self.title[:40]}"

    @property
    def audit_region_code(self) -> str:
        return self.plan.region_id

    @property
    def deadline_label(self) -> str:
        if self.standing or self.due_on is None:
            return "长期坚持"
        return f"{self.due_on:%Y-%m-%d}"


def report_file_path(instance: TaskReport | TargetReport, filename: str) -> str:
    return f"plans/{dt.date.today():%Y%m}/{filename}"


class TaskReport(models.Model):
    """One dispatch report of a task (进度报送): what was done, the progress now, evidence."""

    task = models.ForeignKey(Task, verbose_name="任务", on_delete=models.CASCADE, related_name="reports")
    reported_on = models.DateField("报送日期")
    progress = models.DecimalField("进度（%）", max_digits=5, decimal_places=2)
    text = models.TextField("进展情况")
    evidence = models.FileField("佐证材料", upload_to=report_file_path, blank=True)
    reported_by = models.ForeignKey(USER, verbose_name="报送人", on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField("录入时间", auto_now_add=True)

    class Meta:
        verbose_name = "任务进度报告"
        verbose_name_plural = "任务进度报告"
        ordering = ["-reported_on", "-id"]

    def __str__(self) -> str:
        return f"{self.reported_on} {self.progress}%"

    @property
    def audit_region_code(self) -> str:
        return self.task.plan.region_id


class Target(TimeStamped):
    """A numeric target of a plan for one region (and optionally one unit), maybe split into parts."""

    plan = models.ForeignKey(Plan, verbose_name="方案", on_delete=models.CASCADE, related_name="targets")
    parent = models.ForeignKey(
        "self", verbose_name="上级目标", null=True, blank=True, on_delete=models.CASCADE, related_name="parts"
    )
    task = models.ForeignKey(
        Task,
        verbose_name="所属任务",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="targets",
    )
    name = models.CharField("目标名称", max_length=200)
    indicator = models.CharField("指标", max_length=32, choices=Indicator.choices)
    unit_label = models.CharField("计量单位", max_length=16)
    region = models.ForeignKey(Region, verbose_name="责任区域", on_delete=models.PROTECT, related_name="+")
    unit_name = models.CharField("责任单位", max_length=200, blank=True)
    value = models.DecimalField("目标值", max_digits=16, decimal_places=2)
    period_start = models.DateField("统计起始")
    period_end = models.DateField("统计截止")

    class Meta:
        verbose_name = "目标"
        verbose_name_plural = "目标"
        ordering = ["plan_id", "parent_id", "region_id", "unit_name", "id"]
        indexes = [
            models.Index(fields=["region"], name="target_region_prefix", opclasses=["varchar_pattern_ops"])
        ]

    def __str__(self) -> str:
        who = self.unit_name or self.region.name
        return f"{self.name}（{who}）"

    @property
    def audit_region_code(self) -> str:
        return self.region_id

    @property
    def computed(self) -> bool:
        return self.indicator != Indicator.REPORTED


class TargetReport(models.Model):
    """A reported figure of a target to date (累计完成), with its evidence."""

    target = models.ForeignKey(Target, verbose_name="目标", on_delete=models.CASCADE, related_name="reports")
    reported_on = models.DateField("报送日期")
    value = models.DecimalField("累计完成", max_digits=16, decimal_places=2)
    text = models.TextField("说明", blank=True)
    evidence = models.FileField("佐证材料", upload_to=report_file_path, blank=True)
    reported_by = models.ForeignKey(USER, verbose_name="报送人", on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField("录入时间", auto_now_add=True)

    class Meta:
        verbose_name = "目标完成报告"
        verbose_name_plural = "目标完成报告"
        ordering = ["-reported_on", "-id"]

    def __str__(self) -> str:
        return f"{self.reported_on} {self.value}"

    @property
    def audit_region_code(self) -> str:
        return self.target.region_id


class Finding(TimeStamped):
    """A supervision finding (督查发现) with its rectification (整改) deadline; closed (销号) with a note."""

    plan = models.ForeignKey(Plan, verbose_name="方案", on_delete=models.CASCADE, related_name="findings")
    task = models.ForeignKey(
        Task,
        verbose_name="相关任务",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="findings",
    )
    region = models.ForeignKey(Region, verbose_name="被督查区域", on_delete=models.PROTECT, related_name="+")
    unit_name = models.CharField("被督查单位", max_length=200, blank=True)
    found_on = models.DateField("督查日期")
    problem = models.TextField("发现问题")
    rectify_by = models.DateField("整改期限")
    status = models.CharField("状态", max_length=8, choices=FindingStatus.choices, default=FindingStatus.OPEN)
    closed_on = models.DateField("销号日期", null=True, blank=True)
    closing_note = models.TextField("整改情况", blank=True)
    created_by = models.ForeignKey(USER, verbose_name="督查人", on_delete=models.PROTECT, related_name="+")
    closed_by = models.ForeignKey(
        USER, verbose_name="销号人", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = "督查问题"
        verbose_name_plural = "督查问题"
        ordering = ["status", "rectify_by", "id"]
        indexes = [
            models.Index(
                fields=["region"], name="plan_finding_region_prefix", opclasses=["varchar_pattern_ops"]
            )
        ]

    def __str__(self) -> str:
        return self.problem[:40]

    @property
    def audit_region_code(self) -> str:
        return self.region_id

    def overdue_on(self, day: dt.date) -> bool:
        """Rectification late on `day`: still open after its deadline, or closed after it."""
        if self.status == FindingStatus.CLOSED and self.closed_on is not None:
            return self.closed_on > self.rectify_by
        return day > self.rectify_by


class Reminder(models.Model):
    """A reminder sent once: the key names the task or finding and the date or round it was about."""

    plan = models.ForeignKey(Plan, verbose_name="方案", on_delete=models.CASCADE, related_name="reminders")
    kind = models.CharField("类型", max_length=8, choices=ReminderKind.choices)
    key = models.CharField("提醒键", max_length=80, unique=True)
    sent_on = models.DateField("发送日期")
    recipients = models.PositiveIntegerField("接收人数", default=0)

    class Meta:
        verbose_name = "调度提醒"
        verbose_name_plural = "调度提醒"
        ordering = ["-sent_on", "-id"]

    def __str__(self) -> str:
        return self.key
