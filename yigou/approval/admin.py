"""Submissions and locks in the admin, read-only and scoped: transitions go through the services (pages, API)."""

from __future__ import annotations

from django.contrib import admin

from yigou.accounts.admin_scope import ScopedAdminMixin

from .models import Lock, Step, Submission


class StepInline(ScopedAdminMixin, admin.TabularInline):
    model = Step
    extra = 0
    fields = readonly_fields = ("at", "action", "from_state", "to_state", "reason", "actor")


@admin.register(Submission)
class SubmissionAdmin(ScopedAdminMixin, admin.ModelAdmin):
    list_display = ["region", "year", "month", "form_code", "state", "first_submitted_at", "decided_at"]
    list_filter = ["state", "year", "month"]
    search_fields = ["region__name", "region__code"]
    list_select_related = ["region"]
    inlines = [StepInline]


@admin.register(Lock)
class LockAdmin(ScopedAdminMixin, admin.ModelAdmin):
    list_display = ["region_code", "year", "month", "locked_at"]
    list_filter = ["year", "month"]
    search_fields = ["region_code"]
