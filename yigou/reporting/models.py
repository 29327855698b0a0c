"""Statistical forms as data: forms, sections, data elements, reported values, rules and their results.

A form is data, not code: the built-in 以购助扶成果统计表 is loaded by `yigou.reporting.builtin` (data migration
0002 and the idempotent `ensure_builtin_form`), and another form needs no code change.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models

from yigou.core.models import TimeStamped

from .enums import (
    Aggregation,
    FlagStatus,
    Importance,
    Missing,
    Operator,
    OutlierKind,
    PeriodAggregation,
    PeriodType,
    ValueType,
)

MONEY: dict[str, Any] = {"max_digits": 16, "decimal_places": 2}


class Form(TimeStamped):
    code = models.CharField("表号", max_length=40, unique=True)
    name = models.CharField("表名", max_length=100)
    period_type = models.CharField(
        "报告期", max_length=10, choices=PeriodType.choices, default=PeriodType.MONTHLY
    )
    levels = models.JSONField("填报层级", default=list, help_text="填报本表的区划层级，如 [3, 4, 5]")
    is_builtin = models.BooleanField("内置", default=False)

    class Meta:
        verbose_name = verbose_name_plural = "统计报表"
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class Section(models.Model):
    form = models.ForeignKey(Form, on_delete=models.CASCADE, related_name="sections")
    title = models.CharField("栏目", max_length=100)
    order = models.PositiveSmallIntegerField("顺序", default=0)

    class Meta:
        verbose_name = verbose_name_plural = "报表栏目"
        ordering = ["form", "order", "id"]
        constraints = [models.UniqueConstraint(fields=["form", "title"], name="section_title_unique")]

    def __str__(self) -> str:
        return self.title


class DataElement(models.Model):
    form = models.ForeignKey(Form, on_delete=models.CASCADE, related_name="elements")
    section = models.ForeignKey(
        Section, null=True, blank=True, on_delete=models.SET_NULL, related_name="elements"
    )
    code = models.CharField("指标代码", max_length=40)
    name = models.CharField("指标名称", max_length=100)
    unit = models.CharField("计量单位", max_length=10)
    value_type = models.CharField(
        "数据类型", max_length=10, choices=ValueType.choices, default=ValueType.INTEGER
    )
    aggregation = models.CharField(
        "向上汇总", max_length=10, choices=Aggregation.choices, default=Aggregation.SUM
    )
    period_aggregation = models.CharField(
        "跨月汇总", max_length=10, choices=PeriodAggregation.choices, default=PeriodAggregation.SUM
    )
    distinct = models.BooleanField(
        "去重计数", default=False, help_text="户数、人数等：填报数据相加时可能重复计算"
    )
    order = models.PositiveSmallIntegerField("顺序", default=0)
    min_value = models.DecimalField("下限", null=True, blank=True, **MONEY)
    max_value = models.DecimalField("上限", null=True, blank=True, **MONEY)

    class Meta:
        verbose_name = verbose_name_plural = "指标"
        ordering = ["form", "order", "id"]
        constraints = [models.UniqueConstraint(fields=["form", "code"], name="element_code_unique")]

    def __str__(self) -> str:
        return f"{self.name}（{self.unit}）"

    @property
    def label(self) -> str:
        section = self.section.title if self.section_id and self.section else ""
        return f"{section}·{self.name}" if section and section != self.name else self.name


class FormValue(TimeStamped):
    """One reported figure: a region's value of one element in one month. Changes go through services (audited)."""

    form = models.ForeignKey(Form, on_delete=models.PROTECT, related_name="values")
    region = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField("年")
    month = models.PositiveSmallIntegerField("月")
    element = models.ForeignKey(DataElement, on_delete=models.PROTECT, related_name="values")
    value = models.DecimalField("数值", **MONEY)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = verbose_name_plural = "填报数据"
        constraints = [
            models.UniqueConstraint(
                fields=["form", "region", "year", "month", "element"], name="form_value_key"
            )
        ]
        indexes = [
            models.Index(
                fields=["region"], name="form_value_region_prefix", opclasses=["varchar_pattern_ops"]
            ),
            models.Index(fields=["form", "year", "month"], name="form_value_period"),
        ]

    def __str__(self) -> str:
        return f"{self.region_id} {self.year}-{self.month:02d} {self.element.code}={self.value}"

    @property
    def audit_region_code(self) -> str:
        return str(self.region_id)


class Rule(models.Model):
    """`[if <if_left> <if_operator> <if_right> then] <left> <operator> <right>` over element codes."""

    form = models.ForeignKey(Form, on_delete=models.CASCADE, related_name="rules")
    code = models.CharField("规则编号", max_length=40)
    description = models.CharField("说明", max_length=200)
    if_left = models.CharField("条件左式", max_length=200, blank=True)
    if_operator = models.CharField("条件运算符", max_length=4, choices=Operator.choices, blank=True)
    if_right = models.CharField("条件右式", max_length=200, blank=True)
    left = models.CharField("左式", max_length=200)
    operator = models.CharField("运算符", max_length=4, choices=Operator.choices)
    right = models.CharField("右式", max_length=200)
    tolerance = models.DecimalField("容差", default=0, **MONEY)
    importance = models.CharField(
        "重要性", max_length=10, choices=Importance.choices, default=Importance.HIGH
    )
    missing = models.CharField("缺失值处理", max_length=10, choices=Missing.choices, default=Missing.SKIP)
    blocking = models.BooleanField("阻止上报", default=True, help_text="仅对重要性为“高”的规则有效")
    is_active = models.BooleanField("启用", default=True)
    order = models.PositiveSmallIntegerField("顺序", default=0)

    class Meta:
        verbose_name = verbose_name_plural = "校验规则"
        ordering = ["form", "order", "id"]
        constraints = [models.UniqueConstraint(fields=["form", "code"], name="rule_code_unique")]

    def __str__(self) -> str:
        return f"{self.code}：{self.description}"

    @property
    def blocks(self) -> bool:
        return self.importance == Importance.HIGH and self.blocking

    def clean(self) -> None:
        """Expressions must parse and name the form's elements; a condition is all three parts or none."""
        from django.core.exceptions import ValidationError

        from yigou.core.errors import DomainError

        from .expressions import parse

        known = list(self.form.elements.values_list("code", flat=True)) if self.form_id else None
        errors: dict[str, str] = {}
        for name in ("left", "right", *(("if_left", "if_right") if self.if_operator else ())):
            try:
                parse(getattr(self, name), known)
            except DomainError as exc:
                errors[name] = exc.message
        if self.if_operator == Operator.PAIR:
            errors["if_operator"] = "条件不能使用“成对必填”"
        if not self.if_operator and (self.if_left or self.if_right):
            errors["if_operator"] = "填写了条件表达式时须选择条件运算符"
        if self.tolerance is not None and self.tolerance < 0:
            errors["tolerance"] = "容差不能为负数"
        if errors:
            raise ValidationError(errors)


class ValidationResult(models.Model):
    """A rule a region's figures violate for a period; kept until a later check passes, with the filler's comment."""

    form = models.ForeignKey(Form, on_delete=models.CASCADE, related_name="results")
    rule = models.ForeignKey(Rule, on_delete=models.CASCADE, related_name="results")
    region = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+")
    period_start = models.DateField("期间起")
    period_end = models.DateField("期间止")
    period_label = models.CharField("期间", max_length=60)
    left = models.DecimalField("左式值", null=True, blank=True, **MONEY)
    right = models.DecimalField("右式值", null=True, blank=True, **MONEY)
    importance = models.CharField("重要性", max_length=10, choices=Importance.choices)
    blocking = models.BooleanField("阻止上报", default=False)
    message = models.CharField("说明", max_length=300)
    comment = models.CharField("情况说明", max_length=500, blank=True)
    commented_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    checked_at = models.DateTimeField("校验时间", auto_now=True)

    class Meta:
        verbose_name = verbose_name_plural = "校验结果"
        ordering = ["region_id", "period_start", "rule__order", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["rule", "region", "period_start", "period_end"], name="result_key"
            )
        ]
        indexes = [
            models.Index(fields=["region"], name="result_region_prefix", opclasses=["varchar_pattern_ops"])
        ]

    def __str__(self) -> str:
        return f"{self.region_id} {self.period_label} {self.rule.code}"

    @property
    def audit_region_code(self) -> str:
        return str(self.region_id)


class OutlierFlag(TimeStamped):
    """A reported value far from the region's own history or outside the element's bounds, to be followed up."""

    form = models.ForeignKey(Form, on_delete=models.CASCADE, related_name="outliers")
    element = models.ForeignKey(DataElement, on_delete=models.CASCADE, related_name="outliers")
    region = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField("年")
    month = models.PositiveSmallIntegerField("月")
    kind = models.CharField("类型", max_length=10, choices=OutlierKind.choices)
    value = models.DecimalField("数值", **MONEY)
    expected = models.DecimalField("历史均值", null=True, blank=True, **MONEY)
    spread = models.DecimalField("标准差", null=True, blank=True, **MONEY)
    low = models.DecimalField("下限", null=True, blank=True, **MONEY)
    high = models.DecimalField("上限", null=True, blank=True, **MONEY)
    status = models.CharField("状态", max_length=10, choices=FlagStatus.choices, default=FlagStatus.OPEN)
    note = models.CharField("核实说明", max_length=500, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "异常值"
        ordering = ["region_id", "year", "month", "element__order"]
        constraints = [
            models.UniqueConstraint(fields=["element", "region", "year", "month", "kind"], name="outlier_key")
        ]
        indexes = [
            models.Index(fields=["region"], name="outlier_region_prefix", opclasses=["varchar_pattern_ops"])
        ]

    def __str__(self) -> str:
        return f"{self.region_id} {self.year}-{self.month:02d} {self.element.code}"

    @property
    def audit_region_code(self) -> str:
        return str(self.region_id)
