"""How personal data looks where it must not be read in full: lists, exports, public notices."""

from __future__ import annotations


def mask_id_number(value: str | None) -> str:
    """510903199001011234 → 510903********1234: region and last four stay, birth date goes."""
    if not value:
        return ""
    if len(value) <= 10:
        return "*" * len(value)
    return value[:6] + "*" * (len(value) - 10) + value[-4:]


def mask_phone(value: str | None) -> str:
    if not value:
        return ""
    if len(value) < 7:
        return "*" * len(value)
    return value[:3] + "*" * (len(value) - 7) + value[-4:]


def mask_name(value: str | None) -> str:
    """张三丰 → 张**: the form used on public notices when a name must not show in full."""
    if not value:
        return ""
    return value[0] + "*" * (len(value) - 1)


def mask_text(value: str | None) -> str:
    return "******" if value else ""
