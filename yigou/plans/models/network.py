"""The supply-and-marketing co-op network (供销社网络) as registers, so targets such as Jilin's 1,920 chain stores,
48 distribution centres and 30,000 mu of land trusteeship compute from data instead of being typed in."""

from __future__ import annotations

from django.db import models

from yigou.core.models import TimeStamped
from yigou.regions.models import Region

from ..enums import SiteKind


class NetworkSite(TimeStamped):
    """A 基层社, 村级综合服务社, 连锁超市/便民店 or 配送中心: counted while open."""

    kind = models.CharField("类型", max_length=20, choices=SiteKind.choices, db_index=True)
    name = models.CharField("名称", max_length=200)
    region = models.ForeignKey(Region, verbose_name="所在区划", on_delete=models.PROTECT, related_name="+")
    operator = models.CharField("运营主体", max_length=200, blank=True)
    opened_on = models.DateField("建成/开业日期")
    closed_on = models.DateField("关闭日期", null=True, blank=True)

    class Meta:
        verbose_name = "供销网点"
        verbose_name_plural = "供销网点"
        ordering = ["region_id", "kind", "name", "id"]
        indexes = [
            models.Index(
                fields=["region"], name="network_site_region_prefix", opclasses=["varchar_pattern_ops"]
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.name}"

    @property
    def audit_region_code(self) -> str:
        return self.region_id


class TrusteeshipContract(TimeStamped):
    """A land trusteeship contract (土地托管): mu and households served in a year in a village."""

    number = models.CharField("合同编号", max_length=60, unique=True)
    region = models.ForeignKey(Region, verbose_name="所在村", on_delete=models.PROTECT, related_name="+")
    provider = models.CharField("托管服务组织", max_length=200)
    service = models.CharField("服务内容", max_length=200, blank=True, help_text="代耕代种代收、全托管等")
    year = models.PositiveSmallIntegerField("年度", db_index=True)
    mu = models.DecimalField("托管面积（亩）", max_digits=12, decimal_places=2)
    households = models.PositiveIntegerField("托管户数")
    poor_households = models.PositiveIntegerField("其中贫困户", default=0)
    signed_on = models.DateField("签订日期")

    class Meta:
        verbose_name = "土地托管合同"
        verbose_name_plural = "土地托管合同"
        ordering = ["-year", "region_id", "number"]
        indexes = [
            models.Index(
                fields=["region"], name="trusteeship_region_prefix", opclasses=["varchar_pattern_ops"]
            )
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def audit_region_code(self) -> str:
        return self.region_id
