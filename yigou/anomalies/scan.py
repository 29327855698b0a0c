"""The fake-figure scan of one region and period: every rule, then the findings kept one row per fingerprint.

Storing is idempotent: a re-scan updates the rows it raises again, drops earlier findings of the same region and
period that are no longer raised (unless a case was opened for them) and never raises again a finding whose case
was dismissed — the region explained it, and saying it again would be noise.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from yigou.core.periods import Period
from yigou.regions.models import Region

from .enums import InvestigationStatus
from .models import Finding
from .rules import batches, deadline, digits, duplicates, forms, households, outliers
from .rules.base import Raised, Scope, fetch

RULES: list[Callable[[Scope], list[Raised]]] = [
    duplicates.find,
    batches.find,
    outliers.find_volume,
    outliers.find_price,
    digits.find_heaping,
    digits.find_benford,
    deadline.find,
    forms.find,
    households.find_after_exit,
    households.find_beyond_supply,
]


def run_rules(region: Region, period: Period) -> list[Raised]:
    scope = Scope(region, period)
    raised = [finding for rule in RULES for finding in rule(scope)]
    _name_households(raised)
    return sorted(raised, key=lambda r: (-r.score, r.rule, r.key))


def _name_households(raised: list[Raised]) -> None:
    """Every finding names the households that earned from its purchases (beneficiaries), by household number."""
    ids = sorted({pk for r in raised for pk, _ in r.purchases})
    numbers: dict[int, set[str]] = defaultdict(set)
    for start in range(0, len(ids), 900):
        chunk = ids[start : start + 900]
        marks = ", ".join(["%s"] * len(chunk))
        sql = (
            "SELECT b.purchase_id, h.number FROM ledger_beneficiary b "
            f"JOIN registry_household h ON h.id = b.household_id WHERE b.purchase_id IN ({marks})"
        )
        for pk, number in fetch(sql, chunk):
            numbers[pk].add(number)
    for r in raised:
        named = set(r.households) | {n for pk, _ in r.purchases for n in numbers[pk]}
        r.households = sorted(named)


@dataclass
class ScanResult:
    findings: list[Raised]
    suppressed: int
    created: int
    updated: int
    dropped: int


def dismissed_fingerprints(fingerprints: list[str]) -> set[str]:
    rows = Finding.objects.filter(
        fingerprint__in=fingerprints, case__status=InvestigationStatus.DISMISSED
    ).values_list("fingerprint", flat=True)
    return set(rows)


@transaction.atomic
def scan(region: Region, period: Period, today: dt.date | None = None) -> ScanResult:
    today = today or timezone.localdate()
    raised = run_rules(region, period)
    quiet = dismissed_fingerprints([r.fingerprint for r in raised])
    shown = [r for r in raised if r.fingerprint not in quiet]
    known = {f.fingerprint: f for f in Finding.objects.filter(fingerprint__in=[r.fingerprint for r in shown])}
    created, updated = [], []
    for r in shown:
        values = _values(r, region, period, today)
        row = known.get(r.fingerprint)
        if row is None:
            created.append(Finding(fingerprint=r.fingerprint, **values))
            continue
        for name, value in values.items():
            setattr(row, name, value)
        updated.append(row)
    Finding.objects.bulk_create(created, batch_size=500)
    Finding.objects.bulk_update(updated, [*_values_fields(), "updated_at"], batch_size=500)
    stale = Finding.objects.filter(
        scope_code=region.code, period_start=period.start, period_end=period.end, case__isnull=True
    ).exclude(fingerprint__in=[r.fingerprint for r in raised])
    dropped, _ = stale.delete()
    return ScanResult(shown, len(raised) - len(shown), len(created), len(updated), dropped)


def _values_fields() -> list[str]:
    return [
        "rule", "score", "region_id", "scope_code", "period_start", "period_end", "evidence", "purchases",
        "households", "reversible", "amount", "scanned_on",
    ]  # fmt: skip


def _values(r: Raised, region: Region, period: Period, today: dt.date) -> dict[str, object]:
    return {
        "rule": r.rule,
        "score": r.score,
        "region_id": r.region_code,
        "scope_code": region.code,
        "period_start": period.start,
        "period_end": period.end,
        "evidence": r.evidence,
        "purchases": [[pk, external] for pk, external in r.purchases],
        "households": r.households,
        "reversible": r.to_reverse,
        "amount": r.amount,
        "scanned_on": today,
        "updated_at": timezone.now(),
    }


def as_json(r: Raised) -> dict[str, object]:
    """The fixed interface of `yigou anomalies scan --format json`."""
    return {
        "rule": str(r.rule),
        "score": r.score,
        "region_code": r.region_code,
        "purchases": [{"id": pk, "external_id": external} for pk, external in r.purchases],
        "households": r.households,
        "evidence": r.evidence,
    }
