"""Producer list, detail and registration."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from yigou.accounts.scope import can
from yigou.core.errors import DomainError, NotFoundError
from yigou.regions.enums import Level
from yigou.regions.models import Region
from yigou.registry import selectors, services
from yigou.registry.enums import ProducerKind
from yigou.registry.models import Household, Producer

from ..forms.organisations import ProducerForm
from .common import domain_errors, paginate, region_options

SORTS = ("name", "-name", "region", "-region", "kind")


@login_required
def producer_list(request: HttpRequest) -> HttpResponse:
    get = request.GET
    sort = get.get("sort", "name")
    q, kind, region = get.get("q", "").strip()[:60], get.get("kind", ""), get.get("region", "")[:12]
    qs = selectors.producers(
        request.user, q=q, kind=kind, region=region, sort=sort if sort in SORTS else "name"
    )
    context = {
        "page": paginate(request, qs),
        "q": q,
        "kind": kind,
        "region": region,
        "kind_options": ProducerKind.choices,
        "region_options": region_options(request.user, deepest=Level.TOWNSHIP),
        "can_create": can(request.user, "registry.change"),
    }
    return render(request, "www/producers/list.html", context)


def _member_rows(producer: Producer) -> list[dict[str, Any]]:
    members = list(producer.members.all())
    total = sum((m.shares for m in members if m.left_on is None), Decimal(0))
    rows = []
    for m in members:
        share = (m.shares / total * 100).quantize(Decimal("0.01")) if total and m.left_on is None else None
        rows.append({"member": m, "percent": share})
    return rows


@login_required
@domain_errors
def producer_detail(request: HttpRequest, pk: int) -> HttpResponse:
    producer = selectors.producer(request.user, pk)
    context = {
        "producer": producer,
        "members": _member_rows(producer),
        "linkages": list(producer.linkages.all()),
    }
    return render(request, "www/producers/detail.html", context)


def visible_household(user: Any, number: str) -> Household:
    """A household by its exact number, only if the user may see it."""
    number = number.strip()
    found = selectors.households(user, selectors.HouseholdFilter(q=number)).filter(number=number).first()
    if found is None:
        raise NotFoundError(message=f"未找到户编号为 {number} 的农户（或不在您的管辖范围内）。")
    return found


def _register(request: HttpRequest, form: ProducerForm) -> Producer:
    d = form.cleaned_data
    household = (
        visible_household(request.user, d["household_number"]) if d["household_number"].strip() else None
    )
    return services.producer_register(
        actor=request.user,
        kind=d["kind"],
        name=d["name"],
        region=Region.objects.get(code=d["region"]),
        uscc=d["uscc"].strip() or None,
        household=household,
        grade=d["grade"],
        contact_name=d["contact_name"],
        contact_phone=d["contact_phone"].strip(),
        address=d["address"],
        main_products=d["main_products"],
    )


@login_required
@domain_errors
def producer_create(request: HttpRequest) -> HttpResponse:
    if not can(request.user, "registry.change"):
        raise PermissionDenied("无权执行此操作。")
    regions = region_options(request.user, include_home=True)
    form = ProducerForm(request.POST or None, regions=regions)
    if request.method == "POST" and form.is_valid():
        try:
            producer = _register(request, form)
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, f"已登记经营主体“{producer.name}”。")
            return redirect("www:producer", pk=producer.pk)
    status = 400 if request.method == "POST" else 200
    context = {"form": form, "title": "登记经营主体", "back": "www:producers"}
    return render(request, "www/form_page.html", context, status=status)
