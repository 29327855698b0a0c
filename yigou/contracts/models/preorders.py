"""Pre-orders against production (以产预购): quantity and price agreed before harvest, with an optional deposit."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from yigou.core.models import TimeStamped
from yigou.market.enums import ProductCategory

from ..enums import PreOrderStatus
from .draws import DrawBase


class PreOrder(TimeStamped):
    number = models.CharField("预购编号", max_length=40, unique=True)
    buyer_unit = models.ForeignKey(
        "assist.AssistingUnit",
        verbose_name="购买单位",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    buyer_cadre = models.ForeignKey(
        "assist.Cadre",
        verbose_name="购买干部",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
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
    name = models.CharField("品名", max_length=100)
    category = models.CharField("品类", max_length=16, choices=ProductCategory.choices)
    unit = models.CharField("单位", max_length=16)
    product = models.ForeignKey(
        "market.Product",
        verbose_name="认定产品",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    quantity = models.DecimalField("预购数量", max_digits=14, decimal_places=3)
    price = models.DecimalField("约定单价（元）", max_digits=12, decimal_places=2)
    price_tolerance = models.DecimalField("价格允许偏差（%）", max_digits=5, decimal_places=2, default=5)
    allow_over = models.BooleanField("允许超过预购数量", default=False)
    signed_on = models.DateField("签订日期")
    harvest_start = models.DateField("采收开始")
    harvest_end = models.DateField("采收结束")
    deposit = models.DecimalField("定金（元）", max_digits=14, decimal_places=2, default=0)
    deposit_paid_on = models.DateField("定金支付日期", null=True, blank=True)
    status = models.CharField(
        "状态", max_length=16, choices=PreOrderStatus.choices, default=PreOrderStatus.OPEN, db_index=True
    )
    region = models.ForeignKey(
        "regions.Region", verbose_name="销售方所在区划", on_delete=models.PROTECT, related_name="+"
    )
    note = models.CharField("备注", max_length=500, blank=True)
    end_reason = models.CharField("结清/取消说明", max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="登记人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = "以产预购"
        verbose_name_plural = "以产预购"
        ordering = ["-signed_on", "-id"]

    def __str__(self) -> str:
        return f"{self.number} {self.name}"

    @property
    def audit_region_code(self) -> str:
        return self.region_id

    @property
    def buyer_name(self) -> str:
        return str(self.buyer_unit or self.buyer_cadre or "")

    @property
    def seller(self) -> object:
        return self.seller_household or self.seller_producer


class PreOrderDraw(DrawBase):
    preorder = models.ForeignKey(
        PreOrder, verbose_name="预购", on_delete=models.PROTECT, related_name="draws"
    )

    class Meta:
        verbose_name = "预购交付记录"
        verbose_name_plural = "预购交付记录"
        ordering = ["preorder_id", "id"]
        constraints = [
            DrawBase.one_source("preorder_draw_one_source"),
            models.UniqueConstraint(fields=["order_line"], name="preorder_draw_order_line_once"),
            models.UniqueConstraint(fields=["purchase_line"], name="preorder_draw_purchase_line_once"),
        ]

    def __str__(self) -> str:
        return f"{self.preorder_id}: {self.quantity}"
