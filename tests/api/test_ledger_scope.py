"""Who sees which purchases: the seller's region, the buying unit (and its cadres), the selling producer."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal

import pytest

from tests.ledger.example import build_example, line
from yigou.ledger.enums import BuyerKind, Channel
from yigou.ledger.services import PurchaseInput, purchase_record

URL = "/api/v1/purchases/"
EVERYTHING = {"P1", "P2", "P3", "P4", "P5", "P6", "P6R"}
SEES: dict[str, set[str]] = {
    "admin": EVERYTHING,
    "city": EVERYTHING,
    "auditor": EVERYTHING,
    "chuanshan": {"P1", "P2", "P3", "P5", "P6", "P6R"},
    "yongxing": {"P1", "P2", "P3", "P5", "P6", "P6R"},
    "village": {"P1", "P5", "P6", "P6R"},
    "anju": {"P4"},
    "zone": set(),
    "unit": {"P1", "P2", "P3", "P4"},  # the 财政局's own, its canteen's and its cadre 陈立's
    "producer": {"P2"},
}


@pytest.fixture
def example(world):
    return build_example(world)


@pytest.mark.parametrize("username", sorted(SEES))
def test_each_role_lists_exactly_the_purchases_in_its_scope(world, example, client_for: Callable, username):
    response = client_for(username).get(URL)

    assert response.status_code == 200
    ids = {key: p.pk for key, p in example.purchases.items()}
    assert response.json()["count"] == len(SEES[username])
    assert sorted(r["id"] for r in response.json()["results"]) == sorted(ids[k] for k in SEES[username])


@pytest.mark.parametrize("username", sorted(SEES))
def test_each_role_opens_exactly_the_purchases_it_lists(world, example, client_for: Callable, username):
    client = client_for(username)

    statuses = {key: client.get(f"{URL}{p.pk}/").status_code for key, p in example.purchases.items()}

    assert {key for key, status in statuses.items() if status == 200} == SEES[username]
    assert {status for key, status in statuses.items() if key not in SEES[username]} <= {404}


def test_the_list_is_newest_first_with_buyer_and_seller_names(world, example, client_for: Callable):
    rows = client_for("chuanshan").get(URL).json()["results"]

    assert [(r["date"], r["buyer"], r["seller"], r["total"], r["is_reversal"]) for r in rows] == [
        ("2018-04-02", "孙红", "张德明", "-100.00", True),
        ("2018-04-02", "孙红", "张德明", "100.00", False),
        ("2018-03-20", "李四", "张德明", "250.00", False),
        ("2018-02-05", "遂宁市财政局", "王建国", "200.00", False),
        ("2018-01-20", "遂宁市财政局", "船山区永兴蔬菜专业合作社", "1000.00", False),
        ("2018-01-10", "陈立", "张德明", "600.00", False),
    ]


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ("period=2018-01", {"P1", "P2"}),
        ("period=2018-03..2018-04", {"P4", "P5", "P6", "P6R"}),
        ("region=510904000000", {"P4"}),
        ("region=510903101001&period=2018-01..2018-03", {"P1", "P5"}),
        ("channel=outlet", {"P5"}),
        ("buyer_kind=canteen", {"P3"}),
        ("q=蜂蜜", {"P5"}),
        ("q=合作社", {"P2"}),
        ("q=陈立", {"P1"}),
    ],
)
def test_list_filters(world, example, client_for: Callable, params, expected):
    response = client_for("city").get(f"{URL}?{params}")

    ids = {key: p.pk for key, p in example.purchases.items()}
    assert sorted(r["id"] for r in response.json()["results"]) == sorted(ids[k] for k in expected)


def test_a_bad_period_filter_is_a_chinese_400(world, client_for: Callable):
    response = client_for("city").get(f"{URL}?period=2018-13")

    assert response.status_code == 400
    assert response.json() == {"code": "invalid_input", "message": "输入有误：月份“2018-13”无效"}


def test_the_list_stays_at_two_queries_however_many_purchases(
    world, example, client_for: Callable, django_assert_num_queries
):
    admin, zhang, chen = world.users["admin"], world.households["zhang"], world.cadres["chen"]
    for day in range(1, 21):
        purchase_record(
            actor=admin,
            data=PurchaseInput(
                date=dt.date(2018, 5, day),
                buyer_kind=BuyerKind.CADRE,
                buyer_cadre=chen,
                channel=Channel.ONSITE,
                seller_household=zhang,
                lines=[line("鸡蛋", "3", "斤", "10")],
            ),
        )
    client = client_for("city")

    with django_assert_num_queries(2):
        response = client.get(f"{URL}?q=鸡蛋")

    assert response.json()["count"] == 22
    assert {r["total"] for r in response.json()["results"]} == {"30.00", "100.00", "-100.00"}


def test_the_detail_is_a_fixed_number_of_queries(
    world, example, client_for: Callable, django_assert_num_queries
):
    client = client_for("city")
    p2 = example.purchases["P2"]

    with django_assert_num_queries(4):  # the purchase, its lines, its beneficiaries, its reversal
        response = client.get(f"{URL}{p2.pk}/")

    assert [b["amount"] for b in response.json()["beneficiaries"]] == ["300.00"]


def test_recording_one_purchase_is_a_bounded_number_of_queries(
    world, client_for: Callable, django_assert_max_num_queries
):
    client = client_for("city")
    body = {
        "date": "2018-01-10",
        "buyer_kind": "cadre",
        "buyer_cadre": world.cadres["chen"].pk,
        "channel": "onsite",
        "seller_household": world.households["zhang"].pk,
        "external_id": "Q-1",
        "lines": [{"product": "腊肉", "quantity": "10", "unit": "公斤", "unit_price": "60"}],
    }

    with django_assert_max_num_queries(32):  # references, lock check, the write (rollups, audit), the answer
        created = client.post(URL, body, format="json")
    with django_assert_max_num_queries(9):  # references, the existing record, its scope, the answer
        repeated = client.post(URL, body, format="json")

    assert (created.status_code, repeated.status_code) == (201, 200)
    assert Decimal(repeated.json()["total"]) == Decimal("600.00")
