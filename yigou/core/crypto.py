"""Encryption at rest for personal data, and the keyed hash used to find it again.

Both keys derive from YIGOU_FIELD_KEY with distinct labels, so leaking the lookup hash
never helps decrypt, and rotating the key is one environment variable.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings


def _derive(label: bytes) -> bytes:
    return hmac.new(settings.YIGOU_FIELD_KEY.encode(), label, hashlib.sha256).digest()


@lru_cache(maxsize=4)
def _fernet(key_material: str) -> Fernet:
    return Fernet(base64.urlsafe_b64encode(_derive(b"yigou/pii/encrypt")))


def encrypt(plaintext: str) -> str:
    return _fernet(settings.YIGOU_FIELD_KEY).encrypt(plaintext.encode()).decode()


def decrypt(token: str) -> str:
    try:
        return _fernet(settings.YIGOU_FIELD_KEY).decrypt(token.encode()).decode()
    except InvalidToken as exc:
        raise ValueError("个人信息无法解密：密钥与加密时不一致") from exc


@lru_cache(maxsize=4)
def _hash_key(key_material: str) -> bytes:
    return _derive(b"yigou/pii/lookup")


def lookup_hash(value: str) -> str:
    """Deterministic keyed hash (HMAC-SHA256): equal values match, the value cannot be recovered."""
    normalised = value.strip().upper()
    return hmac.new(_hash_key(settings.YIGOU_FIELD_KEY), normalised.encode(), hashlib.sha256).hexdigest()
