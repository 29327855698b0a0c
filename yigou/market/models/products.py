"""Certified poverty-alleviation products (扶贫产品认定): applications, their workflow history and the catalog."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.db import models

from yigou.core.errors import DomainError
from yigou.core.models import TimeStamped
from yigou.regions.models import Region
from yigou.registry.enums import Mechanism

from ..enums import CapacityPeriod, FileKind, ProductAction, ProductCategory, ProductStatus


class Product(TimeStamped):
    producer = models.ForeignKey(
        "registry.Producer", verbose_name="申报主体", on_delete=models.PROTECT, related_name="products"
    )
    region = models.ForeignKey(Region, verbose_name="所在区划", on_delete=models.PROTECT, related_name="+")
    county_code = models.CharField("所在县代码", max_length=12, db_index=True)
    name = models.CharField("产品名称", max_length=100, db_index=True)
    name_initials = models.CharField("拼音首字母", max_length=60, db_index=True, blank=True)
    name_pinyin = models.CharField("全拼", max_length=300, db_index=True, blank=True)
    category = models.CharField("品类", max_length=16, choices=ProductCategory.choices, db_index=True)
    specification = models.CharField("规格", max_length=100)
    unit = models.CharField("计量单位", max_length=16)
    capacity = models.DecimalField("供应能力", max_digits=14, decimal_places=3)
    capacity_period = models.CharField("供应周期", max_length=8, choices=CapacityPeriod.choices)
    base = models.CharField("生产基地", max_length=200)
    price = models.DecimalField("销售价格（元）", max_digits=12, decimal_places=2)
    price_links = models.TextField("同类产品比价链接", blank=True)  # one address per line
    reference_price = models.DecimalField(
        "市场参考价（元）", max_digits=12, decimal_places=2, null=True, blank=True
    )
    price_flagged = models.BooleanField("价格高于参考价", default=False)
    price_explanation = models.CharField("价格说明", max_length=500, blank=True)
    mechanism = models.CharField("带贫机制", max_length=16)  # registry.enums.Mechanism
    mechanism_note = models.CharField("带贫机制说明", max_length=500, blank=True)
    status = models.CharField(
        "认定状态",
        max_length=16,
        choices=ProductStatus.choices,
        default=ProductStatus.SUBMITTED,
        db_index=True,
    )
    certificate_no = models.CharField("认定编号", max_length=40, unique=True, null=True, blank=True)
    notice_start = models.DateField("公示开始", null=True, blank=True)
    notice_end = models.DateField("公示截止", null=True, blank=True)
    listed_on = models.DateField("列入目录日期", null=True, blank=True)
    valid_until = models.DateField("有效期至", null=True, blank=True)
    rechecked_on = models.DateField("最近复核日期", null=True, blank=True)
    revoked_on = models.DateField("撤销日期", null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="申报人", null=True, blank=True, on_delete=models.PROTECT
    )

    class Meta:
        verbose_name = "扶贫产品"
        verbose_name_plural = "扶贫产品"
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["region"], name="product_region_prefix", opclasses=["varchar_pattern_ops"]),
            models.Index(fields=["status", "valid_until"]),
        ]

    def __str__(self) -> str:
        return f"{self.name}（{self.specification}）"

    @property
    def audit_region_code(self) -> str:
        return self.region_id

    @property
    def mechanism_label(self) -> str:
        return str(Mechanism(self.mechanism).label) if self.mechanism in Mechanism.values else self.mechanism

    def certified_on(self, day: dt.date) -> bool:
        """In the catalog and within its validity on `day`: only then does a sale count as a certified sale.

        A revoked product was certified from its listing until the day before its revocation, so a sale of an
        earlier day keeps counting while nothing from the revocation on does (orders and lists check today).
        """
        if (
            self.listed_on is None
            or self.valid_until is None
            or not self.listed_on <= day <= self.valid_until
        ):
            return False
        if self.status == ProductStatus.REVOKED:
            return self.revoked_on is not None and day < self.revoked_on
        return self.status == ProductStatus.LISTED


class ProductHousehold(models.Model):
    """A household the product's linkage mechanism reaches (counted in public, never named there)."""

    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="linked")
    household = models.ForeignKey("registry.Household", verbose_name="联结农户", on_delete=models.PROTECT)

    class Meta:
        verbose_name = "产品联结农户"
        verbose_name_plural = "产品联结农户"
        constraints = [
            models.UniqueConstraint(fields=["product", "household"], name="product_household_once")
        ]

    def __str__(self) -> str:
        return f"{self.product_id}→{self.household_id}"


class ProductFile(TimeStamped):
    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="files")
    kind = models.CharField("材料类型", max_length=16, choices=FileKind.choices)
    file = models.FileField("文件", upload_to="products/%Y/%m/")
    name = models.CharField("文件名", max_length=200)

    class Meta:
        verbose_name = "申报材料"
        verbose_name_plural = "申报材料"

    def __str__(self) -> str:
        return self.name


class ProductStep(models.Model):
    """One step of the certification workflow, in order; written once and shown as the product's timeline."""

    product = models.ForeignKey(Product, on_delete=models.PROTECT, related_name="steps")
    action = models.CharField("操作", max_length=16, choices=ProductAction.choices)
    from_status = models.CharField("原状态", max_length=16, blank=True)
    to_status = models.CharField("新状态", max_length=16)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="操作人", null=True, blank=True, on_delete=models.PROTECT
    )
    actor_org = models.CharField("操作单位", max_length=200, blank=True)
    at = models.DateTimeField("时间", auto_now_add=True)
    reason = models.CharField("意见/理由", max_length=500, blank=True)

    class Meta:
        verbose_name = "认定流程记录"
        verbose_name_plural = "认定流程记录"
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.get_action_display()} {self.at:%Y-%m-%d}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise DomainError("invalid_input", detail="流程记录只能追加，不能修改")
        super().save(*args, **kwargs)


class Objection(TimeStamped):
    """An objection raised during the public notice; it must be resolved before the product is listed."""

    product = models.ForeignKey(Product, on_delete=models.PROTECT, related_name="objections")
    raised_by = models.CharField("异议人", max_length=100)
    contact = models.CharField("联系方式", max_length=60, blank=True)
    content = models.CharField("异议内容", max_length=1000)
    resolved_at = models.DateTimeField("处理时间", null=True, blank=True)
    resolution = models.CharField("处理结果", max_length=1000, blank=True)
    upheld = models.BooleanField("异议成立", null=True, blank=True)

    class Meta:
        verbose_name = "公示异议"
        verbose_name_plural = "公示异议"
        ordering = ["created_at"]

    def __str__(self) -> str:
        return f"{self.raised_by}：{self.content[:30]}"


class ReferencePrice(TimeStamped):
    """A market price observed for a product and specification: the yardstick certified prices are held to."""

    name = models.CharField("产品名称", max_length=100, db_index=True)
    specification = models.CharField("规格", max_length=100)
    unit = models.CharField("计量单位", max_length=16)
    price = models.DecimalField("市场价（元）", max_digits=12, decimal_places=2)
    region = models.ForeignKey(Region, verbose_name="采价区划", on_delete=models.PROTECT, related_name="+")
    observed_on = models.DateField("采价日期")
    source = models.CharField("来源", max_length=200, blank=True)

    class Meta:
        verbose_name = "市场参考价"
        verbose_name_plural = "市场参考价"
        ordering = ["name", "specification", "-observed_on"]

    def __str__(self) -> str:
        return f"{self.name} {self.specification} {self.price}元/{self.unit}"

    @property
    def audit_region_code(self) -> str:
        return self.region_id


class Blacklisting(TimeStamped):
    """A producer barred from the catalog: all its products leave it while this stands."""

    producer = models.ForeignKey("registry.Producer", verbose_name="经营主体", on_delete=models.PROTECT)
    reason = models.CharField("原因", max_length=500)
    since = models.DateField("列入日期")
    lifted_on = models.DateField("移出日期", null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="决定人", null=True, blank=True, on_delete=models.PROTECT
    )

    class Meta:
        verbose_name = "黑名单"
        verbose_name_plural = "黑名单"

    def __str__(self) -> str:
        return f"{self.producer_id} {self.since}"

    @property
    def audit_region_code(self) -> str:
        return self.producer.region_id
