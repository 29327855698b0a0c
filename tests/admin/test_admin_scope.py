"""The admin through the region scope: what each user's changelists hold, and no plaintext personal data."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.world import World
from yigou.core.models import AuditEntry
from yigou.registry.models import Member


def admin_client(world: World, username: str) -> Client:
    client = Client()
    client.force_login(world.users[username])
    return client


def changelist_ids(response) -> list[int]:
    return sorted(row.pk for row in response.context["cl"].result_list)


def test_users_are_staff_as_created(world):
    assert world.users["anju"].is_staff is True


def test_county_user_sees_only_its_own_households(world):
    response = admin_client(world, "anju").get("/admin/registry/household/")

    assert response.status_code == 200
    assert changelist_ids(response) == [world.households["liu"].pk]
    assert response.context["cl"].result_count == 1


def test_county_user_cannot_open_another_countys_household(world):
    zhang = world.households["zhang"]

    response = admin_client(world, "anju").get(f"/admin/registry/household/{zhang.pk}/change/")

    # Django's admin answers an object outside get_queryset with a redirect to the index and a message.
    assert response.status_code == 302
    assert response["Location"] == "/admin/"


@pytest.mark.parametrize(
    ("username", "model", "expected"),
    [
        ("chuanshan", "registry/household", ["zhang", "wang"]),
        ("city", "registry/household", ["zhang", "wang", "liu"]),
        ("zone", "registry/household", []),
        ("producer", "registry/household", ["zhang"]),
        ("unit", "registry/household", ["liu"]),
        ("anju", "registry/producer", ["anju_coop"]),
        ("chuanshan", "assist/assistingunit", ["chuanshan_bank"]),
        ("unit", "assist/cadre", ["chen"]),
    ],
)
def test_changelists_follow_the_scope(world, username, model, expected):
    response = admin_client(world, username).get(f"/admin/{model}/")

    rows = {
        "registry/household": world.households,
        "registry/producer": world.producers,
        "assist/assistingunit": world.units,
        "assist/cadre": world.cadres,
    }[model]
    assert response.status_code == 200
    assert changelist_ids(response) == sorted(rows[key].pk for key in expected)


def test_domain_data_is_read_only_in_the_admin(world):
    client = admin_client(world, "chuanshan")
    zhang = world.households["zhang"]

    page = client.get(f"/admin/registry/household/{zhang.pk}/change/")
    add = client.get("/admin/registry/household/add/")
    post = client.post(f"/admin/registry/household/{zhang.pk}/change/", {"address": "改过的地址"})
    delete = client.get(f"/admin/registry/household/{zhang.pk}/delete/")

    assert page.status_code == 200
    assert page.context["has_change_permission"] is False
    assert add.status_code == 403
    assert post.status_code == 403
    assert delete.status_code == 403
    zhang.refresh_from_db()
    assert zhang.address == "永兴村3组"


def test_admin_never_renders_a_plaintext_id_number_or_phone(world):
    client = admin_client(world, "admin")
    zhang = world.households["zhang"]
    members = list(zhang.members.order_by("id"))
    pages = [
        client.get(f"/admin/registry/household/{zhang.pk}/change/"),
        client.get("/admin/registry/household/"),
        client.get("/admin/registry/member/"),
        client.get(f"/admin/registry/member/{members[0].pk}/change/"),
        client.get(f"/admin/assist/cadre/{world.cadres['chen'].pk}/change/"),
        client.get("/admin/registry/producer/"),
    ]

    assert [p.status_code for p in pages] == [200] * 6
    text = "".join(p.content.decode() for p in pages)
    for m in members:
        assert m.id_number not in text
        assert m.id_number[:6] + "********" + m.id_number[-4:] in text
    for phone in ("13800001111", "13700003333", "13811112222"):
        assert phone not in text
    assert "138****1111" in text
    assert "137****3333" in text
    assert "138****2222" in text


def test_member_admin_searches_by_last_digits_of_the_id(world):
    member = Member.objects.get(name="刘永福")

    response = admin_client(world, "city").get(f"/admin/registry/member/?q={member.id_tail}")

    assert [m.name for m in response.context["cl"].result_list] == ["刘永福"]


def test_audit_log_is_scoped_and_read_only(world):
    client = admin_client(world, "anju")
    expected = sorted(
        AuditEntry.objects.filter(region_code__startswith="510904").values_list("pk", flat=True)
    )
    outside = AuditEntry.objects.filter(region_code__startswith="510903").first()

    listing = client.get("/admin/core/auditentry/?all=")
    outside_page = client.get(f"/admin/core/auditentry/{outside.pk}/change/")
    inside_page = client.get(f"/admin/core/auditentry/{expected[0]}/change/")

    assert listing.status_code == 200
    assert changelist_ids(listing) == expected
    assert outside_page.status_code == 302
    assert inside_page.status_code == 200
    assert inside_page.context["has_change_permission"] is False
    assert inside_page.context["has_delete_permission"] is False


@pytest.mark.parametrize("username", ["producer", "unit", "village"])
def test_audit_log_is_hidden_without_audit_view(world, username):
    response = admin_client(world, username).get("/admin/core/auditentry/")

    assert response.status_code == 403


def test_admin_index_lists_only_what_the_user_may_see(world):
    response = admin_client(world, "producer").get("/admin/")

    models = {m["object_name"] for app in response.context["app_list"] for m in app["models"]}
    assert "Household" in models
    assert "AuditEntry" not in models
    assert "User" not in models
    assert "Group" not in models
