"""Recording, reading and reversing purchases over the API: one body, one service call, nothing half-written."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from tests.ledger.example import build_example
from yigou.core.models import AuditEntry
from yigou.ledger.models import Beneficiary, Purchase, PurchaseLine

URL = "/api/v1/purchases/"


def counts() -> tuple[int, int, int, int]:
    return (
        Purchase.objects.count(),
        PurchaseLine.objects.count(),
        Beneficiary.objects.count(),
        AuditEntry.objects.count(),
    )


def p1_body(world, **extra) -> dict:
    """The worked example's P1: cadre 陈立 buys 10 公斤 腊肉 at 60 元 from 张德明, on site.

    陈立 works for the city's 财政局, so the city office (which sees both him and 张德明) records it.
    """
    return {
        "date": "2018-01-10",
        "buyer_kind": "cadre",
        "buyer_cadre": world.cadres["chen"].pk,
        "channel": "onsite",
        "seller_household": world.households["zhang"].pk,
        "lines": [{"product": "腊肉", "quantity": "10", "unit": "公斤", "unit_price": "60"}],
        **extra,
    }


def beneficiary_rows(purchase: Purchase) -> list[tuple]:
    return [
        (b.household_id, str(b.amount), b.status, b.registered, b.village_id, b.village_poor, b.county_code)
        for b in purchase.beneficiaries.order_by("household_id")
    ]


def test_posting_p1_records_it_with_the_same_beneficiaries_as_the_service(world, client_for: Callable):
    example = build_example(world)

    response = client_for("city").post(URL, p1_body(world, external_id="API-P1"), format="json")

    assert response.status_code == 201
    body = response.json()
    posted = Purchase.objects.get(pk=body["id"])
    assert beneficiary_rows(posted) == beneficiary_rows(example.purchases["P1"])
    assert beneficiary_rows(posted) == [
        (world.households["zhang"].pk, "600.00", "poor", True, "510903101001", True, "510903000000"),
    ]
    assert (posted.source, posted.buyer_key, posted.attribution, str(posted.total)) == (
        "api",
        f"cadre:{world.cadres['chen'].pk}",
        "self",
        "600.00",
    )
    assert (body["external_id"], body["total"], body["buyer"], body["seller"], body["source"]) == (
        "API-P1",
        "600.00",
        "陈立",
        "张德明",
        "api",
    )
    assert [
        (ln["product"], ln["quantity"], ln["unit_price"], ln["amount"], ln["source"]) for ln in body["lines"]
    ] == [
        ("腊肉", "10.000", "60.00", "600.00", "own"),
    ]
    assert [
        (b["household_number"], b["head_name"], b["village_name"], b["amount"], b["status_label"])
        for b in body["beneficiaries"]
    ] == [
        (world.households["zhang"].number, "张德明", "永兴村", "600.00", "建档立卡贫困户"),
    ]


def test_posting_the_same_external_id_twice_records_it_once(world, client_for: Callable):
    client = client_for("city")
    first = client.post(URL, p1_body(world, external_id="WX-2018-0001"), format="json")
    after_first = counts()

    second = client.post(URL, p1_body(world, external_id="WX-2018-0001"), format="json")

    assert (first.status_code, second.status_code) == (201, 200)
    assert second.json()["id"] == first.json()["id"]
    assert second.json() == first.json()
    assert counts() == after_first
    assert Purchase.objects.filter(external_id="WX-2018-0001").count() == 1


def test_lines_that_do_not_add_up_are_refused_and_nothing_is_written(world, client_for: Callable):
    before = counts()
    body = p1_body(world)
    body["lines"][0]["amount"] = "601.00"

    response = client_for("city").post(URL, body, format="json")

    assert response.status_code == 400
    assert response.json() == {
        "code": "amounts_do_not_add_up",
        "message": "金额不符：第1行金额 601.00 不等于数量×单价 600.00",
    }
    assert counts() == before


def test_a_total_that_differs_from_the_lines_is_refused_and_nothing_is_written(world, client_for: Callable):
    before = counts()

    response = client_for("city").post(URL, p1_body(world, total="700.00"), format="json")

    assert response.status_code == 400
    assert response.json() == {
        "code": "amounts_do_not_add_up",
        "message": "金额不符：总金额 700.00 不等于明细合计 600.00",
    }
    assert counts() == before


def test_beneficiaries_earning_more_than_the_purchase_are_refused(world, client_for: Callable):
    before = counts()
    body = {
        "date": "2018-01-20",
        "buyer_kind": "unit",
        "buyer_unit": world.units["finance"].pk,
        "channel": "onsite",
        "seller_producer": world.producers["coop"].pk,
        "attribution": "entered",
        "lines": [{"product": "蔬菜", "quantity": "200", "unit": "公斤", "unit_price": "5"}],
        "beneficiaries": [{"household": world.households["zhang"].pk, "amount": "1200.00"}],
    }

    response = client_for("city").post(URL, body, format="json")

    assert response.status_code == 400
    assert response.json() == {
        "code": "amounts_do_not_add_up",
        "message": "金额不符：受益农户收入合计 1200.00 超过购买金额 1000.00",
    }
    assert counts() == before


def test_a_county_user_posting_for_another_countys_household_is_refused_like_a_missing_one(
    world, client_for: Callable
):
    before = counts()  # anju sees 陈立 (his unit is paired with 拦江村) but not 张德明 of 船山区
    zhang = world.households["zhang"].pk

    response = client_for("anju").post(URL, p1_body(world, external_id="ANJU-1"), format="json")
    missing = client_for("anju").post(
        URL, p1_body(world, external_id="ANJU-2", seller_household=987654), format="json"
    )

    assert response.status_code == 400
    assert response.json() == {
        "code": "invalid_input",
        "message": f"输入有误：销售农户（编号 {zhang}）不存在或无权访问",
        "field": "seller_household",
    }
    assert missing.status_code == 400
    assert missing.json() == {
        "code": "invalid_input",
        "message": "输入有误：销售农户（编号 987654）不存在或无权访问",
        "field": "seller_household",
    }
    assert counts() == before


@pytest.mark.parametrize(("field", "label"), [("buyer_cadre", "购买干部"), ("seller_household", "销售农户")])
def test_an_unknown_referenced_id_is_refused_on_its_field(world, client_for: Callable, field, label):
    before = counts()

    response = client_for("admin").post(URL, p1_body(world, **{field: 987654}), format="json")

    assert response.status_code == 400
    assert response.json() == {
        "code": "invalid_input",
        "message": f"输入有误：{label}（编号 987654）不存在或无权访问",
        "field": field,
    }
    assert counts() == before


def test_a_beneficiary_outside_the_users_scope_is_refused_like_a_missing_one(world, client_for: Callable):
    before = counts()
    body = {
        "date": "2018-01-20",
        "buyer_kind": "individual",
        "buyer_name": "李四",
        "channel": "onsite",
        "seller_producer": world.producers["coop"].pk,
        "attribution": "entered",
        "lines": [{"product": "蔬菜", "quantity": "20", "unit": "公斤", "unit_price": "5"}],
        "beneficiaries": [{"household": world.households["liu"].pk, "amount": "50.00"}],
    }

    response = client_for("chuanshan").post(URL, body, format="json")

    liu = world.households["liu"].pk
    assert response.status_code == 400
    assert response.json() == {
        "code": "invalid_input",
        "message": f"输入有误：受益农户（编号 {liu}）不存在或无权访问",
        "field": "beneficiaries",
    }
    assert counts() == before


def test_a_malformed_body_names_the_fields_and_writes_nothing(world, client_for: Callable):
    before = counts()

    response = client_for("chuanshan").post(URL, {"date": "2018-13-01", "buyer_kind": "cadre"}, format="json")

    assert response.status_code == 400
    body = response.json()
    assert (body["code"], body["message"]) == ("invalid_input", "输入有误，请检查各字段。")
    assert sorted(body["fields"]) == ["channel", "date", "lines"]
    assert counts() == before


def test_unit_staff_record_their_cadres_purchase_from_a_paired_household(world, client_for: Callable):
    body = {
        "date": "2018-03-15",
        "buyer_kind": "cadre",
        "buyer_cadre": world.cadres["chen"].pk,
        "channel": "onsite",
        "seller_household": world.households["liu"].pk,
        "lines": [{"product": "土鸡", "quantity": "2", "unit": "只", "unit_price": "80", "amount": "160.00"}],
    }

    response = client_for("unit").post(URL, body, format="json")

    assert response.status_code == 201
    assert (response.json()["total"], response.json()["region"], response.json()["buyer"]) == (
        "160.00",
        "510904101001",
        "陈立",
    )


def test_the_detail_shows_lines_and_beneficiaries_without_any_id_number(world, client_for: Callable):
    example = build_example(world)
    p2 = example.purchases["P2"]

    response = client_for("chuanshan").get(f"{URL}{p2.pk}/")

    assert response.status_code == 200
    body = response.json()
    assert (body["buyer_kind_label"], body["buyer"], body["seller_kind_label"], body["seller"]) == (
        "帮扶单位",
        "遂宁市财政局",
        "合作社",
        "船山区永兴蔬菜专业合作社",
    )
    assert (body["activity_title"], body["attribution_label"], body["reversed_by"]) == (
        "永兴镇以购助扶采购节",
        "逐户录入",
        None,
    )
    assert [(ln["product"], ln["amount"], ln["source_label"]) for ln in body["lines"]] == [
        ("蔬菜", "1000.00", "合作社产品")
    ]
    assert [
        (b["head_name"], b["village"], b["amount"], b["status"], b["registered"], b["village_poor"])
        for b in body["beneficiaries"]
    ] == [("张德明", "510903101001", "300.00", "poor", True, True)]
    head = world.households["zhang"].members.get(relation="head")
    assert head.id_number not in response.content.decode()
    assert "id_number" not in response.content.decode()


def test_another_countys_purchase_is_not_found(world, client_for: Callable):
    example = build_example(world)

    response = client_for("anju").get(f"{URL}{example.purchases['P1'].pk}/")

    assert (response.status_code, response.json()["code"]) == (404, "not_found")


# --- reversal ------------------------------------------------------------------------------------------------


def test_reversing_a_purchase_answers_with_the_mirror_entry(world, client_for: Callable):
    example = build_example(world)
    p5 = example.purchases["P5"]

    response = client_for("chuanshan").post(f"{URL}{p5.pk}/reverse/", {"reason": "重复登记"}, format="json")

    assert response.status_code == 201
    body = response.json()
    assert (body["reverses"], body["is_reversal"], body["total"], body["note"]) == (
        p5.pk,
        True,
        "-250.00",
        "重复登记",
    )
    assert [(b["head_name"], b["amount"]) for b in body["beneficiaries"]] == [("张德明", "-250.00")]
    assert client_for("chuanshan").get(f"{URL}{p5.pk}/").json()["reversed_by"] == body["id"]


def test_reversing_twice_is_refused_and_writes_nothing(world, client_for: Callable):
    example = build_example(world)
    before = counts()

    response = client_for("chuanshan").post(
        f"{URL}{example.purchases['P6'].pk}/reverse/", {"reason": "再冲一次"}, format="json"
    )

    assert response.status_code == 400
    assert response.json()["code"] == "purchase_already_reversed"
    assert counts() == before


def test_reversal_needs_a_reason_and_the_right_role(world, client_for: Callable):
    example = build_example(world)
    before = counts()
    path = f"{URL}{example.purchases['P1'].pk}/reverse/"

    no_reason = client_for("chuanshan").post(path, {}, format="json")
    village = client_for("village").post(path, {"reason": "录错"}, format="json")
    anju = client_for("anju").post(path, {"reason": "录错"}, format="json")

    assert (no_reason.status_code, no_reason.json()["code"]) == (400, "invalid_input")
    assert village.status_code == 403
    assert village.json() == {"code": "forbidden", "message": "无权执行此操作。"}
    assert (anju.status_code, anju.json()["code"]) == (404, "not_found")
    assert counts() == before


def test_a_county_office_names_a_city_units_cadre_as_the_buyer(world, client_for: Callable):
    # 陈立 works for the city's 财政局, which 船山区 cannot otherwise see: buyers are public bodies.
    response = client_for("chuanshan").post(URL, p1_body(world, external_id="CS-P1"), format="json")
    assert response.status_code == 201, response.json()
    purchase = Purchase.objects.get(external_id="CS-P1")
    assert (purchase.buyer_cadre.name, purchase.region_id, str(purchase.total)) == (
        "陈立",
        "510903101001",
        "600.00",
    )
