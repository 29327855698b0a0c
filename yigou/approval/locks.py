"""Is a region's month locked by an approval? One indexed query, asked before every ledger or form value write.

A lock on a region covers its whole subtree: approving 船山区 for April freezes every village of 船山区 in April.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Q

from yigou.core.errors import DomainError
from yigou.regions.enums import PREFIX_LENGTH
from yigou.regions.models import Region, prefix_of

from .models import Lock


def ancestor_codes(region_code: str) -> list[str]:
    """The code itself and the codes of every region above it, derived from the code alone (no query)."""
    prefix = prefix_of(region_code)
    return [prefix[:n].ljust(12, "0") for n in sorted(set(PREFIX_LENGTH.values())) if n <= len(prefix)]


def locked_by(region_code: str, year: int, month: int) -> str | None:
    """The code of the highest locked region (the region or an ancestor) covering this month, or None: the
    one whose approver must unlock first, since unlocking goes from the top down."""
    return (
        Lock.objects.filter(year=year, month=month, region_code__in=ancestor_codes(region_code))
        .order_by("region_code")
        .values_list("region_code", flat=True)
        .first()
    )


def _refuse(code: str, year: int, month: int) -> DomainError:
    region = Region.objects.filter(code=code).only("name").first()
    return DomainError("period_locked", region=region.name if region else code, period=f"{year}年{month}月")


def ensure_month_unlocked(region_code: str, year: int, month: int) -> None:
    """Refuse a write into a locked region-month, naming the locked region and the month."""
    code = locked_by(region_code, year, month)
    if code is not None:
        raise _refuse(code, year, month)


def ensure_unlocked(region_code: str, date: dt.date) -> None:
    """For the ledger: a purchase dated in a locked month of the seller's region cannot be recorded or reversed."""
    ensure_month_unlocked(region_code, date.year, date.month)


class LockBook:
    """The same check for many rows (the bulk import): one query per county and month, answered from memory."""

    def __init__(self) -> None:
        self._codes: dict[tuple[str, int, int], set[str]] = {}

    def _locked_codes(self, region_code: str, year: int, month: int) -> set[str]:
        county = region_code[:6]
        key = (county, year, month)
        if key not in self._codes:
            near = Q(region_code__in=ancestor_codes(county.ljust(12, "0"))) | Q(
                region_code__startswith=county
            )
            rows = Lock.objects.filter(near, year=year, month=month).values_list("region_code", flat=True)
            self._codes[key] = set(rows)
        return self._codes[key]

    def check(self, region_code: str, day: dt.date) -> None:
        codes = self._locked_codes(region_code, day.year, day.month)
        for code in ancestor_codes(region_code):
            if code in codes:
                raise _refuse(code, day.year, day.month)


# The bulk import's PostgreSQL path: is any resolved row (village, day) inside a locked region-month?
STAGED_LOCKED = """
SELECT EXISTS (
    SELECT 1 FROM imp_row r JOIN approval_lock l
      ON l.year = extract(year FROM r.day) AND l.month = extract(month FROM r.day)
     AND l.region_code IN (rpad(left(r.village_id, 2), 12, '0'), rpad(left(r.village_id, 4), 12, '0'),
                           rpad(left(r.village_id, 6), 12, '0'), rpad(left(r.village_id, 9), 12, '0'), r.village_id)
    WHERE r.day IS NOT NULL AND r.village_id IS NOT NULL AND NOT r.skipped
)
"""


def staged_rows_locked(cursor: Any) -> bool:
    """True when the staged import touches a locked month; the caller then takes the Python path, which names
    every such row in the report."""
    if not Lock.objects.exists():
        return False
    cursor.execute(STAGED_LOCKED)
    return bool(cursor.fetchone()[0])
