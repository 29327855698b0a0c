"""Registry in the admin: read-only, scoped, personal data masked. Changes go through the pages and the API."""

from __future__ import annotations

from django.contrib import admin

from yigou.accounts.admin_scope import ReadOnlyInlineMixin, ScopedAdminMixin, masked_id, masked_phone

from .models import CoopMember, Household, IdentificationStep, Linkage, Member, Producer, StatusEvent


class MemberInline(ReadOnlyInlineMixin, admin.TabularInline):
    model = Member
    readonly_fields = ["name", "relation", "sex", "masked_id_number", "labour"]
    fields = tuple(readonly_fields)
    masked_id_number = masked_id()


class StatusEventInline(ReadOnlyInlineMixin, admin.TabularInline):
    model = StatusEvent
    readonly_fields = ["date", "kind", "monitor_type", "reason", "source", "recorded_by"]
    fields = tuple(readonly_fields)


class IdentificationStepInline(ReadOnlyInlineMixin, admin.TabularInline):
    model = IdentificationStep
    readonly_fields = ["date", "step", "note", "recorded_by"]
    fields = tuple(readonly_fields)


@admin.register(Household)
class HouseholdAdmin(ScopedAdminMixin, admin.ModelAdmin):
    list_display = [
        "number",
        "head_name",
        "village",
        "county_code",
        "status",
        "monitor_type",
        "size",
        "masked_phone",
    ]
    list_select_related = ["village"]
    list_filter = ["status", "monitor_type", "county_code"]
    search_fields = ["number", "head_name", "head_initials"]
    readonly_fields = [
        "number",
        "village",
        "county_code",
        "head_name",
        "address",
        "masked_phone",
        "size",
        "status",
        "monitor_type",
        "created_at",
        "updated_at",
    ]
    fields = tuple(readonly_fields)
    inlines = [MemberInline, IdentificationStepInline, StatusEventInline]
    masked_phone = masked_phone()


@admin.register(Member)
class MemberAdmin(ScopedAdminMixin, admin.ModelAdmin):
    list_display = ["name", "household", "relation", "sex", "masked_id_number", "labour"]
    list_select_related = ["household"]
    list_filter = ["relation", "sex", "labour"]
    search_fields = ["name", "name_initials", "id_tail", "household__number"]
    readonly_fields = ["household", "name", "relation", "sex", "masked_id_number", "labour"]
    fields = tuple(readonly_fields)
    masked_id_number = masked_id()


@admin.register(StatusEvent)
class StatusEventAdmin(ScopedAdminMixin, admin.ModelAdmin):
    list_display = ["household", "date", "kind", "monitor_type", "source", "recorded_by", "recorded_at"]
    list_select_related = ["household", "recorded_by"]
    list_filter = ["kind", "source", "monitor_type"]
    search_fields = ["household__number", "household__head_name", "reason"]
    readonly_fields = [
        "household",
        "date",
        "kind",
        "monitor_type",
        "reason",
        "source",
        "recorded_by",
        "recorded_at",
    ]
    fields = tuple(readonly_fields)
    date_hierarchy = "date"


@admin.register(IdentificationStep)
class IdentificationStepAdmin(ScopedAdminMixin, admin.ModelAdmin):
    list_display = ["household", "date", "step", "recorded_by", "recorded_at"]
    list_select_related = ["household", "recorded_by"]
    list_filter = ["step"]
    search_fields = ["household__number", "household__head_name"]
    readonly_fields = ["household", "date", "step", "note", "recorded_by", "recorded_at"]
    fields = tuple(readonly_fields)


class CoopMemberInline(ReadOnlyInlineMixin, admin.TabularInline):
    model = CoopMember
    readonly_fields = ["name", "household", "shares", "capital", "joined_on", "left_on"]
    fields = tuple(readonly_fields)


class LinkageInline(ReadOnlyInlineMixin, admin.TabularInline):
    model = Linkage
    readonly_fields = ["household", "mechanism", "start", "end", "expected_income", "note"]
    fields = tuple(readonly_fields)


@admin.register(Producer)
class ProducerAdmin(ScopedAdminMixin, admin.ModelAdmin):
    list_display = [
        "name",
        "kind",
        "region",
        "county_code",
        "uscc",
        "grade",
        "contact_name",
        "masked_contact_phone",
        "is_active",
    ]
    list_select_related = ["region"]
    list_filter = ["kind", "grade", "is_active", "county_code"]
    search_fields = ["name", "name_initials", "uscc"]
    readonly_fields = [
        "kind",
        "name",
        "uscc",
        "region",
        "county_code",
        "household",
        "grade",
        "contact_name",
        "masked_contact_phone",
        "address",
        "main_products",
        "is_active",
        "created_at",
        "updated_at",
    ]
    fields = tuple(readonly_fields)
    inlines = [CoopMemberInline, LinkageInline]
    masked_contact_phone = masked_phone("contact_phone")


@admin.register(Linkage)
class LinkageAdmin(ScopedAdminMixin, admin.ModelAdmin):
    list_display = ["producer", "household", "mechanism", "start", "end", "expected_income"]
    list_select_related = ["producer", "household"]
    list_filter = ["mechanism"]
    search_fields = ["producer__name", "household__number", "household__head_name"]
    readonly_fields = ["producer", "household", "mechanism", "start", "end", "expected_income", "note"]
    fields = tuple(readonly_fields)
