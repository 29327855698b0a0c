"""The audit log in the admin: read-only for everyone, shown to holders of audit.view within their region."""

from __future__ import annotations

from django.contrib import admin

from .admin_scope import ScopedAdminMixin
from .models import AuditEntry


@admin.register(AuditEntry)
class AuditEntryAdmin(ScopedAdminMixin, admin.ModelAdmin):
    view_capability = "audit.view"
    list_display = ["at", "actor_name", "action", "target_type", "target_label", "region_code", "ip"]
    list_filter = ["action", "target_type"]
    search_fields = ["actor_name", "target_label", "target_id", "region_code", "note"]
    readonly_fields = ["at", "actor", "actor_name", "action", "target_type", "target_id", "target_label", "region_code",
              "changes", "note", "ip"]  # fmt: skip
    fields = tuple(readonly_fields)
    date_hierarchy = "at"
