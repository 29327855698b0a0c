"""Registered households with their status history, and the producers that lift them."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models

from yigou.core.errors import DomainError
from yigou.core.fields import EncryptedTextField
from yigou.core.models import TimeStamped
from yigou.regions.models import Region

from .enums import (
    EnterpriseGrade,
    EventKind,
    EventSource,
    Health,
    HouseholdStatus,
    IdentificationStepKind,
    Labour,
    Mechanism,
    MonitorType,
    ProducerKind,
    Relation,
    Sex,
)


class AppendOnly(models.Model):
    """History rows: written once by a service; a correction is a new row, never an edit."""

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None and not kwargs.pop("allow_update", False):
            raise DomainError("invalid_input", detail="历史记录只能追加，不能修改")
        super().save(*args, **kwargs)


class Household(TimeStamped):
    number = models.CharField("户编号", max_length=32, unique=True)
    village = models.ForeignKey(
        Region, verbose_name="所在村", on_delete=models.PROTECT, related_name="households"
    )
    county_code = models.CharField("所在县代码", max_length=12, db_index=True)
    head_name = models.CharField("户主姓名", max_length=60, db_index=True)
    head_initials = models.CharField("户主拼音首字母", max_length=20, db_index=True)
    address = models.CharField("住址", max_length=200, blank=True)
    phone = EncryptedTextField("联系电话", blank=True)
    size = models.PositiveSmallIntegerField("家庭人口", default=0)
    # Both derived from the status history by the services; never set by hand.
    status = models.CharField(
        "当前状态",
        max_length=16,
        choices=HouseholdStatus.choices,
        default=HouseholdStatus.NON_POOR,
        db_index=True,
    )
    monitor_type = models.CharField(
        "监测类型", max_length=16, choices=MonitorType.choices, default=MonitorType.NONE, blank=True
    )

    class Meta:
        verbose_name = "农户"
        verbose_name_plural = "农户"
        ordering = ["village_id", "number"]
        indexes = [
            models.Index(fields=["county_code", "status"]),
            # Subtree filters are `village_id LIKE '510903%'`: pattern ops let PostgreSQL use the index
            # whatever the database collation (other backends ignore opclasses).
            models.Index(
                fields=["village"], name="household_village_prefix", opclasses=["varchar_pattern_ops"]
            ),
        ]

    def __str__(self) -> str:
        return f"{self.head_name}户（{self.number}）"

    @property
    def audit_region_code(self) -> str:
        return self.village_id


class Member(TimeStamped):
    household = models.ForeignKey(
        Household, verbose_name="农户", on_delete=models.CASCADE, related_name="members"
    )
    name = models.CharField("姓名", max_length=60, db_index=True)
    name_initials = models.CharField("拼音首字母", max_length=20, db_index=True)
    relation = models.CharField("与户主关系", max_length=16, choices=Relation.choices)
    sex = models.CharField("性别", max_length=8, choices=Sex.choices)
    birth_date = models.DateField("出生日期")
    id_number = EncryptedTextField("身份证号")
    id_hash = models.CharField("身份证号索引", max_length=64, unique=True, editable=False)
    id_tail = models.CharField("身份证号后四位", max_length=4, db_index=True, editable=False)
    labour = models.CharField("劳动能力", max_length=16, choices=Labour.choices, default=Labour.ORDINARY)
    health = EncryptedTextField("健康状况", blank=True)

    class Meta:
        verbose_name = "家庭成员"
        verbose_name_plural = "家庭成员"
        ordering = ["household_id", "id"]

    def __str__(self) -> str:
        return self.name

    @property
    def is_head(self) -> bool:
        return self.relation == Relation.HEAD

    @property
    def health_label(self) -> str:
        return Health(self.health).label if self.health in Health.values else (self.health or "")

    @property
    def audit_region_code(self) -> str:
        return self.household.village_id


class StatusEvent(AppendOnly):
    household = models.ForeignKey(
        Household, verbose_name="农户", on_delete=models.CASCADE, related_name="events"
    )
    kind = models.CharField("事件", max_length=24, choices=EventKind.choices)
    date = models.DateField("日期")
    reason = models.CharField("原因/依据", max_length=500, blank=True)
    monitor_type = models.CharField("监测类型", max_length=16, choices=MonitorType.choices, blank=True)
    source = models.CharField("来源", max_length=16, choices=EventSource.choices, default=EventSource.MANUAL)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="登记人", null=True, blank=True, on_delete=models.PROTECT
    )
    recorded_at = models.DateTimeField("登记时间", auto_now_add=True)

    class Meta:
        verbose_name = "状态事件"
        verbose_name_plural = "状态事件"
        ordering = ["household_id", "date", "id"]

    def __str__(self) -> str:
        return f"{self.date} {self.get_kind_display()}"

    @property
    def audit_region_code(self) -> str:
        return self.household.village_id


class IdentificationStep(AppendOnly):
    household = models.ForeignKey(
        Household, verbose_name="农户", on_delete=models.CASCADE, related_name="identification_steps"
    )
    step = models.CharField("程序步骤", max_length=24, choices=IdentificationStepKind.choices)
    date = models.DateField("日期")
    note = models.CharField("说明", max_length=500, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="登记人", null=True, blank=True, on_delete=models.PROTECT
    )
    recorded_at = models.DateTimeField("登记时间", auto_now_add=True)

    class Meta:
        verbose_name = "识别程序"
        verbose_name_plural = "识别程序"
        ordering = ["household_id", "date", "id"]

    def __str__(self) -> str:
        return f"{self.date} {self.get_step_display()}"


def evidence_path(instance: EvidenceFile, filename: str) -> str:
    return f"evidence/{instance.household.county_code[:6]}/{instance.household_id}/{filename}"


class EvidenceFile(models.Model):
    household = models.ForeignKey(
        Household, verbose_name="农户", on_delete=models.CASCADE, related_name="evidence"
    )
    step = models.ForeignKey(
        IdentificationStep,
        verbose_name="程序步骤",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="files",
    )
    event = models.ForeignKey(
        StatusEvent,
        verbose_name="状态事件",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="files",
    )
    file = models.FileField("文件", upload_to=evidence_path)
    name = models.CharField("文件名", max_length=200)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT)
    uploaded_at = models.DateTimeField("上传时间", auto_now_add=True)

    class Meta:
        verbose_name = "佐证材料"
        verbose_name_plural = "佐证材料"

    def __str__(self) -> str:
        return self.name


class Producer(TimeStamped):
    kind = models.CharField("主体类型", max_length=16, choices=ProducerKind.choices, db_index=True)
    name = models.CharField("名称", max_length=200, db_index=True)
    name_initials = models.CharField("拼音首字母", max_length=60, db_index=True, blank=True)
    uscc = models.CharField("统一社会信用代码", max_length=18, unique=True, null=True, blank=True)
    region = models.ForeignKey(
        Region, verbose_name="所在区划", on_delete=models.PROTECT, related_name="producers"
    )
    county_code = models.CharField("所在县代码", max_length=12, db_index=True)
    household = models.OneToOneField(
        Household,
        verbose_name="对应农户",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="seller",
    )
    grade = models.CharField("龙头企业级别", max_length=16, choices=EnterpriseGrade.choices, blank=True)
    contact_name = models.CharField("联系人", max_length=60, blank=True)
    contact_phone = EncryptedTextField("联系电话", blank=True)
    address = models.CharField("地址", max_length=200, blank=True)
    main_products = models.CharField("主营产品", max_length=300, blank=True)
    is_active = models.BooleanField("有效", default=True)

    class Meta:
        verbose_name = "经营主体"
        verbose_name_plural = "经营主体"
        ordering = ["region_id", "name"]
        indexes = [
            models.Index(fields=["region"], name="producer_region_prefix", opclasses=["varchar_pattern_ops"])
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def audit_region_code(self) -> str:
        return self.region_id


class CoopMember(TimeStamped):
    producer = models.ForeignKey(
        Producer, verbose_name="合作社", on_delete=models.CASCADE, related_name="members"
    )
    household = models.ForeignKey(
        Household,
        verbose_name="农户",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="coop_memberships",
    )
    name = models.CharField("社员姓名", max_length=100)
    shares = models.DecimalField("股份（份）", max_digits=12, decimal_places=2, default=0)
    capital = models.DecimalField("出资额（元）", max_digits=14, decimal_places=2, default=0)
    joined_on = models.DateField("入社日期")
    left_on = models.DateField("退社日期", null=True, blank=True)

    class Meta:
        verbose_name = "合作社社员"
        verbose_name_plural = "合作社社员"
        ordering = ["producer_id", "id"]

    def __str__(self) -> str:
        return self.name


class Linkage(TimeStamped):
    """利益联结: how a producer raises one household's income, and over which dates."""

    producer = models.ForeignKey(
        Producer, verbose_name="经营主体", on_delete=models.CASCADE, related_name="linkages"
    )
    household = models.ForeignKey(
        Household, verbose_name="农户", on_delete=models.PROTECT, related_name="linkages"
    )
    mechanism = models.CharField("带贫方式", max_length=16, choices=Mechanism.choices)
    start = models.DateField("开始日期")
    end = models.DateField("结束日期", null=True, blank=True)
    expected_income = models.DecimalField(
        "预计年增收（元）", max_digits=12, decimal_places=2, null=True, blank=True
    )
    note = models.CharField("说明", max_length=300, blank=True)

    class Meta:
        verbose_name = "带贫联结"
        verbose_name_plural = "带贫联结"
        ordering = ["producer_id", "household_id", "start"]

    def __str__(self) -> str:
        return f"{self.producer} → {self.household}（{self.get_mechanism_display()}）"

    @property
    def audit_region_code(self) -> str:
        return self.producer.region_id
