"""Reserved-ratio floors (reads; offices set them through `services.floor_set`): per region and year; the most specific ancestor region's floor applies.

Where no region up the tree has set a floor for the year, the national minimum of 10% applies.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from yigou.core.errors import DomainError

from .models import ShareFloor

NATIONAL_FLOOR = Decimal("10.00")
CENT = Decimal("0.01")
PREFIX_LENGTHS = (2, 4, 6, 9, 12)


@dataclass(frozen=True)
class Floor:
    ratio: Decimal
    region_code: str  # "" for the national minimum
    region_name: str

    @property
    def source(self) -> str:
        return f"{self.region_name}规定" if self.region_code else "全国最低标准"


def ancestor_codes(code: str) -> list[str]:
    """The region itself and every ancestor as 12-digit codes, most specific first."""
    chain = [code[:n].ljust(12, "0") for n in reversed(PREFIX_LENGTHS)]
    return list(dict.fromkeys(chain))


def floors_for(codes: set[str], year: int) -> dict[str, Floor]:
    """The applying floor for each region code, with one query for all of them."""
    candidates = {c: ancestor_codes(c) for c in codes}
    wanted = {a for chain in candidates.values() for a in chain}
    rows = {
        f.region_id: f
        for f in ShareFloor.objects.filter(year=year, region_id__in=wanted).select_related("region")
    }
    result: dict[str, Floor] = {}
    for code, chain in candidates.items():
        found = next((rows[a] for a in chain if a in rows), None)
        result[code] = (
            Floor(Decimal(found.ratio), found.region_id, found.region.name)
            if found
            else Floor(NATIONAL_FLOOR, "", "")
        )
    return result


def floor_for(code: str, year: int) -> Floor:
    return floors_for({code}, year)[code]


def parse_ratio(value: Any, what: str = "预留比例") -> Decimal:
    try:
        ratio = Decimal(str(value).strip().rstrip("%"))
    except (InvalidOperation, TypeError):
        raise DomainError("invalid_input", detail=f"{what}“{value}”不是有效数字") from None
    if not ratio.is_finite() or ratio < 0 or ratio > 100:
        raise DomainError("invalid_input", detail=f"{what}须在 0 到 100 之间（单位：%）")
    if ratio != ratio.quantize(CENT):
        raise DomainError("invalid_input", detail=f"{what}最多两位小数")
    return ratio.quantize(CENT)


def check_year(year: Any) -> int:
    if not isinstance(year, int) or not 2015 <= year <= 2100:
        raise DomainError("invalid_input", detail=f"年度“{year}”无效，须为 2015 年及以后的年份")
    return year
