"""The Django admin seen through the same region scope as the pages and the API.

Every admin of domain data uses `ScopedAdminMixin`: its rows come from `scope.restrict`, and whether a user
may see, add, change or delete is decided by `scope.can` plus the row's visibility — never by Django's
per-model permission tables, which this project does not use. Domain data is read-only here: writes go
through the services (DESIGN rule 1). Personal data is shown masked only.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import admin
from django.db import models
from django.http import HttpRequest

from yigou.core.masking import mask_id_number, mask_phone

from .scope import can, restrict, scope_for


class ScopedAdminMixin:
    """For ModelAdmin subclasses. Read-only unless `manage_capability` names a capability."""

    # A capability needed to see this model at all (e.g. "audit.view"); None: anyone with a scope.
    view_capability: str | None = None
    # The capability that allows add and change here; None keeps the model read-only in the admin.
    manage_capability: str | None = None
    allow_delete = False

    def get_queryset(self, request: HttpRequest) -> models.QuerySet:
        return restrict(request.user, super().get_queryset(request))  # type: ignore[misc]

    def _in_scope(self, request: HttpRequest, obj: models.Model | None) -> bool:
        if obj is None or obj.pk is None:
            return True
        return restrict(request.user, type(obj)._default_manager.filter(pk=obj.pk)).exists()

    def has_view_permission(self, request: HttpRequest, obj: models.Model | None = None) -> bool:
        user = request.user
        if not (user.is_active and user.is_staff) or scope_for(user).kind == "none":
            return False
        if self.view_capability and not can(user, self.view_capability):
            return False
        return self._in_scope(request, obj)

    def has_module_permission(self, request: HttpRequest) -> bool:
        return self.has_view_permission(request)

    def _may_manage(self, request: HttpRequest) -> bool:
        return (
            self.manage_capability is not None
            and self.has_view_permission(request)
            and can(request.user, self.manage_capability)
        )

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return self._may_manage(request)

    def has_change_permission(self, request: HttpRequest, obj: models.Model | None = None) -> bool:
        return self._may_manage(request) and self._in_scope(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: models.Model | None = None) -> bool:
        return self.allow_delete and self.has_change_permission(request, obj)


class ReadOnlyInlineMixin:
    """For inlines of read-only domain admins: shown to whoever may view the parent, never editable."""

    extra = 0
    can_delete = False
    show_change_link = False

    def has_view_permission(self, request: HttpRequest, obj: models.Model | None = None) -> bool:
        return bool(request.user.is_active and request.user.is_staff)

    def has_add_permission(self, request: HttpRequest, obj: models.Model | None = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: models.Model | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: models.Model | None = None) -> bool:
        return False


def masked(field: str, label: str, mask: Callable[[str | None], str]) -> Callable[[Any, Any], str]:
    """A read-only admin column that shows an encrypted field only in masked form."""

    @admin.display(description=label)
    def show(self: Any, obj: models.Model) -> str:
        return mask(getattr(obj, field, "")) or "—"

    show.__name__ = f"masked_{field}"
    return show


def masked_id(field: str = "id_number", label: str = "身份证号（脱敏）") -> Callable[[Any, Any], str]:
    return masked(field, label, mask_id_number)


def masked_phone(field: str = "phone", label: str = "联系电话（脱敏）") -> Callable[[Any, Any], str]:
    return masked(field, label, mask_phone)
