"""Reads of the registry. Every function takes the actor and returns only what the actor's scope allows."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet

from yigou.accounts.scope import get_visible, restrict
from yigou.regions.models import prefix_of

from .enums import HouseholdStatus
from .models import EvidenceFile, Household, IdentificationStep, Linkage, Member, Producer, StatusEvent

HOUSEHOLD_SORTS = {
    "number": "number",
    "-number": "-number",
    "name": "head_initials",
    "-name": "-head_initials",
    "village": "village_id",
    "-village": "-village_id",
    "size": "size",
    "-size": "-size",
    "status": "status",
    "-status": "-status",
    "updated": "updated_at",
    "-updated": "-updated_at",
}


@dataclass
class HouseholdFilter:
    q: str = ""  # name, pinyin initials, last digits of an ID number, or household number
    region: str = ""  # any region code: its subtree
    status: str = ""
    monitor_type: str = ""
    sort: str = "number"


def _search(qs: QuerySet[Household], text: str) -> QuerySet[Household]:
    text = text.strip()
    if not text:
        return qs
    if text.isdigit() or (text[:-1].isdigit() and text[-1:].upper() == "X"):
        if len(text) <= 6:
            tail = Member.objects.filter(id_tail__endswith=text.upper()).values("household_id")
            return qs.filter(Q(pk__in=tail) | Q(number__endswith=text))
        return qs.filter(number__startswith=text)
    if text.isascii():
        by_initials = Member.objects.filter(name_initials__startswith=text.lower()).values("household_id")
        return qs.filter(Q(head_initials__startswith=text.lower()) | Q(pk__in=by_initials))
    by_name = Member.objects.filter(name__contains=text).values("household_id")
    return qs.filter(Q(head_name__contains=text) | Q(pk__in=by_name))


def households(actor: Any, flt: HouseholdFilter | None = None) -> QuerySet[Household]:
    flt = flt or HouseholdFilter()
    qs = restrict(actor, Household.objects.select_related("village", "village__parent"))
    if flt.region:
        qs = qs.filter(village__code__startswith=prefix_of(flt.region))
    if flt.status in HouseholdStatus.values:
        qs = qs.filter(status=flt.status)
    if flt.monitor_type:
        qs = qs.filter(monitor_type=flt.monitor_type)
    qs = _search(qs, flt.q)
    return qs.order_by(HOUSEHOLD_SORTS.get(flt.sort, "number"), "pk")


def household(actor: Any, pk: int) -> Household:
    qs = Household.objects.select_related(
        "village", "village__parent", "village__parent__parent"
    ).prefetch_related(
        "members",
        Prefetch("evidence", queryset=EvidenceFile.objects.order_by("uploaded_at")),
        Prefetch("linkages", queryset=Linkage.objects.select_related("producer")),
        "cadre_pairings__cadre__unit",
    )
    return get_visible(actor, qs, pk=pk)


@dataclass
class TimelineItem:
    date: dt.date
    kind: str  # "step" | "event"
    label: str
    note: str
    files: list[EvidenceFile]
    recorded_by: str
    row: StatusEvent | IdentificationStep


def timeline(hh: Household) -> list[TimelineItem]:
    """Identification steps and status events in date order: the household's history as one list."""
    items: list[TimelineItem] = []
    for step in hh.identification_steps.select_related("recorded_by").prefetch_related("files"):
        items.append(
            TimelineItem(
                step.date,
                "step",
                step.get_step_display(),
                step.note,
                list(step.files.all()),
                str(step.recorded_by or "系统"),
                step,
            )
        )
    for event in hh.events.select_related("recorded_by").prefetch_related("files"):
        label = event.get_kind_display()
        if event.monitor_type:
            label += f"（{event.get_monitor_type_display()}）"
        items.append(
            TimelineItem(
                event.date,
                "event",
                label,
                event.reason,
                list(event.files.all()),
                str(event.recorded_by or "系统"),
                event,
            )
        )
    return sorted(items, key=lambda i: (i.date, i.row.recorded_at, i.row.pk))


def household_counts(actor: Any) -> dict[str, int]:
    rows = restrict(actor, Household.objects.all()).values("status").annotate(n=Count("pk"))
    counts = {s.value: 0 for s in HouseholdStatus}
    counts.update({r["status"]: r["n"] for r in rows})
    counts["total"] = sum(counts[s.value] for s in HouseholdStatus)
    counts["monitored"] = restrict(actor, Household.objects.exclude(monitor_type="")).count()
    return counts


PRODUCER_SORTS = {
    "name": "name_initials",
    "-name": "-name_initials",
    "region": "region_id",
    "kind": "kind",
    "-region": "-region_id",
    "updated": "-updated_at",
}


def producers(
    actor: Any, *, q: str = "", kind: str = "", region: str = "", sort: str = "name"
) -> QuerySet[Producer]:
    qs = restrict(actor, Producer.objects.select_related("region")).annotate(
        linked_households=Count("linkages__household", filter=Q(linkages__end__isnull=True), distinct=True)
    )
    if q.strip():
        text = q.strip()
        qs = qs.filter(
            Q(name__contains=text) | Q(name_initials__startswith=text.lower()) | Q(uscc=text.upper())
        )
    if kind:
        qs = qs.filter(kind=kind)
    if region:
        qs = qs.filter(region__code__startswith=prefix_of(region))
    return qs.order_by(PRODUCER_SORTS.get(sort, "name_initials"), "pk")


def producer(actor: Any, pk: int) -> Producer:
    qs = Producer.objects.select_related("region", "household").prefetch_related(
        "members__household",
        Prefetch("linkages", queryset=Linkage.objects.select_related("household__village")),
    )
    return get_visible(actor, qs, pk=pk)
