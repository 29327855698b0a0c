"""Pinyin initials for searching Chinese names from a phone keyboard (张三丰 → zsf)."""

from pypinyin import Style, lazy_pinyin


def initials(text: str) -> str:
    letters = lazy_pinyin(text or "", style=Style.FIRST_LETTER, errors="ignore")
    return "".join(letters).lower()
