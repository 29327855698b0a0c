"""Household list and detail pages (reads only)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from yigou.accounts.scope import can
from yigou.core.masking import mask_id_number, mask_text
from yigou.registry import selectors
from yigou.registry.enums import STEP_ORDER, HouseholdStatus, IdentificationStepKind, MonitorType
from yigou.registry.models import Household, Member
from yigou.registry.status import REGISTERED

from ..forms.households import EventForm, HouseholdEditForm, MemberAddForm, MemberRemoveForm, StepForm
from .common import domain_errors, paginate, region_options


def _filter_from(request: HttpRequest) -> selectors.HouseholdFilter:
    get = request.GET
    sort = get.get("sort", "number")
    return selectors.HouseholdFilter(
        q=get.get("q", "").strip()[:40],
        region=get.get("region", "").strip()[:12],
        status=get.get("status", ""),
        monitor_type=get.get("monitor_type", ""),
        sort=sort if sort in selectors.HOUSEHOLD_SORTS else "number",
    )


@login_required
def household_list(request: HttpRequest) -> HttpResponse:
    flt = _filter_from(request)
    page = paginate(request, selectors.households(request.user, flt))
    context = {
        "page": page,
        "flt": flt,
        "region_options": region_options(request.user),
        "status_options": HouseholdStatus.choices,
        "monitor_options": [c for c in MonitorType.choices if c[0]],
        "can_create": can(request.user, "registry.change"),
    }
    return render(request, "www/households/list.html", context)


@dataclass
class MemberRow:
    member: Member
    masked_id: str
    age: int
    masked_health: str


def _age(born: dt.date, today: dt.date) -> int:
    return today.year - born.year - ((today.month, today.day) < (born.month, born.day))


def member_rows(hh: Household) -> list[MemberRow]:
    today = dt.date.today()
    return [
        MemberRow(m, mask_id_number(m.id_number), _age(m.birth_date, today), mask_text(m.health))
        for m in hh.members.all()
    ]


def _next_step(items: list[selectors.TimelineItem]) -> str:
    done = sum(1 for i in items if i.kind == "step")
    return STEP_ORDER[done % len(STEP_ORDER)]


def detail_context(request: HttpRequest, hh: Household, **forms: Any) -> dict[str, Any]:
    user = request.user
    items = selectors.timeline(hh)
    next_step = _next_step(items)
    return {
        "hh": hh,
        "members": member_rows(hh),
        "timeline": items,
        "linkages": list(hh.linkages.all()),
        "pairings": list(hh.cadre_pairings.all()),
        "can_change": can(user, "registry.change"),
        "can_reveal": can(user, "pii.reveal"),
        "can_view_income": can(user, "income.view"),  # the 收入台账 and 监测帮扶 tabs
        "event_form": forms.get("event_form") or EventForm(),
        "step_form": forms.get("step_form") or StepForm(initial={"step": next_step}),
        "edit_form": forms.get("edit_form") or HouseholdEditForm(initial={"address": hh.address}),
        "member_form": forms.get("member_form") or MemberAddForm(),
        "remove_form": forms.get("remove_form") or MemberRemoveForm(household=hh),
        # Households already on the register cannot go through identification again (the service refuses).
        "show_step_form": hh.status not in REGISTERED,
        "next_step_label": IdentificationStepKind(next_step).label,
    }


@login_required
@domain_errors
def household_detail(request: HttpRequest, pk: int) -> HttpResponse:
    hh = selectors.household(request.user, pk)
    return render(request, "www/households/detail.html", detail_context(request, hh))
