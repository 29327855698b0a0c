"""Reads of the approval chain, always through the user's scope: submissions, their steps, completeness."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from yigou.accounts.scope import ensure_region_in_scope, get_visible, restrict, scope_for
from yigou.core.errors import PermissionDeniedError
from yigou.regions.checks import get_region
from yigou.regions.models import Region

from .chain import reporting_children
from .deadlines import deadline
from .enums import State
from .models import DEFAULT_FORM, Submission

SORTS = {
    "period": ("-year", "-month", "region_id"),
    "region": ("region_id", "-year", "-month"),
    "state": ("state", "-year", "-month", "region_id"),
    "submitted": ("-submitted_at", "region_id"),
}


def ensure_may_view(actor: Any) -> None:
    """Approval is by region: region-scoped users and administrators only."""
    if scope_for(actor).kind not in ("all", "region"):
        raise PermissionDeniedError()


def submissions(
    actor: Any,
    *,
    region: str = "",
    year: int | None = None,
    month: int | None = None,
    state: str = "",
    q: str = "",
    sort: str = "period",
) -> QuerySet[Submission]:
    ensure_may_view(actor)
    qs = restrict(actor, Submission.objects.select_related("region", "submitted_by", "decided_by"))
    if region:
        qs = qs.filter(region__code__startswith=get_region(region).prefix)
    if year:
        qs = qs.filter(year=year)
    if month:
        qs = qs.filter(month=month)
    if state:
        qs = qs.filter(state=state)
    if q:
        qs = qs.filter(Q(region__name__icontains=q) | Q(region__code__startswith=q))
    return qs.order_by(*SORTS.get(sort, SORTS["period"]))


def submission(actor: Any, pk: int) -> Submission:
    ensure_may_view(actor)
    return get_visible(actor, Submission.objects.select_related("region", "region__parent"), pk=pk)


@dataclass
class ChildStatus:
    region: Region
    submission: Submission | None
    deadline: dt.date

    @property
    def state(self) -> str:
        return self.submission.state if self.submission else State.DRAFT

    @property
    def state_label(self) -> str:
        return State(self.state).label

    @property
    def submitted(self) -> bool:
        return self.submission is not None and self.submission.first_submitted_at is not None

    @property
    def first_submitted_at(self) -> dt.datetime | None:
        return timezone.localtime(self.submission.first_submitted_at) if self.submitted else None  # type: ignore[union-attr,arg-type]

    @property
    def on_time(self) -> bool:
        first = self.first_submitted_at
        return first is not None and first.date() <= self.deadline

    @property
    def approved(self) -> bool:
        return self.state == State.APPROVED

    @property
    def decided_at(self) -> dt.datetime | None:
        sub = self.submission
        return timezone.localtime(sub.decided_at) if sub and sub.decided_at and self.approved else None

    @property
    def timeliness(self) -> str:
        if not self.submitted:
            return "未上报"
        return "按时" if self.on_time else "逾期"


@dataclass
class Completeness:
    region: Region
    year: int
    month: int
    form_code: str
    deadline: dt.date
    rows: list[ChildStatus]

    @property
    def label(self) -> str:
        return f"{self.year}年{self.month}月"

    @property
    def counts(self) -> dict[str, int]:
        return {
            "children": len(self.rows),
            "submitted": sum(r.submitted for r in self.rows),
            "on_time": sum(r.on_time for r in self.rows),
            "approved": sum(r.approved for r in self.rows),
        }


def completeness(
    actor: Any, region_code: str, year: int, month: int, form_code: str = DEFAULT_FORM
) -> Completeness:
    """For a parent region and month: each child that reports, whether and when it submitted, whether by the
    deadline, and whether it is approved."""
    ensure_may_view(actor)
    region = get_region(region_code)
    ensure_region_in_scope(actor, region.code)
    children = reporting_children(region, form_code)
    found = {
        s.region_id: s
        for s in Submission.objects.filter(region__in=children, year=year, month=month, form_code=form_code)
    }
    due = deadline(form_code, year, month)
    rows = [ChildStatus(child, found.get(child.code), due) for child in children]
    return Completeness(region, year, month, form_code, due, rows)
