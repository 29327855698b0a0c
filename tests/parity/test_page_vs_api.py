"""The page and the API give the same user the same rows in the same order, for the lists used most.

Each test signs the same user in on both edges, asks both for the same list with the same filters, and compares
the ids of the rows in order. Where the lists differed before (open lists: paired villages, then their counties;
a seller's waiting orders include pending after-sale requests; share filings leave merged canteens out) the
expected order is also written out, so a change on both edges at once is caught as well.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from rest_framework.test import APIClient

from tests.market.flows import paid, place, shipped
from tests.market.presale_world import Market, item, list_input, market_fixture
from tests.shares.example import build_example
from yigou.ledger.services import LineInput, PurchaseInput, purchase_record
from yigou.market import ordering
from yigou.market.presale import presale_publish
from yigou.registry import services as registry

pytestmark = pytest.mark.django_db

market = pytest.fixture(market_fixture, name="market")


def page_ids(user: Any, path: str, key: str = "page") -> list[int]:
    client = Client()
    client.force_login(user)
    response = client.get(path)
    assert response.status_code == 200, path
    return [row.pk for row in response.context[key].object_list]


def api_ids(user: Any, path: str) -> list[int]:
    client = APIClient()
    client.force_authenticate(user)
    joiner = "&" if "?" in path else "?"
    response = client.get(f"{path}{joiner}page_size=500")
    assert response.status_code == 200, (path, response.content)
    return [row["id"] for row in response.json()["results"]]


@pytest.fixture
def lanjiang(market: Market):
    """A list of the 拦江 pig cooperative (安居区): in the county of 财政局's paired village 拦江村, not in it."""
    world = market.world
    coop = world.producers["anju_coop"]
    registry.linkage_add(
        actor=world.users["admin"],
        producer=coop,
        household=world.households["liu"],
        mechanism="wage",
        start=dt.date(2017, 1, 1),
    )
    return presale_publish(
        actor=world.users["anju"],
        data=list_input("拦江黑猪肉预售", closes=30),
        producer=coop,
        items=[item("黑猪肉", "100", "公斤", "36.00", seller_producer=coop)],
    )


@pytest.mark.parametrize("key", ["unit", "bank", "buyer", "anju", "admin"])
def test_open_lists_page_and_api_agree(market, lanjiang, key):
    user = market.user(key)
    assert page_ids(user, "/market/") == api_ids(user, "/api/v1/presale-lists/")


def test_open_lists_come_paired_village_first_then_its_county_on_both_edges(market, lanjiang):
    user = market.user("unit")  # 遂宁市财政局, paired with 拦江村 (安居区)
    expected = [market.lists["anju"].pk, lanjiang.pk, market.lists["coop"].pk, market.lists["village"].pk]
    assert page_ids(user, "/market/") == expected == api_ids(user, "/api/v1/presale-lists/")
    client = APIClient()
    client.force_authenticate(user)
    rows = client.get("/api/v1/presale-lists/").json()["results"]
    assert [(row["affinity"], row["paired"]) for row in rows] == [
        (2, True),
        (1, False),
        (0, False),
        (0, False),
    ]


@pytest.mark.parametrize(
    ("key", "query"), [("unit", "category=meat_egg"), ("bank", "q=蔬菜"), ("buyer", "region=510903")]
)
def test_open_lists_filtered_agree(market, lanjiang, key, query):
    user = market.user(key)
    assert page_ids(user, f"/market/?{query}") == api_ids(user, f"/api/v1/presale-lists/?{query}")


@pytest.mark.parametrize("key", ["village", "producer", "anju", "chuanshan"])
def test_a_sellers_own_lists_agree(market, lanjiang, key):
    user = market.user(key)
    assert page_ids(user, "/market/mine/") == api_ids(user, "/api/v1/presale-lists/mine/")
    assert page_ids(user, "/market/mine/?state=open") == api_ids(
        user, "/api/v1/presale-lists/mine/?state=open"
    )


@pytest.fixture
def orders(market: Market) -> dict[str, Any]:
    """Placed (A), shipped (B), paid with a pending after-sale request (C), paid (D) — all 财政局 from 永兴村;
    E: 李四 from the 永兴 cooperative."""
    a = place(market, 腊肉="1")
    b = shipped(market, place(market, 土鸡蛋="10"))
    c = paid(market, place(market, 腊肉="2"))
    ordering.aftersale_request(actor=market.user("unit"), order=c, kind="refund", reason="变质")
    d = paid(market, place(market, 柑橘="3"))
    e = place(market, who="buyer", owner="coop", 蔬菜="3")
    return {"A": a, "B": b, "C": c, "D": d, "E": e}


@pytest.mark.parametrize(
    ("key", "side"),
    [
        ("unit", "buyer"),
        ("buyer", "buyer"),
        ("village", "seller"),
        ("producer", "seller"),
        ("chuanshan", "seller"),
    ],
)
@pytest.mark.parametrize("extra", ["", "&waiting=1", "&sort=total", "&status=paid", "&q=财政局"])
def test_my_orders_agree(market, orders, key, side, extra):
    user = market.user(key)
    assert page_ids(user, f"/orders/?side={side}{extra}") == api_ids(
        user, f"/api/v1/orders/?side={side}{extra}"
    )


def test_a_sellers_waiting_orders_include_pending_after_sales_on_both_edges(market, orders):
    user = market.user("village")
    expected = [
        orders["C"].pk,
        orders["A"].pk,
    ]  # newest first: C waits for its after-sale, A for confirmation
    assert page_ids(user, "/orders/?side=seller&waiting=1") == expected
    assert api_ids(user, "/api/v1/orders/?side=seller&waiting=1") == expected


def test_a_buyers_waiting_orders_agree_and_are_the_shipped_one(market, orders):
    user = market.user("unit")
    assert page_ids(user, "/orders/?side=buyer&waiting=1") == [orders["B"].pk]
    assert api_ids(user, "/api/v1/orders/?side=buyer&waiting=1") == [orders["B"].pk]


def test_the_public_catalog_agrees(market, world):
    from tests.market.conftest import honey
    from yigou.market import certification as cert

    applied = dt.date.today() - dt.timedelta(days=10)  # notice of 5 days over, listed, valid for a year
    listed = []
    for name in ("永兴土蜂蜜", "永兴菜籽油"):
        product = cert.product_apply(
            actor=world.users["producer"],
            producer=world.producers["coop"],
            data=honey(world, name=name),
            today=applied,
        )
        cert.product_review(actor=world.users["yongxing"], product=product, passed=True, reason="材料齐全")
        cert.product_decide(actor=world.users["chuanshan"], product=product, certify=True, today=applied)
        listed.append(
            cert.product_list(
                actor=world.users["chuanshan"], product=product, today=applied + dt.timedelta(days=6)
            ).pk
        )
    for key in ("unit", "admin", "buyer"):
        user = market.user(key)
        rows = page_ids(user, "/catalog/")
        assert sorted(rows) == sorted(listed)
        assert rows == api_ids(user, "/api/v1/catalog/")
        assert page_ids(user, "/catalog/?q=菜籽") == api_ids(user, "/api/v1/catalog/?q=菜籽") == [listed[1]]


@pytest.mark.parametrize("key", ["chuanshan", "yongxing", "village", "anju", "city", "admin"])
@pytest.mark.parametrize("query", ["", "?sort=-name", "?q=张", "?region=510903101000"])
def test_households_agree(world, key, query):
    user = world.users[key]
    assert page_ids(user, f"/households/{query}") == api_ids(user, f"/api/v1/households/{query}")


def _purchase(world: Any, day: str, amount: str, household: str = "zhang") -> None:
    data = PurchaseInput(
        date=dt.date.fromisoformat(day),
        buyer_kind="individual",
        channel="onsite",
        buyer_name="李四",
        seller_household=world.households[household],
        lines=[
            LineInput(
                product="腊肉",
                quantity=Decimal("1"),
                unit="公斤",
                unit_price=Decimal(amount),
                amount=Decimal(amount),
            )
        ],
    )
    purchase_record(actor=world.users["admin"], data=data)


@pytest.mark.parametrize("key", ["chuanshan", "anju", "city", "village", "admin"])
@pytest.mark.parametrize("query", ["", "?sort=date", "?period=2018-02", "?q=腊肉"])
def test_purchases_agree(world, key, query):
    for day, amount, who in (
        ("2018-01-05", "60", "zhang"),
        ("2018-02-10", "80", "wang"),
        ("2018-02-10", "70", "liu"),
        ("2018-03-01", "50", "zhang"),
    ):
        _purchase(world, day, amount, who)
    user = world.users[key]
    assert page_ids(user, f"/purchases/{query}") == api_ids(user, f"/api/v1/purchases/{query}")


@pytest.mark.parametrize("key", ["chuanshan", "city", "auditor"])
@pytest.mark.parametrize("query", ["", "&sort=name", "&sort=reserved", "&flagged=1"])
def test_share_filings_agree(world, key, query):
    ex = build_example(world)
    user = world.users[key]
    path = f"?year={ex.year}{query}"
    assert page_ids(user, f"/shares/filings/{path}") == api_ids(user, f"/api/v1/share-filings/{path}")


def test_share_filings_leave_merged_canteens_out_on_both_edges_unless_asked(world):
    ex = build_example(world)
    user = world.users["chuanshan"]
    listed = set(api_ids(user, f"/api/v1/share-filings/?year={ex.year}"))
    with_merged = set(api_ids(user, f"/api/v1/share-filings/?year={ex.year}&merged=1"))
    merged = {f.pk for f in ex.filings.values() if f.mode == "merged"}
    assert merged and merged <= with_merged and not merged & listed
    assert with_merged - merged == listed == set(page_ids(user, f"/shares/filings/?year={ex.year}"))


@pytest.mark.parametrize("key", ["city", "chuanshan", "unit", "anju"])
@pytest.mark.parametrize("query", ["", "?sort=signed_on", "?q=永兴", "?status=active"])
def test_contracts_agree(world, key, query):
    from tests.contracts.example import sign_contract

    sign_contract(world)
    sign_contract(
        world, number="HT-2018-002", title="遂宁市财政局认购永兴村腊肉合同", signed_on=dt.date(2018, 4, 1)
    )
    user = world.users[key]
    assert page_ids(user, f"/contracts/{query}") == api_ids(user, f"/api/v1/contracts/{query}")
