"""Running the rules: at entry (one region and month), on demand (each child and the aggregated parent of a
region for a period) and at submission. Violations are stored as ValidationResult rows: a row stays while its
rule is still violated (keeping the filler's comment) and is removed once a check passes.

Rules read *reported* values (see values.py: a region's own figures, else its children's aggregated): the
ledger's figures are consistent by construction, and the rules are there to catch forms that cannot be true.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import transaction

from yigou.core.errors import DomainError
from yigou.core.periods import Period, parse_period
from yigou.regions.models import Region

from .enums import FlagStatus
from .models import DataElement, Form, OutlierFlag, Rule, ValidationResult
from .rules import Outlier, Violation, check_all, outliers
from .values import elements, reported


@dataclass(frozen=True)
class RegionViolation:
    region: Region
    violation: Violation

    def as_dict(self) -> dict[str, object]:
        v = self.violation
        return {
            "region_code": self.region.code,
            "region_name": self.region.name,
            "rule": v.rule.code,
            "description": v.rule.description,
            "left": number(v.left),
            "right": number(v.right),
            "importance": v.rule.importance,
        }


def number(value: Decimal | int | None) -> int | float | None:
    """JSON numbers: integers stay integers, cents become a float with at most two places."""
    if value is None or isinstance(value, int):
        return value
    return int(value) if value == value.to_integral_value() else float(value)


def active_rules(form: Form) -> list[Rule]:
    return list(form.rules.filter(is_active=True).order_by("order", "id"))


def validate(form: Form, region: Region, period: Period) -> list[Violation]:
    names = {e.code: e.label for e in elements(form)}
    return check_all(active_rules(form), reported(form, region, period), names)


def store(form: Form, region: Region, period: Period, violations: list[Violation]) -> list[ValidationResult]:
    """Replace the stored results of this region and period by `violations`, keeping existing comments."""
    key: dict[str, Any] = {
        "form": form,
        "region": region,
        "period_start": period.start,
        "period_end": period.end,
    }
    ValidationResult.objects.filter(**key).exclude(rule__in=[v.rule for v in violations]).delete()
    results = []
    for v in violations:
        result, _ = ValidationResult.objects.update_or_create(
            **key,
            rule=v.rule,
            defaults={
                "period_label": period.label,
                "left": v.left,
                "right": v.right,
                "importance": v.rule.importance,
                "blocking": v.rule.blocks,
                "message": v.message[:300],
            },
        )
        results.append(result)
    return results


def month_period(year: int, month: int) -> Period:
    return parse_period(f"{year}-{month:02d}")


def validate_and_store(form: Form, region: Region, year: int, month: int) -> list[Violation]:
    period = month_period(year, month)
    violations = validate(form, region, period)
    store(form, region, period, violations)
    return violations


def targets(region: Region) -> list[Region]:
    """Each child in code order, then the region itself (its figures aggregated from the children)."""
    return [*region.children.order_by("code"), region]


def run(form: Form, region: Region, period: Period) -> list[RegionViolation]:
    """Check each child and the aggregated parent for the period; store and return the violations."""
    found: list[RegionViolation] = []
    with transaction.atomic():
        for target in targets(region):
            violations = validate(form, target, period)
            store(form, target, period, violations)
            found += [RegionViolation(target, v) for v in violations]
    return found


def ensure_submittable(region_code: str, year: int, month: int, form: Form | None = None) -> None:
    """For the approval app: refuse while a blocking rule fails or another violation has no comment."""
    from .services import builtin_form

    form = form or builtin_form()
    region = Region.objects.get(code=region_code)
    validate_and_store(form, region, year, month)
    period = month_period(year, month)
    open_results = ValidationResult.objects.filter(
        form=form, region=region, period_start=period.start, period_end=period.end
    ).select_related("rule")
    reasons = [f"{r.rule.code} {r.rule.description}" for r in open_results if r.blocking]
    reasons += [
        f"{r.rule.code} 须填写情况说明" for r in open_results if not r.blocking and not r.comment.strip()
    ]
    if reasons:
        raise DomainError("submission_blocked", detail="；".join(reasons))


def flag_outliers(
    form: Form, region: Region, year: int, month: int, changed: list[DataElement]
) -> list[Outlier]:
    """Store a flag for each changed value that is an outlier; a value no longer out of line loses its flag."""
    from .models import FormValue

    found: list[Outlier] = []
    for element in changed:
        row = FormValue.objects.filter(
            form=form, region=region, year=year, month=month, element=element
        ).first()
        current = outliers(element, region.code, year, month, row.value) if row else []
        key: dict[str, Any] = {
            "form": form,
            "element": element,
            "region": region,
            "year": year,
            "month": month,
        }
        OutlierFlag.objects.filter(**key).exclude(kind__in=[o.kind for o in current]).delete()
        for o in current:
            OutlierFlag.objects.update_or_create(
                **key,
                kind=o.kind,
                defaults={
                    "value": o.value,
                    "expected": o.expected,
                    "spread": o.spread,
                    "low": o.low,
                    "high": o.high,
                    "status": FlagStatus.OPEN,
                },
            )
        found += current
    return found
