"""Purchase contracts (认购合同): list, export, detail with ledger-derived figures, actions, draws, new."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from yigou.accounts.scope import can, restrict
from yigou.assist.models import AssistingUnit, Cadre
from yigou.contracts import draws as contract_draws
from yigou.contracts import references, selectors
from yigou.contracts.enums import ContractStatus, PartySide
from yigou.contracts.exports import contracts_xlsx, figures_by_contract, party_label, side_labels
from yigou.contracts.figures import contract_figures
from yigou.contracts.parties import PartiesInput
from yigou.contracts.services import ContractInput, ItemInput, contract_create, contract_transition
from yigou.core.errors import DomainError
from yigou.core.xlsx import XLSX_CONTENT_TYPE
from yigou.market.models import ReferencePrice
from yigou.regions.models import Region
from yigou.registry.models import Producer
from yigou.www.forms.contracts import (
    ContractForm,
    DrawForm,
    ItemFormSet,
    ReasonForm,
    numbers_list,
)

from ..common import domain_errors, paginate, region_options
from .common import Choices, apply, as_of_day, drawn_from, filters, options, refuse_unless

# --- contracts --------------------------------------------------------------------------------------------------


@login_required
def contract_list(request: HttpRequest) -> HttpResponse:
    flt = filters(request)
    as_of = as_of_day(request)
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
    refuse_unless(request, "export")
    as_of = as_of_day(request)
    rows = selectors.contracts(request.user, **filters(request))
    body = contracts_xlsx(rows, as_of, title=f"认购合同履行情况（截至 {as_of}）")
    response = HttpResponse(body, content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="contracts-{as_of}.xlsx"'
    return response


def _contract_context(request: HttpRequest, pk: int, **forms: Any) -> dict[str, Any]:
    contract = selectors.contract(request.user, pk)
    as_of = as_of_day(request)
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
    refuse_unless(request, "contracts.manage")
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


@require_POST
@login_required
@domain_errors
def contract_draw(request: HttpRequest, pk: int) -> HttpResponse:
    refuse_unless(request, "contracts.draw")
    contract = selectors.contract(request.user, pk)

    def perform(data: dict[str, Any]) -> str:
        source = drawn_from(request, data)
        draws = contract_draws.contract_draw(actor=request.user, record=source, contract=contract)
        return f"已计入合同：{len(draws)} 条明细。"

    def failed(form: Any) -> HttpResponse:
        context = _contract_context(request, pk, draw_form=form)
        return render(request, "contracts/detail.html", context, status=400)

    return apply(request, DrawForm(request.POST), perform, "www:contract", pk, failed)


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
    refuse_unless(request, "contracts.manage")
    o = options(request.user)
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
