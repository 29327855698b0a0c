"""Users and organisations in the admin: system administrators only, and every save is audited."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.world import World
from yigou.accounts.models import Organisation, User
from yigou.core.models import AuditEntry


def admin_client(world: World, username: str) -> Client:
    client = Client()
    client.force_login(world.users[username])
    return client


@pytest.mark.parametrize("username", ["city", "anju", "auditor", "unit"])
def test_only_system_administrators_manage_users(world, username):
    client = admin_client(world, username)

    assert client.get("/admin/accounts/user/").status_code == 403
    assert client.get(f"/admin/accounts/user/{world.users['anju'].pk}/change/").status_code == 403
    assert client.get("/admin/accounts/organisation/").status_code == 403


def user_form(user: User, **changes: object) -> dict:
    data = {
        "username": user.username,
        "display_name": user.display_name,
        "email": user.email,
        "role": user.role,
        "organisation": user.organisation_id or "",
        "is_active": "on",
        "is_staff": "on",
    }
    if user.can_reveal_pii:
        data["can_reveal_pii"] = "on"
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def test_admin_edits_a_user_and_the_change_is_audited(world):
    anju = world.users["anju"]
    before = AuditEntry.objects.filter(target_type="accounts.user", target_id=str(anju.pk)).count()

    response = admin_client(world, "admin").post(
        f"/admin/accounts/user/{anju.pk}/change/",
        user_form(anju, display_name="安居区管理员", can_reveal_pii="on"),
    )

    assert response.status_code == 302
    anju.refresh_from_db()
    assert (anju.display_name, anju.can_reveal_pii) == ("安居区管理员", True)
    entries = AuditEntry.objects.filter(target_type="accounts.user", target_id=str(anju.pk)).order_by("id")
    assert entries.count() == before + 1
    last = entries.last()
    assert (last.action, last.actor_name) == ("update", "admin")
    assert last.changes == {"can_reveal_pii": [False, True], "display_name": ["anju", "安居区管理员"]}


def test_a_non_admin_without_organisation_is_refused(world):
    anju = world.users["anju"]
    count = AuditEntry.objects.count()

    response = admin_client(world, "admin").post(
        f"/admin/accounts/user/{anju.pk}/change/", user_form(anju, organisation=None)
    )

    assert response.status_code == 200
    assert "除系统管理员和个人采购人外，用户必须属于一个组织。" in response.content.decode()
    anju.refresh_from_db()
    assert anju.organisation_id is not None
    assert AuditEntry.objects.count() == count


def test_admin_adds_an_organisation_and_the_creation_is_audited(world):
    response = admin_client(world, "admin").post(
        "/admin/accounts/organisation/add/",
        {"name": "安居区拦江镇政府", "kind": "office", "region": "510904101000"},
    )

    assert response.status_code == 302
    org = Organisation.objects.get(name="安居区拦江镇政府")
    entry = AuditEntry.objects.get(target_type="accounts.organisation", target_id=str(org.pk))
    assert (entry.action, entry.actor_name, entry.region_code) == ("create", "admin", "510904101000")
    assert entry.changes == {"kind": "office", "name": "安居区拦江镇政府", "region": "510904101000"}


def test_password_reset_is_audited_without_the_password(world):
    anju = world.users["anju"]

    response = admin_client(world, "admin").post(
        f"/admin/accounts/user/{anju.pk}/password/",
        {"password1": "Lanjiang-2020-new", "password2": "Lanjiang-2020-new", "usable_password": "true"},
    )

    assert response.status_code == 302
    anju.refresh_from_db()
    assert anju.check_password("Lanjiang-2020-new")
    entry = AuditEntry.objects.get(action="password_reset")
    assert (entry.actor_name, entry.target_id, entry.changes) == ("admin", str(anju.pk), {})
    assert "Lanjiang-2020-new" not in str(entry.note)


def test_users_cannot_be_deleted_in_the_admin(world):
    anju = world.users["anju"]

    response = admin_client(world, "admin").get(f"/admin/accounts/user/{anju.pk}/delete/")

    assert response.status_code == 403
    assert User.objects.filter(pk=anju.pk).exists()
