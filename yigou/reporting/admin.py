"""Forms and rules are data: system administrators maintain them here (elements' bounds, rules), audited."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db import models
from django.http import HttpRequest

from yigou.accounts.admin_scope import ScopedAdminMixin
from yigou.core import audit

from .models import DataElement, Form, Rule

RULE_FIELDS = [
    "code",
    "description",
    "if_left",
    "if_operator",
    "if_right",
    "left",
    "operator",
    "right",
    "tolerance",
    "importance",
    "missing",
    "blocking",
    "is_active",
    "order",
]
ELEMENT_FIELDS = [
    "code",
    "name",
    "unit",
    "value_type",
    "aggregation",
    "period_aggregation",
    "distinct",
    "order",
    "min_value",
    "max_value",
]


class AuditedAdmin(ScopedAdminMixin, admin.ModelAdmin):
    """Every save writes an audit entry with old → new of the listed fields."""

    view_capability = manage_capability = "reporting.configure"
    audited: list[str] = []

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        before = audit.snapshot(type(obj).objects.get(pk=obj.pk), self.audited) if change else {}
        super().save_model(request, obj, form, change)
        audit.record(
            actor=request.user,
            action=f"{obj._meta.model_name}.{'update' if change else 'create'}",
            target=obj,
            changes=audit.diff(before, audit.snapshot(obj, self.audited)),
        )


@admin.register(Form)
class FormAdmin(ScopedAdminMixin, admin.ModelAdmin):
    view_capability = "reporting.configure"
    list_display = ["code", "name", "period_type", "levels", "is_builtin"]


@admin.register(DataElement)
class DataElementAdmin(AuditedAdmin):
    audited = ELEMENT_FIELDS
    list_display = [
        "code",
        "name",
        "unit",
        "value_type",
        "aggregation",
        "period_aggregation",
        "min_value",
        "max_value",
        "form",
    ]
    list_filter = ["form"]
    search_fields = ["code", "name"]
    readonly_fields = ["form", "code", "section"]
    fields = ["form", "section", *ELEMENT_FIELDS]

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return False  # elements come with their form; their codes are what imports and rules name


@admin.register(Rule)
class RuleAdmin(AuditedAdmin):
    audited = RULE_FIELDS
    list_display = [
        "code",
        "description",
        "operator",
        "importance",
        "missing",
        "blocking",
        "is_active",
        "form",
    ]
    list_filter = ["form", "importance", "is_active"]
    search_fields = ["code", "description"]
    fields = ["form", *RULE_FIELDS]

    def get_queryset(self, request: HttpRequest) -> models.QuerySet[Any]:
        return super().get_queryset(request).select_related("form")
