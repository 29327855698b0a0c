"""The ledger partitioned by year on PostgreSQL keeps every guarantee the plain tables gave (see ledger/partitions.py)."""

import datetime as dt
import re

import pytest
from django.db import IntegrityError, connection, transaction

from tests.ledger.test_ledger_rules import cadre_buys
from yigou.ledger.models import Beneficiary, MonthRollup, Presence, Purchase, PurchaseKey, PurchaseLine
from yigou.ledger.services import purchase_record, purchase_reverse

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="partitions exist on PostgreSQL only"
)


def partition_of(table: str, pk: int) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT tableoid::regclass::text FROM {table} WHERE id = %s", [pk])
        return cursor.fetchone()[0]


def record(world, **overrides) -> Purchase:
    purchase, created = purchase_record(actor=world.users["admin"], data=cadre_buys(world, **overrides))
    assert created
    return purchase


def test_purchases_and_their_rollups_land_in_the_partition_of_their_year(world):
    purchase = record(world, date=dt.date(2018, 6, 1))
    later = record(world, date=dt.date(2025, 3, 9), external_id="P-2025")
    assert partition_of("ledger_purchase", purchase.pk) == "ledger_purchase_2018"
    assert partition_of("ledger_purchase", later.pk) == "ledger_purchase_2025"
    month = MonthRollup.objects.get(region_code=world.households["zhang"].village_id, year=2025, month=3)
    assert partition_of("ledger_monthrollup", month.pk) == "ledger_monthrollup_2025"
    presence = Presence.objects.filter(day=dt.date(2018, 6, 1)).first()
    assert presence is not None and partition_of("ledger_presence", presence.pk) == "ledger_presence_2018"
    assert set(PurchaseKey.objects.values_list("key", flat=True)) == {"x:P-2025"}


def test_the_external_id_stays_unique_across_years(world):
    record(world, date=dt.date(2018, 6, 1), external_id="P-1")
    same, created = purchase_record(
        actor=world.users["admin"], data=cadre_buys(world, date=dt.date(2024, 1, 5), external_id="P-1")
    )
    assert not created and same.date == dt.date(2018, 6, 1)
    with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO ledger_purchase (external_id, date, region_id, county_code, buyer_kind, buyer_key, channel,"
            " seller_kind, total, attribution, note, source, recorded_at, buyer_name)"
            " SELECT 'P-1', '2024-01-05', region_id, county_code, buyer_kind, buyer_key, channel, seller_kind,"
            " total, attribution, '', source, now(), '' FROM ledger_purchase LIMIT 1"
        )
    assert Purchase.objects.filter(external_id="P-1").count() == 1


def test_a_purchase_is_reversed_once_and_never_deleted(world):
    purchase = record(world, date=dt.date(2018, 6, 1))
    reversal = purchase_reverse(actor=world.users["admin"], purchase=purchase, reason="录错")
    assert PurchaseKey.objects.filter(key=f"r:{purchase.pk}").exists()
    with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO ledger_purchase (reverses_id, date, region_id, county_code, buyer_kind, buyer_key, channel,"
            " seller_kind, total, attribution, note, source, recorded_at, buyer_name)"
            " SELECT reverses_id, date, region_id, county_code, buyer_kind, buyer_key, channel, seller_kind,"
            " total, attribution, '', source, now(), '' FROM ledger_purchase WHERE id = %s",
            [reversal.pk],
        )
    with (
        pytest.raises(IntegrityError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("DELETE FROM ledger_purchase WHERE id = %s", [purchase.pk])
    assert Purchase.objects.filter(pk__in=[purchase.pk, reversal.pk]).count() == 2


def test_lines_and_beneficiaries_need_their_purchase(world):
    purchase = record(world, date=dt.date(2018, 6, 1))
    lines = PurchaseLine.objects.count()
    for table, columns in (
        (
            "ledger_purchaseline",
            "purchase_date, product, category, quantity, unit, unit_price, amount, source, certified",
        ),
        (
            "ledger_beneficiary",
            "purchase_date, household_id, amount, status, registered, village_id, village_poor, county_code",
        ),
    ):
        with (
            pytest.raises(IntegrityError, match="does not exist"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(
                f"INSERT INTO {table} (purchase_id, {columns}) SELECT %s, {columns} FROM {table} LIMIT 1",
                [purchase.pk + 1000],
            )
    assert PurchaseLine.objects.count() == lines


def test_a_year_query_reads_only_that_years_partitions(world):
    record(world, date=dt.date(2018, 6, 1))
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN SELECT sum(amount_total) FROM ledger_monthrollup WHERE year = 2018")
        plan = " ".join(row[0] for row in cursor.fetchall())
        cursor.execute(
            "EXPLAIN SELECT count(*) FROM ledger_purchase WHERE date BETWEEN '2019-03-01' AND '2019-04-30'"
        )
        purchases = " ".join(row[0] for row in cursor.fetchall())
    assert "ledger_monthrollup_2018" in plan and "ledger_monthrollup_2019" not in plan
    assert "ledger_purchase_2019" in purchases and "ledger_purchase_2018" not in purchases


CHILD_COLUMNS = {
    "ledger_purchaseline": "product, category, quantity, unit, unit_price, amount, source, certified",
    "ledger_beneficiary": "household_id, amount, status, registered, village_id, village_poor, county_code",
}


def test_lines_and_beneficiaries_live_in_their_purchases_year(world):
    purchase = record(world, date=dt.date(2025, 3, 9), external_id="P-2025")
    line, beneficiary = purchase.lines.get(), purchase.beneficiaries.get()
    assert (line.purchase_date, beneficiary.purchase_date) == (dt.date(2025, 3, 9), dt.date(2025, 3, 9))
    assert partition_of("ledger_purchaseline", line.pk) == "ledger_purchaseline_2025"
    assert partition_of("ledger_beneficiary", beneficiary.pk) == "ledger_beneficiary_2025"
    reversal = purchase_reverse(actor=world.users["admin"], purchase=purchase, reason="录错")
    assert partition_of("ledger_beneficiary", reversal.beneficiaries.get().pk) == "ledger_beneficiary_2025"


@pytest.mark.parametrize("table", CHILD_COLUMNS)
def test_a_row_dated_otherwise_than_its_purchase_is_refused(world, table):
    purchase = record(world, date=dt.date(2018, 6, 1))
    rows = PurchaseLine.objects.count() + Beneficiary.objects.count()
    columns = CHILD_COLUMNS[table]
    with (
        pytest.raises(IntegrityError, match="does not exist on its purchase_date"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(
            f"INSERT INTO {table} (purchase_id, purchase_date, {columns}) "
            f"SELECT purchase_id, '2018-06-02', {columns} FROM {table} WHERE purchase_id = %s",
            [purchase.pk],
        )
    assert PurchaseLine.objects.count() + Beneficiary.objects.count() == rows


@pytest.mark.parametrize(
    ("table", "change"),
    [
        ("ledger_purchase", "date = '2018-06-02'"),
        ("ledger_purchase", "date = '2019-06-01'"),
        ("ledger_purchaseline", "purchase_date = '2018-06-02'"),
        ("ledger_beneficiary", "purchase_id = purchase_id + 1"),
    ],
)
def test_the_keys_that_place_a_row_never_change(world, table, change):
    purchase = record(world, date=dt.date(2018, 6, 1))
    key = "id" if table == "ledger_purchase" else "purchase_id"
    with (
        pytest.raises(IntegrityError, match="append-only: UPDATE refused"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(f"UPDATE {table} SET {change} WHERE {key} = %s", [purchase.pk])
    purchase.refresh_from_db()
    assert purchase.date == purchase.lines.get().purchase_date == purchase.beneficiaries.get().purchase_date
    assert purchase.date == dt.date(2018, 6, 1)


def test_a_years_lines_and_earnings_read_only_that_years_partitions(world):
    record(world, date=dt.date(2018, 6, 1))
    plans = {}
    with connection.cursor() as cursor:
        for table in CHILD_COLUMNS:
            cursor.execute(
                f"EXPLAIN SELECT sum(amount) FROM {table} WHERE purchase_date BETWEEN '2019-01-01' AND '2019-12-31'"
            )
            plans[table] = " ".join(row[0] for row in cursor.fetchall())
    for table, plan in plans.items():
        assert f"{table}_2019" in plan and f"{table}_2018" not in plan and f"{table}_default" not in plan


def test_the_child_check_reads_purchases_through_their_primary_keys_only(world):
    """The trigger's plan is kept for the session: an index chosen for a partition while it was empty must still
    serve once the partition holds a year of purchases, and only the primary key (id, date) does."""
    from yigou.ledger.partitions import CHILD_MISMATCH, PROBE

    record(world, date=dt.date(2018, 6, 1))
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "CREATE TEMP TABLE new_rows ON COMMIT DROP AS SELECT purchase_id, purchase_date FROM ledger_purchaseline"
        )
        for setting in PROBE.removeprefix("SET ").split(" SET "):
            cursor.execute(f"SET LOCAL {setting}")
        cursor.execute(f"EXPLAIN (COSTS OFF) {CHILD_MISMATCH}")
        plan = "\n".join(row[0] for row in cursor.fetchall())
    indexes = re.findall(r"(?:using|Index Scan on) (\w+)", plan)
    assert len(indexes) == 19 and all(name.endswith("_pkey") for name in indexes), plan
