"""Reads of assisting units, cadres and pairings, always through the actor's scope."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q, QuerySet

from yigou.accounts.scope import get_visible, restrict
from yigou.regions.models import prefix_of

from .models import AssistingUnit, Cadre, CadreHouseholdPairing, UnitVillagePairing


def units(
    actor: Any, *, q: str = "", kind: str = "", region: str = "", budget: str = ""
) -> QuerySet[AssistingUnit]:
    qs = restrict(actor, AssistingUnit.objects.select_related("region")).annotate(
        cadre_count=Count("cadres", filter=Q(cadres__is_active=True), distinct=True),
        village_count=Count("village_pairings", filter=Q(village_pairings__end__isnull=True), distinct=True),
    )
    if q.strip():
        qs = qs.filter(Q(name__contains=q.strip()) | Q(name_initials__startswith=q.strip().lower()))
    if kind:
        qs = qs.filter(kind=kind)
    if region:
        qs = qs.filter(region__code__startswith=prefix_of(region))
    if budget in ("1", "0"):
        qs = qs.filter(is_budget_unit=budget == "1")
    return qs.order_by("region_id", "name_initials", "pk")


def unit(actor: Any, pk: int) -> AssistingUnit:
    return get_visible(actor, AssistingUnit.objects.select_related("region"), pk=pk)


def cadres(actor: Any, *, q: str = "", unit_id: int | None = None) -> QuerySet[Cadre]:
    qs = restrict(actor, Cadre.objects.select_related("unit")).annotate(
        household_count=Count(
            "household_pairings", filter=Q(household_pairings__end__isnull=True), distinct=True
        )
    )
    if q.strip():
        qs = qs.filter(Q(name__contains=q.strip()) | Q(name_initials__startswith=q.strip().lower()))
    if unit_id:
        qs = qs.filter(unit_id=unit_id)
    return qs.order_by("unit_id", "name_initials", "pk")


def cadre(actor: Any, pk: int) -> Cadre:
    return get_visible(actor, Cadre.objects.select_related("unit"), pk=pk)


def village_pairings(
    actor: Any, *, region: str = "", active: bool | None = None
) -> QuerySet[UnitVillagePairing]:
    qs = restrict(actor, UnitVillagePairing.objects.select_related("unit", "village", "village__parent"))
    if region:
        qs = qs.filter(village__code__startswith=prefix_of(region))
    if active is not None:
        qs = qs.filter(end__isnull=active)
    return qs.order_by("village_id", "start", "pk")


def household_pairings(
    actor: Any, *, region: str = "", active: bool | None = None
) -> QuerySet[CadreHouseholdPairing]:
    qs = restrict(actor, CadreHouseholdPairing.objects.select_related("cadre__unit", "household__village"))
    if region:
        qs = qs.filter(household__village_id__startswith=prefix_of(region))
    if active is not None:
        qs = qs.filter(end__isnull=active)
    return qs.order_by("household__village_id", "start", "pk")
