"""What every rule shares: the scope of a scan, what a rule raises, the thresholds and the live ledger in SQL.

The live ledger of a scan is the purchases of the region's subtree dated in the period that are neither a reversal
nor reversed: a confirmed case reverses what it found, so those purchases leave every later scan by themselves.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import connection

from yigou.core.periods import Period
from yigou.regions.models import Region, prefix_of

CENT = Decimal("0.01")
MILLI = Decimal("0.001")  # quantities: 3 decimal places


@dataclass(frozen=True)
class Scope:
    region: Region
    period: Period

    @property
    def prefix(self) -> str:
        return prefix_of(self.region.code)

    @property
    def params(self) -> dict[str, Any]:
        return {"prefix": f"{self.prefix}%", "start": self.period.start, "end": self.period.end}

    @property
    def child_length(self) -> int:
        """Length of the code prefix of the children compared by the region-level rules (a village: itself)."""
        return {2: 4, 4: 6, 6: 9, 9: 12}.get(len(self.prefix), 12)


@dataclass
class Raised:
    """One finding as a rule raises it. `key` is what it names, stable across scans (with the rule, the
    fingerprint); `reverse` the purchases a confirmed case reverses (a duplicate keeps its first entry)."""

    rule: str
    score: int
    region_code: str
    evidence: str
    key: str
    purchases: list[tuple[int, str | None]] = field(default_factory=list)
    reverse: list[int] | None = None
    amount: Decimal = Decimal("0.00")
    households: list[str] = field(default_factory=list)

    @property
    def fingerprint(self) -> str:
        return hashlib.sha256(f"{self.rule}|{self.key}".encode()).hexdigest()[:40]

    @property
    def to_reverse(self) -> list[int]:
        return [pk for pk, _ in self.purchases] if self.reverse is None else self.reverse


def threshold(rule: str, name: str) -> Any:
    return settings.YIGOU_ANOMALY_RULES[rule][name]


def clamp_score(value: float) -> int:
    return max(1, min(100, round(value)))


def yuan(amount: Decimal | float | int) -> str:
    """An amount as the evidence text writes it: 1,234.50 元 → “1234.50元”, whole yuan without decimals."""
    value = Decimal(str(amount)).quantize(CENT)
    return f"{value.normalize():f}元" if value == value.to_integral() else f"{value}元"


def plain(number: Decimal | float) -> str:
    value = Decimal(str(number))
    text = f"{value.quantize(Decimal('0.001')).normalize():f}"
    return text


LIVE = """
    SELECT p.id, p.external_id, p.date, p.region_id, p.county_code, p.buyer_key, p.buyer_name, p.buyer_kind,
           p.seller_kind, p.seller_household_id, p.seller_producer_id, p.total, p.recorded_at
    FROM ledger_purchase p
    WHERE p.region_id LIKE %(prefix)s AND p.date BETWEEN %(start)s AND %(end)s AND p.reverses_id IS NULL
      AND NOT EXISTS (SELECT 1 FROM ledger_purchase r WHERE r.reverses_id = p.id)
"""


def live_cte() -> str:
    return f"WITH live AS ({LIVE})"


def fetch(sql: str, params: dict[str, Any] | Sequence[Any]) -> list[tuple[Any, ...]]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def whole_yuan(column: str) -> str:
    """SQL for the whole-yuan part of a positive money column, as an integer, on either database."""
    if connection.vendor == "postgresql":
        return f"CAST(TRUNC({column}) AS BIGINT)"
    return f"CAST({column} AS INTEGER)"


def decimal(value: Any, places: Decimal = CENT) -> Decimal:
    """A number read by raw SQL: SQLite hands back a float or an int, PostgreSQL a Decimal."""
    return (value if isinstance(value, Decimal) else Decimal(str(value))).quantize(places)


def seller_label(household_number: str | None, producer_name: str | None) -> str:
    if household_number:
        return f"农户 {household_number}"
    return producer_name or "（销售方）"
