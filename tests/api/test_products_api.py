"""Products over the API: the public catalog without sign-in or personal data, scoped applications, and each
workflow step as a POST that refuses the wrong role, level or state with {code, message} and changes nothing."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.market.conftest import APPLIED, honey
from yigou.market import certification as cert
from yigou.market.models import Blacklisting, Product, ProductStep, ReferencePrice


@pytest.fixture
def applied(world) -> Product:
    return cert.product_apply(
        actor=world.users["producer"], producer=world.producers["coop"], data=honey(world), today=APPLIED
    )


@pytest.fixture
def current(world, applied) -> Product:
    """Certified ten days ago and listed today, so today's catalog holds it."""
    today = dt.date.today()
    cert.product_review(actor=world.users["yongxing"], product=applied, passed=True)
    cert.product_decide(
        actor=world.users["chuanshan"], product=applied, certify=True, today=today - dt.timedelta(days=10)
    )
    return cert.product_list(actor=world.users["chuanshan"], product=applied, today=today)


def test_the_catalog_is_public_and_shows_no_personal_data(world, current, client_for: Callable):
    client = client_for(None)

    rows = client.get("/api/v1/catalog/?q=fengmi").json()["results"]
    one = client.get(f"/api/v1/catalog/{current.pk}/").json()

    assert [(r["name"], r["households"], r["certificate_no"]) for r in rows] == [
        ("永兴土蜂蜜", 1, current.certificate_no)
    ]
    assert (one["producer_name"], one["region_name"], one["mechanism_label"]) == (
        "船山区永兴蔬菜专业合作社",
        "永兴镇",
        "订单收购",
    )
    text = str(one)
    for secret in ("张德明", world.households["zhang"].number, "13811112222", "赵社长"):
        assert secret not in text


def test_a_product_not_in_the_catalog_is_not_found_publicly(world, applied, client_for: Callable):
    response = client_for(None).get(f"/api/v1/catalog/{applied.pk}/")

    assert response.status_code == 404 and response.json()["code"] == "not_found"


def test_applications_need_sign_in(world, applied, client_for: Callable):
    assert client_for(None).get("/api/v1/products/").status_code in (401, 403)


@pytest.mark.parametrize(
    ("username", "count"),
    [("chuanshan", 1), ("yongxing", 1), ("producer", 1), ("anju", 0), ("zone", 0), ("unit", 0)],
)
def test_one_county_cannot_see_anothers_applications(world, applied, client_for: Callable, username, count):
    client = client_for(username)

    assert client.get("/api/v1/products/").json()["count"] == count
    assert client.get(f"/api/v1/products/{applied.pk}/").status_code == (200 if count else 404)


def test_the_producer_applies_with_a_multipart_upload(world, client_for: Callable):
    response = client_for("producer").post(
        "/api/v1/products/",
        {
            "producer": world.producers["coop"].pk,
            "name": "永兴土蜂蜜",
            "category": "processed",
            "specification": "500克/瓶",
            "unit": "瓶",
            "capacity": "2000",
            "capacity_period": "year",
            "base": "蜂场",
            "price": "45.00",
            "mechanism": "order",
            "households": [world.households["zhang"].pk],
            "commitment": [SimpleUploadedFile("承诺函.pdf", b"%PDF-1.4", content_type="application/pdf")],
        },
        format="multipart",
    )

    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["status"], body["households"], body["price_flagged"]) == ("submitted", 1, False)
    assert Product.objects.get().files.get().kind == "commitment"


def test_an_application_without_the_letter_is_refused(world, client_for: Callable):
    response = client_for("producer").post(
        "/api/v1/products/",
        {
            "producer": world.producers["coop"].pk,
            "name": "永兴土蜂蜜",
            "category": "processed",
            "specification": "500克/瓶",
            "unit": "瓶",
            "capacity": "2000",
            "capacity_period": "year",
            "base": "蜂场",
            "price": "45.00",
            "mechanism": "order",
            "households": [world.households["zhang"].pk],
        },
        format="json",
    )

    assert response.status_code == 400
    assert response.json() == {"code": "invalid_input", "message": "输入有误：须上传承诺函"}
    assert Product.objects.count() == 0


def test_the_workflow_runs_by_role_over_the_api(world, applied, client_for: Callable):
    pk = applied.pk
    r1 = client_for("yongxing").post(f"/api/v1/products/{pk}/review/", {"passed": True}, format="json")
    r2 = client_for("chuanshan").post(f"/api/v1/products/{pk}/decide/", {"certify": True}, format="json")
    r3 = client_for("yongxing").post(
        f"/api/v1/products/{pk}/objections/", {"raised_by": "村民甲", "content": "掺糖"}, format="json"
    )
    objection = applied.objections.get()
    r4 = client_for("chuanshan").post(
        f"/api/v1/products/{pk}/resolve/",
        {"objection": objection.pk, "upheld": False, "resolution": "抽检合格"},
        format="json",
    )
    early = client_for("chuanshan").post(f"/api/v1/products/{pk}/list/", format="json")

    assert [r.status_code for r in (r1, r2, r3, r4)] == [200, 200, 200, 200]
    assert r2.json()["status"] == "notice" and r2.json()["certificate_no"].startswith("510903-")
    assert early.status_code == 400 and "期满后才能列入目录" in early.json()["message"]
    detail = client_for("producer").get(f"/api/v1/products/{pk}/").json()
    assert [s["action"] for s in detail["steps"]] == [
        "submit",
        "review_pass",
        "certify",
        "objection",
        "resolve",
    ]
    assert detail["objections"][0]["resolution"] == "抽检合格"


@pytest.mark.parametrize(
    ("username", "path", "body", "code"),
    [
        ("city", "review", {"passed": True}, "certification_level"),
        ("producer", "review", {"passed": True}, "certification_level"),
        ("chuanshan", "decide", {"certify": True}, "certification_step_illegal"),
        ("yongxing", "revoke", {"reason": "x"}, "certification_level"),
        ("chuanshan", "revoke", {"reason": "x"}, "certification_step_illegal"),
    ],
)
def test_wrong_role_level_or_state_is_refused_with_nothing_changed(
    world, applied, client_for: Callable, username, path, body, code
):
    steps = ProductStep.objects.count()

    response = client_for(username).post(f"/api/v1/products/{applied.pk}/{path}/", body, format="json")

    assert (response.status_code, response.json()["code"]) == (400, code)
    applied.refresh_from_db()
    assert (applied.status, ProductStep.objects.count()) == ("submitted", steps)


def test_another_county_gets_not_found_for_actions(world, applied, client_for: Callable):
    response = client_for("anju").post(
        f"/api/v1/products/{applied.pk}/review/", {"passed": True}, format="json"
    )

    assert response.status_code == 404


def test_revocation_over_the_api_empties_the_catalog(world, current, client_for: Callable):
    response = client_for("chuanshan").post(
        f"/api/v1/products/{current.pk}/revoke/", {"reason": "抽检不合格"}, format="json"
    )

    assert response.json()["status"] == "revoked"
    assert client_for(None).get("/api/v1/catalog/").json()["count"] == 0


def test_reference_prices_and_blacklist_over_the_api(world, current, client_for: Callable):
    added = client_for("chuanshan").post(
        "/api/v1/reference-prices/",
        {
            "name": "永兴土蜂蜜",
            "specification": "500克/瓶",
            "unit": "瓶",
            "price": "40.00",
            "region": "510903000000",
            "observed_on": "2018-05-01",
        },
        format="json",
    )
    refused = client_for("producer").post(
        "/api/v1/reference-prices/",
        {
            "name": "x",
            "specification": "y",
            "unit": "瓶",
            "price": "1",
            "region": "510903101000",
            "observed_on": "2018-05-01",
        },
        format="json",
    )
    assert (added.status_code, added.json()["price"], refused.status_code) == (201, "40.00", 403)
    assert ReferencePrice.objects.count() == 1
    assert client_for("anju").get("/api/v1/reference-prices/").json()["count"] == 0

    listed = client_for("chuanshan").post(
        "/api/v1/blacklist/", {"producer": world.producers["coop"].pk, "reason": "虚报"}, format="json"
    )
    assert listed.status_code == 201
    current.refresh_from_db()
    assert current.status == "revoked"
    lifted = client_for("chuanshan").post(
        f"/api/v1/blacklist/{listed.json()['id']}/lift/", {"reason": "整改"}, format="json"
    )
    assert lifted.json()["lifted_on"] == dt.date.today().isoformat()
    assert Blacklisting.objects.get().lifted_on == dt.date.today()


def _listed_copy(world, spec: str) -> None:
    today = dt.date.today()
    product = cert.product_apply(
        actor=world.users["producer"],
        producer=world.producers["coop"],
        data=honey(world, specification=spec),
        today=APPLIED,
    )
    cert.product_review(actor=world.users["yongxing"], product=product, passed=True)
    cert.product_decide(
        actor=world.users["chuanshan"], product=product, certify=True, today=today - dt.timedelta(days=10)
    )
    cert.product_list(actor=world.users["chuanshan"], product=product, today=today)


def test_list_endpoints_take_the_same_number_of_queries_for_more_rows(world, current, client_for: Callable):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries(path: str, user: str | None) -> int:
        client = client_for(user)
        with CaptureQueriesContext(connection) as seen:
            assert client.get(path).status_code == 200
        return len(seen.captured_queries)

    before = (queries("/api/v1/catalog/", None), queries("/api/v1/products/", "chuanshan"))
    _listed_copy(world, "250克/瓶")
    _listed_copy(world, "1000克/瓶")

    after = (queries("/api/v1/catalog/", None), queries("/api/v1/products/", "chuanshan"))
    assert after == before
    assert client_for(None).get("/api/v1/catalog/").json()["count"] == 3
