"""What a contract item or a pre-order draws on: one order line or one ledger purchase line each.

A draw stores what the line said when it was drawn (quantity, price, amount) but never whether it was delivered:
that is read from the ledger every time (a paid order has an unreversed purchase; a refund or a reversal makes
the draw drop out), so nothing here can drift from the ledger.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q


class DrawBase(models.Model):
    order_line = models.ForeignKey(
        "market.OrderLine",
        verbose_name="订单明细",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    purchase_line = models.ForeignKey(
        "ledger.PurchaseLine",
        verbose_name="购买明细",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    quantity = models.DecimalField("数量", max_digits=14, decimal_places=3)
    unit_price = models.DecimalField("单价（元）", max_digits=12, decimal_places=2)
    amount = models.DecimalField("金额（元）", max_digits=14, decimal_places=2)
    drawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="登记人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    drawn_at = models.DateTimeField("登记时间", auto_now_add=True)

    class Meta:
        abstract = True

    @classmethod
    def one_source(cls, name: str) -> models.CheckConstraint:
        return models.CheckConstraint(
            condition=Q(order_line__isnull=True, purchase_line__isnull=False)
            | Q(order_line__isnull=False, purchase_line__isnull=True),
            name=name,
        )
