"""No ID number or phone number of the demo is stored in plain text anywhere in the database."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator

import pytest
from django.db import connection, transaction

from yigou.assist.models import AssistingUnit, Cadre
from yigou.registry.models import Household, Member, Producer

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo_output")]

# Lookaheads find overlapping candidates, so a number inside a longer digit run is still seen.
ID_CANDIDATE = re.compile(r"(?=(\d{17}[\dX]))")
PHONE_CANDIDATE = re.compile(r"(?=(1[3-9]\d{9}))")


def _text_values() -> Iterator[tuple[str, str, str]]:
    """(table, column, text) for every non-null value of every column of every table, read with raw SQL."""
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        for table in sorted(connection.introspection.table_names(cursor)):
            columns = [c.name for c in connection.introspection.get_table_description(cursor, table)]
            cursor.execute(f"SELECT {', '.join(quote(c) for c in columns)} FROM {quote(table)}")
            for row in cursor.fetchall():
                for column, value in zip(columns, row, strict=True):
                    if isinstance(value, dict | list):
                        value = json.dumps(value, ensure_ascii=False)  # JSON columns on PostgreSQL
                    if isinstance(value, str):
                        yield table, column, value


def _leaks(secrets: set[str], pattern: re.Pattern[str]) -> list[tuple[str, str, str]]:
    return [
        (table, column, found)
        for table, column, text in _text_values()
        for found in pattern.findall(text)
        if found in secrets
    ]


def _demo_id_numbers() -> set[str]:
    return {m.id_number for m in Member.objects.all()}


def _demo_phones() -> set[str]:
    phones = {h.phone for h in Household.objects.all()} | {c.phone for c in Cadre.objects.all()}
    phones |= {p.contact_phone for p in Producer.objects.all()} | {
        u.contact_phone for u in AssistingUnit.objects.all()
    }
    return phones - {""}


def test_no_id_number_is_stored_in_plain_text():
    numbers = _demo_id_numbers()
    assert len(numbers) == 585
    assert _leaks(numbers, ID_CANDIDATE) == []


def test_no_phone_number_is_stored_in_plain_text():
    phones = _demo_phones()
    assert len(phones) == 429
    assert _leaks(phones, PHONE_CANDIDATE) == []


def test_the_scan_finds_a_number_written_in_plain_text():
    """The scan itself can fail: a number planted in a text column is reported with its table and column."""
    member = Member.objects.order_by("id").first()
    household = member.household
    with transaction.atomic():
        Household.objects.filter(pk=household.pk).update(
            address=f"身份证{member.id_number}电话{household.phone}"
        )
        assert _leaks({member.id_number}, ID_CANDIDATE) == [
            ("registry_household", "address", member.id_number)
        ]
        assert _leaks({household.phone}, PHONE_CANDIDATE) == [
            ("registry_household", "address", household.phone)
        ]
        transaction.set_rollback(True)
