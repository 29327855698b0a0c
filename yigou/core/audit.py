"""Writing the audit log. Services call `record` inside their transaction, so a rolled-back change leaves no entry."""

from __future__ import annotations

import contextvars
import datetime as dt
import decimal
from collections.abc import Iterable, Mapping
from typing import Any

from django.db import models

from .models import AuditEntry

_current_ip: contextvars.ContextVar[str | None] = contextvars.ContextVar("audit_ip", default=None)

# Fields whose values must never be copied into the log in plain form.
SECRET_FIELDS = {"id_number", "phone", "health", "password", "contact_phone"}


def set_request_ip(ip: str | None) -> contextvars.Token:
    return _current_ip.set(ip)


def reset_request_ip(token: contextvars.Token) -> None:
    _current_ip.reset(token)


def _jsonable(value: Any) -> Any:
    if isinstance(value, dt.date | dt.datetime | decimal.Decimal):
        return str(value)
    if isinstance(value, models.Model):
        return str(value.pk)
    return value


def snapshot(obj: models.Model, fields: Iterable[str]) -> dict[str, Any]:
    return {name: _jsonable(getattr(obj, name)) for name in fields}


def diff(before: Mapping[str, Any], after: Mapping[str, Any]) -> dict[str, list[Any]]:
    """{field: [old, new]} for the fields that changed; secret fields show only that they changed."""
    changes: dict[str, list[Any]] = {}
    for name in sorted(set(before) | set(after)):
        old, new = _jsonable(before.get(name)), _jsonable(after.get(name))
        if old != new:
            changes[name] = ["***", "***(已修改)"] if name in SECRET_FIELDS else [old, new]
    return changes


def record(
    *,
    actor: Any,
    action: str,
    target: models.Model | None = None,
    target_type: str | None = None,
    target_id: str = "",
    target_label: str = "",
    region_code: str = "",
    changes: Mapping[str, Any] | None = None,
    note: str = "",
) -> AuditEntry:
    entry = unsaved_entry(
        actor=actor,
        action=action,
        target=target,
        target_type=target_type,
        target_id=target_id,
        target_label=target_label,
        region_code=region_code,
        changes=changes,
        note=note,
    )
    entry.save(force_insert=True)
    return entry


def unsaved_entry(
    *,
    actor: Any,
    action: str,
    target: models.Model | None = None,
    target_type: str | None = None,
    target_id: str = "",
    target_label: str = "",
    region_code: str = "",
    changes: Mapping[str, Any] | None = None,
    note: str = "",
) -> AuditEntry:
    """The entry `record` writes, not yet written: for a service that inserts it in one statement with its own
    rows, in the same transaction all the same."""
    if target is not None:
        target_type = target_type or target._meta.label_lower
        target_id = target_id or str(target.pk)
        target_label = target_label or str(target)[:200]
        region_code = region_code or str(getattr(target, "audit_region_code", "") or "")
    is_user = actor is not None and getattr(actor, "is_authenticated", False)
    return AuditEntry(
        actor=actor if is_user else None,
        actor_name=getattr(actor, "username", "") if is_user else "system",
        action=action,
        target_type=target_type or "",
        target_id=target_id,
        target_label=target_label[:200],
        region_code=region_code,
        changes=dict(changes or {}),
        note=note[:500],
        ip=_current_ip.get(),
    )
