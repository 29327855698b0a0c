"""Outlets that sell poor households' products, and 以购助扶 activities (fairs, on-site purchases, …)."""

from __future__ import annotations

from django.db import models

from yigou.core.models import TimeStamped
from yigou.regions.models import Region

from ..enums import ActivityKind, OutletKind


class Outlet(TimeStamped):
    name = models.CharField("网点名称", max_length=200)
    kind = models.CharField("网点类型", max_length=16, choices=OutletKind.choices, db_index=True)
    region = models.ForeignKey(
        Region, verbose_name="所在区划", on_delete=models.PROTECT, related_name="outlets"
    )
    county_code = models.CharField("所在县代码", max_length=12, db_index=True)
    opened_on = models.DateField("开办日期")
    closed_on = models.DateField("关闭日期", null=True, blank=True)
    fees_waived = models.DecimalField("免收费用（元）", max_digits=14, decimal_places=2, default=0)
    operator = models.ForeignKey(
        "assist.AssistingUnit", verbose_name="开办单位", null=True, blank=True, on_delete=models.PROTECT
    )
    note = models.CharField("说明", max_length=300, blank=True)

    class Meta:
        verbose_name = "销售网点"
        verbose_name_plural = "销售网点"
        ordering = ["region_id", "kind", "name"]
        indexes = [
            models.Index(fields=["region"], name="outlet_region_prefix", opclasses=["varchar_pattern_ops"])
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def audit_region_code(self) -> str:
        return self.region_id


class Activity(TimeStamped):
    title = models.CharField("活动名称", max_length=200)
    kind = models.CharField("活动类型", max_length=16, choices=ActivityKind.choices)
    date = models.DateField("日期", db_index=True)
    region = models.ForeignKey(
        Region, verbose_name="举办地", on_delete=models.PROTECT, related_name="activities"
    )
    county_code = models.CharField("所在县代码", max_length=12, db_index=True)
    organiser = models.ForeignKey(
        "assist.AssistingUnit", verbose_name="组织单位", null=True, blank=True, on_delete=models.PROTECT
    )
    organiser_name = models.CharField("组织单位（未登记）", max_length=200, blank=True)
    note = models.CharField("说明", max_length=300, blank=True)

    class Meta:
        verbose_name = "以购助扶活动"
        verbose_name_plural = "以购助扶活动"
        ordering = ["-date", "region_id"]
        indexes = [
            models.Index(fields=["region"], name="activity_region_prefix", opclasses=["varchar_pattern_ops"])
        ]

    def __str__(self) -> str:
        return f"{self.date} {self.title}"

    @property
    def audit_region_code(self) -> str:
        return self.region_id
