"""The append-only purchase ledger and the rollups the statistics are served from."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models

from yigou.core.errors import DomainError
from yigou.regions.models import Region

from .enums import Attribution, BuyerKind, Channel, LineSource, SellerKind, Source


class AppendOnlyRow(models.Model):
    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise DomainError("ledger_append_only")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise DomainError("ledger_append_only")


class Purchase(AppendOnlyRow):
    external_id = models.CharField("外部编号", max_length=64, unique=True, null=True, blank=True)
    date = models.DateField("购买日期", db_index=True)
    # Indexed by purchase_region_prefix (equality and prefix) and the composites in Meta, not one index per column:
    # every index of the ledger is paid on each of tens of millions of inserts.
    region = models.ForeignKey(
        Region, verbose_name="销售方所在区划", on_delete=models.PROTECT, related_name="+", db_index=False
    )
    county_code = models.CharField("县代码", max_length=12)
    buyer_kind = models.CharField("购买方类型", max_length=16, choices=BuyerKind.choices)
    buyer_unit = models.ForeignKey(
        "assist.AssistingUnit",
        verbose_name="购买单位",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="purchases",
    )
    buyer_cadre = models.ForeignKey(
        "assist.Cadre",
        verbose_name="购买干部",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="purchases",
    )
    buyer_name = models.CharField("购买人", max_length=100, blank=True)
    buyer_key = models.CharField("购买方标识", max_length=80)
    channel = models.CharField("渠道", max_length=16, choices=Channel.choices)
    outlet = models.ForeignKey(
        "market.Outlet", verbose_name="销售网点", null=True, blank=True, on_delete=models.PROTECT
    )
    activity = models.ForeignKey(
        "market.Activity", verbose_name="所属活动", null=True, blank=True, on_delete=models.PROTECT
    )
    order = models.ForeignKey(
        "market.Order",
        verbose_name="平台订单",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="purchases",
    )
    seller_kind = models.CharField("销售方类型", max_length=16, choices=SellerKind.choices)
    seller_household = models.ForeignKey(
        "registry.Household",
        verbose_name="销售农户",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="sales",
        db_index=False,
    )
    seller_producer = models.ForeignKey(
        "registry.Producer",
        verbose_name="销售主体",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="sales",
        db_index=False,
    )
    total = models.DecimalField("金额（元）", max_digits=14, decimal_places=2)
    attribution = models.CharField("受益分配方式", max_length=16, choices=Attribution.choices)
    reverses = models.OneToOneField(
        "self",
        verbose_name="冲销的记录",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reversal",
    )
    note = models.CharField("备注", max_length=300, blank=True)
    source = models.CharField("来源", max_length=16, choices=Source.choices, default=Source.PAGE)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="登记人", null=True, blank=True, on_delete=models.PROTECT
    )
    recorded_at = models.DateTimeField("登记时间", auto_now_add=True)

    class Meta:
        verbose_name = "购买记录"
        verbose_name_plural = "购买记录"
        ordering = ["-date", "-id"]
        indexes = [
            # A region subtree (LIKE '510903%') or one village, in a date window.
            models.Index(
                fields=["region", "date"],
                name="purchase_region_prefix",
                opclasses=["varchar_pattern_ops", "date_ops"],
            ),
            models.Index(fields=["county_code", "date"]),
            models.Index(fields=["buyer_key"], name="purchase_buyer_key"),
            # A seller's sales in a window (the supply scan, a household's statement).
            models.Index(fields=["seller_household", "date"], name="purchase_household_date"),
            models.Index(fields=["seller_producer", "date"], name="purchase_producer_date"),
        ]

    def __str__(self) -> str:
        sign = "冲销 " if self.reverses_id else ""
        return f"{sign}{self.date} {self.total}元"

    @property
    def audit_region_code(self) -> str:
        return self.region_id

    @property
    def is_reversal(self) -> bool:
        return self.reverses_id is not None


class PurchaseLine(AppendOnlyRow):
    # Indexed with what the sold sums read of a line (ledger_line_purchase below), so they need no heap fetch.
    purchase = models.ForeignKey(
        Purchase, verbose_name="购买记录", on_delete=models.PROTECT, related_name="lines", db_index=False
    )
    # The purchase's date, kept on its lines: price statistics over recent days (the unsold-produce scan's median)
    # read the lines alone, by product and date, instead of joining millions of purchases first. On PostgreSQL the
    # lines are partitioned by it, and the insert trigger refuses a date other than the purchase's (partitions.py).
    purchase_date = models.DateField("购买日期")
    product = models.CharField("产品", max_length=100)
    category = models.CharField("品类", max_length=50, blank=True)
    quantity = models.DecimalField("数量", max_digits=14, decimal_places=3)
    unit = models.CharField("单位", max_length=16)
    unit_price = models.DecimalField("单价（元）", max_digits=12, decimal_places=2)
    amount = models.DecimalField("金额（元）", max_digits=14, decimal_places=2)
    reference_price = models.DecimalField(
        "市场参考价（元）", max_digits=12, decimal_places=2, null=True, blank=True
    )
    source = models.CharField("产品来源", max_length=16, choices=LineSource.choices)
    catalog_product = models.ForeignKey(
        "market.Product",
        verbose_name="认定产品",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # Listed in the catalog and within validity on the purchase date, decided once when the line is written.
    certified = models.BooleanField("认定扶贫产品", default=False, db_default=False)

    class Meta:
        verbose_name = "购买明细"
        verbose_name_plural = "购买明细"
        indexes = [
            models.Index(
                fields=["purchase"], include=["product", "unit", "quantity"], name="ledger_line_purchase"
            ),
            models.Index(
                fields=["product", "purchase_date"],
                include=["unit", "unit_price"],
                condition=models.Q(quantity__gt=0),
                name="ledger_line_sold_price",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.product} {self.quantity}{self.unit} {self.amount}元"


class Beneficiary(AppendOnlyRow):
    """Which household earned how much from a purchase, with its status and village as they were that day."""

    purchase = models.ForeignKey(
        Purchase, verbose_name="购买记录", on_delete=models.PROTECT, related_name="beneficiaries"
    )
    # The purchase's date, as on its lines: the partition column on PostgreSQL, and a year's earnings of a household
    # are read without joining the purchases.
    purchase_date = models.DateField("购买日期")
    household = models.ForeignKey(
        "registry.Household", verbose_name="受益农户", on_delete=models.PROTECT, related_name="earnings"
    )
    amount = models.DecimalField("收入（元）", max_digits=14, decimal_places=2)
    status = models.CharField("销售时状态", max_length=16)
    registered = models.BooleanField("建档立卡户（含已脱贫）")
    village = models.ForeignKey(Region, verbose_name="所在村", on_delete=models.PROTECT, related_name="+")
    village_poor = models.BooleanField("销售时为贫困村")
    county_code = models.CharField("县代码", max_length=12)

    class Meta:
        verbose_name = "受益农户"
        verbose_name_plural = "受益农户"
        indexes = [models.Index(fields=["county_code"], name="beneficiary_county")]

    def __str__(self) -> str:
        return f"{self.household_id}: {self.amount}元"


# Additive measures, money in fen (分) so sums stay exact on every database.
ADDITIVE = (
    "purchases",
    "amount_total",
    "amount_own",
    "amount_coop",
    "amount_enterprise",
    "amount_certified",
    "poor_income",
    "nonpoor_income",
)
# Distinct entities: poor/non-poor households, poor/non-poor villages, buyers by kind.
DISTINCT_KINDS = ("hp", "hn", "vp", "vn", "bu", "bc", "bk", "be", "bs", "bi")


def _additive_fields() -> dict[str, models.Field]:
    return {name: models.BigIntegerField(default=0, db_default=0) for name in ADDITIVE}


def _distinct_fields() -> dict[str, models.Field]:
    fields: dict[str, models.Field] = {}
    for kind in DISTINCT_KINDS:
        fields[f"m_{kind}"] = models.IntegerField(default=0, db_default=0)  # present in this month
        fields[f"y_{kind}"] = models.IntegerField(
            default=0, db_default=0
        )  # present this month for the first time this year
    return fields


class MonthRollup(models.Model):
    """Per region (every level) and month: additive sums, distinct-in-month and first-month-of-year counts."""

    region_code = models.CharField(max_length=12)
    level = models.PositiveSmallIntegerField()
    year = models.PositiveSmallIntegerField()
    month = models.PositiveSmallIntegerField()
    locals().update(_additive_fields())
    locals().update(_distinct_fields())

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["region_code", "year", "month"], name="month_rollup_key")
        ]

    def __str__(self) -> str:
        return f"{self.region_code} {self.year}-{self.month:02d}"


class DayRollup(models.Model):
    """Per region (every level) and day: additive sums only, for date ranges that do not follow months."""

    region_code = models.CharField(max_length=12)
    level = models.PositiveSmallIntegerField()
    day = models.DateField()
    locals().update(_additive_fields())

    class Meta:
        constraints = [models.UniqueConstraint(fields=["region_code", "day"], name="day_rollup_key")]

    def __str__(self) -> str:
        return f"{self.region_code} {self.day}"


class Presence(models.Model):
    """One entity (household, village, buyer) active in one region on one day; refcount drops on reversal."""

    kind = models.CharField(max_length=2)
    key = models.CharField(max_length=80)
    region_code = models.CharField(max_length=12)
    day = models.DateField()
    refcount = models.IntegerField(default=0, db_default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["kind", "key", "region_code", "day"], name="presence_key")
        ]
        indexes = [
            models.Index(
                fields=["region_code", "day"],
                name="presence_region_day",
                opclasses=["varchar_pattern_ops", "date_ops"],
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind}:{self.key}@{self.region_code} {self.day} ×{self.refcount}"


class PurchaseKey(models.Model):
    """The ledger-wide unique keys of purchases on PostgreSQL, where purchases are partitioned by year.

    A trigger fills it ('x:' + 外部编号, 'r:' + id of the purchase a reversal reverses); see partitions.py. It is a
    model so that the test runner empties it with the ledger; nothing in Python reads or writes it.
    """

    key = models.CharField(max_length=80, primary_key=True)

    class Meta:
        verbose_name = "购买记录唯一键"
        verbose_name_plural = "购买记录唯一键"

    def __str__(self) -> str:
        return self.key
