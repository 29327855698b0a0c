"""Benefit distribution (收益分配): the members' transaction book and capital accounts of a cooperative, asset funds,
village PV stations with their months and public-welfare posts, piece work, and the distributions that pay them out.

A distribution holds its plan (`inputs`), the working of its computation (`working`) and one allocation per payee
and part. Once paid it is locked: nothing on it changes again, and a mistake is put right by a correction
distribution that names it (`corrects`).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models

from yigou.core.errors import DomainError
from yigou.core.models import TimeStamped
from yigou.income.enums import Component
from yigou.regions.models import Region

from .enums import AccountKind, FundRule, Kind, Part, ReturnMode, Source, Status, UseKind


def money_field(label: str, **options: Any) -> models.DecimalField:
    """Yuan to the fen, as wide as the ledger's amounts."""
    return models.DecimalField(label, max_digits=14, decimal_places=2, **options)


LOCKED = "该分配已兑付并锁定，不能修改；如有错误请登记更正分配。"


class BookEntry(models.Model):
    """One transaction of a member with the cooperative (社员交易记录): what the member sold to or bought through it."""

    producer = models.ForeignKey(
        "registry.Producer", verbose_name="合作社", on_delete=models.PROTECT, related_name="book_entries"
    )
    member = models.ForeignKey(
        "registry.CoopMember", verbose_name="社员", on_delete=models.PROTECT, related_name="book_entries"
    )
    date = models.DateField("交易日期")
    product = models.CharField("产品", max_length=100)
    quantity = models.DecimalField("数量", max_digits=14, decimal_places=3, null=True, blank=True)
    unit = models.CharField("单位", max_length=16, blank=True)
    amount = money_field("交易额（元）")
    note = models.CharField("说明", max_length=300, blank=True)
    source = models.CharField("来源", max_length=8, choices=Source.choices, default=Source.PAGE)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="登记人", null=True, blank=True, on_delete=models.PROTECT
    )
    recorded_at = models.DateTimeField("登记时间", auto_now_add=True)

    class Meta:
        verbose_name = "社员交易记录"
        verbose_name_plural = "社员交易记录"
        ordering = ["-date", "-id"]
        indexes = [models.Index(fields=["producer", "date"])]

    def __str__(self) -> str:
        return f"{self.date} {self.member} {self.product} {self.amount}元"

    @property
    def audit_region_code(self) -> str:
        return self.producer.region_id


class CapitalAccount(TimeStamped):
    """A member's capital in the cooperative by kind: own contribution, a share quantified from state grants, or a
    poor household's preferred share with its guaranteed minimum rate."""

    producer = models.ForeignKey(
        "registry.Producer", verbose_name="合作社", on_delete=models.PROTECT, related_name="capital_accounts"
    )
    member = models.ForeignKey(
        "registry.CoopMember", verbose_name="社员", on_delete=models.PROTECT, related_name="capital_accounts"
    )
    kind = models.CharField("股金类型", max_length=16, choices=AccountKind.choices)
    amount = money_field("金额（元）")
    min_rate = models.DecimalField("保底收益率（%）", max_digits=6, decimal_places=2, default=0)
    note = models.CharField("说明", max_length=300, blank=True)

    class Meta:
        verbose_name = "社员股金账户"
        verbose_name_plural = "社员股金账户"
        ordering = ["producer_id", "member_id", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["member", "kind"], name="benefits_account_member_kind"),
        ]

    def __str__(self) -> str:
        return f"{self.member} {self.get_kind_display()} {self.amount}元"

    @property
    def audit_region_code(self) -> str:
        return self.producer.region_id


class AssetFund(TimeStamped):
    """资产收益扶贫: a fund placed with an enterprise or cooperative at a fixed or guaranteed-minimum return."""

    name = models.CharField("项目名称", max_length=200)
    region = models.ForeignKey(Region, verbose_name="所属区划", on_delete=models.PROTECT, related_name="+")
    holder = models.ForeignKey(
        "registry.Producer", verbose_name="经营主体", on_delete=models.PROTECT, related_name="asset_funds"
    )
    principal = money_field("资金额（元）")
    mode = models.CharField("收益方式", max_length=8, choices=ReturnMode.choices)
    rate = models.DecimalField("年收益率（%）", max_digits=6, decimal_places=2)
    rule = models.CharField("分配规则", max_length=8, choices=FundRule.choices)
    start_year = models.PositiveSmallIntegerField("起始年度")

    class Meta:
        verbose_name = "资产收益项目"
        verbose_name_plural = "资产收益项目"
        ordering = ["region_id", "name"]

    def __str__(self) -> str:
        return self.name

    @property
    def audit_region_code(self) -> str:
        return self.region_id


class FundHousehold(models.Model):
    fund = models.ForeignKey(
        AssetFund, verbose_name="项目", on_delete=models.CASCADE, related_name="households"
    )
    household = models.ForeignKey(
        "registry.Household", verbose_name="受益农户", on_delete=models.PROTECT, related_name="+"
    )
    weight = models.DecimalField("份数", max_digits=10, decimal_places=2, default=1)

    class Meta:
        verbose_name = "资产收益受益户"
        verbose_name_plural = "资产收益受益户"
        ordering = ["fund_id", "id"]
        constraints = [models.UniqueConstraint(fields=["fund", "household"], name="benefits_fund_household")]

    def __str__(self) -> str:
        return f"{self.fund} {self.household}"


class PvStation(TimeStamped):
    """A village PV station (村级光伏扶贫电站): its capacity, grid date, owner and the villages sharing its revenue."""

    name = models.CharField("电站名称", max_length=200)
    region = models.ForeignKey(Region, verbose_name="所在区划", on_delete=models.PROTECT, related_name="+")
    county_code = models.CharField("所在县代码", max_length=12, db_index=True)
    capacity_kw = models.DecimalField("装机容量（千瓦）", max_digits=10, decimal_places=2)
    grid_date = models.DateField("并网日期")
    owner = models.CharField("产权归属", max_length=200)

    class Meta:
        verbose_name = "村级光伏电站"
        verbose_name_plural = "村级光伏电站"
        ordering = ["region_id", "name"]

    def __str__(self) -> str:
        return self.name

    @property
    def audit_region_code(self) -> str:
        return self.region_id


class StationVillage(models.Model):
    station = models.ForeignKey(
        PvStation, verbose_name="电站", on_delete=models.CASCADE, related_name="villages"
    )
    village = models.ForeignKey(Region, verbose_name="受益村", on_delete=models.PROTECT, related_name="+")
    share = models.DecimalField("收益比例（%）", max_digits=5, decimal_places=2)

    class Meta:
        verbose_name = "电站受益村"
        verbose_name_plural = "电站受益村"
        ordering = ["station_id", "village_id"]
        constraints = [
            models.UniqueConstraint(fields=["station", "village"], name="benefits_station_village")
        ]

    def __str__(self) -> str:
        return f"{self.village_id} {self.share}%"


class PvMonth(models.Model):
    """One month of a station's grid settlement (电费结算): generation and revenue."""

    station = models.ForeignKey(
        PvStation, verbose_name="电站", on_delete=models.PROTECT, related_name="months"
    )
    year = models.PositiveSmallIntegerField("年度")
    month = models.PositiveSmallIntegerField("月份")
    kwh = models.DecimalField("发电量（千瓦时）", max_digits=14, decimal_places=2)
    revenue = money_field("结算收入（元）")
    source = models.CharField("来源", max_length=8, choices=Source.choices, default=Source.PAGE)
    recorded_at = models.DateTimeField("登记时间", auto_now_add=True)

    class Meta:
        verbose_name = "电站月度发电结算"
        verbose_name_plural = "电站月度发电结算"
        ordering = ["station_id", "year", "month"]
        constraints = [
            models.UniqueConstraint(fields=["station", "year", "month"], name="benefits_pv_month"),
        ]

    def __str__(self) -> str:
        return f"{self.station} {self.year}-{self.month:02d}"

    @property
    def audit_region_code(self) -> str:
        return self.station.region_id


class WelfarePost(TimeStamped):
    """A public-welfare post (公益岗位) paid from a station's revenue, held by one household member."""

    station = models.ForeignKey(
        PvStation, verbose_name="电站", on_delete=models.PROTECT, related_name="posts"
    )
    village = models.ForeignKey(Region, verbose_name="所在村", on_delete=models.PROTECT, related_name="+")
    title = models.CharField("岗位", max_length=100)
    member = models.ForeignKey(
        "registry.Member", verbose_name="上岗人员", on_delete=models.PROTECT, related_name="welfare_posts"
    )
    monthly_pay = models.DecimalField("月工资（元）", max_digits=10, decimal_places=2)
    start = models.DateField("上岗日期")
    end = models.DateField("离岗日期", null=True, blank=True)

    class Meta:
        verbose_name = "公益岗位"
        verbose_name_plural = "公益岗位"
        ordering = ["station_id", "village_id", "id"]

    def __str__(self) -> str:
        return f"{self.title}（{self.member}）"

    @property
    def audit_region_code(self) -> str:
        return self.village_id


class PostMonth(models.Model):
    """A post's attendance in one month and the pay it earns: monthly pay × days worked ÷ days required."""

    post = models.ForeignKey(
        WelfarePost, verbose_name="岗位", on_delete=models.PROTECT, related_name="months"
    )
    year = models.PositiveSmallIntegerField("年度")
    month = models.PositiveSmallIntegerField("月份")
    days_worked = models.PositiveSmallIntegerField("出勤天数")
    days_required = models.PositiveSmallIntegerField("应出勤天数")
    pay = models.DecimalField("应发工资（元）", max_digits=10, decimal_places=2)

    class Meta:
        verbose_name = "公益岗位月度考勤"
        verbose_name_plural = "公益岗位月度考勤"
        ordering = ["post_id", "year", "month"]
        constraints = [models.UniqueConstraint(fields=["post", "year", "month"], name="benefits_post_month")]

    def __str__(self) -> str:
        return f"{self.post} {self.year}-{self.month:02d} {self.pay}元"


class Distribution(TimeStamped):
    kind = models.CharField("分配类型", max_length=12, choices=Kind.choices, db_index=True)
    title = models.CharField("名称", max_length=200)
    year = models.PositiveSmallIntegerField("年度", db_index=True)
    region = models.ForeignKey(Region, verbose_name="所属区划", on_delete=models.PROTECT, related_name="+")
    producer = models.ForeignKey(
        "registry.Producer",
        verbose_name="经营主体",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="distributions",
    )
    station = models.ForeignKey(
        PvStation, verbose_name="电站", null=True, blank=True, on_delete=models.PROTECT, related_name="plans"
    )
    fund = models.ForeignKey(
        AssetFund,
        verbose_name="资产收益项目",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    status = models.CharField("状态", max_length=20, choices=Status.choices, default=Status.DRAFT)
    inputs = models.JSONField("分配方案", default=dict, blank=True)
    working = models.JSONField("测算过程", default=list, blank=True)
    total = money_field("分配总额（元）", default=0)
    corrects = models.ForeignKey(
        "self",
        verbose_name="更正的分配",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="corrections",
    )
    notice_ends = models.DateField("公示截止日期", null=True, blank=True)
    paid_on = models.DateField("兑付日期", null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="创建人", null=True, blank=True, on_delete=models.PROTECT
    )

    class Meta:
        verbose_name = "收益分配"
        verbose_name_plural = "收益分配"
        ordering = ["-year", "-id"]
        indexes = [
            models.Index(fields=["region"], name="benefits_dist_region", opclasses=["varchar_pattern_ops"]),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def audit_region_code(self) -> str:
        return self.region_id

    @property
    def locked(self) -> bool:
        return self.status == Status.PAID

    def save(self, *args: Any, **kwargs: Any) -> None:
        # The backstop of "locked once paid": whatever path tries, a paid distribution is never written again.
        if self.pk is not None and type(self).objects.filter(pk=self.pk, status=Status.PAID).exists():
            raise DomainError("benefits_locked", LOCKED)
        super().save(*args, **kwargs)


class Allocation(models.Model):
    """One payee's amount in one part of a distribution, with the basis it was computed from."""

    distribution = models.ForeignKey(
        Distribution, verbose_name="分配", on_delete=models.CASCADE, related_name="allocations"
    )
    household = models.ForeignKey(
        "registry.Household",
        verbose_name="农户",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="benefit_allocations",
    )
    name = models.CharField("受益人", max_length=100)
    part = models.CharField("分配项目", max_length=16, choices=Part.choices)
    component = models.CharField("收入构成", max_length=16, choices=Component.choices)
    basis = models.DecimalField("分配依据", max_digits=16, decimal_places=2)
    basis_label = models.CharField("依据说明", max_length=200, blank=True)
    amount = money_field("金额（元）")
    income_entry = models.OneToOneField(
        "income.IncomeEntry",
        verbose_name="收入记录",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    replaces = models.OneToOneField(
        "self",
        verbose_name="更正的明细",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="replaced_by",
    )

    class Meta:
        verbose_name = "分配明细"
        verbose_name_plural = "分配明细"
        ordering = ["distribution_id", "id"]

    def __str__(self) -> str:
        return f"{self.name} {self.get_part_display()} {self.amount}元"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.distribution.status == Status.PAID:
            raise DomainError("benefits_locked", LOCKED)
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        if self.distribution.status == Status.PAID:
            raise DomainError("benefits_locked", LOCKED)
        return super().delete(*args, **kwargs)

    @property
    def audit_region_code(self) -> str:
        return self.distribution.region_id


class PlanUse(models.Model):
    """One use in a PV station's yearly plan: how much of a village's revenue goes where."""

    distribution = models.ForeignKey(
        Distribution, verbose_name="分配", on_delete=models.CASCADE, related_name="uses"
    )
    village = models.ForeignKey(Region, verbose_name="受益村", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField("用途", max_length=8, choices=UseKind.choices)
    amount = money_field("金额（元）")
    note = models.CharField("说明", max_length=300, blank=True)

    class Meta:
        verbose_name = "光伏收益用途"
        verbose_name_plural = "光伏收益用途"
        ordering = ["distribution_id", "village_id", "id"]

    def __str__(self) -> str:
        return f"{self.village_id} {self.get_kind_display()} {self.amount}元"


class PieceWork(models.Model):
    """Piece-work pay of one household member in one month, uploaded by the enterprise and reviewed by the township
    through the piece-work distribution it belongs to."""

    distribution = models.ForeignKey(
        Distribution, verbose_name="分配", on_delete=models.CASCADE, related_name="piecework"
    )
    member = models.ForeignKey(
        "registry.Member", verbose_name="人员", on_delete=models.PROTECT, related_name="+"
    )
    month = models.PositiveSmallIntegerField("月份")
    pieces = models.DecimalField("计件数量", max_digits=12, decimal_places=2)
    amount = money_field("计件工资（元）")
    work = models.CharField("工种/产品", max_length=100, blank=True)

    class Meta:
        verbose_name = "计件工资记录"
        verbose_name_plural = "计件工资记录"
        ordering = ["distribution_id", "month", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["distribution", "member", "month"], name="benefits_piece_member_month"
            )
        ]

    def __str__(self) -> str:
        return f"{self.member} {self.month}月 {self.amount}元"


class Objection(models.Model):
    """An objection raised during the 公示, and its answer; an upheld objection sends the plan back to draft."""

    distribution = models.ForeignKey(
        Distribution, verbose_name="分配", on_delete=models.CASCADE, related_name="objections"
    )
    household = models.ForeignKey(
        "registry.Household",
        verbose_name="提出农户",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    text = models.TextField("异议内容")
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="登记人", null=True, on_delete=models.PROTECT, related_name="+"
    )
    raised_at = models.DateTimeField("提出时间", auto_now_add=True)
    upheld = models.BooleanField("异议成立", null=True, blank=True)
    answer = models.TextField("答复", blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="答复人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    answered_at = models.DateTimeField("答复时间", null=True, blank=True)

    class Meta:
        verbose_name = "公示异议"
        verbose_name_plural = "公示异议"
        ordering = ["distribution_id", "id"]

    def __str__(self) -> str:
        return self.text[:40]

    @property
    def audit_region_code(self) -> str:
        return self.distribution.region_id


class Event(models.Model):
    """The timeline of a distribution: every step, who took it and what they said."""

    distribution = models.ForeignKey(
        Distribution, verbose_name="分配", on_delete=models.CASCADE, related_name="events"
    )
    step = models.CharField("步骤", max_length=30)
    text = models.CharField("说明", max_length=500, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="操作人", null=True, blank=True, on_delete=models.PROTECT
    )
    at = models.DateTimeField("时间", auto_now_add=True)

    class Meta:
        verbose_name = "分配进程"
        verbose_name_plural = "分配进程"
        ordering = ["distribution_id", "at", "id"]

    def __str__(self) -> str:
        return f"{self.step} {self.text}"
