"""Assisting units, their cadres, and who is paired with whom (结对帮扶)."""

from __future__ import annotations

from django.db import models

from yigou.core.fields import EncryptedTextField
from yigou.core.models import TimeStamped
from yigou.regions.models import Region
from yigou.registry.models import Household

from .enums import UnitKind


class AssistingUnit(TimeStamped):
    name = models.CharField("单位名称", max_length=200, db_index=True)
    name_initials = models.CharField("拼音首字母", max_length=60, blank=True, db_index=True)
    kind = models.CharField("单位类型", max_length=16, choices=UnitKind.choices)
    region = models.ForeignKey(
        Region, verbose_name="所在区划", on_delete=models.PROTECT, related_name="units"
    )
    uscc = models.CharField("统一社会信用代码", max_length=18, unique=True, null=True, blank=True)
    is_budget_unit = models.BooleanField("预算单位", default=False)
    has_canteen = models.BooleanField("有机关食堂", default=False)
    has_union = models.BooleanField("有工会", default=False)
    staff_count = models.PositiveIntegerField("职工人数", default=0)
    contact_name = models.CharField("联系人", max_length=60, blank=True)
    contact_phone = EncryptedTextField("联系电话", blank=True)
    address = models.CharField("地址", max_length=200, blank=True)

    class Meta:
        verbose_name = "帮扶单位"
        verbose_name_plural = "帮扶单位"
        ordering = ["region_id", "name"]

    def __str__(self) -> str:
        return self.name

    @property
    def audit_region_code(self) -> str:
        return self.region_id


class Cadre(TimeStamped):
    unit = models.ForeignKey(
        AssistingUnit, verbose_name="所在单位", on_delete=models.PROTECT, related_name="cadres"
    )
    name = models.CharField("姓名", max_length=60, db_index=True)
    name_initials = models.CharField("拼音首字母", max_length=20, blank=True, db_index=True)
    position = models.CharField("职务", max_length=100, blank=True)
    phone = EncryptedTextField("联系电话", blank=True)
    is_first_secretary = models.BooleanField("驻村第一书记", default=False)
    is_active = models.BooleanField("在岗", default=True)

    class Meta:
        verbose_name = "帮扶干部"
        verbose_name_plural = "帮扶干部"
        ordering = ["unit_id", "name"]

    def __str__(self) -> str:
        return self.name

    @property
    def audit_region_code(self) -> str:
        return self.unit.region_id


class UnitVillagePairing(TimeStamped):
    unit = models.ForeignKey(
        AssistingUnit, verbose_name="帮扶单位", on_delete=models.PROTECT, related_name="village_pairings"
    )
    village = models.ForeignKey(
        Region, verbose_name="结对村", on_delete=models.PROTECT, related_name="unit_pairings"
    )
    start = models.DateField("开始日期")
    end = models.DateField("结束日期", null=True, blank=True)
    note = models.CharField("说明", max_length=300, blank=True)

    class Meta:
        verbose_name = "单位结对村"
        verbose_name_plural = "单位结对村"
        ordering = ["village_id", "start"]

    def __str__(self) -> str:
        return f"{self.unit} ↔ {self.village}"

    @property
    def audit_region_code(self) -> str:
        return self.village_id


class CadreHouseholdPairing(TimeStamped):
    cadre = models.ForeignKey(
        Cadre, verbose_name="帮扶干部", on_delete=models.PROTECT, related_name="household_pairings"
    )
    household = models.ForeignKey(
        Household, verbose_name="结对农户", on_delete=models.PROTECT, related_name="cadre_pairings"
    )
    start = models.DateField("开始日期")
    end = models.DateField("结束日期", null=True, blank=True)

    class Meta:
        verbose_name = "干部结对户"
        verbose_name_plural = "干部结对户"
        ordering = ["household_id", "start"]

    def __str__(self) -> str:
        return f"{self.cadre} ↔ {self.household}"

    @property
    def audit_region_code(self) -> str:
        return self.household.village_id
