"""农户自主申报: the public phone form (no sign-in) and the staff page of declarations waiting to be handled.

The public page answers every accepted declaration with the domain's one receipt, whether the ID number is on the
register or not, and never shows anything it did not receive; a refusal (bad input, too many declarations) is the
domain's Chinese message. Staff see personal data masked."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from yigou.accounts.scope import can, named_row
from yigou.core.errors import DomainError, NotFoundError, PermissionDeniedError
from yigou.core.masking import mask_id_number, mask_name, mask_phone
from yigou.income import declarations, selectors
from yigou.income.models import Declaration
from yigou.registry.models import Household

from .common import domain_errors, paginate
from .monitoring_forms import DeclarationCaseForm, DeclareForm, DismissForm

TOO_MANY = 429


def _first_error(form: Any) -> str:
    for errors in form.errors.values():
        if errors:
            return str(errors[0])
    return "输入有误"


@never_cache
@require_http_methods(["GET", "POST"])
def declare(request: HttpRequest) -> HttpResponse:
    """/public/monitoring/declare/ — the household's own declaration of a difficulty, from a phone."""
    if request.method == "GET":
        return render(request, "www/monitoring/declare.html", {"form": DeclareForm()})
    form = DeclareForm(request.POST)
    if not form.is_valid():
        context = {"form": form, "error": _first_error(form)}
        return render(request, "www/monitoring/declare.html", context, status=400)
    data = form.cleaned_data
    try:
        receipt = declarations.submit(
            name=data["name"],
            id_number=data["id_number"],
            phone=data["phone"],
            risk_type=data["risk_type"],
            description=data["description"],
            client_ip=request.META.get("REMOTE_ADDR", ""),
        )
    except DomainError as exc:
        status = TOO_MANY if exc.code == "rate_limited" else 400
        return render(
            request, "www/monitoring/declare.html", {"form": form, "error": exc.message}, status=status
        )
    # A fresh page with nothing of what was typed: the receipt only.
    return render(request, "www/monitoring/declared.html", {"receipt": receipt})


class DeclarationRow:
    """A declaration as staff see it: who declared, masked."""

    def __init__(self, row: Declaration):
        self.row = row
        self.name = mask_name(row.name)
        self.id_number = mask_id_number(row.id_number)
        self.phone = mask_phone(row.phone)


def _ensure_view(request: HttpRequest) -> None:
    if not can(request.user, "monitoring.view"):
        raise PermissionDeniedError()


def _page(request: HttpRequest, status: int = 200, **context: Any) -> HttpResponse:
    page = paginate(request, selectors.declarations_pending(request.user))
    context.update(
        page=page,
        rows=[DeclarationRow(d) for d in page],
        may_flag=can(request.user, "monitoring.flag"),
        case_form=context.get("case_form") or DeclarationCaseForm(),
        dismiss_form=context.get("dismiss_form") or DismissForm(),
    )
    return render(request, "www/monitoring/declarations.html", context, status=status)


@login_required
@domain_errors
def declaration_list(request: HttpRequest) -> HttpResponse:
    _ensure_view(request)
    return _page(request)


def _refused(request: HttpRequest, exc: DomainError, **forms: Any) -> HttpResponse:
    if isinstance(exc, PermissionDeniedError | NotFoundError):
        raise exc
    return _page(request, 400, error=exc.message, **forms)


@login_required
@require_POST
@domain_errors
def declaration_case(request: HttpRequest, pk: int) -> HttpResponse:
    """Open the declaration's case; an unmatched one names the household found by the county's check."""
    row = declarations.visible_declaration(request.user, pk)
    form = DeclarationCaseForm(request.POST)
    if not form.is_valid():
        return _page(request, 400, error=_first_error(form), case_form=form)
    try:
        household = named_row(
            request.user,
            Household.objects.all(),
            request.POST.get("household") or None,
            field="household",
            label="农户",
        )
        case = declarations.declaration_open_case(
            actor=request.user,
            declaration=row,
            group=form.cleaned_data["group"],
            risks=form.cleaned_data["risks"],
            household=household,
            note=form.cleaned_data["note"],
        )
    except DomainError as exc:
        return _refused(request, exc, case_form=form)
    messages.success(request, f"已将申报 {row.reference} 立为监测对象，请按程序入户核查。")
    return redirect("www:monitoring_case", pk=case.pk)


@login_required
@require_POST
@domain_errors
def declaration_dismiss(request: HttpRequest, pk: int) -> HttpResponse:
    row = declarations.visible_declaration(request.user, pk)
    form = DismissForm(request.POST)
    if not form.is_valid():
        return _page(request, 400, error=_first_error(form), dismiss_form=form)
    try:
        declarations.declaration_dismiss(
            actor=request.user, declaration=row, reason=form.cleaned_data["reason"]
        )
    except DomainError as exc:
        return _refused(request, exc, dismiss_form=form)
    messages.success(request, f"申报 {row.reference} 核实后不予受理。")
    return redirect("www:monitoring_declarations")
