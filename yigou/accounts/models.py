"""Users belong to an organisation that sits in a region; role + region decide what they may see and do."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models

from yigou.regions.models import Region

from .enums import OrgKind, Role


class Organisation(models.Model):
    name = models.CharField("名称", max_length=200)
    kind = models.CharField("类型", max_length=16, choices=OrgKind.choices)
    region = models.ForeignKey(Region, verbose_name="所在区划", on_delete=models.PROTECT, related_name="+")
    unit = models.OneToOneField(
        "assist.AssistingUnit", verbose_name="帮扶单位", null=True, blank=True, on_delete=models.PROTECT
    )
    producer = models.OneToOneField(
        "registry.Producer", verbose_name="经营主体", null=True, blank=True, on_delete=models.PROTECT
    )

    class Meta:
        verbose_name = "组织机构"
        verbose_name_plural = "组织机构"
        ordering = ["region_id", "name"]

    def __str__(self) -> str:
        return self.name

    @property
    def audit_region_code(self) -> str:
        return self.region_id


class User(AbstractUser):
    organisation = models.ForeignKey(
        Organisation,
        verbose_name="所属组织",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="users",
    )
    role = models.CharField("角色", max_length=16, choices=Role.choices, default=Role.AUDITOR)
    can_reveal_pii = models.BooleanField(
        "可查看完整个人信息", default=False, help_text="可查看完整身份证号、电话等，每次查看均记入审计日志。"
    )
    display_name = models.CharField("姓名", max_length=60, blank=True)

    class Meta:
        verbose_name = "用户"
        verbose_name_plural = "用户"

    def __str__(self) -> str:
        return self.display_name or self.username

    @property
    def region(self) -> Region | None:
        return self.organisation.region if self.organisation is not None else None

    @property
    def audit_region_code(self) -> str:
        return self.organisation.region_id if self.organisation is not None else ""
