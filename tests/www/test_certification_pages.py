"""Certification pages: work lists by role and region, the application form, the product page with its timeline
and actions, reference prices, the blacklist, and the public catalog without sign-in or personal data."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from tests.market.conftest import APPLIED, LISTED, certify, honey
from yigou.market import certification as cert
from yigou.market.models import Blacklisting, Product, ProductStep, ReferencePrice


@pytest.fixture
def applied(world) -> Product:
    return cert.product_apply(
        actor=world.users["producer"], producer=world.producers["coop"], data=honey(world), today=APPLIED
    )


@pytest.fixture
def current(world, applied) -> Product:
    """Listed today, so the public catalog (which uses today's date) shows it."""
    cert.product_review(actor=world.users["yongxing"], product=applied, passed=True)
    today = dt.date.today()
    cert.product_decide(
        actor=world.users["chuanshan"], product=applied, certify=True, today=today - dt.timedelta(days=10)
    )
    return cert.product_list(actor=world.users["chuanshan"], product=applied, today=today)


def test_the_producer_applies_through_the_form(world, client_for: Callable):
    client = client_for("producer")
    page = client.get("/certification/apply/")
    assert page.status_code == 200
    assert "张德明" in page.content.decode()

    response = client.post(
        "/certification/apply/",
        {
            "name": "永兴土蜂蜜",
            "category": "processed",
            "specification": "500克/瓶",
            "unit": "瓶",
            "capacity": "2000",
            "capacity_period": "year",
            "base": "永兴村蜂场",
            "price": "45.00",
            "mechanism": "order",
            "households": [str(world.households["zhang"].pk)],
            "commitment": SimpleUploadedFile("承诺函.pdf", b"%PDF-1.4", content_type="application/pdf"),
        },
    )

    product = Product.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/certification/{product.pk}/"
    assert (product.status, product.price, product.files.get().kind) == (
        "submitted",
        Decimal("45.00"),
        "commitment",
    )


def test_an_application_without_the_commitment_letter_is_refused_on_the_form(world, client_for: Callable):
    response = client_for("producer").post(
        "/certification/apply/",
        {
            "name": "永兴土蜂蜜",
            "category": "processed",
            "specification": "500克/瓶",
            "unit": "瓶",
            "capacity": "2000",
            "capacity_period": "year",
            "base": "永兴村蜂场",
            "price": "45.00",
            "mechanism": "order",
            "households": [str(world.households["zhang"].pk)],
        },
    )

    assert response.status_code == 400
    assert "须上传承诺函" in response.content.decode()
    assert Product.objects.count() == 0


def test_an_office_picks_the_producer_first(world, client_for: Callable):
    body = client_for("chuanshan").get("/certification/apply/").content.decode()

    assert "船山区永兴蔬菜专业合作社" in body and "安居区拦江黑猪养殖专业合作社" not in body


@pytest.mark.parametrize(
    ("username", "sees"),
    [
        ("chuanshan", True),
        ("yongxing", True),
        ("city", True),
        ("producer", True),
        ("anju", False),
        ("zone", False),
    ],
)
def test_one_county_cannot_see_anothers_applications(world, applied, client_for: Callable, username, sees):
    client = client_for(username)
    listing = client.get("/certification/").content.decode()
    detail = client.get(f"/certification/{applied.pk}/")

    assert ("永兴土蜂蜜" in listing) is sees
    assert detail.status_code == (200 if sees else 404)


def test_the_review_list_marks_flagged_prices(world, client_for: Callable):
    ReferencePrice.objects.create(
        name="永兴土蜂蜜",
        specification="500克/瓶",
        unit="瓶",
        price=Decimal("30.00"),
        region=world.region("510903000000"),
        observed_on=dt.date(2018, 5, 1),
    )
    cert.product_apply(
        actor=world.users["producer"],
        producer=world.producers["coop"],
        data=honey(world, price_explanation="有机认证"),
        today=APPLIED,
    )

    listing = client_for("yongxing").get("/certification/?queue=review").content.decode()
    flagged_only = client_for("yongxing").get("/certification/?flagged=1").content.decode()

    assert "价格预警" in listing and "永兴土蜂蜜" in flagged_only
    detail = client_for("yongxing").get(f"/certification/{Product.objects.get().pk}/").content.decode()
    assert "30.00 元（允许上浮 20%）" in detail and 'id="price-flag"' in detail


def test_actions_follow_role_and_level_on_the_page(world, applied, client_for: Callable):
    township = client_for("yongxing").get(f"/certification/{applied.pk}/").content.decode()
    city = client_for("city").get(f"/certification/{applied.pk}/").content.decode()

    assert 'id="review-form"' in township and 'id="decide-form"' not in township
    assert 'id="review-form"' not in city


def test_the_township_reviews_and_the_county_certifies_through_the_page(world, applied, client_for: Callable):
    r1 = client_for("yongxing").post(
        f"/certification/{applied.pk}/review/", {"verdict": "pass", "reason": "齐全"}
    )
    r2 = client_for("chuanshan").post(f"/certification/{applied.pk}/decide/", {"verdict": "certify"})

    applied.refresh_from_db()
    assert (r1.status_code, r2.status_code, applied.status) == (302, 302, "notice")
    page = client_for("chuanshan").get(f"/certification/{applied.pk}/").content.decode()
    assert "审核通过" in page and "县级认定，进入公示" in page and applied.certificate_no in page


def test_a_refused_step_on_the_page_changes_nothing(world, applied, client_for: Callable):
    steps = ProductStep.objects.count()

    response = client_for("anju").post(f"/certification/{applied.pk}/review/", {"verdict": "pass"})
    wrong_level = client_for("city").post(f"/certification/{applied.pk}/review/", {"verdict": "pass"})
    wrong_state = client_for("chuanshan").post(f"/certification/{applied.pk}/decide/", {"verdict": "certify"})

    assert response.status_code == 404
    assert (
        wrong_level.status_code == 400
        and "审核须由产品所在乡镇或船山区行业部门的工作人员办理" in wrong_level.content.decode()
    )
    assert (
        wrong_state.status_code == 400
        and "产品当前状态为“已申报”，不能认定。" in wrong_state.content.decode()
    )
    applied.refresh_from_db()
    assert (applied.status, ProductStep.objects.count()) == ("submitted", steps)


def test_objections_are_recorded_and_resolved_on_the_page(world, applied, client_for: Callable):
    cert.product_review(actor=world.users["yongxing"], product=applied, passed=True)
    cert.product_decide(
        actor=world.users["chuanshan"], product=applied, certify=True
    )  # notice runs from today
    client_for("yongxing").post(
        f"/certification/{applied.pk}/objection/", {"raised_by": "村民甲", "content": "掺糖"}
    )
    objection = applied.objections.get()
    client_for("chuanshan").post(
        f"/certification/{applied.pk}/resolve/",
        {"objection": objection.pk, "upheld": "no", "resolution": "抽检合格"},
    )

    objection.refresh_from_db()
    assert (objection.upheld, objection.resolution) == (False, "抽检合格")
    assert (
        "异议不成立：抽检合格"
        in client_for("chuanshan").get(f"/certification/{applied.pk}/").content.decode()
    )


def test_reference_prices_page_lists_and_adds_in_scope(world, client_for: Callable):
    response = client_for("chuanshan").post(
        "/certification/prices/",
        {
            "name": "永兴土蜂蜜",
            "specification": "500克/瓶",
            "unit": "瓶",
            "price": "40.00",
            "region": "510903000000",
            "observed_on": "2018-05-01",
            "source": "农贸市场",
        },
    )
    assert response.status_code == 302

    assert "40.00" in client_for("chuanshan").get("/certification/prices/").content.decode()
    assert "永兴土蜂蜜" not in client_for("anju").get("/certification/prices/").content.decode()
    producer_page = client_for("producer").get("/certification/prices/").content.decode()
    assert 'id="price-form"' not in producer_page


def test_the_county_blacklists_through_the_page(world, applied, client_for: Callable):
    certify(world, applied)
    form = client_for("anju").get("/certification/blacklist/").content.decode()
    assert "船山区永兴蔬菜专业合作社" not in form

    response = client_for("chuanshan").post(
        "/certification/blacklist/", {"producer": world.producers["coop"].pk, "reason": "虚报带贫户"}
    )

    applied.refresh_from_db()
    assert (response.status_code, applied.status, Blacklisting.objects.get().reason) == (
        302,
        "revoked",
        "虚报带贫户",
    )
    row = Blacklisting.objects.get()
    client_for("chuanshan").post(f"/certification/blacklist/{row.pk}/lift/", {"reason": "整改完成"})
    row.refresh_from_db()
    assert row.lifted_on == dt.date.today()


# --- public catalog ------------------------------------------------------------------------------------------------


def test_the_public_catalog_needs_no_sign_in_and_finds_by_pinyin(world, current):
    client = Client()

    hit = client.get("/catalog/?q=yxtfm").content.decode()
    miss = client.get("/catalog/?q=heizhu").content.decode()

    assert "永兴土蜂蜜" in hit and current.certificate_no in hit
    assert "永兴土蜂蜜" not in miss


def test_the_public_region_filter_offers_only_places_with_products(world, current):
    body = Client().get("/catalog/").content.decode()

    assert '<option value="510900000000">遂宁市</option>' in body
    assert '<option value="510903000000">　船山区</option>' in body
    assert "安居区" not in body
    assert "永兴土蜂蜜" in Client().get("/catalog/?region=510903000000").content.decode()
    assert "永兴土蜂蜜" not in Client().get("/catalog/?region=510904000000").content.decode()


def test_the_public_product_page_shows_counts_and_a_qr_code_but_no_personal_data(world, current):
    response = Client().get(f"/catalog/{current.pk}/")
    body = response.content.decode()

    assert response.status_code == 200
    assert "船山区永兴蔬菜专业合作社" in body and "永兴镇" in body and current.certificate_no in body
    assert f"{current.listed_on:%Y-%m-%d} 至 {current.valid_until:%Y-%m-%d}" in body
    assert '<dd id="households">1 户</dd>' in body
    assert "<svg" in body and 'class="segno"' in body
    hh = world.households["zhang"]
    for secret in ("张德明", hh.number, "13800001111", "13811112222", "赵社长"):
        assert secret not in body


def test_the_qr_code_links_to_the_product_page(world, current):
    response = Client().get(f"/catalog/{current.pk}/qr.svg")

    assert response.status_code == 200 and response["Content-Type"] == "image/svg+xml"
    assert response.content.startswith(b"<?xml") and b"<svg" in response.content


def test_a_pending_product_has_no_public_page(world, applied):
    assert Client().get(f"/catalog/{applied.pk}/").status_code == 404


def test_a_revoked_product_leaves_the_public_catalog(world, current):
    cert.product_revoke(actor=world.users["chuanshan"], product=current, reason="抽检不合格")

    assert Client().get(f"/catalog/{current.pk}/").status_code == 404
    assert "永兴土蜂蜜" not in Client().get("/catalog/").content.decode()


def test_an_old_listing_past_validity_is_not_public(world, applied):
    certify(world, applied)
    cert.product_list(actor=world.users["chuanshan"], product=applied, today=LISTED)  # valid until 2019-06-07

    assert Client().get(f"/catalog/{applied.pk}/").status_code == 404
