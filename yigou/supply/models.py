"""The supply book (供给台账: what households, villages and producers expect to sell), the demand book (需求台账:
what units, canteens, enterprises and people want) and the unsold-produce warnings the daily scan raises.

An entry belongs to the village it is grown in; its seller is one household, one producer, or the village as a
whole (a village's collective stock). Sold and ordered quantities are never stored here: the scan reads them from
the ledger and from live orders each time, so a sale or a refund changes the warning on the next scan.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from yigou.core.models import TimeStamped
from yigou.market.enums import ProductCategory
from yigou.regions.models import Region

from .enums import Level, Storage


class SupplyEntry(TimeStamped):
    village = models.ForeignKey(Region, verbose_name="所在村", on_delete=models.PROTECT, related_name="+")
    county_code = models.CharField("所在县代码", max_length=12, db_index=True)
    household = models.ForeignKey(
        "registry.Household",
        verbose_name="农户",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    producer = models.ForeignKey(
        "registry.Producer",
        verbose_name="经营主体",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    product = models.ForeignKey(
        "market.Product",
        verbose_name="认定产品",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    name = models.CharField("品名", max_length=100)
    category = models.CharField("品类", max_length=16, choices=ProductCategory.choices)
    unit = models.CharField("单位", max_length=16)
    quantity = models.DecimalField("预计可售数量", max_digits=14, decimal_places=3)
    available_from = models.DateField("上市开始")
    available_to = models.DateField("上市结束")
    expected_price = models.DecimalField(
        "预期单价（元）", max_digits=12, decimal_places=2, null=True, blank=True
    )
    keeps_days = models.PositiveIntegerField("保鲜天数", help_text="上市后多少天内不售出即变质")
    storage = models.CharField("储存方式", max_length=16, choices=Storage.choices, default=Storage.AMBIENT)
    contact_name = models.CharField("联系人", max_length=60, blank=True)
    contact_phone = models.CharField("联系电话", max_length=20, blank=True)
    season = models.PositiveSmallIntegerField("年度")
    note = models.CharField("说明", max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="登记人", null=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = "供给台账"
        verbose_name_plural = "供给台账"
        ordering = ["available_to", "id"]
        indexes = [
            models.Index(fields=["village"], name="supply_village_prefix", opclasses=["varchar_pattern_ops"]),
            models.Index(fields=["available_to", "available_from"]),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gt=0), name="supply_quantity_positive"),
            models.CheckConstraint(
                condition=Q(available_to__gte=F("available_from")), name="supply_window_ordered"
            ),
            models.CheckConstraint(
                condition=~(Q(household__isnull=False) & Q(producer__isnull=False)), name="supply_one_seller"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} {self.quantity}{self.unit}"

    @property
    def audit_region_code(self) -> str:
        return self.village_id

    @property
    def spoils_on(self) -> dt.date:
        return self.available_from + dt.timedelta(days=self.keeps_days)

    @property
    def last_day(self) -> dt.date:
        """The day after which what is left is no longer sellable: the window's end or spoilage, whichever first."""
        return min(self.available_to, self.spoils_on)


class DemandEntry(TimeStamped):
    """A standing wish to buy; a budget unit's reserved share not yet spent is demand without an entry."""

    region = models.ForeignKey(Region, verbose_name="所在区划", on_delete=models.PROTECT, related_name="+")
    buyer_unit = models.ForeignKey(
        "assist.AssistingUnit",
        verbose_name="帮扶单位",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    buyer_producer = models.ForeignKey(
        "registry.Producer",
        verbose_name="企业",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    buyer_name = models.CharField("购买方", max_length=100)
    category = models.CharField("品类", max_length=16, choices=ProductCategory.choices)
    name = models.CharField("品名（可空：整个品类）", max_length=100, blank=True)
    unit = models.CharField("单位", max_length=16, blank=True)
    quantity = models.DecimalField("需求数量", max_digits=14, decimal_places=3, null=True, blank=True)
    window_start = models.DateField("需求开始")
    window_end = models.DateField("需求结束")
    price_ceiling = models.DecimalField(
        "最高单价（元）", max_digits=12, decimal_places=2, null=True, blank=True
    )
    contact_name = models.CharField("联系人", max_length=60, blank=True)
    contact_phone = models.CharField("联系电话", max_length=20, blank=True)
    note = models.CharField("说明", max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="登记人", null=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = "需求台账"
        verbose_name_plural = "需求台账"
        ordering = ["window_end", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(window_end__gte=F("window_start")), name="demand_window_ordered"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.buyer_name} {self.name or self.get_category_display()}"

    @property
    def audit_region_code(self) -> str:
        return self.region_id


class Warning(TimeStamped):
    """The latest assessment of a supply entry by the scan: one row per entry, rewritten by each scan (so a
    scan run twice on the same day changes nothing); cleared when the entry no longer warrants a warning."""

    supply = models.OneToOneField(SupplyEntry, on_delete=models.CASCADE, related_name="warning")
    village = models.ForeignKey(Region, verbose_name="所在村", on_delete=models.PROTECT, related_name="+")
    level = models.CharField("级别", max_length=8, choices=Level.choices)
    scanned_on = models.DateField("监测日期")
    raised_on = models.DateField("首次预警日期")
    quantity_left = models.DecimalField("剩余数量", max_digits=14, decimal_places=3)
    days_left = models.IntegerField("剩余天数")
    reason = models.CharField("原因", max_length=500)

    class Meta:
        verbose_name = "滞销预警"
        verbose_name_plural = "滞销预警"
        ordering = ["-scanned_on", "id"]
        indexes = [
            models.Index(fields=["village"], name="warning_village_prefix", opclasses=["varchar_pattern_ops"])
        ]

    @property
    def audit_region_code(self) -> str:
        return self.village_id
