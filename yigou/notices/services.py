"""Writing notices: `notify` is what other apps call; the outbound text goes out after the transaction commits."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from yigou.accounts.models import User
from yigou.accounts.scope import can
from yigou.core import audit
from yigou.core.errors import DomainError, PermissionDeniedError
from yigou.core.validators import validate_phone

from .backends import MessageBackend, get_backend
from .models import Contact, Notice

log = logging.getLogger(__name__)

SIGNATURE = "【以购助扶】"


def _valid_link(link: str) -> str:
    """Only a path inside the site: the list page redirects to it, so it must never lead elsewhere."""
    link = (link or "").strip()
    if link and (not link.startswith("/") or link.startswith("//") or "\\" in link):
        raise DomainError("invalid_input", detail=f"链接须为站内路径：{link[:60]}", field="link")
    return link


def _distinct_active(recipients: Iterable[User]) -> list[User]:
    seen: dict[int, User] = {}
    for user in recipients:
        if user is not None and user.pk is not None and user.is_active and user.pk not in seen:
            seen[user.pk] = user
    return list(seen.values())


@transaction.atomic
def notify(
    recipients: Iterable[User],
    *,
    kind: str,
    title: str,
    body: str = "",
    link: str = "",
    region_code: str = "",
    actor: Any = None,
) -> list[Notice]:
    """One notice per active recipient (each user once), one audit entry, and after commit one text message to
    every recipient with a phone on file. Inside a transaction that rolls back, nothing is kept and nothing sent."""
    link = _valid_link(link)
    users = _distinct_active(recipients)
    if not users:
        return []
    rows = [
        Notice(
            recipient=u,
            kind=kind[:32],
            title=title[:200],
            body=body[:1000],
            link=link,
            region_code=region_code,
        )
        for u in users
    ]
    created = Notice.objects.bulk_create(rows)
    audit.record(
        actor=actor,
        action="notify",
        target_type="notices.notice",
        target_label=title[:200],
        region_code=region_code,
        changes={"kind": kind, "count": len(created)},
    )
    ids = [n.pk for n in created]
    transaction.on_commit(lambda: _deliver_later(ids))
    return created


def _deliver_later(ids: list[int]) -> None:
    """After commit: on the Celery broker when one is configured, else right here (like `core.jobs`). The notices
    are already saved, so a broker that is down is logged, never raised into the caller's finished change."""
    if settings.CELERY_TASK_ALWAYS_EAGER:
        deliver(ids)
        return
    from .tasks import deliver_notices  # the task module imports this one

    try:
        deliver_notices.delay(ids)
    except Exception:
        log.exception("could not queue the text messages of notices %s", ids)


def message_text(notice: Notice) -> str:
    return f"{SIGNATURE}{notice.title}" + (f"：{notice.body}" if notice.body else "")


def deliver(ids: Iterable[int]) -> int:
    """Send the not yet sent notices among `ids` to their recipients' phones; returns how many went out.

    A message the gateway refuses (or an error in it) leaves that notice in the app only, `sent_via` empty."""
    backend = get_backend()
    pending = list(Notice.objects.filter(pk__in=list(ids), sent_via="").order_by("pk"))
    contacts = Contact.objects.filter(user_id__in={n.recipient_id for n in pending}).exclude(phone="")
    phones = dict(contacts.values_list("user_id", "phone"))
    sent = []
    for notice in pending:
        phone = phones.get(notice.recipient_id)
        if phone and _send(backend, phone, notice):
            sent.append(notice.pk)
    if sent:
        Notice.objects.filter(pk__in=sent).update(sent_via=backend.name)
    return len(sent)


def _send(backend: MessageBackend, phone: str, notice: Notice) -> bool:
    try:
        return bool(backend.send(phone, message_text(notice)))
    except Exception:
        log.exception("message backend %s failed on notice %s", backend.name, notice.pk)
        return False


def mark_read(user: Any, ids: Iterable[int] | None = None) -> int:
    """Mark the user's own unread notices read: those named by `ids`, or all when None. Ids of other users'
    notices are simply not among the user's, so they change nothing. Returns how many were marked."""
    if user is None or not getattr(user, "is_authenticated", False):
        return 0
    rows = Notice.objects.filter(recipient=user, read_at__isnull=True)
    if ids is not None:
        rows = rows.filter(pk__in=[int(pk) for pk in ids])
    return rows.update(read_at=timezone.now())


@transaction.atomic
def contact_set(*, actor: Any, user: Any, phone: str) -> Contact:
    """The mobile number `user`'s notices are also sent to ("" stops text messages). A user sets their own;
    an administrator with `users.manage` may set anyone's. Audited without the number."""
    if actor is None or (actor.pk != user.pk and not can(actor, "users.manage")):
        raise PermissionDeniedError()
    phone = validate_phone(phone) if (phone or "").strip() else ""
    contact, _ = Contact.objects.get_or_create(user=user)
    if contact.phone != phone:
        before = contact.phone
        contact.phone = phone
        contact.save(update_fields=["phone", "updated_at"])
        audit.record(
            actor=actor,
            action="update",
            target=contact,
            region_code=user.audit_region_code,
            changes=audit.diff({"phone": before}, {"phone": phone}),
        )
    return contact
