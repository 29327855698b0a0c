"""Village buy-back (包村回购): an enterprise supplies seed or technique and guarantees a floor price.

Deliveries are kept here, append-only; a correction is a mirror row. When the enterprise is also registered
as an assisting unit (a private enterprise), each delivery is also a ledger purchase (buyer kind 民营企业),
linked here; otherwise it stays in this book only — see yigou/contracts/buyback.py for why.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models

from yigou.core.errors import DomainError
from yigou.core.models import TimeStamped
from yigou.market.enums import ProductCategory
from yigou.regions.models import Region

from ..enums import BuyBackStatus


class BuyBack(TimeStamped):
    title = models.CharField("回购项目名称", max_length=200)
    enterprise = models.ForeignKey(
        "registry.Producer", verbose_name="回购企业", on_delete=models.PROTECT, related_name="+"
    )
    buyer_unit = models.ForeignKey(
        "assist.AssistingUnit",
        verbose_name="企业对应的帮扶单位（民营企业）",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    name = models.CharField("回购产品", max_length=100)
    category = models.CharField("品类", max_length=16, choices=ProductCategory.choices)
    unit = models.CharField("单位", max_length=16)
    floor_price = models.DecimalField("保底收购价（元）", max_digits=12, decimal_places=2)
    season = models.CharField("产季", max_length=60)
    season_start = models.DateField("收购开始")
    season_end = models.DateField("收购结束")
    support = models.TextField("提供的种苗/技术")
    status = models.CharField(
        "状态", max_length=16, choices=BuyBackStatus.choices, default=BuyBackStatus.ACTIVE, db_index=True
    )
    home_region = models.ForeignKey(
        Region, verbose_name="所在区域", on_delete=models.PROTECT, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="登记人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = "包村回购"
        verbose_name_plural = "包村回购"
        ordering = ["-season_start", "-id"]

    def __str__(self) -> str:
        return self.title

    @property
    def audit_region_code(self) -> str:
        return self.home_region_id

    @property
    def in_ledger(self) -> bool:
        return self.buyer_unit_id is not None


class BuyBackVillage(models.Model):
    buyback = models.ForeignKey(BuyBack, on_delete=models.CASCADE, related_name="villages")
    village = models.ForeignKey(Region, verbose_name="回购村", on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = "回购村"
        verbose_name_plural = "回购村"
        constraints = [models.UniqueConstraint(fields=["buyback", "village"], name="buyback_village_once")]

    def __str__(self) -> str:
        return str(self.village_id)


class BuyBackHousehold(models.Model):
    buyback = models.ForeignKey(BuyBack, on_delete=models.CASCADE, related_name="households")
    household = models.ForeignKey(
        "registry.Household", verbose_name="参与农户", on_delete=models.PROTECT, related_name="+"
    )
    enrolled_on = models.DateField("加入日期")
    note = models.CharField("说明（种植面积等）", max_length=200, blank=True)

    class Meta:
        verbose_name = "回购参与农户"
        verbose_name_plural = "回购参与农户"
        ordering = ["buyback_id", "id"]
        constraints = [
            models.UniqueConstraint(fields=["buyback", "household"], name="buyback_household_once")
        ]

    def __str__(self) -> str:
        return f"{self.buyback_id}→{self.household_id}"


class BuyBackDelivery(models.Model):
    buyback = models.ForeignKey(BuyBack, on_delete=models.PROTECT, related_name="deliveries")
    household = models.ForeignKey(
        "registry.Household", verbose_name="交售农户", on_delete=models.PROTECT, related_name="+"
    )
    date = models.DateField("交售日期")
    quantity = models.DecimalField("数量", max_digits=14, decimal_places=3)
    unit_price = models.DecimalField("收购价（元）", max_digits=12, decimal_places=2)
    amount = models.DecimalField("金额（元）", max_digits=14, decimal_places=2)
    purchase = models.OneToOneField(
        "ledger.Purchase",
        verbose_name="台账记录",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    reverses = models.OneToOneField(
        "self",
        verbose_name="冲销的记录",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reversal",
    )
    note = models.CharField("备注", max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="登记人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    recorded_at = models.DateTimeField("登记时间", auto_now_add=True)

    class Meta:
        verbose_name = "回购交售记录"
        verbose_name_plural = "回购交售记录"
        ordering = ["buyback_id", "date", "id"]

    def __str__(self) -> str:
        return f"{self.date} {self.quantity}×{self.unit_price}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise DomainError("ledger_append_only")
        super().save(*args, **kwargs)
