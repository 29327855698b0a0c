"""Token sign-in with lockout, the current-user endpoint, and the audit log."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.core.cache import cache
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from tests.world import PASSWORD
from yigou.accounts.enums import Role
from yigou.accounts.scope import CAPABILITIES
from yigou.core.models import AuditEntry


@pytest.fixture(autouse=True)
def fresh_cache():
    cache.clear()
    yield
    cache.clear()


def test_token_sign_in_and_use(world):
    client = APIClient()

    response = client.post(
        "/api/v1/auth/token/", {"username": "chuanshan", "password": PASSWORD}, format="json"
    )

    assert response.status_code == 200
    token = Token.objects.get(user=world.users["chuanshan"]).key
    assert response.json() == {"token": token, "username": "chuanshan", "role": "office"}
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    listed = client.get("/api/v1/households/").json()
    assert sorted(row["head_name"] for row in listed["results"]) == ["张德明", "王建国"]


def test_wrong_password_is_refused_and_the_sixth_attempt_is_locked(world):
    client = APIClient()
    wrong = {"username": "anju", "password": "wrong-password"}

    answers = [client.post("/api/v1/auth/token/", wrong, format="json") for _ in range(5)]
    sixth = client.post("/api/v1/auth/token/", wrong, format="json")
    right_but_locked = client.post(
        "/api/v1/auth/token/", {"username": "anju", "password": PASSWORD}, format="json"
    )

    assert [(a.status_code, a.json()["code"]) for a in answers] == [(400, "login_failed")] * 5
    assert answers[0].json() == {"code": "login_failed", "message": "用户名或密码不正确。"}
    assert sixth.status_code == 429
    assert sixth.json() == {"code": "login_locked", "message": "登录失败次数过多，请 15 分钟后再试。"}
    assert right_but_locked.status_code == 429
    assert Token.objects.filter(user=world.users["anju"]).count() == 0


def test_token_request_needs_both_fields(world):
    response = APIClient().post("/api/v1/auth/token/", {"username": "anju"}, format="json")

    assert response.status_code == 400
    assert response.json()["code"] == "invalid_input"
    assert list(response.json()["fields"]) == ["password"]


def test_token_revoke(world):
    token = Token.objects.create(user=world.users["city"])
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")

    revoked = client.post("/api/v1/auth/token/revoke/")
    after = client.get("/api/v1/households/")

    assert revoked.status_code == 204
    assert Token.objects.filter(user=world.users["city"]).count() == 0
    assert after.status_code == 403
    assert after.json()["code"] == "authentication_failed"


def test_me_tells_role_region_and_capabilities(world, client_for: Callable):
    body = client_for("chuanshan").get("/api/v1/auth/me/").json()

    assert body == {
        "username": "chuanshan",
        "display_name": "chuanshan",
        "role": "office",
        "role_label": "扶贫办（市/县/乡）",
        "organisation": "船山区扶贫办",
        "region": "510903000000",
        "capabilities": sorted(CAPABILITIES[Role.OFFICE] | {"pii.reveal"}),
    }
    assert "users.manage" not in body["capabilities"]
    assert "pii.reveal" not in client_for("city").get("/api/v1/auth/me/").json()["capabilities"]


def reveal_zhang(world, client_for: Callable) -> None:
    member = world.households["zhang"].members.get(relation="head")
    assert client_for("chuanshan").post(f"/api/v1/members/{member.pk}/reveal/").status_code == 200


def test_audit_log_is_scoped_to_the_viewers_region(world, client_for: Callable):
    reveal_zhang(world, client_for)

    city = client_for("auditor").get("/api/v1/audit/?action=reveal").json()
    anju = client_for("anju").get("/api/v1/audit/?action=reveal").json()

    assert [(e["actor_name"], e["region_code"]) for e in city["results"]] == [("chuanshan", "510903101001")]
    assert anju["count"] == 0
    entry = AuditEntry.objects.get(action="reveal")
    assert client_for("anju").get(f"/api/v1/audit/{entry.pk}/").status_code == 404
    assert client_for("auditor").get(f"/api/v1/audit/{entry.pk}/").json()["actor_name"] == "chuanshan"


def test_audit_log_region_rows_only(world, client_for: Callable):
    anju = client_for("anju").get("/api/v1/audit/?page_size=500").json()

    expected = AuditEntry.objects.filter(region_code__startswith="510904").count()
    assert anju["count"] == expected
    assert expected > 0
    assert all(e["region_code"].startswith("510904") for e in anju["results"])


@pytest.mark.parametrize("username", ["producer", "unit", "village"])
def test_audit_log_is_forbidden_without_audit_view(world, client_for: Callable, username):
    response = client_for(username).get("/api/v1/audit/")

    assert response.status_code == 403
    assert response.json() == {"code": "forbidden", "message": "无权执行此操作。"}
