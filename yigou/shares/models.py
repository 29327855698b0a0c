"""Reserved-share floors per region and year, and each budget unit's yearly filing.

Completion is never stored: it is summed from the ledger (paid, on-platform purchases) when a page asks.
The links that decide whose purchases count to a filing live here, not on the unit or ledger models:
merged units (`host`), the union registered as its own assisting unit (`union_unit`), and the contractor of
an outsourced canteen (`contractor_unit` or `contractor_user`).
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models

from yigou.core.models import TimeStamped
from yigou.regions.models import Region

from .enums import CanteenMode, FilingStatus

ZERO = Decimal("0.00")


class ShareFloor(TimeStamped):
    """The lowest reserved ratio (percent) for budget units in a region; the most specific region wins."""

    region = models.ForeignKey(Region, verbose_name="区划", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField("年度")
    ratio = models.DecimalField("最低预留比例（%）", max_digits=5, decimal_places=2)
    note = models.CharField("依据", max_length=300, blank=True)

    class Meta:
        verbose_name = "预留比例下限"
        verbose_name_plural = "预留比例下限"
        ordering = ["year", "region_id"]
        constraints = [models.UniqueConstraint(fields=["region", "year"], name="share_floor_region_year")]

    def __str__(self) -> str:
        return f"{self.region_id} {self.year}年 {self.ratio}%"

    @property
    def audit_region_code(self) -> str:
        return self.region_id


class ShareFiling(TimeStamped):
    unit = models.ForeignKey(
        "assist.AssistingUnit",
        verbose_name="预算单位",
        on_delete=models.PROTECT,
        related_name="share_filings",
    )
    year = models.PositiveSmallIntegerField("年度")
    mode = models.CharField("食堂情况", max_length=16, choices=CanteenMode.choices, default=CanteenMode.OWN)
    host = models.ForeignKey(
        "self",
        verbose_name="合并填报单位的填报",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="members",
    )
    canteen_total = models.DecimalField(
        "食堂食材采购总额（元）", max_digits=14, decimal_places=2, default=ZERO
    )
    ratio = models.DecimalField("预留比例（%）", max_digits=5, decimal_places=2, default=ZERO)
    reserved_amount = models.DecimalField("预留金额（元）", max_digits=14, decimal_places=2, default=ZERO)
    union_per_head = models.DecimalField("工会人均额度（元）", max_digits=10, decimal_places=2, default=ZERO)
    union_staff = models.PositiveIntegerField("工会职工人数", default=0)
    union_amount = models.DecimalField("工会份额（元）", max_digits=14, decimal_places=2, default=ZERO)
    union_unit = models.ForeignKey(
        "assist.AssistingUnit",
        verbose_name="工会（登记为单位）",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    contractor_unit = models.ForeignKey(
        "assist.AssistingUnit",
        verbose_name="食堂承包企业",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    contractor_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="食堂承包方账号",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    note = models.CharField("填报说明", max_length=500, blank=True)
    status = models.CharField(
        "状态", max_length=16, choices=FilingStatus.choices, default=FilingStatus.DRAFT, db_index=True
    )
    # Snapshots taken on submission and re-checked on review: what the reviewer is warned about.
    floor_ratio = models.DecimalField(
        "适用最低比例（%）", max_digits=5, decimal_places=2, null=True, blank=True
    )
    last_year_amount = models.DecimalField(
        "上年预留金额（元）", max_digits=14, decimal_places=2, null=True, blank=True
    )
    below_floor = models.BooleanField("低于最低比例", default=False)
    below_last_year = models.BooleanField("低于上年金额", default=False)
    submitted_at = models.DateTimeField("报送时间", null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="报送人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    reviewed_at = models.DateTimeField("审核时间", null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="审核人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    review_note = models.CharField("审核意见/退回原因", max_length=500, blank=True)

    class Meta:
        verbose_name = "预留份额填报"
        verbose_name_plural = "预留份额填报"
        ordering = ["-year", "unit_id"]
        constraints = [models.UniqueConstraint(fields=["unit", "year"], name="share_filing_unit_year")]
        indexes = [models.Index(fields=["year", "status"])]

    def __str__(self) -> str:
        return f"{self.unit} {self.year}年预留份额"

    @property
    def audit_region_code(self) -> str:
        return self.unit.region_id

    @property
    def target(self) -> Decimal:
        """What completion is measured against: the canteen's reserved amount plus the union part."""
        return Decimal(self.reserved_amount) + Decimal(self.union_amount)

    @property
    def flagged(self) -> bool:
        return self.below_floor or self.below_last_year
