"""Village and producer pre-sale lists (预售清单): what is on offer, how much, when and how it is delivered."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from yigou.core.models import TimeStamped
from yigou.regions.models import Region

from ..enums import Delivery, ProductCategory


class PreSaleList(TimeStamped):
    """Published by a village (items sold by its households or producers) or by one producer."""

    title = models.CharField("清单名称", max_length=200)
    region = models.ForeignKey(Region, verbose_name="所在区划", on_delete=models.PROTECT, related_name="+")
    county_code = models.CharField("所在县代码", max_length=12, db_index=True)
    producer = models.ForeignKey(
        "registry.Producer",
        verbose_name="发布主体",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="presale_lists",
    )
    opens_on = models.DateField("开始接单")
    closes_on = models.DateField("截止接单")
    delivery = models.CharField("交付方式", max_length=16, choices=Delivery.choices, default=Delivery.BOTH)
    contact_name = models.CharField("联系人", max_length=60)
    contact_phone = models.CharField("联系电话", max_length=20)
    note = models.CharField("说明", max_length=500, blank=True)
    withdrawn = models.BooleanField("已撤回", default=False)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="发布人", null=True, blank=True, on_delete=models.PROTECT
    )

    class Meta:
        verbose_name = "预售清单"
        verbose_name_plural = "预售清单"
        ordering = ["-opens_on", "-id"]
        indexes = [
            models.Index(fields=["region"], name="presale_region_prefix", opclasses=["varchar_pattern_ops"]),
            models.Index(fields=["opens_on", "closes_on"]),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def audit_region_code(self) -> str:
        return self.region_id

    def is_open_on(self, day: dt.date) -> bool:
        return not self.withdrawn and self.opens_on <= day <= self.closes_on


class PreSaleItem(TimeStamped):
    """One offer on a list. `reserved` is held by live orders; it never exceeds `quantity` (checked in the DB too)."""

    presale_list = models.ForeignKey(PreSaleList, on_delete=models.PROTECT, related_name="items")
    product = models.ForeignKey(
        "market.Product",
        verbose_name="认定产品",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="offers",
    )
    name = models.CharField("品名", max_length=100)
    category = models.CharField("品类", max_length=16, choices=ProductCategory.choices)
    specification = models.CharField("规格", max_length=100, blank=True)
    unit = models.CharField("单位", max_length=16)
    unit_price = models.DecimalField("单价（元）", max_digits=12, decimal_places=2)
    quantity = models.DecimalField("可售数量", max_digits=14, decimal_places=3)
    reserved = models.DecimalField("已被订购", max_digits=14, decimal_places=3, default=0)
    window_start = models.DateField("采收/交付开始")
    window_end = models.DateField("采收/交付结束")
    seller_household = models.ForeignKey(
        "registry.Household",
        verbose_name="销售农户",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    seller_producer = models.ForeignKey(
        "registry.Producer",
        verbose_name="销售主体",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = "预售品种"
        verbose_name_plural = "预售品种"
        ordering = ["presale_list_id", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(reserved__gte=0) & Q(reserved__lte=F("quantity")),
                name="presale_item_never_oversold",
            ),
            models.CheckConstraint(
                condition=Q(seller_household__isnull=True, seller_producer__isnull=False)
                | Q(seller_household__isnull=False, seller_producer__isnull=True),
                name="presale_item_one_seller",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} {self.unit_price}元/{self.unit}"

    @property
    def available(self) -> Decimal:
        return Decimal(self.quantity) - Decimal(self.reserved)
