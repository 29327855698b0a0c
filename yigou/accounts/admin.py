"""Users and organisations: managed in the admin by system administrators only, every save audited."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import UserChangeForm, UserCreationForm
from django.contrib.auth.models import Group
from django.db import models, transaction
from django.http import HttpRequest, HttpResponse

from yigou.accounts.admin_scope import ScopedAdminMixin
from yigou.core import audit
from yigou.core.models import AuditEntry

from .enums import Role
from .models import Organisation, User


class AuditedAdminMixin:
    """Writes an audit entry for every add and change made through the admin form."""

    def save_model(
        self, request: HttpRequest, obj: models.Model, form: forms.ModelForm, change: bool
    ) -> None:
        concrete = {f.name for f in obj._meta.concrete_fields}
        names = sorted(n for n in form.changed_data if n in concrete)
        before: dict[str, Any] = {}
        if change and obj.pk is not None:
            before = audit.snapshot(type(obj)._default_manager.get(pk=obj.pk), names)
        with transaction.atomic():
            super().save_model(request, obj, form, change)  # type: ignore[misc]
            after = audit.snapshot(obj, names)
            changes = audit.diff(before, after) if change else {n: after[n] for n in names if n != "password"}
            audit.record(
                actor=request.user,
                action="update" if change else "create",
                target=obj,
                changes=changes,
                note="管理后台",
            )


class RoleOrganisationCheck:
    def clean(self) -> dict[str, Any]:
        data = super().clean()  # type: ignore[misc]
        if data.get("role") not in (None, "", Role.ADMIN, Role.BUYER) and not data.get("organisation"):
            raise forms.ValidationError("除系统管理员和个人采购人外，用户必须属于一个组织。")
        return data


class UserEditForm(RoleOrganisationCheck, UserChangeForm):
    pass


class UserAddForm(RoleOrganisationCheck, UserCreationForm):
    class Meta(UserCreationForm.Meta):
        model = User
        fields = ("username",)


@admin.register(User)
class UserAdmin(AuditedAdminMixin, ScopedAdminMixin, DjangoUserAdmin):
    view_capability = manage_capability = "users.manage"
    form = UserEditForm
    add_form = UserAddForm
    list_display = [
        "username",
        "display_name",
        "role",
        "organisation",
        "can_reveal_pii",
        "is_active",
        "last_login",
    ]
    list_select_related = ["organisation"]
    list_filter = ["role", "is_active", "can_reveal_pii"]
    search_fields = ["username", "display_name", "email"]
    ordering = ["username"]
    autocomplete_fields = ["organisation"]
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        ("个人信息", {"fields": ("display_name", "email")}),
        ("角色与权限", {"fields": ("role", "organisation", "can_reveal_pii", "is_active", "is_staff")}),
        ("时间", {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (None, {"classes": ("wide",), "fields": ("username", "password1", "password2")}),
        ("角色与权限", {"fields": ("display_name", "role", "organisation", "can_reveal_pii")}),
    )
    readonly_fields = ["last_login", "date_joined"]

    def save_model(self, request: HttpRequest, obj: Any, form: forms.ModelForm, change: bool) -> None:
        # Platform administrators are Django superusers, as `user_create` makes them; nobody else is.
        obj.is_superuser = obj.role == Role.ADMIN
        super().save_model(request, obj, form, change)

    def user_change_password(self, request: HttpRequest, id: str, form_url: str = "") -> HttpResponse:
        response = super().user_change_password(request, id, form_url)
        if request.method == "POST" and response.status_code == 302:
            user = self.get_object(request, id)
            audit.record(actor=request.user, action="password_reset", target=user, note="管理后台重设密码")
        return response


@admin.register(Organisation)
class OrganisationAdmin(AuditedAdminMixin, ScopedAdminMixin, admin.ModelAdmin):
    view_capability = manage_capability = "users.manage"
    list_display = ["name", "kind", "region", "unit", "producer"]
    list_select_related = ["region", "unit", "producer"]
    list_filter = ["kind"]
    search_fields = ["name", "region__name", "region__code"]
    fields = ["name", "kind", "region", "unit", "producer"]
    autocomplete_fields = ["region", "unit", "producer"]


# Roles and region scope decide permissions here; Django's groups are not used.
admin.site.unregister(Group)


# The audit log (a core model) is registered here because who may read it is decided by the region scope.
@admin.register(AuditEntry)
class AuditEntryAdmin(ScopedAdminMixin, admin.ModelAdmin):
    view_capability = "audit.view"
    list_display = ["at", "actor_name", "action", "target_type", "target_label", "region_code", "ip"]
    list_filter = ["action", "target_type"]
    search_fields = ["actor_name", "target_label", "target_id", "region_code", "note"]
    readonly_fields = [
        "at",
        "actor",
        "actor_name",
        "action",
        "target_type",
        "target_id",
        "target_label",
        "region_code",
        "changes",
        "note",
        "ip",
    ]
    fields = tuple(readonly_fields)
    date_hierarchy = "at"
