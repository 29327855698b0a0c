"""The notices API: the user's own list (an administrator's too), the unread count, marking read."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from yigou.notices import selectors, services
from yigou.notices.models import Notice

pytestmark = pytest.mark.django_db


def tell(user, title: str) -> Notice:
    return services.notify(
        [user], kind="supply_case", title=title, link="/supply/cases/7/", region_code="510903101001"
    )[0]


def test_the_list_is_the_users_own_newest_first(world, client_for: Callable):
    a = world.users["chuanshan"]
    first, second = tell(a, "一"), tell(a, "二")
    tell(world.users["anju"], "别人的")
    services.mark_read(a, [first.pk])

    body = client_for("chuanshan").get("/api/v1/notices/").json()
    assert body["count"] == 2
    assert [(r["id"], r["title"], r["is_read"]) for r in body["results"]] == [
        (second.pk, "二", False),
        (first.pk, "一", True),
    ]
    row = body["results"][0]
    assert (row["kind"], row["link"], row["region_code"], row["read_at"]) == (
        "supply_case",
        "/supply/cases/7/",
        "510903101001",
        None,
    )
    unread = client_for("chuanshan").get("/api/v1/notices/?unread=1").json()
    assert [r["id"] for r in unread["results"]] == [second.pk]


def test_an_administrator_sees_only_their_own(world, client_for: Callable):
    tell(world.users["anju"], "别人的")
    assert client_for("admin").get("/api/v1/notices/").json()["results"] == []
    assert client_for("admin").get("/api/v1/notices/unread-count/").json() == {"unread": 0}


def test_the_unread_count(world, client_for: Callable):
    a = world.users["chuanshan"]
    tell(a, "一")
    tell(a, "二")
    tell(world.users["anju"], "别人的")
    assert client_for("chuanshan").get("/api/v1/notices/unread-count/").json() == {"unread": 2}


def test_marking_named_notices_read_leaves_other_users_alone(world, client_for: Callable):
    a = world.users["chuanshan"]
    mine, also_mine = tell(a, "一"), tell(a, "二")
    theirs = tell(world.users["anju"], "别人的")
    api = client_for("chuanshan")

    response = api.post("/api/v1/notices/read/", {"ids": [mine.pk, theirs.pk]}, format="json")
    assert (response.status_code, response.json()) == (200, {"marked": 1})
    assert selectors.unread_count(world.users["anju"]) == 1
    assert api.post("/api/v1/notices/read/", {}, format="json").json() == {"marked": 1}
    also_mine.refresh_from_db()
    assert also_mine.read_at is not None
    assert selectors.unread_count(world.users["anju"]) == 1


def test_bad_ids_are_a_400_and_change_nothing(world, client_for: Callable):
    mine = tell(world.users["chuanshan"], "一")
    response = client_for("chuanshan").post("/api/v1/notices/read/", {"ids": ["x"]}, format="json")
    assert response.status_code == 400
    assert response.json()["code"] == "invalid_input"
    mine.refresh_from_db()
    assert mine.read_at is None


def test_signed_out_callers_are_refused(world, client_for: Callable):
    response = client_for(None).get("/api/v1/notices/")
    assert response.status_code in (401, 403)
    assert response.json()["code"] == "not_authenticated"
