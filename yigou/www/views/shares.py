"""Reserved shares (预留份额): the regional dashboard and its export, a unit's own filing and completion,
the office's review pages and the floors. Totals come from yigou.shares.selectors (scoped, one ledger query)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.views.decorators.http import require_POST

from yigou.accounts.scope import can, works_over_regions
from yigou.assist.models import AssistingUnit
from yigou.core.errors import DomainError
from yigou.regions.enums import Level
from yigou.regions.models import Region
from yigou.shares import selectors, services
from yigou.shares.enums import EDITABLE, CanteenMode, FilingStatus
from yigou.shares.export import workbook
from yigou.shares.floors import floor_for
from yigou.shares.forms import ApproveForm, FilingForm, FloorForm, ReturnForm, initial_from
from yigou.shares.models import ShareFiling
from yigou.shares.services import floor_set

from .common import domain_errors, file_download, paginate, region_options

ROW_SORTS = {
    "name": lambda r: (r.unit.name_initials, r.unit.pk),
    "-name": lambda r: (tuple(-ord(c) for c in r.unit.name_initials), -r.unit.pk),
    "rate": lambda r: (r.rate is None, -(r.rate or 0), r.unit.pk),
    "-rate": lambda r: (r.rate is None, r.rate or 0, r.unit.pk),
    "done": lambda r: (-r.done, r.unit.pk),
    "-done": lambda r: (r.done, r.unit.pk),
}


def _today() -> dt.date:
    return timezone.localdate()


def _year(request: HttpRequest) -> int:
    value = request.GET.get("year", "") or request.POST.get("year", "")
    return int(value) if value.isdigit() and 2015 <= int(value) <= 2100 else _today().year


def _years() -> list[int]:
    return list(range(_today().year + 1, 2015, -1))


@login_required
@domain_errors
def dashboard(request: HttpRequest) -> HttpResponse:
    if selectors.files_as_own_unit(request.user):
        return redirect("www:shares_mine")
    if not works_over_regions(request.user):
        raise PermissionDenied("预留份额汇总仅向扶贫办、审计和系统管理员开放。")
    year, get = _year(request), request.GET
    region = selectors.dashboard_region(request.user, get.get("region", "")[:12])
    board = selectors.dashboard(request.user, region, year, _today())
    q, sort = get.get("q", "").strip()[:60], get.get("sort", "rate")
    rows = [r for r in board.rows if not q or q in r.unit.name or r.unit.name_initials.startswith(q.lower())]
    rows.sort(key=ROW_SORTS.get(sort, ROW_SORTS["rate"]))
    context = {
        "board": board,
        "year": year,
        "years": _years(),
        "q": q,
        "sort": sort,
        "page": Paginator(rows, 50).get_page(get.get("page")),
        "region_options": region_options(request.user, include_home=True, deepest=Level.TOWNSHIP),
        "region_code": region.code if region else "",
        "can_export": can(request.user, "export"),
        "can_review": can(request.user, "shares.review"),
    }
    return render(request, "shares/dashboard.html", context)


@login_required
@domain_errors
def export(request: HttpRequest) -> HttpResponse:
    if not can(request.user, "export"):
        raise PermissionDenied("无权导出。")
    year = _year(request)
    region = selectors.dashboard_region(request.user, request.GET.get("region", "")[:12])
    board = selectors.dashboard(request.user, region, year, _today())
    response = file_download(workbook(board), f"{region.name if region else '全部地区'}{year}年预留份额.xlsx")
    return response


def _unit_for(request: HttpRequest) -> AssistingUnit:
    """Unit staff work on their own unit; an administrator names one (?unit=)."""
    pk = request.GET.get("unit", "") or request.POST.get("unit", "")
    if not pk and not selectors.files_as_own_unit(request.user):
        raise PermissionDenied("请从单位页面进入，并指定单位。")
    return selectors.filing_unit(request.user, pk)


@login_required
@domain_errors
def mine(request: HttpRequest) -> HttpResponse:
    unit, year = _unit_for(request), _year(request)
    share = selectors.unit_share(request.user, unit, year, _today())
    editable = share.filing is None or (
        share.filing.mode != CanteenMode.MERGED and share.filing.status in EDITABLE
    )
    context = {
        "share": share,
        "unit": unit,
        "year": year,
        "years": _years(),
        "page": paginate(request, selectors.share_purchases(request.user, share)),
        "may_file": can(request.user, "shares.file") and unit.is_budget_unit and editable,
        "may_submit": editable and share.filing is not None and can(request.user, "shares.file"),
    }
    return render(request, "shares/mine.html", context)


@login_required
@domain_errors
def file(request: HttpRequest) -> HttpResponse:
    unit, year = _unit_for(request), _year(request)
    services.ensure_own_unit(request.user, unit)
    current = ShareFiling.objects.filter(unit=unit, year=year).select_related("contractor_user").first()
    form = FilingForm(request.POST or None, unit=unit, initial=initial_from(current, unit))
    data = form.to_input() if request.method == "POST" and form.is_valid() else None
    if data is not None:
        try:
            filing = services.filing_save(actor=request.user, unit=unit, year=year, data=data)
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, f"已保存{year}年预留份额填报（草稿），核对无误后请报送。")
            return redirect("www:shares_filing", pk=filing.pk)
    context = {
        "form": form,
        "unit": unit,
        "year": year,
        "floor": floor_for(unit.region_id, year),
        "current": current,
    }
    return render(request, "shares/file.html", context, status=400 if form.errors else 200)


@login_required
def filing_list(request: HttpRequest) -> HttpResponse:
    if not works_over_regions(request.user):
        raise PermissionDenied("预留份额审核仅向扶贫办、审计和系统管理员开放。")
    get = request.GET
    year, status, q = _year(request), get.get("status", "")[:16], get.get("q", "").strip()[:60]
    sort, flagged = get.get("sort", "-submitted"), get.get("flagged", "") == "1"
    region = get.get("region", "")[:12]
    qs = selectors.filings(
        request.user, year=year, status=status, q=q, region=region, flagged=flagged, sort=sort
    )
    context = {
        "page": paginate(request, qs),
        "year": year,
        "years": _years(),
        "status": status,
        "q": q,
        "sort": sort,
        "flagged": flagged,
        "region": region,
        "status_options": selectors.STATUS_OPTIONS,
        "region_options": region_options(request.user, include_home=True, deepest=Level.TOWNSHIP),
    }
    return render(request, "shares/filing_list.html", context)


def _detail(request: HttpRequest, filing: ShareFiling, **forms: Any) -> HttpResponse:
    share = selectors.unit_share(request.user, filing.unit, filing.year, _today())
    reviewable = filing.status == FilingStatus.SUBMITTED and filing.mode != CanteenMode.MERGED
    context = {
        "filing": filing,
        "share": share,
        "members": list(filing.members.select_related("unit")),
        "floor": floor_for(filing.unit.region_id, filing.year),
        "may_review": reviewable and can(request.user, "shares.review"),
        "may_submit": selectors.may_submit(request.user, filing),
        "approve_form": forms.get("approve_form") or ApproveForm(),
        "return_form": forms.get("return_form") or ReturnForm(),
    }
    return render(request, "shares/filing_detail.html", context, status=400 if forms else 200)


@login_required
@domain_errors
def filing_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, selectors.filing(request.user, pk))


@require_POST
@login_required
@domain_errors
def filing_submit(request: HttpRequest, pk: int) -> HttpResponse:
    filing = selectors.filing(request.user, pk)
    try:
        filing = services.filing_submit(actor=request.user, filing=filing)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "已报送，等待主管部门审核。")
    return redirect("www:shares_filing", pk=filing.pk)


@require_POST
@login_required
@domain_errors
def filing_approve(request: HttpRequest, pk: int) -> HttpResponse:
    filing = selectors.filing(request.user, pk)
    form = ApproveForm(request.POST)
    if form.is_valid():
        try:
            services.filing_approve(actor=request.user, filing=filing, note=form.cleaned_data["note"])
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, f"已审核通过“{filing.unit.name}”的填报。")
            return redirect("www:shares_filing", pk=filing.pk)
    return _detail(request, filing, approve_form=form)


@require_POST
@login_required
@domain_errors
def filing_return(request: HttpRequest, pk: int) -> HttpResponse:
    filing = selectors.filing(request.user, pk)
    form = ReturnForm(request.POST)
    if form.is_valid():
        try:
            services.filing_return(actor=request.user, filing=filing, reason=form.cleaned_data["reason"])
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, f"已退回“{filing.unit.name}”的填报。")
            return redirect("www:shares_filing", pk=filing.pk)
    return _detail(request, filing, return_form=form)


@login_required
@domain_errors
def floors(request: HttpRequest) -> HttpResponse:
    if not works_over_regions(request.user):
        raise PermissionDenied("预留比例下限仅向扶贫办、审计和系统管理员开放。")
    may_set = can(request.user, "shares.floor")
    regions = region_options(request.user, include_home=True, deepest=Level.COUNTY)
    form = FloorForm(request.POST or None, regions=regions, initial={"year": _year(request)})
    if request.method == "POST":
        if not may_set:
            raise PermissionDenied("无权设置预留比例下限。")
        if form.is_valid():
            d = form.cleaned_data
            try:
                floor_set(
                    actor=request.user,
                    region=Region.objects.get(code=d["region"]),
                    year=d["year"],
                    ratio=d["ratio"],
                    note=d["note"],
                )
            except DomainError as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(request, f"已设置{d['year']}年最低预留比例 {d['ratio']}%。")
                return redirect("www:shares_floors")
    qs = selectors.floors(request.user).order_by("-year", "region_id")
    context = {"page": paginate(request, qs), "form": form, "may_set": may_set}
    return render(request, "shares/floors.html", context, status=400 if form.errors else 200)


urlpatterns = [
    path("", dashboard, name="shares"),
    path("export/", export, name="shares_export"),
    path("mine/", mine, name="shares_mine"),
    path("file/", file, name="shares_file"),
    path("filings/", filing_list, name="shares_filings"),
    path("filings/<int:pk>/", filing_detail, name="shares_filing"),
    path("filings/<int:pk>/submit/", filing_submit, name="shares_submit"),
    path("filings/<int:pk>/approve/", filing_approve, name="shares_approve"),
    path("filings/<int:pk>/return/", filing_return, name="shares_return"),
    path("floors/", floors, name="shares_floors"),
]
