"""Who sees what through the API: every list and detail honours the role × region scope."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.db.models import Model

from tests.world import World
from yigou.assist.models import CadreHouseholdPairing, UnitVillagePairing

ALL = {
    "households": {"zhang", "wang", "liu"},
    "producers": {"coop", "anju_coop"},
    "units": {"finance", "chuanshan_bank"},
    "cadres": {"chen", "sun"},
    "unit-village-pairings": {"finance", "chuanshan_bank"},  # keyed by the unit
    "cadre-household-pairings": {"chen", "sun"},  # keyed by the cadre
}

# resource → user → the world keys that user sees
EXPECTED: dict[str, dict[str, set[str]]] = {
    "households": {
        "anju": {"liu"},
        "chuanshan": {"zhang", "wang"},
        "city": {"zhang", "wang", "liu"},
        "zone": set(),
        "unit": {"liu"},
        "producer": {"zhang"},
    },
    "producers": {
        "anju": {"anju_coop"},
        "chuanshan": {"coop"},
        "city": {"coop", "anju_coop"},
        "zone": set(),
        "unit": set(),
        "producer": {"coop"},
    },
    "units": {
        "anju": {"finance"},
        "chuanshan": {"chuanshan_bank"},
        "city": {"finance", "chuanshan_bank"},
        "zone": set(),
        "unit": {"finance"},
        "producer": set(),
    },
    "cadres": {
        "anju": {"chen"},
        "chuanshan": {"sun"},
        "city": {"chen", "sun"},
        "zone": set(),
        "unit": {"chen"},
        "producer": set(),
    },
    "unit-village-pairings": {
        "anju": {"finance"},
        "chuanshan": {"chuanshan_bank"},
        "city": {"finance", "chuanshan_bank"},
        "zone": set(),
        "unit": {"finance"},
        "producer": set(),
    },
    "cadre-household-pairings": {
        "anju": {"chen"},
        "chuanshan": {"sun"},
        "city": {"chen", "sun"},
        "zone": set(),
        "unit": {"chen"},
        "producer": set(),
    },
}

CASES = [(resource, user) for resource, by_user in EXPECTED.items() for user in by_user]


def rows_by_key(world: World, resource: str) -> dict[str, Model]:
    """The world's rows of one resource, by the key the tables above use."""
    if resource == "unit-village-pairings":
        return {key: UnitVillagePairing.objects.get(unit=unit) for key, unit in world.units.items()}
    if resource == "cadre-household-pairings":
        return {key: CadreHouseholdPairing.objects.get(cadre=cadre) for key, cadre in world.cadres.items()}
    return dict(getattr(world, resource))


@pytest.mark.parametrize(("resource", "username"), CASES)
def test_list_shows_exactly_the_rows_in_the_users_scope(world, client_for: Callable, resource, username):
    response = client_for(username).get(f"/api/v1/{resource}/")

    assert response.status_code == 200
    rows = rows_by_key(world, resource)
    expected_ids = sorted(rows[key].pk for key in EXPECTED[resource][username])
    assert response.json()["count"] == len(expected_ids)
    assert sorted(row["id"] for row in response.json()["results"]) == expected_ids


@pytest.mark.parametrize(("resource", "username"), CASES)
def test_detail_is_found_in_scope_and_not_found_outside(world, client_for: Callable, resource, username):
    client = client_for(username)
    rows = rows_by_key(world, resource)

    for key in sorted(ALL[resource]):
        response = client.get(f"/api/v1/{resource}/{rows[key].pk}/")
        if key in EXPECTED[resource][username]:
            assert response.status_code == 200, key
            assert response.json()["id"] == rows[key].pk
        else:
            assert response.status_code == 404, key
            assert response.json() == {"code": "not_found", "message": "记录不存在或无权访问。"}


@pytest.mark.parametrize("resource", [*ALL, "regions", "audit"])
def test_anonymous_is_refused_with_a_code(world, client_for: Callable, resource):
    response = client_for(None).get(f"/api/v1/{resource}/")

    assert response.status_code == 403
    assert response.json() == {"code": "not_authenticated", "message": "请先登录。"}


def test_producer_user_sees_its_linked_household_through_the_detail(world, client_for: Callable):
    zhang = world.households["zhang"]

    response = client_for("producer").get(f"/api/v1/households/{zhang.pk}/")

    assert response.status_code == 200
    assert response.json()["number"] == zhang.number
    assert [m["name"] for m in response.json()["members"]] == ["张德明", "李秀英"]


def test_unknown_or_malformed_ids_are_plain_not_found(world, client_for: Callable):
    client = client_for("admin")

    assert client.get("/api/v1/households/999999/").json()["code"] == "not_found"
    assert client.get("/api/v1/households/999999/").status_code == 404
    assert client.get("/api/v1/producers/abc/").status_code == 404


@pytest.mark.parametrize("resource", [*ALL, "regions", "audit"])
def test_every_list_is_one_count_and_one_page_query(
    world, client_for: Callable, resource, django_assert_max_num_queries
):
    client = client_for("city")
    extra = 1 if resource == "households" else 0  # the members of the page, prefetched in one query

    with django_assert_max_num_queries(2 + extra):
        response = client.get(f"/api/v1/{resource}/")

    assert response.status_code == 200
    assert response.json()["count"] >= 2
