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

from .enums import Component, SecurityItem, Source

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
