"""The contracts API's writes beyond contracts: pre-orders (create, deposit, close, cancel), buy-back (create,
deliver, reverse, close) and the contract's own close. Figures are the worked examples' ones:

Pre-order YG-2018-101: 船山区农商银行 pre-orders 100 只 土鸡 at 80.00 (8,000.00) from 张德明, deposit 2,000.00
agreed, paid 2018-03-05 (recorded through the API). Closed without deliveries: the 2,000.00 is owed back.
Buy-back: 张德明 delivers 500 公斤 × 3.20 = 1,600.00 (a ledger purchase, the enterprise being a private unit);
reversed, his income goes back to 0.00 and the ledger purchase gets its mirror.
"""

from __future__ import annotations

import datetime as dt

import pytest
from rest_framework.test import APIClient

from yigou.contracts.models import BuyBack, BuyBackDelivery, Contract, PreOrder
from yigou.contracts.parties import PartiesInput
from yigou.contracts.services import ContractInput, ItemInput, contract_create
from yigou.core.models import AuditEntry
from yigou.demo.identity import fake_uscc
from yigou.ledger.models import Purchase
from yigou.registry import services as registry

from .test_buyback import deliver, set_up
from .test_preorders import sign

D = dt.date


def api(world, username: str) -> APIClient:
    client = APIClient()
    client.force_authenticate(world.users[username])
    return client


def preorder_body(world, **changes) -> dict:
    body = {
        "number": "YG-2018-101",
        "name": "土鸡",
        "category": "meat_egg",
        "unit": "只",
        "quantity": "100",
        "price": "80.00",
        "signed_on": "2018-03-01",
        "harvest_start": "2018-06-01",
        "harvest_end": "2018-09-30",
        "deposit": "2000.00",
        "buyer_unit": world.units["chuanshan_bank"].pk,
        "seller_household": world.households["zhang"].pk,
    }
    return {**body, **changes}


def counts(*models) -> tuple[int, ...]:
    return tuple(m.objects.count() for m in (*models, AuditEntry))


# --- pre-orders ---------------------------------------------------------------------------------------------------


def test_an_office_creates_a_pre_order_then_records_its_deposit(world):
    client = api(world, "chuanshan")

    created = client.post("/api/v1/preorders/?as_of=2018-05-31", preorder_body(world), format="json")
    pk = created.json()["id"]
    paid = client.post(
        f"/api/v1/preorders/{pk}/deposit/?as_of=2018-05-31", {"paid_on": "2018-03-05"}, format="json"
    )

    assert created.status_code == 201
    body = created.json()
    assert (body["number"], body["buyer"], body["seller"], body["status"], body["deposit_paid_on"]) == (
        "YG-2018-101",
        "船山区农商银行",
        f"张**（{world.households['zhang'].number}）",
        "open",
        None,
    )
    s = body["settlement"]
    assert (s["agreed_value"], s["deposit_paid"], s["to_pay"]) == ("8000.00", "0.00", "8000.00")
    assert paid.status_code == 200
    s = paid.json()["settlement"]
    assert (paid.json()["deposit_paid_on"], s["deposit_paid"], s["deposit_left"], s["to_pay"]) == (
        "2018-03-05",
        "2000.00",
        "2000.00",
        "6000.00",
    )
    assert PreOrder.objects.get(pk=pk).region_id == "510903101001"


def test_a_deposit_above_the_total_is_refused_and_nothing_is_written(world):
    before = counts(PreOrder)

    response = api(world, "chuanshan").post(
        "/api/v1/preorders/", preorder_body(world, deposit="8000.01"), format="json"
    )

    assert (response.status_code, response.json()) == (
        400,
        {"code": "invalid_input", "message": "输入有误：定金 8000.01 元超过预购总额 8000.00 元"},
    )
    assert counts(PreOrder) == before


def test_another_county_cannot_name_a_household_outside_it(world):
    before = counts(PreOrder)

    response = api(world, "anju").post("/api/v1/preorders/", preorder_body(world), format="json")

    assert response.status_code == 400
    # The buyer (船山区农商银行) is the first record named that 安居区 cannot see; the household is next.
    bank = world.units["chuanshan_bank"].pk
    assert response.json() == {
        "code": "invalid_input",
        "message": f"输入有误：帮扶单位（编号 {bank}）不存在或无权访问",
        "field": "buyer_unit",
    }
    assert counts(PreOrder) == before


def test_a_producer_cannot_sign_a_pre_order(world):
    response = api(world, "producer").post("/api/v1/preorders/", preorder_body(world), format="json")

    assert (response.status_code, response.json()) == (
        403,
        {"code": "forbidden", "message": "无权执行此操作。"},
    )
    assert PreOrder.objects.count() == 0


def test_a_second_deposit_is_refused_and_changes_nothing(world):
    preorder = sign(world)  # its deposit was paid on 2018-03-05
    before = counts(PreOrder)

    response = api(world, "city").post(
        f"/api/v1/preorders/{preorder.pk}/deposit/", {"paid_on": "2018-03-06"}, format="json"
    )

    assert (response.status_code, response.json()) == (
        400,
        {"code": "invalid_input", "message": "输入有误：定金已于 2018-03-05 登记支付"},
    )
    assert counts(PreOrder) == before
    assert str(PreOrder.objects.get(pk=preorder.pk).deposit_paid_on) == "2018-03-05"


def test_closing_makes_the_deposit_refundable_and_cancel_is_then_refused(world):
    preorder = sign(world)
    client = api(world, "chuanshan")

    closed = client.post(
        f"/api/v1/preorders/{preorder.pk}/close/?as_of=2018-10-31",
        {"reason": "未能交货，协商结清"},
        format="json",
    )
    before = counts(PreOrder)
    cancelled = client.post(f"/api/v1/preorders/{preorder.pk}/cancel/", {"reason": "重复"}, format="json")

    s = closed.json()["settlement"]
    assert (closed.status_code, closed.json()["status"], s["to_pay"], s["refund_due"]) == (
        200,
        "closed",
        "0.00",
        "2000.00",
    )
    assert (cancelled.status_code, cancelled.json()) == (
        400,
        {"code": "contract_transition_illegal", "message": "“YG-2018-001”当前状态为“已结清”，不能已取消。"},
    )
    assert counts(PreOrder) == before


def test_cancelling_needs_a_reason(world):
    preorder = sign(world)
    before = counts(PreOrder)

    response = api(world, "city").post(f"/api/v1/preorders/{preorder.pk}/cancel/", {}, format="json")

    assert response.json() == {"code": "invalid_input", "message": "输入有误：须填写结清或取消的说明"}
    assert counts(PreOrder) == before
    assert PreOrder.objects.get(pk=preorder.pk).status == "open"


def test_another_county_cannot_act_on_the_pre_order(world):
    preorder = sign(world)
    before = counts(PreOrder)
    client = api(world, "anju")

    answers = [
        client.post(f"/api/v1/preorders/{preorder.pk}/{name}/", body, format="json")
        for name, body in (
            ("deposit", {"paid_on": "2018-03-06"}),
            ("close", {"reason": "x"}),
            ("cancel", {"reason": "x"}),
        )
    ]

    assert [(a.status_code, a.json()["code"]) for a in answers] == [(404, "not_found")] * 3
    assert counts(PreOrder) == before
    assert PreOrder.objects.get(pk=preorder.pk).status == "open"


# --- buy-back -----------------------------------------------------------------------------------------------------


def buyback_body(world, enterprise, **changes) -> dict:
    body = {
        "title": "石佛村红薯回购",
        "name": "红薯",
        "category": "fruit_veg",
        "unit": "公斤",
        "floor_price": "3.00",
        "season": "2018年秋季",
        "season_start": "2018-09-01",
        "season_end": "2018-11-30",
        "support": "免费提供种苗",
        "enterprise": enterprise.pk,
        "villages": ["510903101002"],
    }
    return {**body, **changes}


@pytest.fixture
def enterprise(world):
    return registry.producer_register(
        actor=world.users["admin"],
        kind="enterprise",
        name="遂宁红薯食品有限公司",
        region=world.regions["510903101000"],
        uscc=fake_uscc("510903", 9),
    )


def test_an_office_sets_up_a_buy_back(world, enterprise):
    response = api(world, "chuanshan").post(
        "/api/v1/buybacks/", buyback_body(world, enterprise), format="json"
    )

    body = response.json()
    assert response.status_code == 201
    assert (
        body["title"],
        body["enterprise_name"],
        body["villages"],
        body["floor_price"],
        body["status"],
        body["in_ledger"],
        body["households"],
        body["deliveries"],
    ) == ("石佛村红薯回购", "遂宁红薯食品有限公司", ["石佛村"], "3.00", "active", False, [], [])
    assert BuyBack.objects.get().home_region_id == "510903101002"


def test_a_buy_back_in_another_countys_village_is_refused(world, enterprise):
    before = counts(BuyBack)

    response = api(world, "chuanshan").post(
        "/api/v1/buybacks/", buyback_body(world, enterprise, villages=["510904101001"]), format="json"
    )

    assert (response.status_code, response.json()["code"]) == (403, "out_of_scope")
    assert counts(BuyBack) == before


def test_another_county_cannot_name_the_enterprise(world, enterprise):
    before = counts(BuyBack)

    response = api(world, "anju").post(
        "/api/v1/buybacks/", buyback_body(world, enterprise, villages=["510904101001"]), format="json"
    )

    assert response.status_code == 400
    assert response.json() == {
        "code": "invalid_input",
        "message": f"输入有误：经营主体（编号 {enterprise.pk}）不存在或无权访问",
        "field": "enterprise",
    }
    assert counts(BuyBack) == before


def test_a_buy_back_without_villages_is_refused(world, enterprise):
    before = counts(BuyBack)

    response = api(world, "chuanshan").post(
        "/api/v1/buybacks/", buyback_body(world, enterprise, villages=[]), format="json"
    )

    assert response.json() == {"code": "invalid_input", "message": "输入有误：须至少选择一个回购村"}
    assert counts(BuyBack) == before


@pytest.fixture
def delivered(world):
    buyback = set_up(world)
    return buyback, deliver(world, buyback, "zhang", D(2018, 10, 8), "500", "3.20")


def test_reversing_a_delivery_takes_back_the_income_and_the_ledger_purchase(world, delivered):
    buyback, delivery = delivered
    client = api(world, "chuanshan")

    response = client.post(
        f"/api/v1/buybacks/{buyback.pk}/reverse/",
        {"delivery": delivery.pk, "reason": "数量登记错误"},
        format="json",
    )

    body = response.json()
    zhang = world.households["zhang"].number
    mirror = BuyBackDelivery.objects.get(reverses=delivery)
    assert response.status_code == 200
    assert [(h["name"], h["deliveries"], h["income"]) for h in body["households"]] == [
        ("张**", 0, "0.00"),
        ("王**", 0, "0.00"),
    ]
    assert [
        (d["id"], d["number"], d["quantity"], d["amount"], d["reverses"]) for d in body["deliveries"]
    ] == [
        (delivery.pk, zhang, "500.000", "1600.00", None),
        (mirror.pk, zhang, "-500.000", "-1600.00", delivery.pk),
    ]
    assert sorted(str(p.total) for p in Purchase.objects.filter(channel="contract")) == [
        "-1600.00",
        "1600.00",
    ]


def test_a_reversal_twice_or_without_a_reason_is_refused_and_changes_nothing(world, delivered):
    buyback, delivery = delivered
    client = api(world, "chuanshan")
    url = f"/api/v1/buybacks/{buyback.pk}/reverse/"
    before = counts(BuyBackDelivery, Purchase)

    no_reason = client.post(url, {"delivery": delivery.pk}, format="json")
    elsewhere = client.post(url, {"delivery": delivery.pk + 999, "reason": "错误"}, format="json")

    assert no_reason.json() == {"code": "invalid_input", "message": "输入有误：冲销必须填写原因"}
    assert elsewhere.json() == {
        "code": "invalid_input",
        "message": f"输入有误：交售记录 {delivery.pk + 999} 不属于本回购项目",
        "field": "delivery",
    }
    assert counts(BuyBackDelivery, Purchase) == before
    client.post(url, {"delivery": delivery.pk, "reason": "数量登记错误"}, format="json")
    again = client.post(url, {"delivery": delivery.pk, "reason": "再次"}, format="json")
    assert again.json() == {"code": "invalid_input", "message": "输入有误：该交售记录已冲销或本身是冲销记录"}
    assert BuyBackDelivery.objects.count() == before[0] + 1


def test_another_county_cannot_reverse_or_close(world, delivered):
    buyback, delivery = delivered
    before = counts(BuyBackDelivery, Purchase)
    client = api(world, "anju")

    reverse = client.post(
        f"/api/v1/buybacks/{buyback.pk}/reverse/", {"delivery": delivery.pk, "reason": "x"}, format="json"
    )
    close = client.post(f"/api/v1/buybacks/{buyback.pk}/close/", {"reason": "x"}, format="json")

    assert [(r.status_code, r.json()["code"]) for r in (reverse, close)] == [(404, "not_found")] * 2
    assert counts(BuyBackDelivery, Purchase) == before
    assert BuyBack.objects.get(pk=buyback.pk).status == "active"


def test_a_closed_buy_back_takes_no_more_deliveries(world, delivered):
    buyback, _ = delivered
    client = api(world, "chuanshan")

    closed = client.post(f"/api/v1/buybacks/{buyback.pk}/close/", {"reason": "产季结束"}, format="json")
    before = counts(BuyBackDelivery, Purchase)
    refused = client.post(
        f"/api/v1/buybacks/{buyback.pk}/deliver/",
        {
            "household": world.households["wang"].pk,
            "date": "2018-10-09",
            "quantity": "100",
            "unit_price": "3.00",
        },
        format="json",
    )

    assert (closed.status_code, closed.json()["status"]) == (200, "closed")
    assert refused.json() == {
        "code": "invalid_input",
        "message": "输入有误：回购项目“永兴镇红薯包村回购”已结束，不能再登记交售",
    }
    assert counts(BuyBackDelivery, Purchase) == before


# --- contracts ----------------------------------------------------------------------------------------------------


def test_a_contract_is_closed_once_active_and_not_before(world):
    contract = contract_create(
        actor=world.users["chuanshan"],
        data=ContractInput(
            number="HT-2018-030",
            title="农商银行认购永兴村腊肉",
            signed_on=D(2018, 3, 1),
            period_start=D(2018, 3, 1),
            period_end=D(2018, 12, 31),
        ),
        parties=PartiesInput(units=[world.units["chuanshan_bank"]], villages=[world.regions["510903101001"]]),
        items=[ItemInput("腊肉", "meat_egg", "公斤", "100", price="60.00")],
    )
    client = api(world, "chuanshan")
    before = counts(Contract)

    early = client.post(f"/api/v1/contracts/{contract.pk}/close/", {}, format="json")
    after_early = counts(Contract)
    client.post(f"/api/v1/contracts/{contract.pk}/activate/", {}, format="json")
    closed = client.post(f"/api/v1/contracts/{contract.pk}/close/", {}, format="json")
    hidden = api(world, "anju").post(
        f"/api/v1/contracts/{contract.pk}/terminate/", {"reason": "x"}, format="json"
    )

    assert early.json() == {
        "code": "contract_transition_illegal",
        "message": "“农商银行认购永兴村腊肉”当前状态为“草拟”，不能结束。",
    }
    assert after_early == before
    assert (closed.status_code, closed.json()["status"]) == (200, "closed")
    assert (hidden.status_code, hidden.json()["code"]) == (404, "not_found")
    assert Contract.objects.get(pk=contract.pk).status == "closed"
