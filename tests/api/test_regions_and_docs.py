"""Region reference data, the OpenAPI schema and the offline Swagger UI."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.contrib.staticfiles import finders


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ("parent=510903000000", ["510903101000", "510903102000"]),
        ("level=3", ["510903000000", "510904000000", "510971000000"]),
        ("q=永兴", ["510903101000", "510903101001"]),
        ("q=510904", ["510904000000", "510904101000", "510904101001"]),
    ],
)
def test_region_list_filters(world, client_for: Callable, params, expected):
    response = client_for("anju").get(f"/api/v1/regions/?{params}")

    assert [row["code"] for row in response.json()["results"]] == expected


def test_region_detail_and_children(world, client_for: Callable):
    client = client_for("zone")

    detail = client.get("/api/v1/regions/510903101001/").json()
    children = client.get("/api/v1/regions/510900000000/children/").json()

    assert (detail["name"], detail["level_label"], detail["is_poor"]) == ("永兴村", "村级", True)
    assert [a["name"] for a in detail["ancestors"]] == ["四川省", "遂宁市", "船山区", "永兴镇"]
    assert children["count"] == 3
    assert [(r["code"], r["kind"]) for r in children["results"]] == [
        ("510903000000", "admin"),
        ("510904000000", "admin"),
        ("510971000000", "zone"),
    ]


def test_unknown_region_is_not_found(world, client_for: Callable):
    response = client_for("city").get("/api/v1/regions/510999000000/")

    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_schema_is_served(db, client):
    response = client.get("/api/schema/")

    assert response.status_code == 200
    content = response.content.decode()
    for path in (
        "/api/v1/households/",
        "/api/v1/members/{id}/reveal/",
        "/api/v1/auth/token/",
        "/api/v1/unit-village-pairings/{id}/end/",
    ):
        assert f"{path}:" in content


def test_swagger_ui_loads_its_assets_from_this_server(db, client):
    response = client.get("/api/docs/")

    assert response.status_code == 200
    page = response.content.decode()
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in page
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui.css" in page
    assert "cdn.jsdelivr.net" not in page
    assert finders.find("drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js") is not None
