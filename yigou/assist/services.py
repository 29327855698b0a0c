"""Registering assisting units and cadres, and pairing them with villages and households."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction

from yigou.accounts.enums import Role
from yigou.accounts.scope import can, ensure_can, ensure_region_in_scope, ensure_visible, scope_for
from yigou.core import audit
from yigou.core.errors import DomainError, PermissionDeniedError
from yigou.core.pinyin import initials
from yigou.core.validators import validate_phone, validate_uscc
from yigou.regions.checks import require_level
from yigou.regions.enums import Level
from yigou.regions.models import Region
from yigou.registry.models import Household

from .enums import UnitKind
from .models import AssistingUnit, Cadre, CadreHouseholdPairing, UnitVillagePairing

UNIT_EDITABLE = [
    "name",
    "kind",
    "uscc",
    "is_budget_unit",
    "has_canteen",
    "has_union",
    "staff_count",
    "contact_name",
    "contact_phone",
    "address",
]


def _ensure_unit_editor(actor: Any, unit: AssistingUnit) -> None:
    """Offices edit units in their region; a unit's own staff edit their own unit and its cadres."""
    if can(actor, "assist.change"):
        ensure_visible(actor, unit)
        return
    if can(actor, "assist.change_own") and scope_for(actor).unit_id == unit.pk:
        return
    raise PermissionDeniedError()


def _clean_unit_fields(fields: dict[str, Any], *, exclude_pk: int | None = None) -> dict[str, Any]:
    if "kind" in fields and fields["kind"] not in UnitKind.values:
        raise DomainError("invalid_input", detail=f"单位类型“{fields['kind']}”不在可选范围内")
    if fields.get("uscc"):
        fields["uscc"] = validate_uscc(fields["uscc"])
        clash = AssistingUnit.objects.filter(uscc=fields["uscc"]).exclude(pk=exclude_pk or 0).first()
        if clash:
            raise DomainError("uscc_duplicate", uscc=fields["uscc"], name=clash.name)
    elif "uscc" in fields:
        fields["uscc"] = None
    if fields.get("contact_phone"):
        fields["contact_phone"] = validate_phone(fields["contact_phone"])
    if "name" in fields:
        fields["name"] = (fields["name"] or "").strip()[:200]
        if not fields["name"]:
            raise DomainError("invalid_input", detail="单位名称不能为空", field="name")
    if not fields.get("is_budget_unit", True) and (fields.get("has_canteen") or fields.get("has_union")):
        raise DomainError("invalid_input", detail="只有预算单位登记机关食堂和工会")
    return fields


@transaction.atomic
def unit_register(*, actor: Any, region: Region, name: str, kind: str, **fields: Any) -> AssistingUnit:
    ensure_can(actor, "assist.change")
    ensure_region_in_scope(actor, region.code)
    unknown = set(fields) - set(UNIT_EDITABLE)
    if unknown:
        raise DomainError("invalid_input", detail=f"未知字段：{', '.join(sorted(unknown))}")
    cleaned = _clean_unit_fields({"name": name, "kind": kind, **fields})
    unit = AssistingUnit.objects.create(
        region=region, name_initials=initials(cleaned["name"])[:60], **cleaned
    )
    audit.record(actor=actor, action="create", target=unit, changes={"name": unit.name, "kind": kind})
    return unit


@transaction.atomic
def unit_update(*, actor: Any, unit: AssistingUnit, **fields: Any) -> AssistingUnit:
    _ensure_unit_editor(actor, unit)
    unknown = set(fields) - set(UNIT_EDITABLE)
    if unknown:
        raise DomainError("invalid_input", detail=f"不能修改字段：{', '.join(sorted(unknown))}")
    before = audit.snapshot(unit, UNIT_EDITABLE)
    merged = {**before, **fields}
    _clean_unit_fields(dict(merged), exclude_pk=unit.pk)
    for key, value in _clean_unit_fields(fields, exclude_pk=unit.pk).items():
        setattr(unit, key, value)
    unit.name_initials = initials(unit.name)[:60]
    changes = audit.diff(before, audit.snapshot(unit, UNIT_EDITABLE))
    if changes:
        unit.save()
        audit.record(actor=actor, action="update", target=unit, changes=changes)
    return unit


@transaction.atomic
def cadre_add(
    *,
    actor: Any,
    unit: AssistingUnit,
    name: str,
    position: str = "",
    phone: str = "",
    is_first_secretary: bool = False,
) -> Cadre:
    _ensure_unit_editor(actor, unit)
    name = (name or "").strip()
    if not name:
        raise DomainError("invalid_input", detail="干部姓名不能为空", field="name")
    cadre = Cadre.objects.create(
        unit=unit,
        name=name[:60],
        name_initials=initials(name)[:20],
        position=position.strip()[:100],
        phone=validate_phone(phone) if phone else "",
        is_first_secretary=is_first_secretary,
    )
    audit.record(actor=actor, action="cadre_add", target=unit, changes={"cadre": cadre.name})
    return cadre


@transaction.atomic
def cadre_update(*, actor: Any, cadre: Cadre, **fields: Any) -> Cadre:
    _ensure_unit_editor(actor, cadre.unit)
    allowed = {"name", "position", "phone", "is_first_secretary", "is_active"}
    if set(fields) - allowed:
        raise DomainError("invalid_input", detail=f"不能修改字段：{', '.join(sorted(set(fields) - allowed))}")
    before = audit.snapshot(cadre, sorted(allowed))
    if fields.get("phone"):
        fields["phone"] = validate_phone(fields["phone"])
    for key, value in fields.items():
        setattr(cadre, key, value)
    cadre.name_initials = initials(cadre.name)[:20]
    changes = audit.diff(before, audit.snapshot(cadre, sorted(allowed)))
    if changes:
        cadre.save()
        audit.record(actor=actor, action="update", target=cadre, changes=changes)
    return cadre


def _check_dates(start: dt.date, end: dt.date | None) -> None:
    if end is not None and end < start:
        raise DomainError("pairing_dates_invalid", start=start.isoformat(), end=end.isoformat())


def _ensure_pairing_manager(actor: Any) -> None:
    # Pairings are assigned by the poverty-alleviation office, not by the units themselves.
    if not can(actor, "assist.change") or actor.role == Role.VILLAGE:
        raise PermissionDeniedError()


@transaction.atomic
def pair_unit_village(
    *,
    actor: Any,
    unit: AssistingUnit,
    village: Region,
    start: dt.date,
    end: dt.date | None = None,
    note: str = "",
) -> UnitVillagePairing:
    _ensure_pairing_manager(actor)
    require_level(village, Level.VILLAGE, what="结对村")
    ensure_region_in_scope(actor, village.code)
    _check_dates(start, end)
    open_pairing = UnitVillagePairing.objects.filter(unit=unit, village=village, end__isnull=True).first()
    if open_pairing is not None:
        raise DomainError("pairing_overlap", start=open_pairing.start.isoformat())
    pairing = UnitVillagePairing.objects.create(
        unit=unit, village=village, start=start, end=end, note=note[:300]
    )
    audit.record(
        actor=actor, action="pair", target=pairing, changes={"unit": unit.name, "village": village.code}
    )
    return pairing


@transaction.atomic
def pair_cadre_household(
    *, actor: Any, cadre: Cadre, household: Household, start: dt.date, end: dt.date | None = None
) -> CadreHouseholdPairing:
    _ensure_pairing_manager(actor)
    ensure_visible(actor, household)
    ensure_region_in_scope(actor, household.village_id)
    _check_dates(start, end)
    if not cadre.is_active:
        raise DomainError("invalid_input", detail=f"干部 {cadre.name} 已不在岗，不能结对")
    open_pairing = CadreHouseholdPairing.objects.filter(
        cadre=cadre, household=household, end__isnull=True
    ).first()
    if open_pairing is not None:
        raise DomainError("pairing_overlap", start=open_pairing.start.isoformat())
    pairing = CadreHouseholdPairing.objects.create(cadre=cadre, household=household, start=start, end=end)
    audit.record(
        actor=actor,
        action="pair",
        target=pairing,
        changes={"cadre": cadre.name, "household": household.number},
    )
    return pairing


@transaction.atomic
def pairing_end(*, actor: Any, pairing: UnitVillagePairing | CadreHouseholdPairing, end: dt.date) -> None:
    _ensure_pairing_manager(actor)
    ensure_visible(actor, pairing)
    if pairing.end is not None:
        raise DomainError("invalid_input", detail="该结对已结束")
    _check_dates(pairing.start, end)
    pairing.end = end
    pairing.save(update_fields=["end", "updated_at"])
    audit.record(actor=actor, action="unpair", target=pairing, changes={"end": end.isoformat()})
