"""Outlets (with opening and closing) and 以购助扶 activities: lists and create forms over the market services."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from yigou.accounts.scope import can, get_visible, named_row, restrict
from yigou.assist import selectors as assist_selectors
from yigou.assist.models import AssistingUnit
from yigou.core.errors import DomainError
from yigou.market import services
from yigou.market.enums import ActivityKind, OutletKind
from yigou.market.models import Activity, Outlet
from yigou.regions.models import Region, prefix_of

from ...forms.ledger import ActivityForm, OutletCloseForm, OutletForm
from ..common import domain_errors, paginate, region_options


def _refuse_unless_may_change(request: HttpRequest) -> None:
    if not can(request.user, "market.change"):
        raise PermissionDenied("无权维护网点和活动。")


def _region(code: str) -> Region:
    region = Region.objects.filter(code=code).first()
    if region is None:
        raise DomainError("region_invalid", detail=f"区划代码“{code}”不存在")
    return region


def _listing(request: HttpRequest, qs: Any) -> tuple[Any, dict[str, str]]:
    get = request.GET
    flt = {
        "q": get.get("q", "").strip()[:60],
        "region": get.get("region", "")[:12],
        "kind": get.get("kind", ""),
    }
    if flt["region"]:
        qs = qs.filter(region__code__startswith=prefix_of(flt["region"]))
    if flt["kind"]:
        qs = qs.filter(kind=flt["kind"])
    return qs, flt


@login_required
def outlet_list(request: HttpRequest) -> HttpResponse:
    qs, flt = _listing(
        request, restrict(request.user, Outlet.objects.select_related("region", "region__parent"))
    )
    if flt["q"]:
        qs = qs.filter(name__contains=flt["q"])
    context = {
        "page": paginate(request, qs.order_by("region_id", "kind", "name", "pk")),
        "flt": flt,
        "kind_options": OutletKind.choices,
        "region_options": region_options(request.user),
        "can_change": can(request.user, "market.change"),
        "close_form": OutletCloseForm(),
    }
    return render(request, "www/ledger/outlet_list.html", context)


@login_required
@domain_errors
def outlet_create(request: HttpRequest) -> HttpResponse:
    _refuse_unless_may_change(request)
    form = OutletForm(request.POST or None, regions=region_options(request.user, include_home=True))
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            outlet = services.outlet_open(
                actor=request.user,
                region=_region(d["region"]),
                name=d["name"],
                kind=d["kind"],
                opened_on=d["opened_on"],
                fees_waived=d["fees_waived"] or Decimal("0"),
                note=d["note"],
            )
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, f"已登记网点“{outlet.name}”。")
            return redirect("www:outlets")
    context = {"form": form, "title": "登记销售网点", "back": "www:outlets"}
    return render(request, "www/form_page.html", context, status=400 if request.method == "POST" else 200)


@require_POST
@login_required
@domain_errors
def outlet_close(request: HttpRequest, pk: int) -> HttpResponse:
    _refuse_unless_may_change(request)
    outlet = get_visible(request.user, Outlet.objects.all(), pk=pk)
    form = OutletCloseForm(request.POST)
    if form.is_valid():
        try:
            services.outlet_close(actor=request.user, outlet=outlet, closed_on=form.cleaned_data["closed_on"])
        except DomainError as exc:
            messages.error(request, f"“{outlet.name}”未关闭：{exc.message}")
        else:
            messages.success(request, f"已关闭网点“{outlet.name}”（{outlet.closed_on:%Y-%m-%d}）。")
    else:
        messages.error(request, f"“{outlet.name}”未关闭：请填写关闭日期。")
    return redirect("www:outlets")


@login_required
def activity_list(request: HttpRequest) -> HttpResponse:
    base = restrict(request.user, Activity.objects.select_related("region", "region__parent", "organiser"))
    qs, flt = _listing(request, base)
    if flt["q"]:
        qs = qs.filter(title__contains=flt["q"])
    context = {
        "page": paginate(request, qs.order_by("-date", "-pk")),
        "flt": flt,
        "kind_options": ActivityKind.choices,
        "region_options": region_options(request.user),
        "can_change": can(request.user, "market.change"),
    }
    return render(request, "www/ledger/activity_list.html", context)


@login_required
@domain_errors
def activity_create(request: HttpRequest) -> HttpResponse:
    _refuse_unless_may_change(request)
    units = list(assist_selectors.units(request.user).values_list("pk", "name"))
    regions = region_options(request.user, include_home=True)
    form = ActivityForm(request.POST or None, regions=regions, units=units)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            organiser = named_row(
                request.user, AssistingUnit.objects.all(), d["organiser"], field="organiser", label="帮扶单位"
            )
            activity = services.activity_record(
                actor=request.user,
                region=_region(d["region"]),
                title=d["title"],
                kind=d["kind"],
                date=d["date"],
                organiser=organiser,
                organiser_name=d["organiser_name"],
                note=d["note"],
            )
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, f"已登记活动“{activity.title}”。")
            return redirect("www:activities")
    context = {"form": form, "title": "登记以购助扶活动", "back": "www:activities"}
    return render(request, "www/form_page.html", context, status=400 if request.method == "POST" else 200)
