"""The supply book pages: the list with each entry's warning, and the entry form (phone-friendly)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path

from yigou.accounts.scope import can
from yigou.core.errors import DomainError
from yigou.regions.models import Region
from yigou.supply import references, selectors, services
from yigou.supply.enums import Level

from ..forms.supply import SupplyForm
from .common import paginate, region_options, village_options


@login_required
def supply_list(request: HttpRequest) -> HttpResponse:
    get = request.GET
    q, level, region = get.get("q", "").strip()[:60], get.get("level", "")[:8], get.get("region", "")[:12]
    rows = selectors.supply_entries(request.user, region=region, q=q, level=level)
    context = {
        "page": paginate(request, rows),
        "q": q,
        "level": level,
        "region": region,
        "level_options": Level.choices,
        "region_options": region_options(request.user),
        "may_enter": can(request.user, "supply.enter"),
    }
    return render(request, "supply/list.html", context)


@login_required
def supply_new(request: HttpRequest) -> HttpResponse:
    if not can(request.user, "supply.enter"):
        raise PermissionDenied("无权登记供给台账。")
    form = SupplyForm(request.POST or None, villages=village_options(request.user))
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            village = Region.objects.get(code=d["village"])
            household = (
                references.household_by_number(request.user, d["household"]) if d["household"] else None
            )
            entry = services.supply_record(
                actor=request.user, village=village, household=household, data=form.to_input()
            )
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(
                request, f"已登记供给：{entry.name} {entry.quantity.normalize():f}{entry.unit}。"
            )
            return redirect("www:supply")
    status = 400 if request.method == "POST" else 200
    return render(request, "supply/form.html", {"form": form}, status=status)


urlpatterns = [
    path("supply/", supply_list, name="supply"),
    path("supply/new/", supply_new, name="supply_create"),
]
