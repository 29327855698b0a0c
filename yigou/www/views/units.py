"""Assisting units and their cadres: lists, details and registration."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from yigou.accounts.scope import can
from yigou.assist import selectors, services
from yigou.assist.enums import UnitKind
from yigou.core.errors import DomainError
from yigou.regions.enums import Level
from yigou.regions.models import Region

from ..forms.organisations import CadreForm, UnitForm
from .common import domain_errors, paginate, region_options


@login_required
def unit_list(request: HttpRequest) -> HttpResponse:
    get = request.GET
    q, kind, region = get.get("q", "").strip()[:60], get.get("kind", ""), get.get("region", "")[:12]
    budget = get.get("budget", "")
    qs = selectors.units(request.user, q=q, kind=kind, region=region, budget=budget)
    context = {
        "page": paginate(request, qs),
        "q": q,
        "kind": kind,
        "region": region,
        "budget": budget,
        "kind_options": UnitKind.choices,
        "region_options": region_options(request.user, include_home=True, deepest=Level.TOWNSHIP),
        "can_create": can(request.user, "assist.change"),
    }
    return render(request, "www/assist/unit_list.html", context)


@login_required
@domain_errors
def unit_detail(request: HttpRequest, pk: int) -> HttpResponse:
    unit = selectors.unit(request.user, pk)
    context = {
        "unit": unit,
        "cadres": list(selectors.cadres(request.user, unit_id=unit.pk)),
        "village_pairings": list(selectors.village_pairings(request.user).filter(unit=unit)),
        "can_add_cadre": can(request.user, "assist.change") or can(request.user, "assist.change_own"),
    }
    return render(request, "www/assist/unit_detail.html", context)


@login_required
def cadre_list(request: HttpRequest) -> HttpResponse:
    q = request.GET.get("q", "").strip()[:60]
    unit_id = request.GET.get("unit", "")
    qs = selectors.cadres(request.user, q=q, unit_id=int(unit_id) if unit_id.isdigit() else None)
    context = {
        "page": paginate(request, qs),
        "q": q,
        "can_create": can(request.user, "assist.change") or can(request.user, "assist.change_own"),
    }
    return render(request, "www/assist/cadre_list.html", context)


@login_required
@domain_errors
def cadre_detail(request: HttpRequest, pk: int) -> HttpResponse:
    cadre = selectors.cadre(request.user, pk)
    pairings = selectors.household_pairings(request.user).filter(cadre=cadre)
    return render(request, "www/assist/cadre_detail.html", {"cadre": cadre, "pairings": list(pairings)})


def _form_page(request: HttpRequest, form: Any, title: str, back: str) -> HttpResponse:
    status = 400 if request.method == "POST" else 200
    return render(request, "www/form_page.html", {"form": form, "title": title, "back": back}, status=status)


@login_required
@domain_errors
def unit_create(request: HttpRequest) -> HttpResponse:
    if not can(request.user, "assist.change"):
        raise PermissionDenied("无权执行此操作。")
    form = UnitForm(request.POST or None, regions=region_options(request.user, include_home=True))
    if request.method == "POST" and form.is_valid():
        d = dict(form.cleaned_data)
        region = Region.objects.get(code=d.pop("region"))
        d["staff_count"] = d["staff_count"] or 0
        d["uscc"] = d["uscc"].strip() or None
        try:
            unit = services.unit_register(actor=request.user, region=region, **d)
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, f"已登记帮扶单位“{unit.name}”。")
            return redirect("www:unit", pk=unit.pk)
    return _form_page(request, form, "登记帮扶单位", "www:units")


def unit_options(user: Any) -> list[tuple[str, str]]:
    return [(str(u.pk), u.name) for u in selectors.units(user)]


@login_required
@domain_errors
def cadre_create(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not (can(user, "assist.change") or can(user, "assist.change_own")):
        raise PermissionDenied("无权执行此操作。")
    form = CadreForm(
        request.POST or None, units=unit_options(user), initial={"unit": request.GET.get("unit")}
    )
    if request.method == "POST" and form.is_valid():
        d = dict(form.cleaned_data)
        unit = selectors.unit(user, int(d.pop("unit")))
        try:
            cadre = services.cadre_add(actor=user, unit=unit, **d)
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, f"已登记帮扶干部“{cadre.name}”。")
            return redirect("www:cadre", pk=cadre.pk)
    return _form_page(request, form, "登记帮扶干部", "www:cadres")
