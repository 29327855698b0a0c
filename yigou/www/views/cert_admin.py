"""Reference prices (市场参考价) and the producer blacklist: lists for everyone in scope, forms for offices."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from yigou.accounts.scope import can, get_visible, named_required, restrict
from yigou.core.errors import DomainError
from yigou.market import catalog
from yigou.market import certification as cert
from yigou.market.certification_rules import may_blacklist
from yigou.market.models import Blacklisting
from yigou.market.pricing import ReferencePriceInput, reference_price_add
from yigou.regions.enums import Level
from yigou.regions.models import Region
from yigou.registry.models import Producer

from ..forms.certification import BlacklistForm, ReasonForm, ReferencePriceForm
from .common import domain_errors, paginate, region_options


@login_required
@domain_errors
def cert_prices(request: HttpRequest) -> HttpResponse:
    q, region = request.GET.get("q", "").strip()[:60], request.GET.get("region", "")[:12]
    can_add = can(request.user, "market.prices")
    regions = region_options(request.user, include_home=True, deepest=Level.VILLAGE)
    form = ReferencePriceForm(request.POST or None, regions=regions) if can_add else None
    if request.method == "POST" and form is not None and form.is_valid():
        d = form.cleaned_data
        data = ReferencePriceInput(
            name=d["name"],
            specification=d["specification"],
            unit=d["unit"],
            price=d["price"],
            observed_on=d["observed_on"],
            source=d["source"],
        )
        try:
            row = reference_price_add(
                actor=request.user, region=Region.objects.get(code=d["region"]), data=data
            )
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, f"已登记市场参考价：{row}")
            return redirect("www:cert_prices")
    context = {
        "page": paginate(request, catalog.reference_prices(request.user, q=q, region=region)),
        "q": q,
        "region": region,
        "region_options": regions,
        "form": form,
    }
    status = 400 if request.method == "POST" else 200
    return render(request, "market/cert_prices.html", context, status=status)


def _blacklistable(user: Any) -> list[tuple[str, str]]:
    rows = restrict(user, Producer.objects.filter(is_active=True).select_related("region")).order_by("name")
    return [(str(p.pk), f"{p.name}（{p.region.name}）") for p in rows if may_blacklist(user, p)]


@login_required
@domain_errors
def cert_blacklist(request: HttpRequest) -> HttpResponse:
    options = _blacklistable(request.user) if can(request.user, "market.decide") else []
    form = BlacklistForm(request.POST or None, producers=options) if options else None
    if request.method == "POST" and form is not None and form.is_valid():
        try:
            producer = named_required(
                request.user,
                Producer.objects.all(),
                form.cleaned_data["producer"],
                field="producer",
                label="经营主体",
            )
            cert.producer_blacklist(actor=request.user, producer=producer, reason=form.cleaned_data["reason"])
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, f"已将“{producer.name}”列入黑名单，其目录内和公示中的产品已撤销。")
            return redirect("www:cert_blacklist")
    current = request.GET.get("current") == "1"
    page = paginate(request, catalog.blacklist(request.user, current))
    rows = [(row, may_blacklist(request.user, row.producer)) for row in page]
    context = {"page": page, "rows": rows, "form": form, "current": current, "lift_form": ReasonForm()}
    status = 400 if request.method == "POST" else 200
    return render(request, "market/cert_blacklist.html", context, status=status)


@login_required
@require_POST
@domain_errors
def cert_blacklist_lift(request: HttpRequest, pk: int) -> HttpResponseBase:
    row = get_visible(request.user, Blacklisting.objects.select_related("producer"), pk=pk)
    form = ReasonForm(request.POST)
    try:
        reason = form.cleaned_data["reason"] if form.is_valid() else ""
        cert.blacklist_lift(actor=request.user, blacklisting=row, reason=reason)
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("www:cert_blacklist")
    messages.success(request, f"已将“{row.producer.name}”移出黑名单。")
    return redirect("www:cert_blacklist")
