"""The contracts API: scoped lists and details with the worked example's figures, draws and refusals."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from yigou.contracts.draws import contract_draw_order
from yigou.contracts.models import Contract, ContractDraw, PreOrder
from yigou.contracts.parties import PartiesInput
from yigou.contracts.services import ContractInput, ItemInput, contract_create
from yigou.core.models import AuditEntry

from .example import record_direct, sign_contract
from .test_buyback import deliver, set_up
from .test_preorders import sign

D = dt.date


def api(world, username: str) -> APIClient:
    client = APIClient()
    client.force_authenticate(world.users[username])
    return client


@pytest.fixture
def signed(world, market):
    contract = sign_contract(world)
    order = market.place(D(2018, 4, 10), 腊肉="30", 蔬菜="300")
    contract_draw_order(actor=world.users["unit"], order=order, contract=contract)
    market.receive(order, D(2018, 5, 15))
    market.pay(order, D(2018, 5, 20))
    return contract


@pytest.mark.parametrize(
    ("username", "count"),
    [("city", 1), ("chuanshan", 1), ("unit", 1), ("producer", 1), ("anju", 0), ("zone", 0)],
)
def test_each_user_lists_the_contracts_in_its_scope(world, signed, username, count):
    body = api(world, username).get("/api/v1/contracts/?as_of=2018-07-08").json()

    assert body["count"] == count


def test_the_list_carries_the_figures(world, signed):
    row = api(world, "city").get("/api/v1/contracts/?as_of=2018-07-08").json()["results"][0]

    assert (row["number"], row["buyers"], row["sellers"]) == (
        "HT-2018-001",
        ["遂宁市财政局"],
        ["永兴村", "船山区永兴蔬菜专业合作社"],
    )
    assert row["figures"] == {
        "agreed_value": "10400.00",
        "delivered_value": "3120.00",
        "outstanding_value": "7280.00",
        "late_value": "1480.00",
        "is_late": True,
    }


def test_the_detail_gives_each_item_and_its_schedule(world, signed):
    body = api(world, "chuanshan").get(f"/api/v1/contracts/{signed.pk}/?as_of=2018-07-08").json()

    meat = body["items"][0]
    assert (
        meat["delivered_quantity"],
        meat["delivered_value"],
        meat["late_quantity"],
        meat["late_value"],
    ) == ("30.000", "1800.00", "10.000", "600.00")
    assert [(r["due_on"], r["late"], r["shortfall"]) for r in meat["schedule"]] == [
        ("2018-05-31", True, "10.000"),
        ("2018-08-31", False, "0"),
        ("2018-11-30", False, "0"),
    ]


def test_another_county_gets_not_found(world, signed):
    response = api(world, "anju").get(f"/api/v1/contracts/{signed.pk}/")

    assert (response.status_code, response.json()["code"]) == (404, "not_found")


def test_drawing_a_purchase_through_the_api_and_refusing_a_second_time(world, signed):
    purchase = record_direct(world, D(2018, 8, 25), "腊肉", "10", "公斤", "60")
    client = api(world, "city")

    first = client.post(
        f"/api/v1/contracts/{signed.pk}/draw/?as_of=2018-09-01", {"purchase": purchase.pk}, format="json"
    )
    before = (ContractDraw.objects.count(), AuditEntry.objects.count())
    again = client.post(f"/api/v1/contracts/{signed.pk}/draw/", {"purchase": purchase.pk}, format="json")

    assert first.status_code == 200
    assert first.json()["items"][0]["delivered_value"] == "2400.00"
    assert again.status_code == 400
    assert again.json() == {
        "code": "contract_line_drawn",
        "message": "“腊肉”这笔明细已计入“遂宁市财政局认购永兴村农产品合同”，不能重复计入。",
    }
    assert (ContractDraw.objects.count(), AuditEntry.objects.count()) == before


def test_an_office_creates_and_activates_a_contract(world):
    client = api(world, "chuanshan")
    created = client.post(
        "/api/v1/contracts/",
        {
            "number": "HT-2018-020",
            "title": "农商银行认购石佛村大米",
            "signed_on": "2018-03-01",
            "period_start": "2018-03-01",
            "period_end": "2018-12-31",
            "buyer_units": [world.units["chuanshan_bank"].pk],
            "seller_villages": ["510903101002"],
            "items": [
                {
                    "name": "大米",
                    "category": "grain_oil",
                    "unit": "公斤",
                    "quantity": "500",
                    "price": "4.00",
                    "schedule": [{"due_on": "2018-10-31", "quantity": "500"}],
                }
            ],
        },
        format="json",
    )

    contract = Contract.objects.get(number="HT-2018-020")
    activated = client.post(f"/api/v1/contracts/{contract.pk}/activate/", {}, format="json")

    assert created.status_code == 201
    assert created.json()["figures"]["agreed_value"] == "2000.00"
    assert (activated.status_code, activated.json()["status"]) == (200, "active")


def test_terminating_without_a_reason_is_refused(world, signed):
    response = api(world, "city").post(f"/api/v1/contracts/{signed.pk}/terminate/", {}, format="json")

    assert response.json() == {"code": "invalid_input", "message": "输入有误：终止合同须填写原因"}
    signed.refresh_from_db()
    assert signed.status == "active"


def test_the_pre_order_settlement_over_the_api(world, market):
    preorder = sign(world)
    purchase = record_direct(world, D(2018, 7, 10), "土鸡", "20", "只", "80")

    body = (
        api(world, "unit")
        .post(
            f"/api/v1/preorders/{preorder.pk}/draw/?as_of=2018-07-31",
            {"purchase": purchase.pk},
            format="json",
        )
        .json()
    )

    assert body["seller"] == f"张**（{world.households['zhang'].number}）"
    s = body["settlement"]
    assert (s["delivered_value"], s["deposit_used"], s["deposit_left"], s["to_pay"], s["refund_due"]) == (
        "1600.00",
        "1600.00",
        "400.00",
        "6000.00",
        "0.00",
    )
    assert api(world, "anju").get(f"/api/v1/preorders/{preorder.pk}/").status_code == 404
    assert PreOrder.objects.count() == 1


def test_the_buy_back_over_the_api_masks_names_and_refuses_below_the_floor(world):
    buyback = set_up(world)
    deliver(world, buyback, "zhang", D(2018, 10, 8), "500", "3.20")
    client = api(world, "chuanshan")

    refused = client.post(
        f"/api/v1/buybacks/{buyback.pk}/deliver/",
        {
            "household": world.households["wang"].pk,
            "date": "2018-10-09",
            "quantity": "100",
            "unit_price": "2.80",
        },
        format="json",
    )
    body = client.get(f"/api/v1/buybacks/{buyback.pk}/").json()

    assert refused.json() == {
        "code": "buyback_below_floor",
        "message": "收购价 2.80 元/公斤 低于保底价 3.00 元/公斤，不能登记。",
    }
    assert [(h["name"], h["income"]) for h in body["households"]] == [("张**", "1600.00"), ("王**", "0.00")]
    assert "张德明" not in str(body)
    assert api(world, "anju").get(f"/api/v1/buybacks/{buyback.pk}/").status_code == 404


def _fixed_contract(world, number: str) -> None:
    contract_create(
        actor=world.users["city"],
        data=ContractInput(
            number=number,
            title=f"合同{number}",
            signed_on=D(2018, 3, 1),
            period_start=D(2018, 3, 1),
            period_end=D(2018, 12, 31),
        ),
        parties=PartiesInput(units=[world.units["finance"]], villages=[world.regions["510903101001"]]),
        items=[
            ItemInput("腊肉", "meat_egg", "公斤", "100", price="60.00", schedule=[(D(2018, 5, 31), "40")])
        ],
    )


def test_the_list_takes_as_many_queries_for_three_contracts_as_for_one(world):
    client = api(world, "city")
    _fixed_contract(world, "A-1")
    with CaptureQueriesContext(connection) as one:
        client.get("/api/v1/contracts/")
    _fixed_contract(world, "A-2")
    _fixed_contract(world, "A-3")
    with CaptureQueriesContext(connection) as three:
        body = client.get("/api/v1/contracts/").json()

    assert body["count"] == 3
    assert len(three.captured_queries) == len(one.captured_queries)
