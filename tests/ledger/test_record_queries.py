"""How many statements recording one purchase through the API costs, so that the count cannot creep back up unnoticed.

The recorder is the city office (it sees 张德明 and cadre 陈立), read afresh from the database as a request would.
Recording the worked example's P1 (陈立 buys 10 公斤 腊肉 from 张德明, on site) runs:
  before the transaction, naming the body's records: 1. the office's organisation (the first scope check),
  2. the seller household with its village, 3. its status history (prefetched), 4. the cadre;
  inside it: 5. the approval lock of the month, 6. the purchase, 7. its lines, 8. its beneficiary (the seller's
  household itself, built from the rows named above: they are not read again), 9. the audit entry,
  10. one read of the entities' presence in the year (buyer, household, village), 11. one upsert of their
  presence, 12. the month rollups and 13. the day rollups of the village and every region above it, one
  multi-row upsert each — the shared rows last, so each writer holds them only until its commit.
PostgreSQL adds two: the presence table's ROW EXCLUSIVE lock (a bulk import's lock waits for it) and one
statement taking every entity's advisory lock in key order, and saves two: 7, 8 and 9 are one statement there
(each INSERT a WITH query). With the savepoint and its release: 15 on SQLite, 15 on PostgreSQL. The answer is built from what was written: no read after the commit.

P2 (the cooperative sells 200 公斤 蔬菜 to 财政局; 300 元 entered for 张德明) names four records instead of three
(the producer, the unit, the beneficiary household and its history) and reads the producer's linkages and
memberships to check the entered household: three statements more.
"""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from tests.world import World
from yigou.accounts.models import User
from yigou.core.models import AuditEntry
from yigou.ledger.models import Beneficiary, DayRollup, MonthRollup, Presence, Purchase, PurchaseLine

pytestmark = pytest.mark.django_db

URL = "/api/v1/purchases/"
QUERIES = {"sqlite": {"P1": 15, "P2": 18}, "postgresql": {"P1": 15, "P2": 18}}


def bodies(world: World) -> dict[str, dict]:
    return {
        "P1": {
            "date": "2018-01-10",
            "buyer_kind": "cadre",
            "buyer_cadre": world.cadres["chen"].pk,
            "channel": "onsite",
            "seller_household": world.households["zhang"].pk,
            "lines": [{"product": "腊肉", "quantity": "10", "unit": "公斤", "unit_price": "60"}],
        },
        "P2": {
            "date": "2018-01-20",
            "buyer_kind": "unit",
            "buyer_unit": world.units["finance"].pk,
            "channel": "onsite",
            "seller_producer": world.producers["coop"].pk,
            "attribution": "entered",
            "beneficiaries": [{"household": world.households["zhang"].pk, "amount": "300.00"}],
            "lines": [{"product": "蔬菜", "quantity": "200", "unit": "公斤", "unit_price": "5"}],
        },
    }


def fresh_client() -> APIClient:
    client = APIClient()
    client.force_authenticate(User.objects.get(username="city"))
    return client


def statements(context: CaptureQueriesContext) -> list[str]:
    return [query["sql"] for query in context.captured_queries]


@pytest.mark.parametrize("name", ["P1", "P2"])
def test_recording_a_purchase_runs_an_exact_number_of_statements(world: World, name: str):
    client, body = fresh_client(), bodies(world)[name]
    with CaptureQueriesContext(connection) as context:
        response = client.post(URL, body, format="json")

    assert response.status_code == 201, response.content
    sql = statements(context)
    assert len(sql) == QUERIES[connection.vendor][name], "\n".join(sql)
    # One statement per table written, whatever the number of regions and entities touched.
    for table in (Purchase, PurchaseLine, Beneficiary, AuditEntry, Presence, MonthRollup, DayRollup):
        insert = f"INSERT INTO {table._meta.db_table} "
        assert sum(text.replace('"', "").count(insert) for text in sql) == 1, table
    assert sum(1 for text in sql if text.startswith('SELECT "ledger_presence"')) == 1
    # The rollups come last before the commit: only the savepoint's release follows them.
    assert sql[-3].startswith("INSERT INTO ledger_monthrollup")
    assert sql[-2].startswith("INSERT INTO ledger_dayrollup")
    if connection.vendor == "postgresql":
        locks = [text for text in sql if "pg_advisory_xact_lock" in text]
        assert len(locks) == 1 and locks[0].count("pg_advisory_xact_lock") == 3  # buyer, household, village


@pytest.mark.parametrize("name", ["P1", "P2"])
def test_the_answer_is_what_a_later_read_of_the_purchase_answers(world: World, name: str):
    client = fresh_client()

    posted = client.post(URL, bodies(world)[name], format="json").json()

    again = client.get(f"{URL}{posted['id']}/").json()
    assert posted == again
    assert (posted["total"], posted["seller"], posted["reversed_by"], posted["recorded_by_name"]) == (
        {"P1": "600.00", "P2": "1000.00"}[name],
        {"P1": "张德明", "P2": world.producers["coop"].name}[name],
        None,
        again["recorded_by_name"],
    )
    assert [(b["head_name"], b["amount"]) for b in posted["beneficiaries"]] == [
        ("张德明", {"P1": "600.00", "P2": "300.00"}[name])
    ]
