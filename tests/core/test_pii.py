import pytest
from django.db import connection
from django.test import override_settings

from yigou.core import crypto
from yigou.core.masking import mask_id_number, mask_name, mask_phone
from yigou.registry.models import Member


def test_masks_keep_only_region_and_last_four():
    assert mask_id_number("510903196203150013") == "510903********0013"
    assert mask_phone("13800001111") == "138****1111"
    assert mask_name("张德明") == "张**"
    assert mask_id_number("") == ""


def test_encryption_round_trips_and_never_repeats_ciphertext():
    first, second = crypto.encrypt("510903196203150013"), crypto.encrypt("510903196203150013")
    assert first != second
    assert crypto.decrypt(first) == crypto.decrypt(second) == "510903196203150013"


def test_lookup_hash_is_keyed():
    plain = crypto.lookup_hash("510903196203150013")
    assert plain == crypto.lookup_hash(" 510903196203150013 ")
    with override_settings(YIGOU_FIELD_KEY="another-key-another-key-another-key"):
        assert crypto.lookup_hash("510903196203150013") != plain


def test_a_wrong_key_cannot_read_personal_data():
    token = crypto.encrypt("13800001111")
    with override_settings(YIGOU_FIELD_KEY="another-key-another-key-another-key"), pytest.raises(ValueError):
        crypto.decrypt(token)


def test_database_holds_ciphertext_not_the_id_number(world):
    member = Member.objects.get(name="张德明")
    with connection.cursor() as cursor:
        cursor.execute("SELECT id_number, id_tail FROM registry_member WHERE id = %s", [member.pk])
        stored, tail = cursor.fetchone()
    assert member.id_number not in stored
    assert stored.startswith("gAAAAA")  # Fernet token
    assert tail == member.id_number[-4:]
