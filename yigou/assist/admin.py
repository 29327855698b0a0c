"""Assisting units, cadres and pairings in the admin: read-only and scoped; phones masked."""

from __future__ import annotations

from django.contrib import admin

from yigou.accounts.admin_scope import ScopedAdminMixin, masked_phone

from .models import AssistingUnit, Cadre, CadreHouseholdPairing, UnitVillagePairing


@admin.register(AssistingUnit)
class AssistingUnitAdmin(ScopedAdminMixin, admin.ModelAdmin):
    list_display = [
        "name",
        "kind",
        "region",
        "is_budget_unit",
        "has_canteen",
        "has_union",
        "staff_count",
        "contact_name",
        "masked_contact_phone",
    ]
    list_select_related = ["region"]
    list_filter = ["kind", "is_budget_unit", "has_canteen", "has_union"]
    search_fields = ["name", "name_initials", "uscc"]
    readonly_fields = [
        "name",
        "kind",
        "region",
        "uscc",
        "is_budget_unit",
        "has_canteen",
        "has_union",
        "staff_count",
        "contact_name",
        "masked_contact_phone",
        "address",
        "created_at",
        "updated_at",
    ]
    fields = tuple(readonly_fields)
    masked_contact_phone = masked_phone("contact_phone")


@admin.register(Cadre)
class CadreAdmin(ScopedAdminMixin, admin.ModelAdmin):
    list_display = ["name", "unit", "position", "masked_phone", "is_first_secretary", "is_active"]
    list_select_related = ["unit"]
    list_filter = ["is_first_secretary", "is_active"]
    search_fields = ["name", "name_initials", "unit__name"]
    readonly_fields = [
        "unit",
        "name",
        "position",
        "masked_phone",
        "is_first_secretary",
        "is_active",
        "created_at",
        "updated_at",
    ]
    fields = tuple(readonly_fields)
    masked_phone = masked_phone()


@admin.register(UnitVillagePairing)
class UnitVillagePairingAdmin(ScopedAdminMixin, admin.ModelAdmin):
    list_display = ["unit", "village", "start", "end"]
    list_select_related = ["unit", "village"]
    search_fields = ["unit__name", "village__name", "village__code"]
    readonly_fields = ["unit", "village", "start", "end", "note"]
    fields = tuple(readonly_fields)


@admin.register(CadreHouseholdPairing)
class CadreHouseholdPairingAdmin(ScopedAdminMixin, admin.ModelAdmin):
    list_display = ["cadre", "household", "start", "end"]
    list_select_related = ["cadre", "household"]
    search_fields = ["cadre__name", "household__number", "household__head_name"]
    readonly_fields = ["cadre", "household", "start", "end"]
    fields = tuple(readonly_fields)
