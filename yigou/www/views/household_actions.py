"""Household changes: status events, identification steps, PII reveal, registration, evidence download."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.forms import BaseFormSet
from django.http import FileResponse, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from yigou.accounts.scope import can, get_visible
from yigou.core.errors import DomainError, NotFoundError, PermissionDeniedError
from yigou.regions.models import Region
from yigou.registry import selectors, services
from yigou.registry.models import EvidenceFile, Household, Member

from ..forms.households import (
    EventForm,
    HouseholdEditForm,
    HouseholdForm,
    MemberAddForm,
    MemberRemoveForm,
    MemberRowFormSet,
    StepForm,
)
from .common import domain_errors, is_htmx, village_options
from .households import detail_context


def _refuse_unless(request: HttpRequest, capability: str) -> None:
    if not can(request.user, capability):
        raise PermissionDenied("无权执行此操作。")


def _apply(
    request: HttpRequest,
    pk: int,
    make_form: Callable[[Household], Any],
    form_key: str,
    perform: Callable[[Household, Any], str],
) -> HttpResponse:
    """One change form of the household page: the service's refusal shows on the page and nothing is written."""
    _refuse_unless(request, "registry.change")
    hh = selectors.household(request.user, pk)
    form = make_form(hh)
    if form.is_valid():
        try:
            done = perform(hh, form)
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, done)
            return redirect("www:household", pk=hh.pk)
    hh = selectors.household(request.user, pk)
    context = detail_context(request, hh, **{form_key: form})
    return render(request, "www/households/detail.html", context, status=400)


@require_POST
@login_required
@domain_errors
def record_event(request: HttpRequest, pk: int) -> HttpResponse:
    def perform(hh: Household, form: Any) -> str:
        d = form.cleaned_data
        event = services.household_record_event(
            actor=request.user,
            household=hh,
            kind=d["kind"],
            date=d["date"],
            reason=d["reason"],
            monitor_type=d["monitor_type"],
            files=d["evidence"],
        )
        return f"已记录“{event.get_kind_display()}”（{event.date:%Y-%m-%d}）。"

    return _apply(request, pk, lambda hh: EventForm(request.POST, request.FILES), "event_form", perform)


@require_POST
@login_required
@domain_errors
def record_step(request: HttpRequest, pk: int) -> HttpResponse:
    def perform(hh: Household, form: Any) -> str:
        d = form.cleaned_data
        step = services.identification_record_step(
            actor=request.user,
            household=hh,
            step=d["step"],
            date=d["date"],
            note=d["note"],
            files=d["evidence"],
        )
        return f"已记录识别程序“{step.get_step_display()}”（{step.date:%Y-%m-%d}）。"

    return _apply(request, pk, lambda hh: StepForm(request.POST, request.FILES), "step_form", perform)


@require_POST
@login_required
@domain_errors
def household_edit(request: HttpRequest, pk: int) -> HttpResponse:
    def perform(hh: Household, form: Any) -> str:
        d = form.cleaned_data
        services.household_update(
            actor=request.user, household=hh, phone=d["phone"].strip() or None, address=d["address"]
        )
        return "已更新联系电话和住址。"

    return _apply(request, pk, lambda hh: HouseholdEditForm(request.POST), "edit_form", perform)


@require_POST
@login_required
@domain_errors
def member_add(request: HttpRequest, pk: int) -> HttpResponse:
    def perform(hh: Household, form: Any) -> str:
        member = services.member_add(actor=request.user, household=hh, member=form.as_input())
        return f"已添加家庭成员“{member.name}”。"

    return _apply(request, pk, lambda hh: MemberAddForm(request.POST), "member_form", perform)


@require_POST
@login_required
@domain_errors
def member_remove(request: HttpRequest, pk: int) -> HttpResponse:
    def perform(hh: Household, form: Any) -> str:
        member = form.cleaned_data["member"]
        services.member_remove(actor=request.user, member=member, reason=form.cleaned_data["reason"])
        return f"已将“{member.name}”减员。"

    return _apply(
        request, pk, lambda hh: MemberRemoveForm(request.POST, household=hh), "remove_form", perform
    )


@require_POST
@login_required
@domain_errors
def reveal_member(request: HttpRequest, pk: int, member_pk: int) -> HttpResponse:
    member = get_visible(
        request.user, Member.objects.select_related("household"), pk=member_pk, household_id=pk
    )
    revealed = services.member_reveal(actor=request.user, member=member)
    template = "www/partials/revealed.html" if is_htmx(request) else "www/households/revealed.html"
    return render(request, template, {"member": member, "revealed": revealed})


@require_GET
@login_required
@domain_errors
def evidence_download(request: HttpRequest, pk: int) -> HttpResponseBase:
    # Evidence is served through the scope check, never as a public media URL.
    row = get_visible(request.user, EvidenceFile.objects.all(), pk=pk)
    try:
        handle = row.file.open("rb")
    except FileNotFoundError as exc:
        raise NotFoundError() from exc
    return FileResponse(handle, as_attachment=False, filename=row.name)


@login_required
@domain_errors
def household_create(request: HttpRequest) -> HttpResponse:
    _refuse_unless(request, "registry.change")
    villages = village_options(request.user)
    form = HouseholdForm(request.POST or None, villages=villages)
    rows = MemberRowFormSet(request.POST or None, prefix="m", initial=[{"relation": "head"}])
    if request.method == "POST" and form.is_valid() and rows.is_valid():
        try:
            hh = _register(request, form, rows)
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, f"已登记 {hh}。")
            return redirect("www:household", pk=hh.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "www/households/create.html", {"form": form, "rows": rows}, status=status)


def _register(request: HttpRequest, form: HouseholdForm, rows: BaseFormSet) -> Household:
    d = form.cleaned_data
    village = Region.objects.filter(code=d["village"]).first()
    if village is None:
        raise PermissionDeniedError("out_of_scope")
    members = [row.as_input() for row in rows if row.cleaned_data]
    return services.household_register(
        actor=request.user,
        village=village,
        members=members,
        number=d["number"].strip(),
        phone=d["phone"].strip(),
        address=d["address"],
    )
