"""The ledger partitioned by year on PostgreSQL keeps every guarantee the plain tables gave (see ledger/partitions.py)."""

import datetime as dt

import pytest
from django.db import IntegrityError, connection, transaction

from tests.ledger.test_ledger_rules import cadre_buys
from yigou.ledger.models import MonthRollup, Presence, Purchase, PurchaseKey, PurchaseLine
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
            "household_id, amount, status, registered, village_id, village_poor, county_code",
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
