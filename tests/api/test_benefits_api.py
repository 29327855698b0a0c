"""Benefit distribution over the API: the worked example from plan to payment, the refusals with their code and
Chinese message (nothing written), idempotent payment, the statement, another county's 404, PV output."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.benefits.conftest import build_coop
from yigou.benefits import pv
from yigou.benefits.models import Distribution
from yigou.income.models import IncomeEntry

pytestmark = pytest.mark.django_db
BASE = "/api/v1/benefits/distributions/"


@pytest.fixture
def coop(world):
    return build_coop(world)


def plan(client_for, coop, rate="60"):
    body = {
        "producer": coop.producer.pk,
        "year": 2018,
        "surplus": "123456.78",
        "reserve_rate": "10",
        "trading_rate": rate,
    }
    return client_for("producer").post(f"{BASE}surplus/", body, format="json")


def test_from_plan_to_payment(client_for, world, coop, settings):
    settings.YIGOU_BENEFITS_NOTICE_DAYS = 0
    created = plan(client_for, coop)
    assert created.status_code == 201 and created.json()["status"] == "draft"
    pk = created.json()["id"]
    producer, township = client_for("producer"), client_for("yongxing")
    computed = producer.post(f"{BASE}{pk}/compute/").json()
    assert computed["total"] == "111111.10"
    assert {(a["name"], a["part"]): a["amount"] for a in computed["allocations"]}[
        ("赵社长", "contribution")
    ] == "24588.42"
    assert (
        producer.post(f"{BASE}{pk}/approve-holder/", {"note": "社员大会通过"}, format="json").status_code
        == 200
    )
    assert township.post(f"{BASE}{pk}/approve-township/", {}, format="json").status_code == 200
    assert township.post(f"{BASE}{pk}/publish/").json()["status"] == "published"
    paid = township.post(f"{BASE}{pk}/pay/").json()
    assert paid["paid"] is True and paid["distribution"]["status"] == "paid"
    again = township.post(f"{BASE}{pk}/pay/").json()
    assert again["paid"] is False and IncomeEntry.objects.count() == 6
    statement = township.get(f"{BASE}statement/", {"household": world.households["wang"].pk}).json()
    assert statement["total"] == "51774.64"  # 33,333.33 + 18,441.31


def test_refusals_carry_a_code_and_a_chinese_message_and_write_nothing(client_for, coop):
    response = plan(client_for, coop, rate="55")
    assert response.status_code == 400
    assert response.json()["code"] == "invalid_input" and "低于法定的 60%" in response.json()["message"]
    assert not Distribution.objects.exists()
    pk = plan(client_for, coop).json()["id"]
    response = client_for("yongxing").post(f"{BASE}{pk}/approve-holder/", {}, format="json")
    assert response.status_code == 403 and "须由船山区永兴蔬菜专业合作社审核" in response.json()["message"]


def test_another_county_gets_404(client_for, coop):
    pk = plan(client_for, coop).json()["id"]
    anju = client_for("anju")
    assert anju.get(f"{BASE}{pk}/").status_code == 404
    assert anju.post(f"{BASE}{pk}/compute/").status_code == 404
    assert anju.get(BASE).json()["count"] == 0


def test_station_months_are_recorded_once_and_output_is_compared(client_for, world):
    r = world.regions
    station = pv.station_register(
        actor=world.users["yongxing"], name="永兴村光伏电站", region=r["510903101000"], capacity_kw="100",
        grid_date=dt.date(2017, 6, 30), owner="村集体", villages=[(r["510903101001"], "100")],
    )  # fmt: skip
    client = client_for("yongxing")
    url = f"/api/v1/benefits/stations/{station.pk}/months/"
    body = {"year": 2018, "month": 1, "kwh": "12000", "revenue": "4000.00"}
    assert client.post(url, body, format="json").status_code == 201
    assert client.post(url, body, format="json").json() == {"id": station.months.get().pk, "created": False}
    output = client.get("/api/v1/benefits/stations/output/", {"year": "2018"}).json()
    assert output == [{"station": station.pk, "name": "永兴村光伏电站", "kwh": "12000.00", "per_kw": "120.00",
                       "peer_median": None, "warning": False}]  # fmt: skip
    assert client_for("anju").get("/api/v1/benefits/stations/").json()["count"] == 0
