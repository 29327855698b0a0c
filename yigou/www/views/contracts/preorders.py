"""Pre-orders (以产预购): list, detail with the settlement, draws, deposit, closing, new."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from yigou.accounts.scope import can
from yigou.assist.models import AssistingUnit, Cadre
from yigou.contracts import preorders as preorder_services
from yigou.contracts import references, selectors
from yigou.contracts.enums import PreOrderStatus
from yigou.contracts.preorders import (
    PreOrderInput,
    PreOrderParties,
    preorder_create,
    preorder_end,
    preorder_pay_deposit,
)
from yigou.contracts.settlement import preorder_figures
from yigou.core.errors import DomainError
from yigou.core.masking import mask_name
from yigou.registry.models import Producer
from yigou.www.forms.contracts import (
    DepositForm,
    DrawForm,
    PreOrderEndForm,
    PreOrderForm,
)

from ..common import domain_errors, paginate, region_options
from .common import apply, as_of_day, drawn_from, filters, options, refuse_unless

# --- pre-orders -------------------------------------------------------------------------------------------------


@login_required
def preorder_list(request: HttpRequest) -> HttpResponse:
    flt = filters(request)
    sort = request.GET.get("sort", "-signed_on")
    qs = selectors.preorders(request.user, q=flt["q"], status=flt["status"], region=flt["region"], sort=sort)
    context = {
        "page": paginate(request, qs),
        "flt": flt,
        "status_options": PreOrderStatus.choices,
        "region_options": region_options(request.user),
        "can_manage": can(request.user, "contracts.manage"),
    }
    return render(request, "contracts/preorder_list.html", context)


def _preorder_context(request: HttpRequest, pk: int, **forms: Any) -> dict[str, Any]:
    preorder = selectors.preorder(request.user, pk)
    as_of = as_of_day(request)
    household = preorder.seller_household
    if preorder.seller_producer:
        seller = preorder.seller_producer.name
    else:
        seller = f"{mask_name(household.head_name)}（{household.number}）" if household else ""
    return {
        "preorder": preorder,
        "seller": seller,
        "as_of": as_of,
        "f": preorder_figures(preorder, as_of),
        "may_manage": can(request.user, "contracts.manage"),
        "may_draw": can(request.user, "contracts.draw"),
        "draw_form": forms.get("draw_form") or DrawForm(),
        "end_form": forms.get("end_form") or PreOrderEndForm(),
        "deposit_form": forms.get("deposit_form") or DepositForm(),
    }


def _preorder_failed(request: HttpRequest, pk: int, key: str) -> Callable[[Any], HttpResponse]:
    def failed(form: Any) -> HttpResponse:
        context = _preorder_context(request, pk, **{key: form})
        return render(request, "contracts/preorder_detail.html", context, status=400)

    return failed


@login_required
@domain_errors
def preorder_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return render(request, "contracts/preorder_detail.html", _preorder_context(request, pk))


@require_POST
@login_required
@domain_errors
def preorder_draw(request: HttpRequest, pk: int) -> HttpResponse:
    refuse_unless(request, "contracts.draw")
    preorder = selectors.preorder(request.user, pk)

    def perform(data: dict[str, Any]) -> str:
        source = drawn_from(request, data)
        preorder_services.preorder_draw(actor=request.user, record=source, preorder=preorder)
        return "已计入预购。"

    return apply(
        request,
        DrawForm(request.POST),
        perform,
        "www:preorder",
        pk,
        _preorder_failed(request, pk, "draw_form"),
    )


@require_POST
@login_required
@domain_errors
def preorder_finish(request: HttpRequest, pk: int) -> HttpResponse:
    refuse_unless(request, "contracts.manage")
    preorder = selectors.preorder(request.user, pk)

    def perform(data: dict[str, Any]) -> str:
        preorder_end(actor=request.user, preorder=preorder, status=data["status"], reason=data["reason"])
        return "预购状态已更新。"

    return apply(
        request,
        PreOrderEndForm(request.POST),
        perform,
        "www:preorder",
        pk,
        _preorder_failed(request, pk, "end_form"),
    )


@require_POST
@login_required
@domain_errors
def preorder_deposit(request: HttpRequest, pk: int) -> HttpResponse:
    refuse_unless(request, "contracts.manage")
    preorder = selectors.preorder(request.user, pk)

    def perform(data: dict[str, Any]) -> str:
        preorder_pay_deposit(actor=request.user, preorder=preorder, paid_on=data["paid_on"])
        return "定金支付已登记。"

    return apply(
        request,
        DepositForm(request.POST),
        perform,
        "www:preorder",
        pk,
        _preorder_failed(request, pk, "deposit_form"),
    )


def _preorder_create(request: HttpRequest, form: PreOrderForm) -> Any:
    d, user = form.cleaned_data, request.user
    data = PreOrderInput(
        number=d["number"],
        name=d["name"],
        category=d["category"],
        unit=d["unit"],
        quantity=d["quantity"],
        price=d["price"],
        signed_on=d["signed_on"],
        harvest_start=d["harvest_start"],
        harvest_end=d["harvest_end"],
        deposit=d["deposit"] or 0,
        deposit_paid_on=d["deposit_paid_on"],
        price_tolerance=d["price_tolerance"],
        allow_over=d["allow_over"],
        note=d["note"],
    )
    parties = PreOrderParties(
        buyer_unit=references.one(user, AssistingUnit, d["buyer_unit"], field="buyer_unit"),
        buyer_cadre=references.one(user, Cadre, d["buyer_cadre"], field="buyer_cadre"),
        seller_household=references.household_by_number(user, d["seller_household"], field="seller_household")
        if d["seller_household"].strip()
        else None,
        seller_producer=references.one(user, Producer, d["seller_producer"], field="seller_producer"),
    )
    return preorder_create(actor=user, data=data, parties=parties)


@login_required
@domain_errors
def preorder_new(request: HttpRequest) -> HttpResponse:
    refuse_unless(request, "contracts.manage")
    o = options(request.user)
    choices = {"buyer_unit": o["units"], "buyer_cadre": o["cadres"], "seller_producer": o["producers"]}
    form = PreOrderForm(request.POST or None, choices=choices)
    if request.method == "POST" and form.is_valid():
        try:
            preorder = _preorder_create(request, form)
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, f"已登记以产预购“{preorder.number}”。")
            return redirect("www:preorder", pk=preorder.pk)
    context = {"form": form, "title": "登记以产预购", "back": "www:preorders"}
    return render(request, "www/form_page.html", context, status=400 if request.method == "POST" else 200)
