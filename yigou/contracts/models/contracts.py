"""Purchase contracts (认购合同): parties on both sides, agreed items with a price rule, and a delivery schedule."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from yigou.core.models import TimeStamped
from yigou.market.enums import ProductCategory
from yigou.regions.models import Region

from ..enums import ContractStatus, PartyKind, PartySide, PriceRule
from .draws import DrawBase


class Contract(TimeStamped):
    number = models.CharField("合同编号", max_length=40, unique=True)
    title = models.CharField("合同名称", max_length=200)
    signed_on = models.DateField("签订日期")
    period_start = models.DateField("履行期开始")
    period_end = models.DateField("履行期结束")
    status = models.CharField(
        "状态", max_length=16, choices=ContractStatus.choices, default=ContractStatus.DRAFT, db_index=True
    )
    price_tolerance = models.DecimalField("价格允许偏差（%）", max_digits=5, decimal_places=2, default=5)
    allow_over = models.BooleanField("允许超过约定数量", default=False)
    # The smallest region holding every seller: where the audit entries of the contract are filed.
    home_region = models.ForeignKey(
        Region, verbose_name="销售方所在区域", on_delete=models.PROTECT, related_name="+"
    )
    note = models.CharField("备注", max_length=500, blank=True)
    end_reason = models.CharField("结束/终止原因", max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="登记人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = "认购合同"
        verbose_name_plural = "认购合同"
        ordering = ["-signed_on", "-id"]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"

    @property
    def audit_region_code(self) -> str:
        return self.home_region_id


class ContractParty(models.Model):
    """One buyer (unit or cadre) or one seller (village, household or producer) of a contract."""

    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="parties")
    side = models.CharField("身份", max_length=8, choices=PartySide.choices)
    kind = models.CharField("类型", max_length=16, choices=PartyKind.choices)
    unit = models.ForeignKey(
        "assist.AssistingUnit", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    cadre = models.ForeignKey(
        "assist.Cadre", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    village = models.ForeignKey(Region, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    household = models.ForeignKey(
        "registry.Household", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    producer = models.ForeignKey(
        "registry.Producer", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = "合同当事方"
        verbose_name_plural = "合同当事方"
        ordering = ["contract_id", "side", "id"]

    def __str__(self) -> str:
        return f"{self.get_side_display()}：{self.target}"

    @property
    def target(self) -> object:
        return getattr(self, self.kind)


class ContractItem(models.Model):
    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="items")
    name = models.CharField("品名", max_length=100)
    category = models.CharField("品类", max_length=16, choices=ProductCategory.choices)
    specification = models.CharField("规格", max_length=100, blank=True)
    unit = models.CharField("单位", max_length=16)
    product = models.ForeignKey(
        "market.Product",
        verbose_name="认定产品",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    quantity = models.DecimalField("约定数量", max_digits=14, decimal_places=3)
    price_rule = models.CharField("定价方式", max_length=16, choices=PriceRule.choices)
    price = models.DecimalField("固定单价（元）", max_digits=12, decimal_places=2, null=True, blank=True)
    markup_percent = models.DecimalField(
        "上浮比例（%）", max_digits=5, decimal_places=2, null=True, blank=True
    )
    # Names the market-price series (name, specification, unit, region): the latest observation of that
    # series on the day of each delivery gives the price.
    reference = models.ForeignKey(
        "market.ReferencePrice",
        verbose_name="市场参考价",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = "合同品种"
        verbose_name_plural = "合同品种"
        ordering = ["contract_id", "id"]

    def __str__(self) -> str:
        return f"{self.name}（{self.unit}）"


class DeliverySchedule(models.Model):
    item = models.ForeignKey(ContractItem, on_delete=models.CASCADE, related_name="schedule")
    due_on = models.DateField("交付期限")
    quantity = models.DecimalField("应交数量", max_digits=14, decimal_places=3)

    class Meta:
        verbose_name = "交付计划"
        verbose_name_plural = "交付计划"
        ordering = ["item_id", "due_on", "id"]

    def __str__(self) -> str:
        return f"{self.due_on} {self.quantity}"


class ContractDraw(DrawBase):
    item = models.ForeignKey(
        ContractItem, verbose_name="合同品种", on_delete=models.PROTECT, related_name="draws"
    )

    class Meta:
        verbose_name = "合同交付记录"
        verbose_name_plural = "合同交付记录"
        ordering = ["item_id", "id"]
        constraints = [
            DrawBase.one_source("contract_draw_one_source"),
            models.UniqueConstraint(fields=["order_line"], name="contract_draw_order_line_once"),
            models.UniqueConstraint(fields=["purchase_line"], name="contract_draw_purchase_line_once"),
        ]

    def __str__(self) -> str:
        return f"{self.item_id}: {self.quantity}"
