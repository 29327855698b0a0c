"""How many statements placing an order costs, so that the count cannot creep back up unnoticed.

The buyer is the unit account (遂宁市财政局), read afresh from the database as a request would. Placing an order on
the 永兴村 list (tests/market/presale_world.py) runs, inside its savepoint:
  1. the items with their products and their list (with its region) — `FOR UPDATE OF` the items on PostgreSQL,
  2. the buyer's organisation with its unit (one read, then cached for every scope check),
  3. one conditional UPDATE for all the lines (`reserved + q <= quantity` for each row),
  4. the order with its total, 5. its lines in one INSERT, 6. the timeline entry, 7. the audit entry.
On SQLite these are SAVEPOINT + 7 + RELEASE = 9 statements, for 1 line as for 3. PostgreSQL runs the same
statements in fewer: its lock is a clause of the read, the UPDATE and the order's INSERT are one statement (the
INSERT conditioned on the UPDATE's count) and the lines, the event and the audit entry are one more (each INSERT
a WITH query): SAVEPOINT + 4 + RELEASE = 6.
The API names the list by its id: the service reads it with the items, so the API runs the same statements (the
organisation is read by the view's first scope check instead of the service's) and answers from what was written.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from tests.market.flows import lines
from tests.market.presale_world import Market
from tests.market.test_catalog import JULY, presale
from yigou.accounts.models import User
from yigou.core import rows
from yigou.core.models import AuditEntry
from yigou.market import order_rows, ordering
from yigou.market.models import Order, OrderEvent, PreSaleItem

pytestmark = pytest.mark.django_db

D = Decimal
PLACE_QUERIES = {"sqlite": {1: 9, 3: 9}, "postgresql": {1: 6, 3: 6}}
API_QUERIES = {"sqlite": {1: 9, 3: 9}, "postgresql": {1: 6, 3: 6}}
ONE = {"腊肉": "2"}
THREE = {"腊肉": "2", "土鸡蛋": "30", "柑橘": "7"}  # 120.00 + 45.00 + 30.17 = 195.17


def fresh_unit_user() -> User:
    return User.objects.get(username="unit")


def statements(context: CaptureQueriesContext) -> list[str]:
    return [query["sql"] for query in context.captured_queries]


@pytest.mark.parametrize(("wanted", "total"), [(ONE, D("120.00")), (THREE, D("195.17"))])
def test_placing_an_order_runs_an_exact_number_of_statements(market: Market, wanted, total):
    buyer = fresh_unit_user()
    with CaptureQueriesContext(connection) as context:
        order = ordering.order_place(
            actor=buyer, presale_list=market.lists["village"], lines=lines(market, **wanted)
        )
    sql = statements(context)
    assert len(sql) == PLACE_QUERIES[connection.vendor][len(wanted)], "\n".join(sql)
    assert order.total == total
    assert sum(text.count('UPDATE "market_presaleitem"') for text in sql) == 1  # one reservation, every line
    for table in ("market_order", "market_orderline", "core_auditentry", "market_orderevent"):
        assert sum(text.count(f'INSERT INTO "{table}" ') for text in sql) == 1
    reads = [text for text in sql if text.startswith("SELECT")]
    assert len(reads) == 2
    assert reads[0].startswith('SELECT "market_presaleitem"."id"')  # the locked items come first
    if connection.vendor == "postgresql":
        assert reads[0].endswith('FOR UPDATE OF "market_presaleitem"')
        assert 'ORDER BY "market_presaleitem"."id" ASC' in reads[0]


@pytest.mark.parametrize("wanted", [ONE, THREE])
def test_the_order_handed_back_needs_no_further_read(market: Market, wanted):
    order = ordering.order_place(
        actor=fresh_unit_user(), presale_list=market.lists["village"], lines=lines(market, **wanted)
    )
    with CaptureQueriesContext(connection) as context:
        kept = [
            (line.item.name, line.quantity, line.amount, line.item.reserved) for line in order.lines.all()
        ]
        timeline = [(event.action, event.actor.username) for event in order.events.all()]
        extra = (order.presale_list.title, order.region.name, list(order.after_sales.all()))
    assert statements(context) == []
    stored = Order.objects.get(pk=order.pk)
    assert kept == [
        (line.item.name, line.quantity, line.amount, line.item.reserved) for line in stored.lines.all()
    ]
    assert timeline == [("place", "unit")] == [(e.action, e.actor.username) for e in stored.events.all()]
    assert extra == ("永兴村秋季农产品预售", "永兴村", [])


@pytest.mark.parametrize(("wanted", "total"), [(ONE, "120.00"), (THREE, "195.17")])
def test_the_order_api_answers_with_an_exact_number_of_statements(market: Market, wanted, total):
    client = APIClient()
    client.force_authenticate(fresh_unit_user())
    body = {
        "presale_list": market.lists["village"].pk,
        "lines": [{"item": item, "quantity": quantity} for item, quantity in lines(market, **wanted)],
    }
    with CaptureQueriesContext(connection) as context:
        response = client.post("/api/v1/orders/", body, format="json")
    assert response.status_code == 201, response.content
    assert len(context.captured_queries) == API_QUERIES[connection.vendor][len(wanted)]
    answer = response.json()
    assert (answer["total"], answer["status"], answer["region_name"], answer["after_sales"]) == (
        total,
        "placed",
        "永兴村",
        [],
    )
    # What it answered is what a later read of the order answers.
    again = client.get(f"/api/v1/orders/{answer['id']}/").json()
    assert answer == again


def values(row) -> dict | None:
    return (
        None
        if row is None
        else {field.attname: getattr(row, field.attname) for field in row._meta.concrete_fields}
    )


def test_the_locked_read_makes_the_instances_a_queryset_makes(world, market: Market, listed):
    """order_rows writes the locked read by hand: every item, its list with its region and its product (or none)
    come out with the values, types and saved state of `select_related` — here a catalogue product's honey
    (dates, decimals, text, foreign keys) next to the village list's items without a product."""
    presale(world, listed, JULY)
    ids = sorted(PreSaleItem.objects.values_list("pk", flat=True))
    with transaction.atomic():
        made = order_rows.locked_items(ids)
    expected = (
        PreSaleItem.objects.filter(pk__in=ids)
        .select_related("product", "presale_list__region")
        .order_by("pk")
    )
    assert list(made) == ids
    assert sum(1 for item in made.values() if item.product is not None) == 1
    for want in expected:
        got = made[want.pk]
        assert values(got) == values(want)
        assert [type(v) for v in values(got).values()] == [type(v) for v in values(want).values()]
        assert values(got.presale_list) == values(want.presale_list)
        assert values(got.presale_list.region) == values(want.presale_list.region)
        assert values(got.product) == values(want.product)
        assert (got._state.adding, got._state.db, got.product is None) == (
            False,
            "default",
            want.product is None,
        )


def test_rows_inserted_together_get_the_ids_the_database_gave_them(market: Market):
    """insert_together writes several models' rows in one statement: every instance gets its own row's id (the
    events and entries of two orders, interleaved with lines, read back id by id)."""
    first = ordering.order_place(
        actor=fresh_unit_user(), presale_list=market.lists["village"], lines=lines(market, **THREE)
    )
    events = [
        ordering._event_rows(first, "note", "placed", fresh_unit_user(), note=f"第{n}条") for n in (1, 2)
    ]
    made = [event for event, _ in events], [entry for _, entry in events]
    with CaptureQueriesContext(connection) as context:
        rows.insert_together(*made)
    assert len(context.captured_queries) == (1 if connection.vendor == "postgresql" else 2)
    for event in made[0]:
        assert OrderEvent.objects.get(pk=event.pk).note == event.note
    for entry in made[1]:
        assert AuditEntry.objects.get(pk=entry.pk).note == entry.note
    assert [e._state.adding for e in (*made[0], *made[1])] == [False] * 4
