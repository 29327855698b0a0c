"""The supply and demand books and the warnings in the admin: read-only, scoped (entries go through the pages,
the import and the API, whose services check and audit every write)."""

from __future__ import annotations

from django.contrib import admin

from yigou.accounts.admin_scope import ScopedAdminMixin

from .models import DemandEntry, SupplyEntry, Warning


@admin.register(SupplyEntry)
class SupplyEntryAdmin(ScopedAdminMixin, admin.ModelAdmin):
    list_display = ["name", "village", "quantity", "unit", "available_from", "available_to", "season"]
    list_filter = ["season", "category", "storage"]
    search_fields = ["name", "village__name"]


@admin.register(DemandEntry)
class DemandEntryAdmin(ScopedAdminMixin, admin.ModelAdmin):
    list_display = ["buyer_name", "category", "name", "quantity", "unit", "window_start", "window_end"]
    search_fields = ["buyer_name", "name"]


@admin.register(Warning)
class WarningAdmin(ScopedAdminMixin, admin.ModelAdmin):
    list_display = ["supply", "level", "days_left", "quantity_left", "scanned_on", "raised_on"]
    list_filter = ["level", "scanned_on"]
