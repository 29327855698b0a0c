"""The case pages and API on the worked example (腊肉, 35 公斤 left, 严重, 船山区): who sees the case, who may act,
refusals that change nothing, the dashboard and its XLSX, and the public catalog's 急需帮销 section."""

from __future__ import annotations

import io
from decimal import Decimal

import openpyxl
import pytest
from django.test import Client

from tests.supply.test_cases import TODAY, bank_staff, severe  # noqa: F401  (fixture)
from yigou.market.models import PreSaleList
from yigou.notices.models import Notice
from yigou.supply.models import Case

pytestmark = pytest.mark.django_db


def client(world, key: str) -> Client:
    c = Client()
    c.force_login(world.users[key])
    return c


def test_the_county_sees_the_case_and_its_ranked_buyers_another_county_does_not(world, severe):  # noqa: F811
    bank_staff(world)
    page = client(world, "chuanshan").get(f"/supply/cases/{severe.pk}/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "船山区农商银行" in text and "结对帮扶单位" in text and 'id="publish"' in text
    # The township sees the case but may not act on it: no buyers, no forms.
    township = client(world, "yongxing").get(f"/supply/cases/{severe.pk}/").content.decode()
    assert severe.number in township and 'id="publish"' not in township
    assert client(world, "anju").get(f"/supply/cases/{severe.pk}/").status_code == 404
    assert severe.number not in client(world, "anju").get("/supply/cases/").content.decode()
    assert severe.number in client(world, "chuanshan").get("/supply/cases/?overdue=").content.decode()


def test_publishing_from_the_page_and_a_refusal_that_writes_nothing(world, severe):  # noqa: F811
    bank_staff(world)
    key = f"unit:{world.units['chuanshan_bank'].pk}"
    data = {
        "unit_price": "58.00",
        "closes_on": str(TODAY),
        "contact_name": "张德明",
        "contact_phone": "138000",  # not a phone number
        "buyers": [key],
    }
    c = client(world, "chuanshan")
    refused = c.post(f"/supply/cases/{severe.pk}/publish/", data)
    assert refused.status_code == 400
    assert not PreSaleList.objects.exists() and not Notice.objects.filter(kind="supply_presale").exists()

    done = c.post(f"/supply/cases/{severe.pk}/publish/", {**data, "contact_phone": "13800001111"})
    assert done.status_code == 302
    severe.refresh_from_db()
    assert severe.presale_list.items.get().quantity == Decimal("35.000")
    assert Notice.objects.filter(kind="supply_presale", recipient__username="bank").count() == 1
    assert client(world, "yongxing").post(f"/supply/cases/{severe.pk}/close/", {}).status_code in (400, 403)


def test_closing_by_hand_from_the_page(world, severe):  # noqa: F811
    c = client(world, "chuanshan")
    assert c.post(f"/supply/cases/{severe.pk}/close/", {"reason": "spoiled", "note": ""}).status_code == 400
    assert Case.objects.get().status == "open"
    assert (
        client(world, "yongxing")
        .post(f"/supply/cases/{severe.pk}/close/", {"reason": "spoiled", "note": "坏了"})
        .status_code
        == 403
    )
    assert (
        c.post(f"/supply/cases/{severe.pk}/close/", {"reason": "spoiled", "note": "变质 35 公斤"}).status_code
        == 302
    )
    assert Case.objects.get().close_reason == "spoiled"


def test_the_dashboard_counts_and_exports(world, severe):  # noqa: F811
    c = client(world, "city")
    page = c.get("/supply/board/")
    assert page.status_code == 200
    b = page.context["b"]
    assert [(r.region.name, r.by_level, r.open_cases) for r in b.rows] == [
        ("船山区", {"severe": 1}, 1),
        ("安居区", {}, 0),
        ("遂宁经济技术开发区", {}, 0),
    ]
    assert (b.open_cases, b.overdue, b.closed, b.median_hours) == (1, 0, 0, None)
    book = openpyxl.load_workbook(io.BytesIO(c.get("/supply/board/?export=xlsx").content))
    sheet = book["预警与案件"]
    assert [cell.value for cell in sheet[3]] == ["510903000000", "船山区", 1, 0, 0, 1, 1, 0]
    # Units and producers are not offices: no dashboard.
    assert client(world, "unit").get("/supply/board/").status_code == 403


def test_the_public_catalog_lists_open_cases_without_a_household(world, severe):  # noqa: F811
    text = Client().get("/catalog/").content.decode()
    assert "急需帮销" in text and "腊肉" in text and "永兴村" in text
    assert world.households["zhang"].head_name not in text


def test_the_case_api_lists_acts_and_refuses(world, severe):  # noqa: F811
    county, other = client(world, "chuanshan"), client(world, "anju")
    rows = county.get("/api/v1/supply-cases/").json()["results"]
    assert [(r["number"], r["office_name"], r["quantity"]) for r in rows] == [
        (severe.number, "船山区", "35.000")
    ]
    assert other.get("/api/v1/supply-cases/").json()["results"] == []
    assert other.get(f"/api/v1/supply-cases/{severe.pk}/").status_code == 404
    refused = county.post(
        f"/api/v1/supply-cases/{severe.pk}/close/",
        {"reason": "sold", "note": "x"},
        content_type="application/json",
    )
    assert refused.status_code == 400
    closed = county.post(
        f"/api/v1/supply-cases/{severe.pk}/close/",
        {"reason": "stored", "note": "入冷库"},
        content_type="application/json",
    )
    assert (closed.status_code, closed.json()["status"], closed.json()["close_reason"]) == (
        200,
        "closed",
        "stored",
    )
