"""Findings of the fake-figure scan and the investigation cases opened for them.

A finding is what one rule saw in one region and period: its score, the evidence in Chinese and the purchases and
households it names. Its fingerprint (rule + what it names) is stable across scans, so a re-scan updates the same
row, and a dismissed case keeps later scans from raising the finding again.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from yigou.core.models import TimeStamped
from yigou.regions.models import Region

from .enums import OPEN_STATUSES, InvestigationStatus, InvestigationStep, RuleCode


class Finding(TimeStamped):
    rule = models.CharField("规则", max_length=16, choices=RuleCode.choices)
    fingerprint = models.CharField("指纹", max_length=64, unique=True)
    score = models.PositiveSmallIntegerField("可疑度")
    region = models.ForeignKey(Region, verbose_name="所在区划", on_delete=models.PROTECT, related_name="+")
    scope_code = models.CharField("扫描区划", max_length=12)
    period_start = models.DateField("期间起")
    period_end = models.DateField("期间止")
    evidence = models.TextField("依据")
    purchases = models.JSONField("涉及购买记录", default=list, help_text="[[id, 外部编号], …]")
    households = models.JSONField("涉及农户", default=list, help_text="[户编号, …]")
    reversible = models.JSONField("查实后冲销的购买记录", default=list, help_text="[id, …]")
    amount = models.DecimalField("涉及金额（元）", max_digits=14, decimal_places=2, default=0)
    scanned_on = models.DateField("扫描日期")

    class Meta:
        verbose_name = "疑点"
        verbose_name_plural = "疑点"
        ordering = ["-score", "id"]
        indexes = [
            models.Index(fields=["region"], name="finding_region_prefix", opclasses=["varchar_pattern_ops"]),
            models.Index(fields=["scope_code", "period_start", "period_end"]),
        ]

    def __str__(self) -> str:
        return f"{self.get_rule_display()} {self.score}"

    @property
    def audit_region_code(self) -> str:
        return self.region_id

    @property
    def purchase_ids(self) -> list[int]:
        return [pk for pk, _ in self.purchases]


def case_file_path(instance: CaseFile, filename: str) -> str:
    return f"investigations/{instance.case.region_id[:6]}/{instance.case_id}/{filename}"


class Investigation(TimeStamped):
    """An investigation case (核查案件) for one finding: assigned to the region's staff, explained with text and
    files, then confirmed — the purchases are reversed with the case named — or dismissed with a reason."""

    number = models.CharField("案件编号", max_length=40, unique=True)
    finding = models.OneToOneField(
        Finding, verbose_name="疑点", on_delete=models.PROTECT, related_name="case"
    )
    region = models.ForeignKey(Region, verbose_name="所在区划", on_delete=models.PROTECT, related_name="+")
    status = models.CharField(
        "状态", max_length=10, choices=InvestigationStatus.choices, default=InvestigationStatus.OPEN
    )
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="立案人", on_delete=models.PROTECT, related_name="+"
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="核查人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    due_on = models.DateField("说明期限", null=True, blank=True)
    explanation = models.TextField("情况说明", blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="处理人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField("处理时间", null=True, blank=True)
    decision = models.CharField("处理意见", max_length=500, blank=True)
    reversed_count = models.PositiveIntegerField("冲销笔数", default=0)
    reversed_amount = models.DecimalField("冲销金额（元）", max_digits=14, decimal_places=2, default=0)

    class Meta:
        verbose_name = "核查案件"
        verbose_name_plural = "核查案件"
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(
                fields=["region"], name="investigation_region_prefix", opclasses=["varchar_pattern_ops"]
            )
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def audit_region_code(self) -> str:
        return self.region_id

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES


class InvestigationEvent(models.Model):
    case = models.ForeignKey(Investigation, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField("时间")
    kind = models.CharField("环节", max_length=10, choices=InvestigationStep.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    text = models.CharField("说明", max_length=1000)

    class Meta:
        verbose_name = "核查记录"
        verbose_name_plural = "核查记录"
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.text[:40]}"

    @property
    def audit_region_code(self) -> str:
        return self.case.region_id


class CaseFile(models.Model):
    case = models.ForeignKey(Investigation, on_delete=models.CASCADE, related_name="files")
    file = models.FileField("文件", upload_to=case_file_path)
    name = models.CharField("文件名", max_length=200)
    size = models.PositiveIntegerField("大小（字节）")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField("上传时间", auto_now_add=True)

    class Meta:
        verbose_name = "核查材料"
        verbose_name_plural = "核查材料"
        ordering = ["uploaded_at", "id"]

    def __str__(self) -> str:
        return self.name

    @property
    def audit_region_code(self) -> str:
        return self.case.region_id
