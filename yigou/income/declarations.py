"""农户自主申报: the public form's one write, and what staff then do with a declaration.

`submit` needs no login. It answers every accepted declaration with the same receipt text, whether the ID number
belongs to a registered member or not, so the form never tells a visitor who is on the register. The ID number and
phone are stored encrypted; the ID's keyed hash (the registry's `Member.id_hash`, `yigou.core.crypto.lookup_hash`)
finds the member. A matched declaration shows as a flagged household to the offices and village over it; an
unmatched one belongs to the county of the ID's first six digits, whose office checks it.

Rate limits (Django's cache, YIGOU_MONITORING_RULES): at most `declaration_per_ip` declarations per client IP and
`declaration_per_id` per ID number within `declaration_window_seconds`; the next is refused with `rate_limited`
and stores nothing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.utils import timezone

from yigou.accounts.scope import ensure_can, get_visible
from yigou.core import audit
from yigou.core.crypto import lookup_hash
from yigou.core.errors import DomainError
from yigou.core.validators import validate_id_number, validate_phone
from yigou.registry.models import Household, Member

from .cases import case_open, check_group
from .checks import check_choice, check_text
from .enums import Channel, DeclarationStatus, RiskType
from .models import Declaration, MonitoringCase

RATE_LIMITED = "申报过于频繁，请稍后再试。如情况紧急，请直接联系村（社区）干部或拨打当地防返贫监测热线。"


def rule(name: str) -> int:
    return int(settings.YIGOU_MONITORING_RULES[name])


@dataclass(frozen=True)
class Receipt:
    """What the public form shows: the same text for a registered and an unknown ID number."""

    reference: str
    message: str


def receipt_message() -> str:
    return f"申报已收到，村干部将在{rule('declaration_visit_days')}个工作日内入户核实。"


def _key(kind: str, value: str) -> str:
    return f"yigou:monitoring:declaration:{kind}:{value}"


def _ensure_under_limit(key: str, limit: int) -> None:
    if int(cache.get(key, 0)) >= limit:
        raise DomainError("rate_limited", RATE_LIMITED)


def _count(key: str) -> None:
    window = rule("declaration_window_seconds")
    if not cache.add(key, 1, timeout=window):
        try:
            cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.add(key, 1, timeout=window)


def _create(day: dt.date, **fields: Any) -> Declaration:
    """SByyyymmdd-NNNN, the day's declarations counted; a clash with a concurrent one takes the next number."""
    prefix = f"SB{day:%Y%m%d}-"
    taken = Declaration.objects.filter(reference__startswith=prefix).count()
    for n in range(taken + 1, taken + 6):
        try:
            with transaction.atomic():
                return Declaration.objects.create(reference=f"{prefix}{n:04d}", **fields)
        except IntegrityError:
            continue
    raise DomainError("invalid_input", detail="申报繁忙，请稍后再试")


@transaction.atomic
def submit(
    *, name: str, id_number: str, phone: str, risk_type: str, description: str, client_ip: str
) -> Receipt:
    """One declaration from the public form (no login)."""
    ip_key = _key("ip", client_ip or "unknown")
    _ensure_under_limit(ip_key, rule("declaration_per_ip"))
    who = check_text(name, "姓名", "name", least=2, most=60)
    number = validate_id_number(id_number)
    id_hash = lookup_hash(number)
    id_key = _key("id", id_hash)
    _ensure_under_limit(id_key, rule("declaration_per_id"))
    data = {
        "name": who,
        "id_number": number,
        "id_hash": id_hash,
        "phone": validate_phone(phone),
        "risk_type": check_choice(risk_type, RiskType, "风险类型", "risk_type"),
        "description": check_text(description, "困难情况", "description", least=5, most=1000),
    }
    member = Member.objects.select_related("household").filter(id_hash=id_hash).first()
    household = member.household if member is not None else None
    county = household.county_code if household is not None else f"{number[:6]}000000"
    row = _create(timezone.localdate(), member=member, household=household, county_code=county, **data)
    _count(ip_key)
    _count(id_key)
    audit.record(
        actor=None,
        action="monitoring.declaration",
        target=row,
        region_code=row.audit_region_code,
        note="农户自主申报（匹配到登记农户）" if member else "农户自主申报（未匹配到登记农户）",
    )
    return Receipt(row.reference, receipt_message())


def visible_declaration(actor: Any, pk: Any) -> Declaration:
    ensure_can(actor, "monitoring.view")
    return get_visible(actor, Declaration.objects.select_related("household"), pk=pk)


def _new(actor: Any, declaration: Declaration) -> Declaration:
    row = Declaration.objects.select_for_update().get(pk=declaration.pk)
    ensure_can(actor, "monitoring.flag", row)
    if row.status != DeclarationStatus.NEW:
        raise DomainError(
            "invalid_input", detail=f"申报 {row.reference} 当前为“{row.get_status_display()}”，不能重复处理"
        )
    return row


@transaction.atomic
def declaration_open_case(
    *,
    actor: Any,
    declaration: Declaration,
    group: str,
    risks: Sequence[str] = (),
    household: Household | None = None,
    note: str = "",
) -> MonitoringCase:
    """Open the case of a declaration (channel 农户自主申报, discovered on the day it was received). An unmatched
    declaration names, after the county's check, the household it belongs to."""
    row = _new(actor, declaration)
    target = household or row.household
    if target is None:
        raise DomainError(
            "invalid_input", detail="该申报未匹配到登记农户，请核实后指定农户", field="household"
        )
    case = case_open(
        actor=actor,
        household=target,
        group=check_group(group),
        risks=list(risks) or [row.risk_type],
        channel=Channel.DECLARATION,
        discovered_on=timezone.localdate(row.created_at),
        note=f"农户自主申报 {row.reference}：{row.description}"
        + (f"；{note.strip()}" if note.strip() else ""),
    )
    row.status, row.case, row.household = DeclarationStatus.CASE_OPENED, case, target
    row.handled_note = note.strip()[:500]
    row.save(update_fields=["status", "case", "household", "handled_note", "updated_at"])
    audit.record(
        actor=actor, action="monitoring.declaration_case", target=row, note=f"立为监测对象 {case.pk}"
    )
    return case


@transaction.atomic
def declaration_dismiss(*, actor: Any, declaration: Declaration, reason: str) -> Declaration:
    """After the home visit: not taken up, with the reason."""
    row = _new(actor, declaration)
    row.handled_note = check_text(reason, "不予受理原因", "reason", least=2, most=500)
    row.status = DeclarationStatus.DISMISSED
    row.save(update_fields=["status", "handled_note", "updated_at"])
    audit.record(actor=actor, action="monitoring.declaration_dismiss", target=row, note=row.handled_note)
    return row
