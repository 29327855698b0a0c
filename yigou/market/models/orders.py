"""Orders placed on pre-sale lists, their lines, their timeline and after-sales requests."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models

from yigou.core.errors import DomainError
from yigou.core.models import TimeStamped
from yigou.regions.models import Region

from ..enums import AfterSaleKind, AfterSaleStatus, Inspection, OrderStatus


class Order(TimeStamped):
    presale_list = models.ForeignKey(
        "market.PreSaleList", verbose_name="预售清单", on_delete=models.PROTECT, related_name="orders"
    )
    region = models.ForeignKey(
        Region, verbose_name="卖方所在区划", on_delete=models.PROTECT, related_name="+"
    )
    county_code = models.CharField("县代码", max_length=12, db_index=True)
    producer = models.ForeignKey(
        "registry.Producer",
        verbose_name="卖方主体",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="orders",
    )
    buyer_kind = models.CharField("购买方类型", max_length=16)  # ledger.enums.BuyerKind
    buyer_unit = models.ForeignKey(
        "assist.AssistingUnit",
        verbose_name="购买单位",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="orders",
    )
    buyer_cadre = models.ForeignKey(
        "assist.Cadre",
        verbose_name="购买干部",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="orders",
    )
    buyer_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="下单人", on_delete=models.PROTECT, related_name="orders"
    )
    buyer_name = models.CharField("购买方", max_length=200)
    status = models.CharField(
        "状态", max_length=16, choices=OrderStatus.choices, default=OrderStatus.PLACED, db_index=True
    )
    total = models.DecimalField("订单金额（元）", max_digits=14, decimal_places=2)
    delivery_address = models.CharField("收货地址/提货说明", max_length=300, blank=True)
    note = models.CharField("备注", max_length=500, blank=True)
    paid_on = models.DateField("付款日期", null=True, blank=True)
    payment_ref = models.CharField("付款凭证号", max_length=100, blank=True)
    rating = models.PositiveSmallIntegerField("评分（1-5）", null=True, blank=True)
    rating_comment = models.CharField("评价", max_length=500, blank=True)
    cancel_reason = models.CharField("取消原因", max_length=300, blank=True)

    class Meta:
        verbose_name = "订单"
        verbose_name_plural = "订单"
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["region"], name="order_region_prefix", opclasses=["varchar_pattern_ops"]),
            models.Index(fields=["status", "county_code"]),
        ]

    def __str__(self) -> str:
        return f"订单{self.pk}（{self.get_status_display()}）"

    @property
    def audit_region_code(self) -> str:
        return self.region_id


class OrderLine(models.Model):
    order = models.ForeignKey(Order, on_delete=models.PROTECT, related_name="lines")
    item = models.ForeignKey("market.PreSaleItem", verbose_name="预售品种", on_delete=models.PROTECT)
    quantity = models.DecimalField("数量", max_digits=14, decimal_places=3)
    unit_price = models.DecimalField("单价（元）", max_digits=12, decimal_places=2)
    amount = models.DecimalField("金额（元）", max_digits=14, decimal_places=2)
    inspection = models.CharField(
        "验收结果", max_length=16, choices=Inspection.choices, default=Inspection.PENDING
    )
    reject_reason = models.CharField("拒收原因", max_length=300, blank=True)

    class Meta:
        verbose_name = "订单明细"
        verbose_name_plural = "订单明细"
        ordering = ["order_id", "id"]

    def __str__(self) -> str:
        return f"{self.item_id} × {self.quantity}"


class OrderEvent(models.Model):
    """One transition of an order, written once: the order's timeline."""

    order = models.ForeignKey(Order, on_delete=models.PROTECT, related_name="events")
    action = models.CharField("操作", max_length=24)
    from_status = models.CharField("原状态", max_length=16, blank=True)
    to_status = models.CharField("新状态", max_length=16)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="操作人", null=True, blank=True, on_delete=models.PROTECT
    )
    at = models.DateTimeField("时间", auto_now_add=True)
    note = models.CharField("说明", max_length=500, blank=True)

    class Meta:
        verbose_name = "订单记录"
        verbose_name_plural = "订单记录"
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.action} {self.to_status}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise DomainError("invalid_input", detail="订单记录只能追加，不能修改")
        super().save(*args, **kwargs)


class AfterSale(TimeStamped):
    order = models.ForeignKey(Order, on_delete=models.PROTECT, related_name="after_sales")
    kind = models.CharField("类型", max_length=16, choices=AfterSaleKind.choices)
    reason = models.CharField("原因", max_length=500)
    status = models.CharField(
        "处理状态", max_length=16, choices=AfterSaleStatus.choices, default=AfterSaleStatus.REQUESTED
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="申请人", on_delete=models.PROTECT, related_name="+"
    )
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="处理人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    resolved_at = models.DateTimeField("处理时间", null=True, blank=True)
    resolution = models.CharField("处理意见", max_length=500, blank=True)

    class Meta:
        verbose_name = "售后申请"
        verbose_name_plural = "售后申请"
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.get_status_display()}"
