"""Purchase list (scoped, searchable, filtered), detail with its reversal, and the reversal form."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from yigou.accounts.scope import can
from yigou.core.errors import DomainError
from yigou.core.periods import Period, parse_period
from yigou.ledger import selectors
from yigou.ledger.enums import BuyerKind, Channel
from yigou.ledger.models import Purchase
from yigou.ledger.services import purchase_reverse
from yigou.registry.enums import HouseholdStatus

from ...forms.ledger import ReverseForm
from ..common import domain_errors, paginate, region_options


@dataclass
class PurchaseFilter:
    q: str = ""
    region: str = ""
    period: str = ""
    channel: str = ""
    buyer_kind: str = ""
    sort: str = "-date"


def _filter_from(request: HttpRequest) -> PurchaseFilter:
    get = request.GET
    sort = get.get("sort", "-date")
    return PurchaseFilter(
        q=get.get("q", "").strip()[:40],
        region=get.get("region", "").strip()[:12],
        period=get.get("period", "").strip()[:40],
        channel=get.get("channel", "")[:16],
        buyer_kind=get.get("buyer_kind", "")[:16],
        sort=sort if sort in selectors.PURCHASE_SORTS else "-date",
    )


def _period(flt: PurchaseFilter) -> tuple[Period | None, str]:
    if not flt.period:
        return None, ""
    try:
        return parse_period(flt.period), ""
    except DomainError as exc:
        return None, exc.message


@login_required
def purchase_list(request: HttpRequest) -> HttpResponse:
    flt = _filter_from(request)
    period, period_error = _period(flt)
    qs = selectors.purchases(
        request.user,
        region=flt.region,
        period=period,
        q=flt.q,
        channel=flt.channel,
        buyer_kind=flt.buyer_kind,
        sort=flt.sort,
    )
    context = {
        "page": paginate(request, qs.prefetch_related("lines")),
        "flt": flt,
        "period": period,
        "period_error": period_error,
        "region_options": region_options(request.user),
        "channel_options": Channel.choices,
        "buyer_kind_options": BuyerKind.choices,
        "can_record": can(request.user, "ledger.record"),
    }
    return render(request, "www/ledger/list.html", context, status=400 if period_error else 200)


def _status_label(value: str) -> str:
    return HouseholdStatus(value).label if value in HouseholdStatus.values else value


def detail_context(
    request: HttpRequest, purchase: Purchase, form: ReverseForm | None = None
) -> dict[str, Any]:
    reversal = selectors.purchases(request.user).filter(reverses=purchase).first()
    beneficiaries = [(b, _status_label(b.status)) for b in purchase.beneficiaries.all()]
    may_reverse = can(request.user, "ledger.reverse") and not purchase.is_reversal and reversal is None
    return {
        "purchase": purchase,
        "lines": list(purchase.lines.all()),
        "beneficiaries": beneficiaries,
        "reversal": reversal,
        "may_reverse": may_reverse,
        "reverse_form": form or ReverseForm(),
    }


@login_required
@domain_errors
def purchase_detail(request: HttpRequest, pk: int) -> HttpResponse:
    purchase = selectors.purchase(request.user, pk)
    return render(request, "www/ledger/detail.html", detail_context(request, purchase))


@require_POST
@login_required
@domain_errors
def purchase_reverse_view(request: HttpRequest, pk: int) -> HttpResponse:
    if not can(request.user, "ledger.reverse"):
        raise PermissionDenied("无权冲销购买记录。")
    purchase = selectors.purchase(request.user, pk)
    form = ReverseForm(request.POST)
    if form.is_valid():
        try:
            mirror = purchase_reverse(
                actor=request.user, purchase=purchase, reason=form.cleaned_data["reason"]
            )
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, f"已冲销该购买记录（冲销金额 {mirror.total} 元）。")
            return redirect("www:purchase", pk=mirror.pk)
    context = detail_context(request, selectors.purchase(request.user, pk), form)
    return render(request, "www/ledger/detail.html", context, status=400)
