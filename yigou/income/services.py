"""Writes of the income card: record an entry, correct one by an offsetting entry (and, if given, the right amount
as a new entry), record a 三保障 check. Every write is checked field by field with a Chinese refusal, audited in
the same transaction, and writes nothing when refused."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone

from yigou.accounts.scope import ensure_can
from yigou.core import audit
from yigou.core.errors import DomainError
from yigou.core.uploads import ensure_evidence_file
from yigou.registry.models import Household

from .checks import check_amount, check_choice, check_text, check_year
from .enums import Component, SecurityItem, Source
from .models import IncomeEntry, SecurityCheck

MAX_NOTE = 1000


def _recorder(actor: Any) -> Any:
    return actor if getattr(actor, "is_authenticated", False) else None


def _entry_changes(entry: IncomeEntry) -> dict[str, Any]:
    return audit.snapshot(entry, ["year", "component", "amount", "source"])


@transaction.atomic
def income_record(
    *,
    actor: Any,
    household: Household,
    year: Any,
    component: str,
    amount: Any,
    source: str = Source.SURVEY,
    note: str = "",
    evidence: Any = None,
) -> IncomeEntry:
    """One income entry of a household's card for a year (an amount of one component, from one source)."""
    ensure_can(actor, "income.record", household)
    entry = IncomeEntry(
        household=household,
        year=check_year(year),
        component=check_choice(component, Component, "收入构成", "component"),
        amount=check_amount(amount),
        source=check_choice(source, Source, "来源", "source"),
        note=check_text(note, "说明", "note", most=MAX_NOTE),
        recorded_by=_recorder(actor),
    )
    if evidence is not None:
        name = ensure_evidence_file(evidence)
        entry.evidence.save(name, evidence, save=False)
    entry.save()
    audit.record(
        actor=actor, action="income.record", target=entry, changes=_entry_changes(entry), note=entry.note
    )
    return entry


@transaction.atomic
def income_correct(
    *, actor: Any, entry: IncomeEntry, reason: str, amount: Any = None
) -> tuple[IncomeEntry, IncomeEntry | None]:
    """Correct an entry: an offsetting entry of the opposite amount that names it and the reason, then — when the
    right amount is given — a new entry with it. Returns (offsetting entry, new entry or None)."""
    ensure_can(actor, "income.record", entry.household)
    entry = IncomeEntry.objects.select_for_update().select_related("household").get(pk=entry.pk)
    if entry.corrects_id:
        raise DomainError("invalid_input", detail="冲正记录本身不能再冲正")
    done = IncomeEntry.objects.filter(corrects=entry).first()
    if done is not None:
        raise DomainError(
            "invalid_input", detail=f"该记录已于 {timezone.localdate(done.recorded_at)} 冲正，不能重复冲正"
        )
    why = check_text(reason, "冲正原因", "reason", least=2, most=300)
    right = None if amount in (None, "") else check_amount(amount, "更正后金额")
    offset = IncomeEntry.objects.create(
        household=entry.household,
        year=entry.year,
        component=entry.component,
        amount=-entry.amount,
        source=entry.source,
        note=f"冲正：{why}",
        corrects=entry,
        recorded_by=_recorder(actor),
    )
    audit.record(
        actor=actor, action="income.correct", target=offset, changes=_entry_changes(offset), note=why
    )
    if right is None:
        return offset, None
    replacement = IncomeEntry.objects.create(
        household=entry.household,
        year=entry.year,
        component=entry.component,
        amount=right,
        source=entry.source,
        note=f"更正：{why}",
        recorded_by=_recorder(actor),
    )
    audit.record(
        actor=actor, action="income.record", target=replacement, changes=_entry_changes(replacement), note=why
    )
    return offset, replacement


@transaction.atomic
def security_check_record(
    *,
    actor: Any,
    household: Household,
    year: Any,
    item: str,
    ok: bool,
    checked_on: dt.date,
    evidence: str = "",
) -> SecurityCheck:
    """One check of one 三保障 (or drinking water) item; a failed check must say what was found."""
    ensure_can(actor, "income.record", household)
    year = check_year(year)
    if not isinstance(checked_on, dt.date) or checked_on.year != year:
        raise DomainError("invalid_input", detail=f"核查日期须在 {year} 年内", field="checked_on")
    if checked_on > timezone.localdate():
        raise DomainError("invalid_input", detail=f"核查日期 {checked_on} 晚于今天", field="checked_on")
    found = check_text(evidence, "核查依据", "evidence", most=MAX_NOTE)
    if not ok and len(found) < 2:
        raise DomainError(
            "invalid_input",
            detail="核查未达标时须写明核查依据（如危房鉴定等级、辍学或未参保情况）",
            field="evidence",
        )
    check = SecurityCheck.objects.create(
        household=household,
        year=year,
        item=check_choice(item, SecurityItem, "保障事项", "item"),
        ok=bool(ok),
        evidence=found,
        checked_on=checked_on,
        recorded_by=_recorder(actor),
    )
    audit.record(
        actor=actor,
        action="income.security_check",
        target=check,
        changes=audit.snapshot(check, ["year", "item", "ok", "checked_on"]),
        note=check.evidence[:300],
    )
    return check
