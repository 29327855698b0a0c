"""The household income card (收入台账), the annual checks of 两不愁三保障 and drinking water, and the monitoring
lines (防止返贫监测线) per province and year.

Income entries are append-only: a wrong entry is corrected by an offsetting entry that names it (`corrects`), and
the card is always the sum of what was written. Income from consumption-assistance sales is never copied here —
the card reads it live from the ledger's beneficiary rows, whose reversals are negative rows.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models

from yigou.core.errors import DomainError
from yigou.core.fields import EncryptedTextField
from yigou.core.models import TimeStamped
from yigou.registry.enums import MonitorType

from .enums import (
    CaseStatus,
    Channel,
    Component,
    DeclarationStatus,
    MeasureKind,
    MeasureStatus,
    Phase,
    RiskType,
    SecurityItem,
    Source,
    StepKind,
)

NATIONAL = "000000000000"  # the province code of a national monitoring line


class AppendOnlyRecord(models.Model):
    """Written once by a service; a correction is a new row, never an edit or a deletion."""

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise DomainError("invalid_input", detail="收入台账只能追加：更正请登记冲正记录，不能修改原记录")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise DomainError("invalid_input", detail="收入台账只能追加：更正请登记冲正记录，不能删除原记录")


def evidence_path(instance: IncomeEntry, filename: str) -> str:
    return f"income/{instance.household.county_code[:6]}/{instance.household_id}/{instance.year}/{filename}"


class IncomeEntry(AppendOnlyRecord):
    household = models.ForeignKey(
        "registry.Household", verbose_name="农户", on_delete=models.PROTECT, related_name="income_entries"
    )
    year = models.PositiveSmallIntegerField("年度")
    component = models.CharField("收入构成", max_length=16, choices=Component.choices)
    amount = models.DecimalField("金额（元）", max_digits=14, decimal_places=2)
    source = models.CharField("来源", max_length=16, choices=Source.choices)
    note = models.TextField("说明/依据", blank=True)
    evidence = models.FileField("佐证材料", upload_to=evidence_path, blank=True)
    corrects = models.OneToOneField(
        "self",
        verbose_name="冲正的记录",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="correction",
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="登记人", null=True, blank=True, on_delete=models.PROTECT
    )
    recorded_at = models.DateTimeField("登记时间", auto_now_add=True)

    class Meta:
        verbose_name = "收入记录"
        verbose_name_plural = "收入记录"
        ordering = ["household_id", "year", "id"]
        indexes = [models.Index(fields=["year", "household"])]

    def __str__(self) -> str:
        sign = "冲正 " if self.corrects_id else ""
        return f"{sign}{self.year}年 {self.get_component_display()} {self.amount}元"

    @property
    def audit_region_code(self) -> str:
        return self.household.village_id


class SecurityCheck(AppendOnlyRecord):
    """One check of one item for one household and year; the latest check of an item is what stands."""

    household = models.ForeignKey(
        "registry.Household", verbose_name="农户", on_delete=models.PROTECT, related_name="security_checks"
    )
    year = models.PositiveSmallIntegerField("年度")
    item = models.CharField("保障事项", max_length=16, choices=SecurityItem.choices)
    ok = models.BooleanField("已达标")
    evidence = models.TextField("核查依据", blank=True)
    checked_on = models.DateField("核查日期")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="登记人", null=True, blank=True, on_delete=models.PROTECT
    )
    recorded_at = models.DateTimeField("登记时间", auto_now_add=True)

    class Meta:
        verbose_name = "三保障核查"
        verbose_name_plural = "三保障核查"
        ordering = ["household_id", "year", "item", "checked_on", "id"]
        indexes = [models.Index(fields=["year", "household", "item"])]

    def __str__(self) -> str:
        return f"{self.year}年 {self.get_item_display()} {'达标' if self.ok else '未达标'}"

    @property
    def audit_region_code(self) -> str:
        return self.household.village_id


class MonitoringLine(models.Model):
    """The per-capita net income line of one province and year, set by the province (a table, not code). A row
    with province code 000000000000 is the national line, used where a province has none."""

    year = models.PositiveSmallIntegerField("年度")
    province_code = models.CharField("省级区划代码", max_length=12, help_text="12 位，如 510000000000")
    amount = models.DecimalField("监测线（元/人·年）", max_digits=10, decimal_places=2)
    note = models.CharField("说明", max_length=200, blank=True)

    class Meta:
        verbose_name = "防止返贫监测线"
        verbose_name_plural = "防止返贫监测线"
        ordering = ["province_code", "year"]
        constraints = [
            models.UniqueConstraint(fields=["year", "province_code"], name="monitoring_line_year_province")
        ]

    def __str__(self) -> str:
        return f"{self.province_code} {self.year}年 {self.amount}元"


# --- 防止返贫动态监测 ---


class MonitoringCase(TimeStamped):
    """One household's monitoring (监测对象): found through a channel, identified by the ordered steps, helped by
    measures, cleared by the review steps again. Status and group change only through yigou.income.procedure; the
    household's own `monitor_type` follows from the status events the announcements record."""

    household = models.ForeignKey(
        "registry.Household", verbose_name="农户", on_delete=models.PROTECT, related_name="monitoring_cases"
    )
    group = models.CharField(
        "监测类型",
        max_length=16,
        choices=[c for c in MonitorType.choices if c[0]],  # never "none"
    )
    risks = models.JSONField(
        "风险类型", default=list, help_text=f"{'、'.join(RiskType.labels)} 中的一项或多项"
    )
    channel = models.CharField("发现渠道", max_length=16, choices=Channel.choices)
    discovered_on = models.DateField("发现日期")
    status = models.CharField(
        "状态", max_length=16, choices=CaseStatus.choices, default=CaseStatus.IDENTIFYING
    )
    phase = models.CharField("所处程序", max_length=16, choices=Phase.choices, default=Phase.IDENTIFY)
    note = models.TextField("发现情况", blank=True)
    end_reason = models.CharField("不予纳入/消除原因", max_length=500, blank=True)
    started_on = models.DateField("纳入监测日期", null=True, blank=True)
    ended_on = models.DateField("风险消除日期", null=True, blank=True)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="登记人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = "监测对象"
        verbose_name_plural = "监测对象"
        ordering = ["-discovered_on", "-id"]
        indexes = [models.Index(fields=["status", "household"])]

    def __str__(self) -> str:
        return f"{self.household} {self.get_group_display()}（{self.get_status_display()}）"

    @property
    def audit_region_code(self) -> str:
        return self.household.village_id

    @property
    def risk_labels(self) -> list[str]:
        return [RiskType(r).label for r in self.risks if r in RiskType.values]


class CaseStep(AppendOnlyRecord):
    """One step of a case's procedure as it was done: date, decision, note, and its evidence files."""

    case = models.ForeignKey(
        MonitoringCase, verbose_name="监测对象", on_delete=models.PROTECT, related_name="steps"
    )
    phase = models.CharField("程序", max_length=16, choices=Phase.choices)
    step = models.CharField("步骤", max_length=24, choices=StepKind.choices)
    date = models.DateField("日期")
    approved = models.BooleanField("通过", default=True)
    note = models.TextField("说明/意见", blank=True)
    notice_until = models.DateField("公示截止日期", null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="办理人", null=True, blank=True, on_delete=models.PROTECT
    )
    recorded_at = models.DateTimeField("登记时间", auto_now_add=True)

    class Meta:
        verbose_name = "监测程序步骤"
        verbose_name_plural = "监测程序步骤"
        ordering = ["case_id", "id"]

    def __str__(self) -> str:
        return f"{self.date} {self.get_phase_display()}·{self.get_step_display()}"

    @property
    def audit_region_code(self) -> str:
        return self.case.household.village_id


def step_file_path(instance: StepFile, filename: str) -> str:
    household = instance.step.case.household
    return f"monitoring/{household.county_code[:6]}/{household.pk}/{instance.step.case_id}/{filename}"


class StepFile(models.Model):
    step = models.ForeignKey(
        CaseStep, verbose_name="程序步骤", on_delete=models.PROTECT, related_name="files"
    )
    file = models.FileField("文件", upload_to=step_file_path)
    name = models.CharField("文件名", max_length=200)
    uploaded_at = models.DateTimeField("上传时间", auto_now_add=True)

    class Meta:
        verbose_name = "程序佐证材料"
        verbose_name_plural = "程序佐证材料"
        ordering = ["step_id", "id"]

    def __str__(self) -> str:
        return self.name


class Measure(TimeStamped):
    """A help measure (帮扶措施) of a case with its responsible cadre and deadline; overdue = open past deadline."""

    case = models.ForeignKey(
        MonitoringCase, verbose_name="监测对象", on_delete=models.PROTECT, related_name="measures"
    )
    kind = models.CharField("措施类型", max_length=16, choices=MeasureKind.choices)
    description = models.TextField("措施内容")
    cadre = models.ForeignKey(
        "assist.Cadre", verbose_name="责任干部", on_delete=models.PROTECT, related_name="monitoring_measures"
    )
    started_on = models.DateField("开始日期")
    deadline = models.DateField("完成期限")
    status = models.CharField(
        "状态", max_length=16, choices=MeasureStatus.choices, default=MeasureStatus.OPEN
    )
    closed_on = models.DateField("完成/取消日期", null=True, blank=True)
    result = models.TextField("实施结果", blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="登记人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = "帮扶措施"
        verbose_name_plural = "帮扶措施"
        ordering = ["case_id", "started_on", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}（{self.get_status_display()}，期限 {self.deadline}）"

    @property
    def audit_region_code(self) -> str:
        return self.case.household.village_id


class FollowUp(AppendOnlyRecord):
    """One follow-up visit of a measure and when the next one is due."""

    measure = models.ForeignKey(
        Measure, verbose_name="帮扶措施", on_delete=models.PROTECT, related_name="follow_ups"
    )
    date = models.DateField("走访日期")
    note = models.TextField("走访情况")
    next_due = models.DateField("下次走访日期", null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="登记人", null=True, blank=True, on_delete=models.PROTECT
    )
    recorded_at = models.DateTimeField("登记时间", auto_now_add=True)

    class Meta:
        verbose_name = "帮扶走访"
        verbose_name_plural = "帮扶走访"
        ordering = ["measure_id", "date", "id"]

    def __str__(self) -> str:
        return f"{self.date} 走访"

    @property
    def audit_region_code(self) -> str:
        return self.measure.case.household.village_id


class Declaration(TimeStamped):
    """A household's self-declaration (农户自主申报) from the public form. The ID number and phone are encrypted; the
    ID's keyed hash finds the registered member. An unmatched declaration belongs to the county its ID number was
    issued in (the first six digits), so that county's office checks it."""

    reference = models.CharField("受理编号", max_length=32, unique=True)
    name = EncryptedTextField("申报人姓名")
    id_number = EncryptedTextField("身份证号")
    id_hash = models.CharField("身份证号索引", max_length=64, db_index=True, editable=False)
    phone = EncryptedTextField("联系电话")
    risk_type = models.CharField("风险类型", max_length=24, choices=RiskType.choices)
    description = models.TextField("困难情况")
    member = models.ForeignKey(
        "registry.Member", verbose_name="匹配的家庭成员", null=True, blank=True, on_delete=models.SET_NULL
    )
    household = models.ForeignKey(
        "registry.Household",
        verbose_name="匹配的农户",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="declarations",
    )
    county_code = models.CharField("核实县代码", max_length=12, db_index=True)
    status = models.CharField(
        "状态", max_length=16, choices=DeclarationStatus.choices, default=DeclarationStatus.NEW
    )
    case = models.ForeignKey(
        MonitoringCase,
        verbose_name="监测对象",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    handled_note = models.CharField("处理说明", max_length=500, blank=True)

    class Meta:
        verbose_name = "农户自主申报"
        verbose_name_plural = "农户自主申报"
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"申报 {self.reference}"

    @property
    def audit_region_code(self) -> str:
        return self.household.village_id if self.household is not None else self.county_code

    @property
    def matched(self) -> bool:
        return self.household_id is not None
