"""Administrative divisions in the admin: reference data, read-only (loaded by the `regions` command)."""

from __future__ import annotations

from django.contrib import admin

from yigou.accounts.admin_scope import ScopedAdminMixin

from .models import Region


@admin.register(Region)
class RegionAdmin(ScopedAdminMixin, admin.ModelAdmin):
    list_display = ["code", "name", "level", "kind", "parent", "is_poor", "poor_since", "poor_until"]
    list_select_related = ["parent"]
    list_filter = ["level", "kind", "is_poor"]
    search_fields = ["code", "name", "full_name"]
    readonly_fields = [
        "code",
        "name",
        "full_name",
        "parent",
        "level",
        "kind",
        "is_poor",
        "poor_since",
        "poor_until",
    ]
    fields = tuple(readonly_fields)
