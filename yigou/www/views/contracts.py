"""Purchase contracts (认购合同), pre-orders (以产预购) and buy-back (包村回购): lists, detail pages, forms.

Every read goes through yigou.contracts.selectors (scoped), every write through the contract services; the
figures on the pages are recomputed from the ledger on each request (`?as_of=YYYY-MM-DD` shows another day).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.views.decorators.http import require_POST

from yigou.accounts.scope import can, restrict
from yigou.assist.enums import UnitKind
from yigou.assist.models import AssistingUnit, Cadre
from yigou.contracts import draws as contract_draws
from yigou.contracts import preorders as preorder_services
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
from yigou.contracts.enums import BuyBackStatus, ContractStatus, PartySide, PreOrderStatus
from yigou.contracts.exports import contracts_xlsx, figures_by_contract, party_label, side_labels
from yigou.contracts.figures import contract_figures
from yigou.contracts.models import BuyBackDelivery
from yigou.contracts.parties import PartiesInput
from yigou.contracts.preorders import (
    PreOrderInput,
    PreOrderParties,
    preorder_create,
    preorder_end,
    preorder_figures,
    preorder_pay_deposit,
)
from yigou.contracts.services import ContractInput, ItemInput, contract_create, contract_transition
from yigou.core.errors import DomainError, NotFoundError
from yigou.core.masking import mask_name
from yigou.core.xlsx import XLSX_CONTENT_TYPE
from yigou.ledger.models import Purchase
from yigou.market.models import Order, ReferencePrice
from yigou.regions.models import Region
from yigou.registry.enums import ProducerKind
from yigou.registry.models import Producer
from yigou.www.forms.contracts import (
    BuyBackForm,
    ContractForm,
    DeliveryForm,
    DepositForm,
    DrawForm,
    EnrolForm,
    ItemFormSet,
    PreOrderEndForm,
    PreOrderForm,
    ReasonForm,
    ReverseDeliveryForm,
    numbers_list,
)

from .common import domain_errors, paginate, region_options, village_options

Choices = list[tuple[Any, str]]


def _as_of(request: HttpRequest) -> dt.date:
    try:
        return dt.date.fromisoformat(request.GET.get("as_of", "").strip())
    except ValueError:
        return dt.date.today()


def _refuse_unless(request: HttpRequest, capability: str) -> None:
    if not can(request.user, capability):
        raise PermissionDenied("无权执行此操作。")


def _apply(
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


def _options(user: Any) -> dict[str, Choices]:
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


def _filters(request: HttpRequest) -> dict[str, str]:
    get = request.GET
    return {
        "q": get.get("q", "").strip()[:60],
        "status": get.get("status", "")[:16],
        "region": get.get("region", "").strip()[:12],
        "year": get.get("year", "").strip()[:4],
        "sort": get.get("sort", "-signed_on")[:20],
    }


# --- contracts --------------------------------------------------------------------------------------------------


@login_required
def contract_list(request: HttpRequest) -> HttpResponse:
    flt = _filters(request)
    as_of = _as_of(request)
    page = paginate(request, selectors.contracts(request.user, **flt))
    figures = figures_by_contract(list(page), as_of)
    rows = [
        (c, figures[c.pk], side_labels(c, PartySide.BUYER), side_labels(c, PartySide.SELLER)) for c in page
    ]
    context = {
        "page": page,
        "rows": rows,
        "flt": flt,
        "as_of": as_of,
        "status_options": ContractStatus.choices,
        "region_options": region_options(request.user),
        "can_manage": can(request.user, "contracts.manage"),
        "can_export": can(request.user, "export"),
        "query": request.GET.urlencode(),
    }
    return render(request, "contracts/list.html", context)


@login_required
def contract_export(request: HttpRequest) -> HttpResponse:
    _refuse_unless(request, "export")
    as_of = _as_of(request)
    rows = selectors.contracts(request.user, **_filters(request))
    body = contracts_xlsx(rows, as_of, title=f"认购合同履行情况（截至 {as_of}）")
    response = HttpResponse(body, content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="contracts-{as_of}.xlsx"'
    return response


def _contract_context(request: HttpRequest, pk: int, **forms: Any) -> dict[str, Any]:
    contract = selectors.contract(request.user, pk)
    as_of = _as_of(request)
    parties = list(contract.parties.all())
    return {
        "contract": contract,
        "as_of": as_of,
        "figures": contract_figures(list(contract.items.all()), as_of),
        "buyers": [party_label(p) for p in parties if p.side == PartySide.BUYER],
        "sellers": [party_label(p) for p in parties if p.side == PartySide.SELLER],
        "may_manage": can(request.user, "contracts.manage"),
        "may_draw": can(request.user, "contracts.draw"),
        "draw_form": forms.get("draw_form") or DrawForm(),
        "reason_form": ReasonForm(),
    }


@login_required
@domain_errors
def contract_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return render(request, "contracts/detail.html", _contract_context(request, pk))


@require_POST
@login_required
@domain_errors
def contract_action(request: HttpRequest, pk: int) -> HttpResponse:
    _refuse_unless(request, "contracts.manage")
    contract = selectors.contract(request.user, pk)
    form = ReasonForm(request.POST)
    if form.is_valid():
        try:
            contract_transition(
                actor=request.user,
                contract=contract,
                action=form.cleaned_data["action"],
                reason=form.cleaned_data["reason"],
            )
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, "合同状态已更新。")
    return redirect("www:contract", pk=pk)


def _source(request: HttpRequest, data: dict[str, Any]) -> Order | Purchase:
    number = data["number"]
    if data["kind"] == "order":
        return references.draw_source(request.user, order=number)
    return references.draw_source(request.user, purchase=number)


@require_POST
@login_required
@domain_errors
def contract_draw(request: HttpRequest, pk: int) -> HttpResponse:
    _refuse_unless(request, "contracts.draw")
    contract = selectors.contract(request.user, pk)

    def perform(data: dict[str, Any]) -> str:
        source = _source(request, data)
        draws = contract_draws.contract_draw(actor=request.user, record=source, contract=contract)
        return f"已计入合同：{len(draws)} 条明细。"

    def failed(form: Any) -> HttpResponse:
        context = _contract_context(request, pk, draw_form=form)
        return render(request, "contracts/detail.html", context, status=400)

    return _apply(request, DrawForm(request.POST), perform, "www:contract", pk, failed)


def _contract_inputs(request: HttpRequest, form: ContractForm, items: Any) -> tuple[Any, ...]:
    d, user = form.cleaned_data, request.user
    data = ContractInput(
        number=d["number"],
        title=d["title"],
        signed_on=d["signed_on"],
        period_start=d["period_start"],
        period_end=d["period_end"],
        price_tolerance=d["price_tolerance"],
        allow_over=d["allow_over"],
        note=d["note"],
    )
    parties = PartiesInput(
        units=references.every(user, AssistingUnit, d["buyer_units"], field="buyer_units"),
        cadres=references.every(user, Cadre, d["buyer_cadres"], field="buyer_cadres"),
        villages=list(Region.objects.filter(code__in=d["seller_villages"]).order_by("code")),
        households=[
            references.household_by_number(user, n, field="seller_households")
            for n in numbers_list(d["seller_households"])
        ],
        producers=references.every(user, Producer, d["seller_producers"], field="seller_producers"),
    )
    rows = []
    for item in items.forms:
        c = getattr(item, "cleaned_data", None)
        if not c:
            continue
        reference = references.one(user, ReferencePrice, c["reference"] or None, field="reference")
        rows.append(
            ItemInput(
                name=c["name"],
                category=c["category"],
                unit=c["unit"],
                quantity=c["quantity"],
                price_rule=c["price_rule"],
                price=c["price"],
                markup_percent=c["markup_percent"],
                reference=reference,
                schedule=c["schedule"],
            )
        )
    return data, parties, rows


def _reference_options(user: Any) -> Choices:
    rows = restrict(user, ReferencePrice.objects.select_related("region").order_by("name", "-observed_on"))[
        :200
    ]
    return [
        (r.pk, f"{r.name} {r.specification} {r.price}元/{r.unit}（{r.region.name} {r.observed_on}）")
        for r in rows
    ]


@login_required
@domain_errors
def contract_new(request: HttpRequest) -> HttpResponse:
    _refuse_unless(request, "contracts.manage")
    o = _options(request.user)
    choices = {
        "buyer_units": o["units"],
        "buyer_cadres": o["cadres"],
        "seller_villages": o["villages"],
        "seller_producers": o["producers"],
    }
    form = ContractForm(request.POST or None, choices=choices)
    items = ItemFormSet(request.POST or None, form_kwargs={"references": _reference_options(request.user)})
    if request.method == "POST" and form.is_valid() and items.is_valid():
        try:
            contract = contract_create(
                actor=request.user,
                **dict(
                    zip(("data", "parties", "items"), _contract_inputs(request, form, items), strict=True)
                ),
            )
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, f"已登记合同“{contract.title}”（草拟），核对无误后请点击“生效”。")
            return redirect("www:contract", pk=contract.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "contracts/contract_form.html", {"form": form, "items": items}, status=status)


# --- pre-orders -------------------------------------------------------------------------------------------------


@login_required
def preorder_list(request: HttpRequest) -> HttpResponse:
    flt = _filters(request)
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
    as_of = _as_of(request)
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
    _refuse_unless(request, "contracts.draw")
    preorder = selectors.preorder(request.user, pk)

    def perform(data: dict[str, Any]) -> str:
        source = _source(request, data)
        preorder_services.preorder_draw(actor=request.user, record=source, preorder=preorder)
        return "已计入预购。"

    return _apply(
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
    _refuse_unless(request, "contracts.manage")
    preorder = selectors.preorder(request.user, pk)

    def perform(data: dict[str, Any]) -> str:
        preorder_end(actor=request.user, preorder=preorder, status=data["status"], reason=data["reason"])
        return "预购状态已更新。"

    return _apply(
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
    _refuse_unless(request, "contracts.manage")
    preorder = selectors.preorder(request.user, pk)

    def perform(data: dict[str, Any]) -> str:
        preorder_pay_deposit(actor=request.user, preorder=preorder, paid_on=data["paid_on"])
        return "定金支付已登记。"

    return _apply(
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
    _refuse_unless(request, "contracts.manage")
    o = _options(request.user)
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


# --- buy-back ---------------------------------------------------------------------------------------------------


@login_required
def buyback_list(request: HttpRequest) -> HttpResponse:
    flt = _filters(request)
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
    _refuse_unless(request, "contracts.draw")
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

    return _apply(request, EnrolForm(request.POST), perform, "www:buyback", pk, failed)


@require_POST
@login_required
@domain_errors
def buyback_deliver_view(request: HttpRequest, pk: int) -> HttpResponse:
    _refuse_unless(request, "contracts.draw")
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

    return _apply(request, form, perform, "www:buyback", pk, failed)


@require_POST
@login_required
@domain_errors
def buyback_reverse_view(request: HttpRequest, pk: int) -> HttpResponse:
    _refuse_unless(request, "contracts.draw")
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
    _refuse_unless(request, "contracts.manage")
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
    _refuse_unless(request, "contracts.manage")
    o = _options(request.user)
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


urlpatterns = [
    path("contracts/", contract_list, name="contracts"),
    path("contracts/new/", contract_new, name="contract_create"),
    path("contracts/export/", contract_export, name="contract_export"),
    path("contracts/<int:pk>/", contract_detail, name="contract"),
    path("contracts/<int:pk>/action/", contract_action, name="contract_action"),
    path("contracts/<int:pk>/draw/", contract_draw, name="contract_draw"),
    path("preorders/", preorder_list, name="preorders"),
    path("preorders/new/", preorder_new, name="preorder_create"),
    path("preorders/<int:pk>/", preorder_detail, name="preorder"),
    path("preorders/<int:pk>/draw/", preorder_draw, name="preorder_draw"),
    path("preorders/<int:pk>/end/", preorder_finish, name="preorder_end"),
    path("preorders/<int:pk>/deposit/", preorder_deposit, name="preorder_deposit"),
    path("buybacks/", buyback_list, name="buybacks"),
    path("buybacks/new/", buyback_new, name="buyback_create"),
    path("buybacks/<int:pk>/", buyback_detail, name="buyback"),
    path("buybacks/<int:pk>/enrol/", buyback_enrol_view, name="buyback_enrol"),
    path("buybacks/<int:pk>/deliver/", buyback_deliver_view, name="buyback_deliver"),
    path("buybacks/<int:pk>/reverse/", buyback_reverse_view, name="buyback_reverse"),
    path("buybacks/<int:pk>/close/", buyback_close_view, name="buyback_close"),
]
