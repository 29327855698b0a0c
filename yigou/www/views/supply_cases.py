"""Quick-response case pages: the list, a case with its steps and ranked buyers (publish, assign, close), and the
dashboard with its XLSX. Every decision is the supply app's; these views only translate requests."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.views.decorators.http import require_POST

from yigou.accounts.scope import can, ensure_works_over_regions
from yigou.core.errors import DomainError, PermissionDeniedError
from yigou.shares.selectors import dashboard_region
from yigou.supply import board, cases, response, selectors
from yigou.supply.enums import CaseStatus, Level
from yigou.supply.models import Case

from ..forms.supply import CaseAssignForm, CaseCloseForm, CasePublishForm
from .common import domain_errors, file_download, paginate, region_options

SORT_OPTIONS = [("deadline", "处置时限"), ("opened", "立案时间"), ("level", "级别")]


@login_required
def case_list(request: HttpRequest) -> HttpResponse:
    get = request.GET
    f: dict[str, Any] = {
        "region": get.get("region", "")[:12],
        "status": get.get("status", CaseStatus.OPEN)[:8],
        "level": get.get("level", "")[:8],
        "q": get.get("q", "").strip()[:60],
        "overdue": get.get("overdue") == "1",
        "sort": get.get("sort", "deadline")[:10],
    }
    rows = selectors.cases(request.user, **f)
    context = {
        "page": paginate(request, rows),
        "f": f,
        "now": timezone.now(),
        "status_options": CaseStatus.choices,
        "level_options": [(lv, lb) for lv, lb in Level.choices if lv != Level.WATCH],
        "sort_options": SORT_OPTIONS,
        "region_options": region_options(request.user),
    }
    return render(request, "supply/case_list.html", context)


def _buyer_choices(buyers: list[response.Buyer]) -> list[tuple[str, str]]:
    return [(b.key, b.name) for b in buyers if b.reachable]


def _handler_choices(case: Case) -> list[tuple[str, str]]:
    return [
        (str(u.pk), f"{u}（{u.organisation.region.name if u.organisation else ''}）")
        for u in cases.possible_handlers(case)
    ]


def _detail_context(request: HttpRequest, case: Case, **forms: object) -> dict[str, object]:
    may = cases.may_handle(request.user, case) and can(request.user, "supply.respond")
    buyers = response.ranked_buyers(request.user, case) if may and case.is_open else []
    today = timezone.localdate()
    context: dict[str, object] = {
        "case": case,
        "events": selectors.case_events(case),
        "now": timezone.now(),
        "may_handle": may,
        "buyers": buyers,
        "publish_form": CasePublishForm(
            buyers=_buyer_choices(buyers),
            initial={
                "unit_price": case.expected_price,
                "closes_on": max(case.last_day, today),
                "buyers": [b.key for b in buyers if b.reachable and b.group == response.Group.PAIRED],
            },
        ),
        "close_form": CaseCloseForm(),
        "assign_form": CaseAssignForm(people=_handler_choices(case)),
    }
    context.update(forms)
    return context


@login_required
@domain_errors
def case_detail(request: HttpRequest, pk: int) -> HttpResponse:
    case = selectors.case(request.user, pk)
    return render(request, "supply/case_detail.html", _detail_context(request, case))


def _refused(request: HttpRequest, case: Case, exc: DomainError, **forms: object) -> HttpResponse:
    if isinstance(exc, PermissionDeniedError):
        raise exc
    context = _detail_context(request, case, **forms)
    context["error"] = exc.message
    return render(request, "supply/case_detail.html", context, status=400)


@login_required
@require_POST
@domain_errors
def case_publish(request: HttpRequest, pk: int) -> HttpResponse:
    case = selectors.case(request.user, pk)
    buyers = response.ranked_buyers(request.user, case) if case.is_open else []
    form = CasePublishForm(request.POST, buyers=_buyer_choices(buyers))
    if not form.is_valid():
        return _refused(
            request, case, DomainError("invalid_input", detail="请检查发布信息"), publish_form=form
        )
    try:
        listing = response.case_publish(actor=request.user, case=case, data=form.to_input())
    except DomainError as exc:
        return _refused(request, case, exc, publish_form=form)
    messages.success(request, f"已发布预售清单“{listing.title}”并通知所选采购方。")
    return redirect("www:supply_case", pk=case.pk)


@login_required
@require_POST
@domain_errors
def case_close(request: HttpRequest, pk: int) -> HttpResponse:
    case = selectors.case(request.user, pk)
    form = CaseCloseForm(request.POST)
    if not form.is_valid():
        return _refused(
            request, case, DomainError("invalid_input", detail="请选择结案方式并写明说明"), close_form=form
        )
    try:
        cases.case_close(
            actor=request.user, case=case, reason=form.cleaned_data["reason"], note=form.cleaned_data["note"]
        )
    except DomainError as exc:
        return _refused(request, case, exc, close_form=form)
    messages.success(request, f"案件 {case.number} 已结案。")
    return redirect("www:supply_case", pk=case.pk)


@login_required
@require_POST
@domain_errors
def case_assign(request: HttpRequest, pk: int) -> HttpResponse:
    case = selectors.case(request.user, pk)
    form = CaseAssignForm(request.POST, people=_handler_choices(case))
    if not form.is_valid():
        return _refused(request, case, DomainError("invalid_input", detail="请选择责任人"), assign_form=form)
    try:
        handler = cases.named_handler(case, form.cleaned_data["handler"])
        cases.case_assign(actor=request.user, case=case, handler=handler)
    except DomainError as exc:
        return _refused(request, case, exc, assign_form=form)
    messages.success(request, f"已指定责任人：{handler}。")
    return redirect("www:supply_case", pk=case.pk)


@login_required
@domain_errors
def case_board(request: HttpRequest) -> HttpResponse:
    ensure_works_over_regions(request.user, "滞销预警看板按区划统计，仅向各级办公室开放")
    region = dashboard_region(request.user, request.GET.get("region", "")[:12])
    b = board.board(request.user, region)
    if request.GET.get("export") == "xlsx":
        if not can(request.user, "export"):
            raise PermissionDeniedError()
        place = region.name if region is not None else "全国"
        return file_download(board.board_xlsx(b), f"{place}滞销预警与快速响应_{dt.date.today()}.xlsx")
    context = {
        "b": b,
        "region_options": region_options(request.user, include_home=True),
        "levels": board.LEVEL_ORDER,
    }
    return render(request, "supply/board.html", context)


urlpatterns = [
    path("supply/cases/", case_list, name="supply_cases"),
    path("supply/cases/<int:pk>/", case_detail, name="supply_case"),
    path("supply/cases/<int:pk>/publish/", case_publish, name="supply_case_publish"),
    path("supply/cases/<int:pk>/close/", case_close, name="supply_case_close"),
    path("supply/cases/<int:pk>/assign/", case_assign, name="supply_case_assign"),
    path("supply/board/", case_board, name="supply_board"),
]
