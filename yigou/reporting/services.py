"""Writes of reported form values: entry by page, API and import all come through `values_save`.

Who may enter: a user holding `reporting.enter` (offices, village staff, administrators) for a region inside
their own region — a county office for the county and every township and village below it, a village for
itself. Before anything is written `ensure_entry_allowed` asks every guard in `hooks.ENTRY_GUARDS` (the approval
app's lock). Every change of a value is audited with its old and new value in the same transaction.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction

from yigou.accounts.scope import ensure_can, ensure_region_in_scope, get_visible
from yigou.core import audit
from yigou.core.errors import DomainError
from yigou.regions.checks import get_region
from yigou.regions.enums import Level
from yigou.regions.models import Region

from . import hooks
from .builtin import ensure_builtin_form
from .enums import FlagStatus, Importance, ValueType
from .models import DataElement, Form, FormValue, OutlierFlag, ValidationResult
from .rules import Outlier, Violation

RawValue = str | int | Decimal | None
MAX_VALUE = Decimal("99999999999999.99")


class ValuesInvalid(DomainError):
    """Some entered values are not numbers of the element's type; `errors` maps element code → Chinese reason."""

    def __init__(self, errors: dict[str, str]):
        self.errors = errors
        super().__init__("invalid_input", detail="；".join(errors.values()))

    def as_dict(self) -> dict[str, object]:
        return {**super().as_dict(), "fields": dict(self.errors)}


def builtin_form() -> Form:
    return ensure_builtin_form()


def ensure_entry_allowed(region_code: str, year: int, month: int) -> None:
    """Ask every guard registered in `hooks.ENTRY_GUARDS` (the approval app's lock refuses approved periods)."""
    for guard in list(hooks.ENTRY_GUARDS):
        guard(region_code, year, month)


def ensure_fills(form: Form, region: Region) -> None:
    if region.level not in (form.levels or []):
        levels = "、".join(Level(level).label for level in form.levels or [])
        raise DomainError(
            "form_level_not_filled",
            name=region.name,
            level=region.get_level_display(),
            form=form.name,
            levels=levels or "无",
        )


def ensure_can_enter(actor: Any, form: Form, region: Region) -> None:
    ensure_can(actor, "reporting.enter")
    ensure_region_in_scope(actor, region.code)
    ensure_fills(form, region)


def ensure_month(year: int, month: int) -> None:
    if not (2000 <= int(year) <= 2100 and 1 <= int(month) <= 12):
        raise DomainError("invalid_input", detail=f"期间 {year}-{month} 无效")


def parse_value(element: DataElement, raw: RawValue) -> Decimal | None:
    """The value to store, None for an empty cell (clears the value), or a Chinese refusal."""
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    text = str(raw).strip().replace(",", "").replace("，", "")

    def refuse(detail: str) -> DomainError:
        return DomainError("form_value_invalid", element=element.name, value=str(raw), detail=detail)

    try:
        value = Decimal(text)
    except InvalidOperation:
        raise refuse("不是数字") from None
    if not value.is_finite():
        raise refuse("不是数字")
    if value < 0:
        raise refuse("不能为负数")
    if value > MAX_VALUE:
        raise refuse("数值过大")
    if element.value_type == ValueType.INTEGER and value != value.to_integral_value():
        raise refuse(f"须为整数（单位：{element.unit}）")
    if value != value.quantize(Decimal("0.01")):
        raise refuse("最多保留两位小数")
    return (
        value.quantize(Decimal(1))
        if element.value_type == ValueType.INTEGER
        else value.quantize(Decimal("0.01"))
    )


def parse_values(form: Form, raw: Mapping[str, RawValue]) -> dict[DataElement, Decimal | None]:
    """Every given value parsed, or ValuesInvalid naming each bad one; unknown codes are refused too."""
    by_code = {e.code: e for e in form.elements.all()}
    parsed: dict[DataElement, Decimal | None] = {}
    errors: dict[str, str] = {}
    for code, value in raw.items():
        element = by_code.get(code)
        if element is None:
            errors[code] = DomainError("form_element_unknown", form=form.name, element=code).message
            continue
        try:
            parsed[element] = parse_value(element, value)
        except DomainError as exc:
            errors[code] = exc.message
    if errors:
        raise ValuesInvalid(errors)
    return parsed


@dataclass
class EntryResult:
    changed: int
    violations: list[Violation] = field(default_factory=list)
    outliers: list[Outlier] = field(default_factory=list)

    @property
    def blocked(self) -> bool:
        return any(v.rule.blocks for v in self.violations)


def _write(
    actor: Any,
    form: Form,
    region: Region,
    year: int,
    month: int,
    element: DataElement,
    value: Decimal | None,
    note: str,
) -> bool:
    """Create, change or clear one value with its audit entry; False when nothing changed."""
    key: dict[str, Any] = {"form": form, "region": region, "year": year, "month": month, "element": element}
    row = FormValue.objects.select_for_update().filter(**key).first()
    old = row.value if row is not None else None
    if old == value:
        return False
    label = f"{region.name} {year}年{month}月 {element.name}"
    changes = {"value": [None if old is None else str(old), None if value is None else str(value)]}
    if row is None:
        assert value is not None  # no row and no value is "nothing changed", returned above
        row = FormValue.objects.create(**key, value=value, updated_by=_user(actor))
        audit.record(
            actor=actor,
            action="form_value.create",
            target=row,
            target_label=label,
            changes=changes,
            note=note,
        )
    elif value is None:
        audit.record(
            actor=actor, action="form_value.clear", target=row, target_label=label, changes=changes, note=note
        )
        row.delete()
    else:
        row.value, row.updated_by = value, _user(actor)
        row.save(update_fields=["value", "updated_by", "updated_at"])
        audit.record(
            actor=actor,
            action="form_value.update",
            target=row,
            target_label=label,
            changes=changes,
            note=note,
        )
    return True


def _user(actor: Any) -> Any:
    return actor if getattr(actor, "is_authenticated", False) else None


def values_save(
    *,
    actor: Any,
    region_code: str,
    year: int,
    month: int,
    values: Mapping[str, RawValue],
    form: Form | None = None,
    note: str = "",
) -> EntryResult:
    """Set the given elements of a region's month (an empty value clears it); others stay as they are.

    The rules then run on the region's figures for the month and are stored (shown at once by the page);
    outliers among the changed values are flagged for follow-up.
    """
    from .validation import flag_outliers, validate_and_store

    form = form or builtin_form()
    region = get_region(region_code)
    ensure_month(year, month)
    ensure_can_enter(actor, form, region)
    parsed = parse_values(form, values)
    with transaction.atomic():
        ensure_entry_allowed(region.code, year, month)
        changed = [e for e, v in parsed.items() if _write(actor, form, region, year, month, e, v, note)]
        found = flag_outliers(form, region, year, month, [e for e in changed if parsed[e] is not None])
        violations = validate_and_store(form, region, year, month)
    return EntryResult(len(changed), violations, found)


def value_set(
    *,
    actor: Any,
    region_code: str,
    year: int,
    month: int,
    element: str,
    value: RawValue,
    form: Form | None = None,
    note: str = "",
) -> EntryResult:
    return values_save(
        actor=actor,
        region_code=region_code,
        year=year,
        month=month,
        values={element: value},
        form=form,
        note=note,
    )


def result_comment(*, actor: Any, result_id: int, comment: str) -> ValidationResult:
    """The filler explains a non-blocking violation (needed before submission); audited."""
    ensure_can(actor, "reporting.enter")
    result = get_visible(actor, ValidationResult.objects.select_related("rule", "region"), pk=result_id)
    text = (comment or "").strip()
    if not text:
        raise DomainError("invalid_input", detail="请填写情况说明")
    if result.importance == Importance.HIGH and result.blocking:
        raise DomainError("invalid_input", detail="重要性为“高”的规则须改正数据，不能仅作说明")
    with transaction.atomic():
        old = result.comment
        result.comment, result.commented_by = text[:500], actor
        result.save(update_fields=["comment", "commented_by"])
        audit.record(
            actor=actor, action="validation.comment", target=result, changes={"comment": [old, text]}
        )
    return result


def outlier_resolve(*, actor: Any, flag_id: int, note: str) -> OutlierFlag:
    ensure_can(actor, "reporting.enter")
    flag = get_visible(actor, OutlierFlag.objects.select_related("element", "region"), pk=flag_id)
    text = (note or "").strip()
    if not text:
        raise DomainError("invalid_input", detail="请填写核实说明")
    with transaction.atomic():
        flag.status, flag.note = FlagStatus.RESOLVED, text[:500]
        flag.save(update_fields=["status", "note", "updated_at"])
        audit.record(
            actor=actor,
            action="outlier.resolve",
            target=flag,
            changes={"status": ["open", "resolved"]},
            note=text,
        )
    return flag
