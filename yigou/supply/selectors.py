"""Reads of the supply book and its warnings for the pages and the API: scoped, filtered, in one order."""

from __future__ import annotations

from typing import Any

from django.db.models import Case, IntegerField, Q, QuerySet, Value, When

from yigou.accounts.scope import get_visible, named_row, restrict
from yigou.regions.models import prefix_of
from yigou.registry.models import Household

from .enums import SEVERITY, Level
from .models import SupplyEntry, Warning


def supply_entries(
    actor: Any, *, region: str = "", season: int | None = None, q: str = "", level: str = ""
) -> QuerySet[SupplyEntry]:
    """Entries in the user's scope, the soonest to end first; `level` keeps those warned at that level."""
    rows = restrict(actor, SupplyEntry.objects.select_related("village", "household", "producer", "warning"))
    if region:
        rows = rows.filter(village__code__startswith=prefix_of(region))
    if season:
        rows = rows.filter(season=season)
    if q.strip():
        text = q.strip()
        rows = rows.filter(
            Q(name__contains=text) | Q(household__head_name__contains=text) | Q(village__name=text)
        )
    if level in Level.values:
        rows = rows.filter(warning__level=level)
    return rows.order_by("available_to", "id")


def supply_entry(actor: Any, pk: int) -> SupplyEntry:
    return get_visible(actor, SupplyEntry.objects.select_related("village", "household", "producer"), pk=pk)


def warnings(actor: Any, *, region: str = "", level: str = "") -> QuerySet[Warning]:
    """Open warnings in the user's scope, the most severe first, then the fewest days left."""
    rows = restrict(actor, Warning.objects.select_related("supply", "village"))
    if region:
        rows = rows.filter(village__code__startswith=prefix_of(region))
    if level in Level.values:
        rows = rows.filter(level=level)
    severity = Case(
        *(When(level=lv, then=Value(n)) for lv, n in SEVERITY.items()), output_field=IntegerField()
    )
    return rows.annotate(severity=severity).order_by("-severity", "days_left", "id")


def named_household(actor: Any, pk: Any) -> Household | None:
    return named_row(actor, Household.objects.all(), pk, field="household", label="农户")
