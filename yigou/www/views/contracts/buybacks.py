"""Buy-back (包村回购): list, detail with household incomes, enrolment, deliveries, reversals, closing, new."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from yigou.accounts.scope import can
from yigou.assist.models import AssistingUnit
from yigou.contracts import references, selectors
from yigou.contracts.buyback import (
    BuyBackInput,
    buyback_close,
    buyback_create,
    buyback_deliver,
    buyback_delivery_reverse,
    buyback_enrol,
    household_incomes,
)
from yigou.contracts.enums import BuyBackStatus
from yigou.contracts.models import BuyBackDelivery
from yigou.core.errors import DomainError, NotFoundError
from yigou.core.masking import mask_name
from yigou.regions.models import Region
from yigou.registry.models import Producer
from yigou.www.forms.contracts import (
    BuyBackForm,
    DeliveryForm,
    EnrolForm,
    ReverseDeliveryForm,
)

from ..common import domain_errors, paginate, region_options
from .common import apply, filters, options, refuse_unless

# --- buy-back ---------------------------------------------------------------------------------------------------


@login_required
def buyback_list(request: HttpRequest) -> HttpResponse:
    flt = filters(request)
    sort = request.GET.get("sort", "-season_start")
    qs = selectors.buybacks(request.user, q=flt["q"], status=flt["status"], region=flt["region"], sort=sort)
    context = {
        "page": paginate(request, qs),
        "flt": flt,
        "status_options": BuyBackStatus.choices,
        "region_options": region_options(request.user),
        "can_manage": can(request.user, "contracts.manage"),
    }
    return render(request, "contracts/buyback_list.html", context)


def _buyback_context(request: HttpRequest, pk: int, **forms: Any) -> dict[str, Any]:
    buyback = selectors.buyback(request.user, pk)
    incomes = household_incomes(buyback)
    rows = [(mask_name(h.household.head_name), h) for h in incomes]
    households = [
        (h.household.pk, f"{mask_name(h.household.head_name)}（{h.household.number}）") for h in incomes
    ]
    deliveries = buyback.deliveries.select_related("household", "purchase").order_by("date", "id")
    return {
        "buyback": buyback,
        "rows": rows,
        "deliveries": [(mask_name(d.household.head_name), d) for d in deliveries],
        "villages": [v.village for v in buyback.villages.all()],
        "total_income": sum((h.income for h in incomes), Decimal("0.00")),
        "may_record": can(request.user, "contracts.draw"),
        "may_manage": can(request.user, "contracts.manage"),
        "enrol_form": forms.get("enrol_form") or EnrolForm(),
        "delivery_form": forms.get("delivery_form") or DeliveryForm(households=households),
        "reverse_form": ReverseDeliveryForm(),
    }


@login_required
@domain_errors
def buyback_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return render(request, "contracts/buyback_detail.html", _buyback_context(request, pk))


@require_POST
@login_required
@domain_errors
def buyback_enrol_view(request: HttpRequest, pk: int) -> HttpResponse:
    refuse_unless(request, "contracts.draw")
    buyback = selectors.buyback(request.user, pk)

    def perform(d: dict[str, Any]) -> str:
        household = references.household_by_number(request.user, d["household"], field="household")
        buyback_enrol(
            actor=request.user,
            buyback=buyback,
            household=household,
            enrolled_on=d["enrolled_on"],
            note=d["note"],
        )
        return "农户已加入回购项目。"

    def failed(form: Any) -> HttpResponse:
        context = _buyback_context(request, pk, enrol_form=form)
        return render(request, "contracts/buyback_detail.html", context, status=400)

    return apply(request, EnrolForm(request.POST), perform, "www:buyback", pk, failed)


@require_POST
@login_required
@domain_errors
def buyback_deliver_view(request: HttpRequest, pk: int) -> HttpResponse:
    refuse_unless(request, "contracts.draw")
    context = _buyback_context(request, pk)
    buyback = context["buyback"]
    form = DeliveryForm(request.POST, households=context["delivery_form"].fields["household"].choices)

    def perform(d: dict[str, Any]) -> str:
        enrolled = buyback.households.select_related("household").get(household_id=int(d["household"]))
        buyback_deliver(
            actor=request.user,
            buyback=buyback,
            household=enrolled.household,
            day=d["day"],
            qty=d["quantity"],
            unit_price=d["unit_price"],
            note=d["note"],
        )
        return "交售已登记。"

    def failed(form: Any) -> HttpResponse:
        context["delivery_form"] = form
        return render(request, "contracts/buyback_detail.html", context, status=400)

    return apply(request, form, perform, "www:buyback", pk, failed)


@require_POST
@login_required
@domain_errors
def buyback_reverse_view(request: HttpRequest, pk: int) -> HttpResponse:
    refuse_unless(request, "contracts.draw")
    buyback = selectors.buyback(request.user, pk)
    form = ReverseDeliveryForm(request.POST)
    if not form.is_valid():
        messages.error(request, "未冲销：请填写冲销原因。")
        return redirect("www:buyback", pk=pk)
    delivery = BuyBackDelivery.objects.filter(buyback=buyback, pk=form.cleaned_data["delivery"]).first()
    if delivery is None:
        raise NotFoundError()
    try:
        buyback_delivery_reverse(actor=request.user, delivery=delivery, reason=form.cleaned_data["reason"])
    except DomainError as exc:
        messages.error(request, f"未冲销：{exc.message}")
    else:
        messages.success(request, "交售记录已冲销。")
    return redirect("www:buyback", pk=pk)


@require_POST
@login_required
@domain_errors
def buyback_close_view(request: HttpRequest, pk: int) -> HttpResponse:
    refuse_unless(request, "contracts.manage")
    buyback = selectors.buyback(request.user, pk)
    try:
        buyback_close(actor=request.user, buyback=buyback, reason=request.POST.get("reason", ""))
    except DomainError as exc:
        messages.error(request, f"未结束：{exc.message}")
    else:
        messages.success(request, "回购项目已结束。")
    return redirect("www:buyback", pk=pk)


@login_required
@domain_errors
def buyback_new(request: HttpRequest) -> HttpResponse:
    refuse_unless(request, "contracts.manage")
    o = options(request.user)
    choices = {"enterprise": o["enterprises"], "buyer_unit": o["private_units"], "villages": o["villages"]}
    form = BuyBackForm(request.POST or None, choices=choices)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            buyback = buyback_create(
                actor=request.user,
                data=BuyBackInput(
                    d["title"],
                    d["name"],
                    d["category"],
                    d["unit"],
                    d["floor_price"],
                    d["season"],
                    d["season_start"],
                    d["season_end"],
                    d["support"],
                ),
                enterprise=references.one(request.user, Producer, d["enterprise"], field="enterprise"),
                buyer_unit=references.one(request.user, AssistingUnit, d["buyer_unit"], field="buyer_unit"),
                villages=list(Region.objects.filter(code__in=d["villages"]).order_by("code")),
            )
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, f"已登记包村回购“{buyback.title}”。")
            return redirect("www:buyback", pk=buyback.pk)
    context = {"form": form, "title": "登记包村回购", "back": "www:buybacks"}
    return render(request, "www/form_page.html", context, status=400 if request.method == "POST" else 200)
