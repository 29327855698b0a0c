"""Checks for the national identifiers the registry relies on. Each returns the normalised value or raises."""

from __future__ import annotations

import datetime as dt
import re

from .errors import DomainError

ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
ID_CHECK_CHARS = "10X98765432"
ID_PROVINCES = {
    "11",
    "12",
    "13",
    "14",
    "15",
    "21",
    "22",
    "23",
    "31",
    "32",
    "33",
    "34",
    "35",
    "36",
    "37",
    "41",
    "42",
    "43",
    "44",
    "45",
    "46",
    "50",
    "51",
    "52",
    "53",
    "54",
    "61",
    "62",
    "63",
    "64",
    "65",
    "71",
    "81",
    "82",
    "83",
    "91",
}

USCC_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)

MOBILE_RE = re.compile(r"^1[3-9]\d{9}$")
LANDLINE_RE = re.compile(r"^0\d{2,3}-?\d{7,8}$")


def id_check_char(first17: str) -> str:
    total = sum(int(d) * w for d, w in zip(first17, ID_WEIGHTS, strict=True))
    return ID_CHECK_CHARS[total % 11]


def birth_date_from_id(number: str) -> dt.date:
    return dt.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))


def sex_from_id(number: str) -> str:
    return "male" if int(number[16]) % 2 else "female"


def validate_id_number(raw: str, *, today: dt.date | None = None) -> str:
    """GB 11643-1999 citizen identity number: 18 characters, valid birth date, correct check character."""
    number = (raw or "").strip().upper().replace(" ", "")
    if len(number) != 18:
        raise DomainError("id_number_invalid", detail=f"应为18位，实际为{len(number)}位")
    if not number[:17].isdigit() or not (number[17].isdigit() or number[17] == "X"):
        raise DomainError("id_number_invalid", detail="前17位须为数字，末位为数字或X")
    if number[:2] not in ID_PROVINCES:
        raise DomainError("id_number_invalid", detail=f"省份代码{number[:2]}不存在")
    try:
        born = birth_date_from_id(number)
    except ValueError:
        raise DomainError("id_number_invalid", detail=f"出生日期{number[6:14]}不是有效日期") from None
    today = today or dt.date.today()
    if born > today or born.year < 1890:
        raise DomainError("id_number_invalid", detail=f"出生日期{born.isoformat()}不合理")
    expected = id_check_char(number[:17])
    if number[17] != expected:
        raise DomainError("id_number_invalid", detail="校验位不正确")
    return number


def uscc_check_char(first17: str) -> str:
    total = sum(USCC_CHARS.index(c) * w for c, w in zip(first17, USCC_WEIGHTS, strict=True))
    return USCC_CHARS[(31 - total % 31) % 31]


def validate_uscc(raw: str) -> str:
    """GB 32100-2015 unified social credit code: 18 characters from the code set, correct check character."""
    code = (raw or "").strip().upper().replace(" ", "")
    if len(code) != 18:
        raise DomainError("uscc_invalid", detail=f"应为18位，实际为{len(code)}位")
    bad = sorted({c for c in code if c not in USCC_CHARS})
    if bad:
        raise DomainError("uscc_invalid", detail=f"含有不允许的字符{''.join(bad)}")
    if not code[2:8].isdigit():
        raise DomainError("uscc_invalid", detail="第3至8位应为登记管理机关行政区划码")
    if code[17] != uscc_check_char(code[:17]):
        raise DomainError("uscc_invalid", detail="校验位不正确")
    return code


def validate_phone(raw: str) -> str:
    phone = (raw or "").strip().replace(" ", "")
    if MOBILE_RE.match(phone) or LANDLINE_RE.match(phone):
        return phone
    raise DomainError("phone_invalid", value=raw)
