"""Evaluating validation rules (data, not code) and detecting outliers against a region's own history.

A rule reads `[if A op B then] L op R`. Operators compare with the rule's tolerance: `=` holds when
|L − R| ≤ tolerance, `≠` when |L − R| > tolerance, `≤` when L ≤ R + tolerance, `<` when L < R + tolerance,
`≥` when L ≥ R − tolerance, `>` when L > R − tolerance. The compulsory pair ("成对必填") holds unless one side
has a value and the other side is incomplete (a side "has a value" when any element it names is filled, and
is complete when every element it names is filled). A rule whose condition does not hold is not violated.

Missing values, by the rule's strategy: skip (the rule is not checked when an element it names is missing),
zero (a missing element counts as 0), violation (a missing element is itself a violation; its side is null).
"""

from __future__ import annotations

import re
import statistics
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

from .enums import Missing, Operator, OutlierKind
from .expressions import Expression, parse
from .models import DataElement, FormValue, Rule

SYMBOL = dict(Operator.choices)


@dataclass(frozen=True)
class Violation:
    rule: Rule
    left: Decimal | None
    right: Decimal | None
    message: str


def holds(operator: str, left: Decimal, right: Decimal, tolerance: Decimal) -> bool:
    difference = left - right
    checks = {
        Operator.EQ: abs(difference) <= tolerance,
        Operator.NE: abs(difference) > tolerance,
        Operator.LE: difference <= tolerance,
        Operator.LT: difference < tolerance if tolerance else difference < 0,
        Operator.GE: difference >= -tolerance,
        Operator.GT: difference > -tolerance if tolerance else difference > 0,
    }
    return checks[Operator(operator)]


def _expressions(rule: Rule) -> list[Expression]:
    parts = [parse(rule.left), parse(rule.right)]
    if rule.if_operator:
        parts += [parse(rule.if_left), parse(rule.if_right)]
    return parts


def _pair_violated(left: Expression, right: Expression, values: Mapping[str, Decimal | None]) -> bool:
    def touched(e: Expression) -> bool:
        return any(values.get(c) is not None for c in e.codes)

    def complete(e: Expression) -> bool:
        return all(values.get(c) is not None for c in e.codes)

    return (touched(left) and not complete(right)) or (touched(right) and not complete(left))


def _fmt(value: Decimal | None) -> str:
    return "缺失" if value is None else f"{value.normalize():f}"


CODE = re.compile(r"[a-z_][a-z0-9_]*")
Names = Mapping[str, str]


def named(text: str, names: Names | None) -> str:
    """An expression as officials read it: element codes replaced by their Chinese labels."""
    return CODE.sub(lambda m: (names or {}).get(m.group(0), m.group(0)), text)


def _message(rule: Rule, left: Decimal | None, right: Decimal | None, names: Names | None) -> str:
    return f"{rule.description}：{named(rule.left, names)} = {_fmt(left)}，{named(rule.right, names)} = {_fmt(right)}"


def check(rule: Rule, values: Mapping[str, Decimal | None], names: Names | None = None) -> Violation | None:
    """The violation of `rule` by `values`, or None when the rule holds or is not applicable."""
    left_e, right_e = parse(rule.left), parse(rule.right)
    as_zero = rule.missing == Missing.ZERO
    if rule.operator == Operator.PAIR:
        if not _pair_violated(left_e, right_e, values):
            return None
        left, right = (
            left_e.evaluate(values, missing_as_zero=False),
            right_e.evaluate(values, missing_as_zero=False),
        )
        pair = f"{named(rule.left, names)} 与 {named(rule.right, names)}"
        return Violation(rule, left, right, f"{rule.description}：{pair} 须同时填报")
    codes = [c for e in _expressions(rule) for c in e.codes]
    missing = [c for c in codes if values.get(c) is None]
    if missing and rule.missing == Missing.SKIP:
        return None
    left, right = (
        left_e.evaluate(values, missing_as_zero=as_zero),
        right_e.evaluate(values, missing_as_zero=as_zero),
    )
    if missing and rule.missing == Missing.VIOLATION:
        absent = "、".join(named(c, names) for c in dict.fromkeys(missing))
        return Violation(rule, left, right, f"{rule.description}：缺少 {absent}")
    if rule.if_operator:
        a = parse(rule.if_left).evaluate(values, missing_as_zero=True)
        b = parse(rule.if_right).evaluate(values, missing_as_zero=True)
        if a is None or b is None or not holds(rule.if_operator, a, b, Decimal(0)):
            return None
    assert left is not None and right is not None  # missing values were skipped, zeroed or reported above
    if holds(rule.operator, left, right, rule.tolerance):
        return None
    return Violation(rule, left, right, _message(rule, left, right, names))


def check_all(
    rules: list[Rule], values: Mapping[str, Decimal | None], names: Names | None = None
) -> list[Violation]:
    return [v for v in (check(rule, values, names) for rule in rules) if v is not None]


@dataclass(frozen=True)
class Outlier:
    element: DataElement
    kind: str
    value: Decimal
    expected: Decimal | None = None
    spread: Decimal | None = None
    low: Decimal | None = None
    high: Decimal | None = None

    @property
    def message(self) -> str:
        if self.kind == OutlierKind.BOUNDS:
            return f"{self.element.name} {_fmt(self.value)} 超出范围 {_fmt(self.low)}～{_fmt(self.high)}"
        return (
            f"{self.element.name} {_fmt(self.value)} 偏离本区域历史均值 {_fmt(self.expected)} "
            f"超过 3 倍标准差（{_fmt(self.spread)}）"
        )


MIN_HISTORY = 3
CENT = Decimal("0.01")


def history(element: DataElement, region_code: str, year: int, month: int) -> list[Decimal]:
    """The region's own earlier values of the element, oldest first."""
    rows = FormValue.objects.filter(element=element, region_id=region_code).exclude(year__gt=year)
    return [
        v
        for y, m, v in rows.order_by("year", "month").values_list("year", "month", "value")
        if (y, m) < (year, month)
    ]


def outliers(element: DataElement, region_code: str, year: int, month: int, value: Decimal) -> list[Outlier]:
    """Bounds set on the element, and more than 3 (population) standard deviations from ≥ 3 earlier values."""
    found = []
    low, high = element.min_value, element.max_value
    if (low is not None and value < low) or (high is not None and value > high):
        found.append(Outlier(element, OutlierKind.BOUNDS, value, low=low, high=high))
    past = history(element, region_code, year, month)
    if len(past) >= MIN_HISTORY:
        mean = statistics.fmean(float(v) for v in past)
        spread = statistics.pstdev([float(v) for v in past])
        if abs(float(value) - mean) > 3 * spread:
            found.append(
                Outlier(
                    element,
                    OutlierKind.STDDEV,
                    value,
                    Decimal(str(mean)).quantize(CENT),
                    Decimal(str(spread)).quantize(CENT),
                )
            )
    return found
