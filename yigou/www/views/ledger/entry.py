"""The purchase entry page, made for a phone at a village market, and its two small htmx helpers."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.forms import BaseFormSet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from yigou.accounts.scope import can, restrict
from yigou.core.errors import DomainError
from yigou.ledger import references
from yigou.ledger import selectors as ledger_selectors
from yigou.ledger.enums import Attribution
from yigou.ledger.services import PurchaseInput, purchase_record
from yigou.market.models import Activity, Outlet
from yigou.registry import selectors as registry_selectors
from yigou.registry.models import Household

from ...forms.ledger import LineFormSet, PurchaseForm, beneficiary_amounts
from ..common import domain_errors

RECENT_ACTIVITIES = 30
SEARCH_LIMIT = 10


def form_options(user: Any) -> dict[str, list[tuple[Any, str]]]:
    """What the user may pick from: any nameable buyer; producers, open outlets and recent activities in scope."""
    # Buyers are named across counties (a city bureau buys in every county it helps), so not by region scope.
    units = ledger_selectors.nameable_units(user).order_by("region_id", "name").values_list("pk", "name")
    cadres = (
        ledger_selectors.nameable_cadres(user)
        .select_related("unit")
        .order_by("unit__region_id", "unit__name", "name")
    )
    producers = registry_selectors.producers(user).values_list("pk", "name")
    outlets = restrict(user, Outlet.objects.filter(closed_on__isnull=True)).order_by("region_id", "name")
    activities = restrict(user, Activity.objects.all()).order_by("-date", "-pk")[:RECENT_ACTIVITIES]
    return {
        "buyer_unit": list(units),
        "buyer_cadre": [(c.pk, f"{c.name}（{c.unit.name}）") for c in cadres],
        "seller_producer": list(producers),
        "outlet": [(o.pk, f"{o.name}（{o.get_kind_display()}）") for o in outlets],
        "activity": [(a.pk, f"{a.date:%Y-%m-%d} {a.title}") for a in activities],
    }


def _input(request: HttpRequest, form: PurchaseForm, rows: BaseFormSet) -> PurchaseInput:
    user, d = request.user, form.cleaned_data
    producer = d["seller_kind"] == "producer"
    amounts, errors = beneficiary_amounts(request.POST)
    if errors:
        raise DomainError("invalid_input", detail="；".join(errors))
    rule = d["attribution"] if producer else ""
    return PurchaseInput(
        date=d["date"],
        buyer_kind=d["buyer_kind"],
        channel=d["channel"],
        lines=[row.as_input() for row in rows if row.has_changed() and row.cleaned_data],
        seller_household=None if producer else references.seller_household(user, d["seller_household"]),
        seller_producer=references.seller_producer(user, d["seller_producer"]) if producer else None,
        buyer_unit=references.buyer_unit(user, d["buyer_unit"]),
        buyer_cadre=references.buyer_cadre(user, d["buyer_cadre"]),
        buyer_name=d["buyer_name"],
        outlet=references.outlet(user, d["outlet"]),
        activity=references.activity(user, d["activity"]),
        attribution=rule,
        beneficiaries=references.beneficiaries(user, list(amounts.items()))
        if rule == Attribution.ENTERED
        else [],
        total=d["total"],
        note=d["note"],
    )


def _seller_context(request: HttpRequest, form: PurchaseForm) -> dict[str, Any]:
    """What the form showed before a failed post: the chosen household and the producer's amounts."""
    context: dict[str, Any] = {"chosen_household": None, "beneficiary_rows": []}
    pk = request.POST.get("seller_household", "")
    if pk.isdigit():
        context["chosen_household"] = registry_selectors.households(request.user).filter(pk=int(pk)).first()
    producer_pk = request.POST.get("seller_producer", "")
    if producer_pk.isdigit():
        context["beneficiary_rows"] = linked_rows(request.user, int(producer_pk), request.POST)
    return context


@login_required
@domain_errors
def purchase_create(request: HttpRequest) -> HttpResponse:
    if not can(request.user, "ledger.record"):
        raise PermissionDenied("无权登记购买记录。")
    options = form_options(request.user)
    form = PurchaseForm(request.POST or None, options=options)
    rows = LineFormSet(request.POST or None, prefix="line")
    if request.method == "POST" and form.is_valid() and rows.is_valid():
        try:
            purchase, _ = purchase_record(actor=request.user, data=_input(request, form, rows))
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, f"已登记购买记录：{purchase.date:%Y-%m-%d}，{purchase.total} 元。")
            return redirect("www:purchase", pk=purchase.pk)
    context = {"form": form, "rows": rows, **_seller_context(request, form)}
    status = 400 if request.method == "POST" else 200
    return render(request, "www/ledger/entry.html", context, status=status)


@login_required
def household_search(request: HttpRequest) -> HttpResponse:
    """Households matching a name, pinyin initials or number, as radio buttons for the entry form."""
    q = request.GET.get("q", "").strip()[:40]
    found: list[Household] = []
    if q:
        flt = registry_selectors.HouseholdFilter(q=q)
        found = list(registry_selectors.households(request.user, flt)[:SEARCH_LIMIT])
    return render(request, "www/ledger/_household_choices.html", {"households": found, "q": q})


def linked_rows(user: Any, producer_pk: int, post: Any = None) -> list[dict[str, Any]]:
    """Households linked to the producer or members of it, each with the amount entered for it so far."""
    producer = registry_selectors.producer(user, producer_pk)
    households: dict[int, Household] = {}
    for linkage in producer.linkages.all():
        households.setdefault(linkage.household_id, linkage.household)
    for member in producer.members.all():
        if member.household is not None:
            households.setdefault(member.household_id, member.household)  # type: ignore[arg-type]
    post = post or {}
    return [{"household": h, "amount": post.get(f"ben-{h.pk}", "")} for h in households.values()]


@login_required
@domain_errors
def producer_households(request: HttpRequest) -> HttpResponse:
    pk = request.GET.get("seller_producer", "")
    rows = linked_rows(request.user, int(pk)) if pk.isdigit() else []
    return render(request, "www/ledger/_beneficiary_rows.html", {"beneficiary_rows": rows})
