"""The supply book (供给台账: what households, villages and producers expect to sell), the demand book (需求台账:
what units, canteens, enterprises and people want) and the unsold-produce warnings the daily scan raises.

An entry belongs to the village it is grown in; its seller is one household, one producer, or the village as a
whole (a village's collective stock). Sold and ordered quantities are never stored here: the scan reads them from
the ledger and from live orders each time, so a sale or a refund changes the warning on the next scan.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from yigou.core.models import TimeStamped
from yigou.market.enums import ProductCategory
from yigou.regions.models import Region

from .enums import CaseStatus, CaseStep, CloseReason, Level, Storage


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
    """The latest assessment of one thing at risk by the scan: a supply entry, or a pre-sale item with stock left
    near its closing. One row per subject, rewritten by each scan (so a scan run twice on the same day changes
    nothing); when the subject no longer warrants a warning the row is kept as cleared, so a case can still
    name the warning it was opened for."""

    supply = models.OneToOneField(
        SupplyEntry, null=True, blank=True, on_delete=models.CASCADE, related_name="warning"
    )
    presale_item = models.OneToOneField(
        "market.PreSaleItem", null=True, blank=True, on_delete=models.CASCADE, related_name="warning"
    )
    # Indexed once, by warning_village_prefix (which serves equality too), not again by the foreign key.
    village = models.ForeignKey(
        Region, verbose_name="所在村", on_delete=models.PROTECT, related_name="+", db_index=False
    )
    product = models.CharField("品名", max_length=100, default="")
    unit = models.CharField("单位", max_length=16, default="")
    level = models.CharField("级别", max_length=8, choices=Level.choices)
    scanned_on = models.DateField("监测日期")
    raised_on = models.DateField("首次预警日期")
    cleared_on = models.DateField("解除日期", null=True, blank=True, db_index=True)
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
        constraints = [
            models.CheckConstraint(
                condition=(Q(supply__isnull=False) & Q(presale_item__isnull=True))
                | (Q(supply__isnull=True) & Q(presale_item__isnull=False)),
                name="warning_one_subject",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_level_display()} {self.product}"

    @property
    def audit_region_code(self) -> str:
        return self.village_id

    @property
    def is_open(self) -> bool:
        return self.cleared_on is None


class Case(TimeStamped):
    """A quick-response case (快速响应): opened for a 预警 or 严重 warning, routed to the office that answers for it,
    with a deadline; escalated to the office above when overdue; closed by itself when what was left is sold, or
    by hand with a reason. What the case is about is copied from the warning when it opens, so the case reads
    the same whether its subject was a supply entry or a pre-sale item."""

    number = models.CharField("案件编号", max_length=20, unique=True)
    warning = models.ForeignKey(Warning, verbose_name="预警", on_delete=models.PROTECT, related_name="cases")
    village = models.ForeignKey(Region, verbose_name="所在村", on_delete=models.PROTECT, related_name="+")
    office = models.ForeignKey(
        Region, verbose_name="责任单位（区划）", on_delete=models.PROTECT, related_name="+"
    )
    handler = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="责任人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    level = models.CharField("级别", max_length=8, choices=Level.choices)
    status = models.CharField("状态", max_length=8, choices=CaseStatus.choices, default=CaseStatus.OPEN)
    product = models.CharField("品名", max_length=100)
    category = models.CharField("品类", max_length=16, choices=ProductCategory.choices)
    unit = models.CharField("单位", max_length=16)
    seller_household = models.ForeignKey(
        "registry.Household", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    seller_producer = models.ForeignKey(
        "registry.Producer", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    quantity = models.DecimalField("待销数量", max_digits=14, decimal_places=3)
    expected_price = models.DecimalField(
        "预期单价（元）", max_digits=12, decimal_places=2, null=True, blank=True
    )
    last_day = models.DateField("最后可售日")
    opened_at = models.DateTimeField("立案时间")
    deadline = models.DateTimeField("处置时限")
    escalations = models.PositiveSmallIntegerField("逐级上报次数", default=0)
    presale_list = models.ForeignKey(
        "market.PreSaleList",
        verbose_name="发布的预售清单",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    rescued_quantity = models.DecimalField("已帮销数量", max_digits=14, decimal_places=3, default=0)
    rescued_value = models.DecimalField("已帮销金额（元）", max_digits=14, decimal_places=2, default=0)
    closed_at = models.DateTimeField("结案时间", null=True, blank=True)
    close_reason = models.CharField("结案方式", max_length=12, choices=CloseReason.choices, blank=True)
    close_note = models.CharField("结案说明", max_length=500, blank=True)

    class Meta:
        verbose_name = "快速响应案件"
        verbose_name_plural = "快速响应案件"
        ordering = ["-opened_at", "-id"]
        indexes = [
            models.Index(fields=["village"], name="case_village_prefix", opclasses=["varchar_pattern_ops"]),
            models.Index(fields=["status", "deadline"]),
        ]
        constraints = [
            # One open case per warning: the scan may run many times a day.
            models.UniqueConstraint(
                fields=["warning"], condition=Q(status="open"), name="case_one_open_per_warning"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.product}"

    @property
    def audit_region_code(self) -> str:
        return self.village_id

    @property
    def is_open(self) -> bool:
        return self.status == CaseStatus.OPEN

    def overdue(self, now: dt.datetime) -> bool:
        return self.is_open and self.deadline < now

    @property
    def left(self) -> Decimal:
        return max(self.quantity - self.rescued_quantity, Decimal("0"))


class CaseEvent(models.Model):
    """One step of a case, in order: opened, raised, escalated, assigned, published, notified, refreshed, closed."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField("时间")
    kind = models.CharField("环节", max_length=12, choices=CaseStep.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    office = models.ForeignKey(Region, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    text = models.CharField("说明", max_length=500)

    class Meta:
        verbose_name = "案件处置记录"
        verbose_name_plural = "案件处置记录"
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.text[:40]}"

    @property
    def audit_region_code(self) -> str:
        return self.case.village_id
