"""The pairing page (结对帮扶): unit↔village and cadre↔household, with forms to add either."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from yigou.accounts.enums import Role
from yigou.accounts.scope import can
from yigou.assist import selectors, services
from yigou.core.errors import DomainError
from yigou.regions.models import Region

from ..forms.organisations import CadreHouseholdPairingForm, UnitVillagePairingForm
from .common import domain_errors, paginate, village_options
from .producers import visible_household
from .units import unit_options

STATES = {"active": True, "ended": False, "all": None}


def _can_pair(user: object) -> bool:
    # Offices assign pairings; villages and units only read them (mirrors the service's own check).
    return can(user, "assist.change") and getattr(user, "role", "") != Role.VILLAGE


@login_required
def pairing_list(request: HttpRequest) -> HttpResponse:
    side = request.GET.get("side", "village")
    side = side if side in ("village", "household") else "village"
    state = request.GET.get("state", "active")
    state = state if state in STATES else "active"
    select = selectors.village_pairings if side == "village" else selectors.household_pairings
    qs = select(request.user, active=STATES[state])
    context = {
        "page": paginate(request, qs),
        "side": side,
        "state": state,
        "can_pair": _can_pair(request.user),
    }
    return render(request, "www/assist/pairing_list.html", context)


def _forms(request: HttpRequest) -> tuple[UnitVillagePairingForm, CadreHouseholdPairingForm]:
    user = request.user
    which = request.POST.get("which") if request.method == "POST" else None
    data = request.POST if which else None
    village_form = UnitVillagePairingForm(
        data if which == "village" else None, units=unit_options(user), villages=village_options(user)
    )
    cadre_choices = [(str(c.pk), f"{c.name}（{c.unit.name}）") for c in selectors.cadres(user)]
    household_form = CadreHouseholdPairingForm(data if which == "household" else None, cadres=cadre_choices)
    return village_form, household_form


def _save(request: HttpRequest, form: UnitVillagePairingForm | CadreHouseholdPairingForm) -> None:
    user, d = request.user, form.cleaned_data
    if isinstance(form, UnitVillagePairingForm):
        unit = selectors.unit(user, int(d["unit"]))
        village = Region.objects.get(code=d["village"])
        services.pair_unit_village(
            actor=user, unit=unit, village=village, start=d["start"], end=d["end"], note=d["note"]
        )
    else:
        cadre = selectors.cadre(user, int(d["cadre"]))
        household = visible_household(user, d["household_number"])
        services.pair_cadre_household(
            actor=user, cadre=cadre, household=household, start=d["start"], end=d["end"]
        )


@login_required
@domain_errors
def pairing_create(request: HttpRequest) -> HttpResponse:
    if not _can_pair(request.user):
        raise PermissionDenied("无权执行此操作。")
    village_form, household_form = _forms(request)
    bound = village_form if village_form.is_bound else household_form if household_form.is_bound else None
    if bound is not None and bound.is_valid():
        try:
            _save(request, bound)
        except DomainError as exc:
            bound.add_error(None, exc.message)
        else:
            messages.success(request, "已保存结对关系。")
            side = "village" if bound is village_form else "household"
            return redirect(f"{reverse('www:pairings')}?side={side}")
    status = 400 if bound is not None else 200
    context = {"village_form": village_form, "household_form": household_form}
    return render(request, "www/assist/pairing_create.html", context, status=status)
