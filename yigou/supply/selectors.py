"""Reads of the supply book and its warnings for the pages and the API: scoped, filtered, in one order."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Case as Choose
from django.db.models import IntegerField, Q, QuerySet, Value, When
from django.utils import timezone

from yigou.accounts.scope import get_visible, named_row, restrict
from yigou.regions.models import prefix_of
from yigou.registry.models import Household

from .enums import SEVERITY, CaseStatus, Level
from .models import Case, CaseEvent, SupplyEntry, Warning


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
        rows = rows.filter(warning__level=level, warning__cleared_on__isnull=True)
    return rows.order_by("available_to", "id")


def supply_entry(actor: Any, pk: int) -> SupplyEntry:
    return get_visible(actor, SupplyEntry.objects.select_related("village", "household", "producer"), pk=pk)


def warnings(actor: Any, *, region: str = "", level: str = "") -> QuerySet[Warning]:
    """Open warnings in the user's scope, the most severe first, then the fewest days left."""
    rows = restrict(
        actor, Warning.objects.filter(cleared_on__isnull=True).select_related("supply", "village")
    )
    if region:
        rows = rows.filter(village__code__startswith=prefix_of(region))
    if level in Level.values:
        rows = rows.filter(level=level)
    return rows.annotate(severity=severity()).order_by("-severity", "days_left", "id")


def severity() -> Choose:
    """The level as a number (严重 3 … 关注 1), to sort the most severe first."""
    return Choose(*(When(level=lv, then=Value(n)) for lv, n in SEVERITY.items()), output_field=IntegerField())


def named_household(actor: Any, pk: Any) -> Household | None:
    return named_row(actor, Household.objects.all(), pk, field="household", label="农户")


CASE_SORTS = {
    "deadline": ("deadline", "id"),
    "opened": ("-opened_at", "-id"),
    "level": ("-severity", "deadline", "id"),
}


def cases(
    actor: Any,
    *,
    region: str = "",
    status: str = "",
    level: str = "",
    q: str = "",
    overdue: bool = False,
    sort: str = "deadline",
    now: dt.datetime | None = None,
) -> QuerySet[Case]:
    """Quick-response cases in the user's scope; open ones by nearest deadline unless sorted otherwise."""
    rows = restrict(actor, Case.objects.select_related("village", "office", "handler", "presale_list"))
    if region:
        rows = rows.filter(village__code__startswith=prefix_of(region))
    if status in CaseStatus.values:
        rows = rows.filter(status=status)
    if level in Level.values:
        rows = rows.filter(level=level)
    if q.strip():
        text = q.strip()
        rows = rows.filter(Q(product__contains=text) | Q(number__contains=text) | Q(village__name=text))
    if overdue:
        rows = rows.filter(status=CaseStatus.OPEN, deadline__lt=now or timezone.now())
    return rows.annotate(severity=severity()).order_by(*CASE_SORTS.get(sort, CASE_SORTS["deadline"]))


def case(actor: Any, pk: int) -> Case:
    return get_visible(
        actor,
        Case.objects.select_related(
            "village", "office", "handler", "presale_list", "warning", "seller_household", "seller_producer"
        ),
        pk=pk,
    )


def case_events(case: Case) -> QuerySet[CaseEvent]:
    return case.events.select_related("actor", "office").order_by("at", "id")
