from django.db import models


class PeriodType(models.TextChoices):
    MONTHLY = "monthly", "月报"


class ValueType(models.TextChoices):
    INTEGER = "integer", "整数"
    DECIMAL = "decimal", "小数（两位）"


class Aggregation(models.TextChoices):
    """How an element aggregates up the region tree (children into their parent)."""

    SUM = "sum", "求和"
    MAX = "max", "取最大值"
    NONE = "none", "不汇总"


class PeriodAggregation(models.TextChoices):
    """How the months of a period combine: flows add up, stocks (outlets open) take the last reported month."""

    SUM = "sum", "各月相加"
    LAST = "last", "取期末月"


class Operator(models.TextChoices):
    EQ = "eq", "="
    NE = "ne", "≠"
    LT = "lt", "<"
    LE = "le", "≤"
    GT = "gt", ">"
    GE = "ge", "≥"
    PAIR = "pair", "成对必填"


class Importance(models.TextChoices):
    HIGH = "high", "高"
    MEDIUM = "medium", "中"
    LOW = "low", "低"


class Missing(models.TextChoices):
    SKIP = "skip", "缺失时跳过"
    ZERO = "zero", "缺失按零计"
    VIOLATION = "violation", "缺失即违反"


class OutlierKind(models.TextChoices):
    STDDEV = "stddev", "偏离历史均值超过3倍标准差"
    BOUNDS = "bounds", "超出设定范围"


class FlagStatus(models.TextChoices):
    OPEN = "open", "待核实"
    RESOLVED = "resolved", "已核实"
