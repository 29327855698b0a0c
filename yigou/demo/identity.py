"""Fictional but well-formed identifiers: ID numbers and credit codes with valid check characters."""

from __future__ import annotations

import datetime as dt

from yigou.core.validators import USCC_CHARS, id_check_char, uscc_check_char


def fake_id_number(region6: str, born: dt.date, sequence: int, *, male: bool) -> str:
    """An 18-digit number for a person born in `region6` on `born`; sequence 0..499 keeps it unique per day."""
    order = (sequence % 500) * 2 + (1 if male else 0)
    first17 = f"{region6}{born:%Y%m%d}{order:03d}"
    return first17 + id_check_char(first17)


def fake_uscc(region6: str, serial: int, *, kind: str = "cooperative") -> str:
    """Registration authority 9 (市场监管) with type 3 for cooperatives (N) or 1 for companies."""
    authority_and_type = "93" if kind == "cooperative" else "91"
    body = ""
    n = serial
    for _ in range(9):
        body = USCC_CHARS[n % len(USCC_CHARS)] + body
        n //= len(USCC_CHARS)
    first17 = f"{authority_and_type}{region6}{body}"
    return first17 + uscc_check_char(first17)
