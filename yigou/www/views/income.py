"""The household's income card and monitoring tab, the phone page of 入户调查 (income entry, 三保障 check), and the
correction of an entry. Every decision is the income app's; these views only translate requests."""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Max
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from yigou.accounts.scope import can, named_required
from yigou.core.errors import DomainError, NotFoundError, PermissionDeniedError
from yigou.income import cards, exports, selectors, services
from yigou.income.cases import flags_from_scan, open_case_of
from yigou.income.checks import check_year
from yigou.income.enums import SecurityItem
from yigou.income.figures import yuan
from yigou.registry import selectors as registry_selectors
from yigou.registry.models import Household

from .common import PAGE_SIZE, domain_errors, file_download, region_options
from .income_files import evidence_response
from .income_forms import CheckForm, CorrectForm, SurveyForm, first_error, this_year
from .monitoring import household_cases

SEARCH_LIMIT = 20
TABS = {"card": "收入台账", "monitoring": "监测帮扶"}


def _ensure_view(request: HttpRequest) -> None:
    if not can(request.user, "income.view"):
        raise PermissionDeniedError()


def _year_of(request: HttpRequest, hh: Household) -> int:
    """The year asked for, else the latest year the household has entries for, else this year."""
    text = request.GET.get("year", "").strip()
    if text:
        return check_year(text)
    latest = hh.income_entries.aggregate(year=Max("year"))["year"]
    return int(latest or this_year())


def _card_or_error(request: HttpRequest, hh: Household, year: int) -> tuple[Any, str]:
    try:
        return selectors.income_card(request.user, hh, year), ""
    except DomainError as exc:
        if isinstance(exc, PermissionDeniedError | NotFoundError):
            raise
        return None, exc.message


def card_context(request: HttpRequest, hh: Household, year: int) -> dict[str, Any]:
    card, card_error = _card_or_error(request, hh, year)
    entries = cards.card_entries(request.user, hh, year)
    return {
        "card": card,
        "card_error": card_error,
        "entries": entries,
        "sales": cards.ledger_sales(request.user, hh, year),
        "correct_form": CorrectForm(),
        "may_record": can(request.user, "income.record"),
    }


def monitoring_context(request: HttpRequest, hh: Household, year: int) -> dict[str, Any]:
    items = cards.security_items(request.user, hh, year)
    return {
        "items": items,
        "gap_count": sum(1 for i in items if i.gap),
        "checks": cards.security_history(request.user, hh, year),
        "line": selectors.line_for(year, hh.village_id),
        "suggestion": cards.household_scan(request.user, hh, year),
        "cases": household_cases(request, hh),
        "may_flag": can(request.user, "monitoring.flag"),
        "has_open_case": open_case_of(hh) is not None,
        "may_record": can(request.user, "income.record"),
    }


@login_required
@domain_errors
@require_GET
def household_income(request: HttpRequest, pk: int) -> HttpResponse:
    """/households/<pk>/income/?year=Y&tab=card|monitoring — one household's card or its monitoring tab."""
    _ensure_view(request)
    hh = cards.visible_household(request.user, pk)
    tab = request.GET.get("tab", "card")
    tab = tab if tab in TABS else "card"
    context: dict[str, Any] = {"hh": hh, "tab": tab, "tabs": TABS, "tab_label": TABS[tab]}
    try:
        year = _year_of(request, hh)
    except DomainError as exc:
        context.update(error=exc.message, year=this_year())
        return render(request, "www/income/household.html", context, status=400)
    context["year"] = year
    context.update(
        card_context(request, hh, year) if tab == "card" else monitoring_context(request, hh, year)
    )
    return render(request, "www/income/household.html", context)


def _survey_household(request: HttpRequest, value: Any) -> tuple[Household | None, str]:
    """The household a survey form names, or the Chinese reason (none picked; not found or out of scope)."""
    pk = str(value or "").strip()
    if not pk.isdigit():
        return None, "请先搜索并选择农户"
    try:
        return named_required(
            request.user,
            Household.objects.select_related("village"),
            int(pk),
            field="household",
            label="农户",
        ), ""
    except DomainError as exc:
        return None, exc.message


def _search(request: HttpRequest, q: str) -> list[Household]:
    if not q:
        return []
    flt = registry_selectors.HouseholdFilter(q=q)
    return list(registry_selectors.households(request.user, flt).select_related("village")[:SEARCH_LIMIT])


def _survey_page(request: HttpRequest, status: int = 200, **context: Any) -> HttpResponse:
    hh = context.get("household")
    if hh is None:
        hh, _ = _survey_household(request, request.GET.get("household"))
    initial = {"household": hh.pk if hh else None, "year": request.GET.get("year") or this_year()}
    context.setdefault("survey_form", SurveyForm(initial=initial))
    context.setdefault("check_form", CheckForm(initial=initial))
    q = request.GET.get("q", "").strip()[:40]
    context.update(
        household=hh, q=q, households=_search(request, q), may_record=can(request.user, "income.record")
    )
    return render(request, "www/income/survey.html", context, status=status)


def _ensure_record(request: HttpRequest) -> None:
    if not can(request.user, "income.record"):
        raise PermissionDeniedError()


def _back_to_survey(hh: Household, year: Any) -> HttpResponse:
    return redirect(f"{reverse('www:income_survey')}?{urlencode({'household': hh.pk, 'year': year})}")


def _survey_write(
    request: HttpRequest, form: forms.Form, key: str, write: Callable[..., Any], done: Callable[[Any], str]
) -> HttpResponse:
    """One write of the survey page: the form (prefix `key`) is re-shown with the Chinese reason when refused;
    the form's fields but the household are the service's arguments."""
    _ensure_record(request)
    hh, error = _survey_household(request, request.POST.get("household"))
    if not form.is_valid() or hh is None:
        page: dict[str, Any] = {f"{key}_form": form, f"{key}_error": error or first_error(form)}
        return _survey_page(request, 400, household=hh, **page)
    data = {k: v for k, v in form.cleaned_data.items() if k != "household"}
    try:
        row = write(actor=request.user, household=hh, **data)
    except DomainError as exc:
        if isinstance(exc, PermissionDeniedError):
            raise
        page = {f"{key}_form": form, f"{key}_error": exc.message}
        return _survey_page(request, 400, household=hh, **page)
    messages.success(request, f"已登记：{hh.head_name}户 {row.year}年 {done(row)}。")
    return _back_to_survey(hh, row.year)


@login_required
@domain_errors
@require_http_methods(["GET", "POST"])
def survey(request: HttpRequest) -> HttpResponse:
    """入户调查: pick a household, then enter one income component (with its evidence) at a time."""
    _ensure_view(request)
    if request.method == "GET":
        return _survey_page(request)
    form = SurveyForm(request.POST, request.FILES)
    return _survey_write(
        request,
        form,
        "survey",
        services.income_record,
        lambda entry: f"{entry.get_component_display()} {yuan(entry.amount)}",
    )


@login_required
@domain_errors
@require_POST
def survey_check(request: HttpRequest) -> HttpResponse:
    """A 三保障 or drinking-water check of the household picked on the survey page."""
    _ensure_view(request)
    return _survey_write(
        request,
        CheckForm(request.POST),
        "check",
        services.security_check_record,
        lambda check: f"{SecurityItem(check.item).label} {'达标' if check.ok else '未达标'}",
    )


@login_required
@domain_errors
@require_GET
def survey_households(request: HttpRequest) -> HttpResponse:
    """Households matching a name, pinyin initials or number, as the survey page's choices (htmx)."""
    _ensure_view(request)
    q = request.GET.get("q", "").strip()[:40]
    return render(request, "www/income/_household_choices.html", {"households": _search(request, q), "q": q})


@login_required
@domain_errors
@require_POST
def entry_correct(request: HttpRequest, pk: int) -> HttpResponse:
    """Correct an entry: an offsetting entry with the reason and, if given, the right amount as a new entry."""
    _ensure_record(request)
    row = cards.entry(request.user, pk)
    back = f"{reverse('www:household_income', args=[row.household_id])}?{urlencode({'year': row.year})}"
    form = CorrectForm(request.POST)
    if not form.is_valid():
        messages.error(request, first_error(form))
        return redirect(back)
    try:
        offset, replacement = services.income_correct(
            actor=request.user,
            entry=row,
            reason=form.cleaned_data["reason"],
            amount=form.cleaned_data["amount"],
        )
    except DomainError as exc:
        if isinstance(exc, PermissionDeniedError | NotFoundError):
            raise
        messages.error(request, exc.message)
        return redirect(back)
    text = f"已冲正 {yuan(-offset.amount)}"
    text += f"，并登记更正后金额 {yuan(replacement.amount)}。" if replacement else "。"
    messages.success(request, text)
    return redirect(back)


@login_required
@domain_errors
@require_GET
def entry_evidence(request: HttpRequest, pk: int) -> HttpResponseBase:
    # Evidence is served through the scope check, never as a public media URL.
    row = cards.entry(request.user, pk)
    if not row.evidence:
        raise NotFoundError()
    return evidence_response(row.evidence, os.path.basename(row.evidence.name or ""))


@login_required
@domain_errors
@require_GET
def card_list(request: HttpRequest) -> HttpResponseBase:
    """/income/?region=&year= — the cards of a region and year (the households with income entries), or ?export=xlsx."""
    _ensure_view(request)
    get = request.GET
    f = {
        "region": get.get("region", "").strip()[:12],
        "year": get.get("year", "").strip()[:4] or str(this_year()),
    }
    context: dict[str, Any] = {
        "f": f,
        "region_options": region_options(request.user, include_home=True),
        "can_export": can(request.user, "export"),
        "may_record": can(request.user, "income.record"),
    }
    try:
        region = cards.region_for(request.user, f["region"])
        year = check_year(f["year"])
    except DomainError as exc:
        if isinstance(exc, PermissionDeniedError):
            raise
        context["error"] = exc.message
        return render(request, "www/income/list.html", context, status=400)
    if get.get("export") == "xlsx":
        if not can(request.user, "export"):
            raise PermissionDeniedError()
        result = exports.export_cards(
            actor=request.user, region=region, year=year, reveal=get.get("reveal") == "1"
        )
        return file_download(result.content, result.filename)
    rows = cards.region_cards(request.user, region, year)
    context.update(
        region=region,
        year=year,
        line=selectors.line_for(year, region.code),
        page=Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page")),
        export_query=urlencode({"region": region.code, "year": str(year), "export": "xlsx"}),
    )
    return render(request, "www/income/list.html", context)


@login_required
@domain_errors
@require_POST
def flag_from_scan(request: HttpRequest, pk: int) -> HttpResponse:
    """系统监测预警: the scan's suggestion for this household and year becomes a case (识别中)."""
    hh = cards.visible_household(request.user, pk)
    year = request.POST.get("year", "")
    back = f"{reverse('www:household_income', args=[hh.pk])}?{urlencode({'tab': 'monitoring', 'year': year})}"
    try:
        opened = flags_from_scan(
            actor=request.user, region_code=hh.village_id, year=year, households=[hh.number]
        )
    except DomainError as exc:
        if isinstance(exc, PermissionDeniedError | NotFoundError):
            raise
        messages.error(request, exc.message)
        return redirect(back)
    if opened:
        messages.success(request, f"已按监测预警登记为监测对象（{opened[0].get_group_display()}，识别中）。")
        return redirect("www:monitoring_case", pk=opened[0].pk)
    messages.error(request, "该户已是监测对象，未重复登记。")
    return redirect(back)
