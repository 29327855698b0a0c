"""Administrative divisions keyed by their 12-digit code, so a subtree is a code prefix."""

from __future__ import annotations

from django.db import models

from .enums import PREFIX_LENGTH, Kind, Level


class Region(models.Model):
    code = models.CharField("区划代码", max_length=12, primary_key=True)
    name = models.CharField("名称", max_length=100)
    parent = models.ForeignKey(
        "self", verbose_name="上级", null=True, blank=True, related_name="children", on_delete=models.PROTECT
    )
    level = models.PositiveSmallIntegerField("层级", choices=Level.choices, db_index=True)
    kind = models.CharField("类型", max_length=8, choices=Kind.choices, default=Kind.ADMIN)
    is_poor = models.BooleanField("贫困村/贫困县", default=False, db_index=True)
    poor_since = models.PositiveSmallIntegerField("认定年份", null=True, blank=True)
    poor_until = models.PositiveSmallIntegerField("退出年份", null=True, blank=True)
    full_name = models.CharField("全称", max_length=300, blank=True)

    class Meta:
        verbose_name = "行政区划"
        verbose_name_plural = "行政区划"
        ordering = ["code"]
        indexes = [
            models.Index(fields=["code"], name="region_code_prefix", opclasses=["varchar_pattern_ops"])
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def prefix(self) -> str:
        return self.code[: PREFIX_LENGTH[Level(self.level)]]

    @property
    def county_code(self) -> str:
        """The county (or zone) this region lies in; the distribution key of every ledger table."""
        return self.code[:6] + "000000" if self.level >= Level.COUNTY else ""

    @property
    def audit_region_code(self) -> str:
        return self.code

    def contains(self, code: str) -> bool:
        return code.startswith(self.prefix)

    def was_poor_in(self, year: int) -> bool:
        """Poor-village flag as it stood in a year: set in poor_since, lifted in poor_until."""
        if self.poor_since is None:
            return self.is_poor
        return self.poor_since <= year and (self.poor_until is None or year < self.poor_until)


def prefix_of(code: str) -> str:
    """Subtree prefix of a code without loading the row: trailing zero groups are dropped."""
    for length in (2, 4, 6, 9):
        if code[length:] == "0" * (12 - length):
            return code[:length]
    return code
