"""Reading notices: every one is seen by its recipient only — an administrator included, whatever the scope."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from yigou.core.errors import NotFoundError

from .models import Contact, Notice


def _signed_in(user: Any) -> bool:
    return user is not None and getattr(user, "is_authenticated", False) and user.is_active


def notices(user: Any, *, unread_only: bool = False) -> QuerySet[Notice]:
    """The user's own notices, newest first."""
    if not _signed_in(user):
        return Notice.objects.none()
    rows = Notice.objects.filter(recipient=user)
    if unread_only:
        rows = rows.filter(read_at__isnull=True)
    return rows.order_by("-created_at", "-id")


def unread_count(user: Any) -> int:
    """One COUNT over the (recipient, read_at) index."""
    if not _signed_in(user):
        return 0
    return Notice.objects.filter(recipient=user, read_at__isnull=True).count()


def notice(user: Any, pk: int) -> Notice:
    """One of the user's own notices; anyone else's is 'not found', exactly like a missing one."""
    row = notices(user).filter(pk=pk).first()
    if row is None:
        raise NotFoundError()
    return row


def phone_on_file(user: Any) -> str:
    """The number the user's notices are texted to, "" when none (for the user's own settings form)."""
    if not _signed_in(user):
        return ""
    contact = Contact.objects.filter(user=user).first()
    return contact.phone if contact is not None else ""
