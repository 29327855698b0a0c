"""Helpers the contract, pre-order and buy-back pages share: the as-of day, refusals, option lists."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from yigou.accounts.scope import can, restrict
from yigou.assist.enums import UnitKind
from yigou.assist.models import AssistingUnit, Cadre
from yigou.contracts import references
from yigou.core.errors import DomainError
from yigou.ledger.models import Purchase
from yigou.market.models import Order
from yigou.registry.enums import ProducerKind
from yigou.registry.models import Producer

from ..common import village_options

Choices = list[tuple[Any, str]]


def as_of_day(request: HttpRequest) -> dt.date:
    try:
        return dt.date.fromisoformat(request.GET.get("as_of", "").strip())
    except ValueError:
        return dt.date.today()


def refuse_unless(request: HttpRequest, capability: str) -> None:
    if not can(request.user, capability):
        raise PermissionDenied("无权执行此操作。")


def apply(
    request: HttpRequest,
    form: Any,
    perform: Callable[[dict[str, Any]], str],
    done_url: str,
    pk: int,
    failed: Callable[[Any], HttpResponse],
) -> HttpResponse:
    """One action form of a detail page: a refusal shows on the form (nothing written), success redirects back."""
    if form.is_valid():
        try:
            done = perform(form.cleaned_data)
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, done)
            return redirect(done_url, pk=pk)
    return failed(form)


def options(user: Any) -> dict[str, Choices]:
    units = restrict(user, AssistingUnit.objects.order_by("name"))
    cadres = restrict(user, Cadre.objects.select_related("unit").order_by("name"))
    producers = restrict(user, Producer.objects.order_by("name"))
    return {
        "units": [(u.pk, u.name) for u in units],
        "cadres": [(c.pk, f"{c.name}（{c.unit.name}）") for c in cadres],
        "producers": [(p.pk, p.name) for p in producers],
        "enterprises": [(p.pk, p.name) for p in producers if p.kind == ProducerKind.ENTERPRISE],
        "private_units": [("", "—")] + [(u.pk, u.name) for u in units if u.kind == UnitKind.PRIVATE],
        "villages": village_options(user),
    }


def filters(request: HttpRequest) -> dict[str, str]:
    get = request.GET
    return {
        "q": get.get("q", "").strip()[:60],
        "status": get.get("status", "")[:16],
        "region": get.get("region", "").strip()[:12],
        "year": get.get("year", "").strip()[:4],
        "sort": get.get("sort", "-signed_on")[:20],
    }


def drawn_from(request: HttpRequest, data: dict[str, Any]) -> Order | Purchase:
    number = data["number"]
    if data["kind"] == "order":
        return references.draw_source(request.user, order=number)
    return references.draw_source(request.user, purchase=number)
