"""Registering households and members, and appending to their status history."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Max

from yigou.accounts.scope import ensure_can, ensure_region_in_scope
from yigou.core import audit
from yigou.core.crypto import lookup_hash
from yigou.core.errors import DomainError
from yigou.core.masking import mask_id_number
from yigou.core.pinyin import initials
from yigou.core.uploads import ensure_evidence_file
from yigou.core.validators import birth_date_from_id, sex_from_id, validate_id_number, validate_phone
from yigou.regions.checks import require_level
from yigou.regions.enums import Level
from yigou.regions.models import Region

from .. import status as status_rules
from ..enums import STEP_ORDER, EventKind, EventSource, Health, IdentificationStepKind, Labour, Relation
from ..models import EvidenceFile, Household, IdentificationStep, Member, StatusEvent


@dataclass
class MemberInput:
    name: str
    id_number: str
    relation: str = Relation.HEAD
    labour: str = Labour.ORDINARY
    health: str = Health.HEALTHY

    def cleaned(self) -> MemberInput:
        name = (self.name or "").strip()
        if not name or len(name) > 60:
            raise DomainError("invalid_input", detail="姓名不能为空且不超过60字", field="name")
        for value, choices, label in (
            (self.relation, Relation, "与户主关系"),
            (self.labour, Labour, "劳动能力"),
            (self.health, Health, "健康状况"),
        ):
            if value not in choices.values:
                raise DomainError("invalid_input", detail=f"{label}“{value}”不在可选范围内")
        return MemberInput(name, validate_id_number(self.id_number), self.relation, self.labour, self.health)


def _ensure_new_people(members: Sequence[MemberInput]) -> None:
    hashes = [lookup_hash(m.id_number) for m in members]
    if len(set(hashes)) != len(hashes):
        raise DomainError("id_number_duplicate", masked="（本户内）", where="同一户内重复")
    existing = Member.objects.filter(id_hash__in=hashes).select_related("household").first()
    if existing is not None:
        raise DomainError(
            "id_number_duplicate", masked=mask_id_number(existing.id_number), where=str(existing.household)
        )


def _build_member(household: Household, m: MemberInput) -> Member:
    return Member(
        household=household,
        name=m.name,
        name_initials=initials(m.name),
        relation=m.relation,
        sex=sex_from_id(m.id_number),
        birth_date=birth_date_from_id(m.id_number),
        id_number=m.id_number,
        id_hash=lookup_hash(m.id_number),
        id_tail=m.id_number[-4:],
        labour=m.labour,
        health=m.health,
    )


def _next_number(village: Region) -> str:
    last = Household.objects.filter(village=village).aggregate(n=Max("number"))["n"]
    seq = int(last[-4:]) + 1 if last and last[-4:].isdigit() else 1
    return f"{village.code}{seq:04d}"


def validate_members(members: Sequence[MemberInput]) -> list[MemberInput]:
    cleaned = [m.cleaned() for m in members]
    if sum(1 for m in cleaned if m.relation == Relation.HEAD) != 1:
        raise DomainError("household_head_required")
    _ensure_new_people(cleaned)
    return cleaned


@transaction.atomic
def household_register(
    *,
    actor: Any,
    village: Region,
    members: Sequence[MemberInput],
    number: str = "",
    phone: str = "",
    address: str = "",
) -> Household:
    ensure_can(actor, "registry.change")
    require_level(village, Level.VILLAGE, what="所在村")
    ensure_region_in_scope(actor, village.code)
    cleaned = validate_members(members)
    head = next(m for m in cleaned if m.relation == Relation.HEAD)
    if number and Household.objects.filter(number=number).exists():
        raise DomainError("invalid_input", detail=f"户编号 {number} 已存在")
    household = Household.objects.create(
        number=number or _next_number(village),
        village=village,
        county_code=village.county_code,
        head_name=head.name,
        head_initials=initials(head.name),
        phone=validate_phone(phone) if phone else "",
        address=address.strip()[:200],
        size=len(cleaned),
    )
    Member.objects.bulk_create([_build_member(household, m) for m in cleaned])
    audit.record(
        actor=actor,
        action="create",
        target=household,
        changes={"members": [m.name for m in cleaned], "village": village.code},
    )
    return household


@transaction.atomic
def household_update(
    *, actor: Any, household: Household, phone: str | None = None, address: str | None = None
) -> Household:
    ensure_can(actor, "registry.change", household)
    before = audit.snapshot(household, ["phone", "address"])
    if phone is not None:
        household.phone = validate_phone(phone) if phone else ""
    if address is not None:
        household.address = address.strip()[:200]
    changes = audit.diff(before, audit.snapshot(household, ["phone", "address"]))
    if changes:
        household.save(update_fields=["phone", "address", "updated_at"])
        audit.record(actor=actor, action="update", target=household, changes=changes)
    return household


@transaction.atomic
def member_add(*, actor: Any, household: Household, member: MemberInput) -> Member:
    ensure_can(actor, "registry.change", household)
    cleaned = member.cleaned()
    if cleaned.relation == Relation.HEAD:
        raise DomainError("household_head_required")
    _ensure_new_people([cleaned])
    row = _build_member(household, cleaned)
    row.save()
    Household.objects.filter(pk=household.pk).update(size=Member.objects.filter(household=household).count())
    audit.record(actor=actor, action="member_add", target=household, changes={"member": cleaned.name})
    return row


@transaction.atomic
def member_remove(*, actor: Any, member: Member, reason: str) -> None:
    """A member leaves the household (death, marriage out, household split); the reason is kept in the audit log."""
    household = member.household
    ensure_can(actor, "registry.change", household)
    if member.relation == Relation.HEAD:
        raise DomainError("household_head_required")
    if not reason.strip():
        raise DomainError("invalid_input", detail="请填写减员原因")
    audit.record(
        actor=actor, action="member_remove", target=household, changes={"member": member.name}, note=reason
    )
    member.delete()
    Household.objects.filter(pk=household.pk).update(size=Member.objects.filter(household=household).count())


def member_reveal(*, actor: Any, member: Member) -> dict[str, str]:
    """The full ID number, phone and health of one member, for a user allowed to see them; always audited."""
    household = member.household
    ensure_can(actor, "pii.reveal", household)
    audit.record(
        actor=actor,
        action="reveal",
        target=member,
        region_code=household.village_id,
        note="查看完整身份证号、电话与健康状况",
    )
    return {"id_number": member.id_number, "phone": household.phone, "health": member.health_label}


def _last_date(household: Household) -> dt.date | None:
    dates = [
        household.events.aggregate(d=Max("date"))["d"],
        household.identification_steps.aggregate(d=Max("date"))["d"],
    ]
    present = [d for d in dates if d]
    return max(present) if present else None


def _check_chronology(household: Household, date: dt.date) -> None:
    last = _last_date(household)
    if last and date < last:
        raise DomainError("event_date_out_of_order", date=date.isoformat(), last=last.isoformat())
    if date > dt.date.today():
        raise DomainError("invalid_input", detail=f"日期 {date.isoformat()} 晚于今天")


def _current_state(household: Household) -> status_rules.State:
    return status_rules.derive(
        household.events.order_by("date", "id"), identifying=household.identification_steps.exists()
    )


@transaction.atomic
def household_record_event(
    *,
    actor: Any,
    household: Household,
    kind: str,
    date: dt.date,
    reason: str = "",
    monitor_type: str = "",
    source: str = EventSource.MANUAL,
    files: Sequence[UploadedFile] = (),
) -> StatusEvent:
    ensure_can(actor, "registry.change", household)
    household = Household.objects.select_for_update().get(pk=household.pk)
    if (
        kind in (EventKind.EXITED, EventKind.LOOKBACK_REMOVED, EventKind.LOOKBACK_ADDED)
        and not reason.strip()
    ):
        raise DomainError("invalid_input", detail=f"“{EventKind(kind).label}”必须填写原因")
    _check_chronology(household, date)
    before = _current_state(household)
    after = status_rules.apply(before, kind, monitor_type)
    event = StatusEvent.objects.create(
        household=household,
        kind=kind,
        date=date,
        reason=reason.strip()[:500],
        monitor_type=monitor_type if kind == EventKind.MONITOR_STARTED else "",
        source=source,
        recorded_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    _save_state(household, after)
    for upload in files:
        _attach(actor, household, upload, event=event)
    audit.record(
        actor=actor,
        action=f"event:{kind}",
        target=household,
        changes=audit.diff(before.__dict__, after.__dict__),
        note=reason,
    )
    return event


def _save_state(household: Household, state: status_rules.State) -> None:
    household.status, household.monitor_type = state.status, state.monitor_type
    household.save(update_fields=["status", "monitor_type", "updated_at"])


@transaction.atomic
def identification_record_step(
    *,
    actor: Any,
    household: Household,
    step: str,
    date: dt.date,
    note: str = "",
    files: Sequence[UploadedFile] = (),
) -> IdentificationStep:
    """Record the next step of 精准识别; the announcement completes it and appends the 'identified' event."""
    ensure_can(actor, "registry.change", household)
    household = Household.objects.select_for_update().get(pk=household.pk)
    done = list(household.identification_steps.order_by("date", "id").values_list("step", flat=True))
    cycle = done[len(done) - len(done) % len(STEP_ORDER) :] if done else []
    expected = STEP_ORDER[len(cycle)]
    if step != expected:
        raise DomainError(
            "identification_step_order",
            expected=IdentificationStepKind(expected).label,
            given=IdentificationStepKind(step).label if step in STEP_ORDER else step,
        )
    if household.status in status_rules.REGISTERED:
        raise DomainError(
            "status_transition_illegal", current=household.get_status_display(), action="精准识别"
        )
    _check_chronology(household, date)
    row = IdentificationStep.objects.create(
        household=household,
        step=step,
        date=date,
        note=note.strip()[:500],
        recorded_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    for upload in files:
        _attach(actor, household, upload, step=row)
    audit.record(actor=actor, action=f"step:{step}", target=household, note=note)
    if step == IdentificationStepKind.ANNOUNCEMENT:
        household_record_event(
            actor=actor,
            household=household,
            kind=EventKind.IDENTIFIED,
            date=date,
            reason="精准识别程序完成（两公示一公告）",
            source=EventSource.PROCEDURE,
        )
    elif household.status == status_rules.S.NON_POOR:
        _save_state(household, status_rules.State(status_rules.S.IDENTIFYING, household.monitor_type))
    return row


def _attach(
    actor: Any, household: Household, upload: UploadedFile, *, step: Any = None, event: Any = None
) -> EvidenceFile:
    name = ensure_evidence_file(upload)
    return EvidenceFile.objects.create(
        household=household,
        step=step,
        event=event,
        file=upload,
        name=name[:200],
        uploaded_by=actor if getattr(actor, "is_authenticated", False) else None,
    )


@transaction.atomic
def evidence_attach(
    *, actor: Any, household: Household, upload: UploadedFile, step: IdentificationStep | None = None
) -> EvidenceFile:
    ensure_can(actor, "registry.change", household)
    row = _attach(actor, household, upload, step=step)
    audit.record(actor=actor, action="evidence", target=household, note=row.name)
    return row
