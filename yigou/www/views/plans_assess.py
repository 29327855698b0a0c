"""Supervision and assessment pages: a plan's findings (督查) with rectification deadlines and closing, a scheme's
ranking with its XLSX in the official layout and the bulletin section as DOCX, and creating a scheme."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from yigou.accounts.scope import can, ensure_works_over_regions
from yigou.core.errors import DomainError, PermissionDeniedError
from yigou.core.tabular import parse_date
from yigou.plans import schemes, scoring, selectors, supervision
from yigou.plans.enums import FindingStatus, Indicator, ItemSource, SiteKind, SubjectKind

from .common import domain_errors, file_download, paginate, region_options
from .plans import date_field, refuse, region_field, today

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
ITEM_ROWS = 4


@login_required
@domain_errors
def finding_list(request: HttpRequest, pk: int) -> HttpResponse:
    plan = selectors.plan(request.user, pk)
    if request.method == "POST":
        try:
            supervision.finding_create(
                actor=request.user,
                plan=plan,
                region=region_field(request),
                problem=request.POST.get("problem", "")[:2000],
                unit_name=request.POST.get("unit_name", "")[:200],
                found_on=date_field(request, "found_on", "督查日期", today()),
                rectify_by=date_field(request, "rectify_by", "整改期限"),
            )
        except DomainError as exc:
            refuse(request, exc)
        else:
            messages.success(request, "督查问题已登记，并已通知被督查地区。")
        return redirect("www:plan_findings", pk=plan.pk)
    f = {"status": request.GET.get("status", "")[:8], "q": request.GET.get("q", "").strip()[:60]}
    page = paginate(request, selectors.findings(request.user, plan, status=f["status"], q=f["q"]))
    context = {
        "plan": plan,
        "f": f,
        "page": page,
        "rows": [(x, x.overdue_on(today())) for x in page],
        "status_options": FindingStatus.choices,
        "may_supervise": can(request.user, "plans.supervise"),
        "region_options": region_options(request.user, include_home=True),
    }
    return render(request, "www/plans/findings.html", context)


@login_required
@domain_errors
def finding_detail(request: HttpRequest, pk: int) -> HttpResponse:
    finding = selectors.finding(request.user, pk)
    if request.method == "POST":
        try:
            supervision.finding_close(
                actor=request.user,
                finding=finding,
                closed_on=date_field(request, "closed_on", "销号日期", today()),
                note=request.POST.get("note", "")[:2000],
            )
        except DomainError as exc:
            refuse(request, exc)
        else:
            messages.success(request, "已整改销号。")
            return redirect("www:plan_finding", pk=finding.pk)
    context = {
        "finding": finding,
        "overdue": finding.overdue_on(today()),
        "may_close": can(request.user, "plans.supervise") and finding.status == FindingStatus.OPEN,
    }
    return render(request, "www/plans/finding.html", context)


def _items(request: HttpRequest) -> list[schemes.ItemInput]:
    items = []
    for n in range(ITEM_ROWS):
        name = request.POST.get(f"item_name_{n}", "").strip()[:100]
        if not name:
            continue
        source = request.POST.get(f"item_source_{n}", ItemSource.TARGET)
        items.append(
            schemes.ItemInput(
                name=name,
                source=source,
                weight=request.POST.get(f"item_weight_{n}", "").strip()[:10],
                indicator=request.POST.get(f"item_indicator_{n}", ""),
                target_name=request.POST.get(f"item_target_{n}", "").strip()[:200],
                threshold=request.POST.get(f"item_threshold_{n}", "").strip()[:10] or "0",
                cap=request.POST.get(f"item_cap_{n}", "").strip()[:10] or "100",
            )
        )
    return items


@login_required
@domain_errors
def scheme_create(request: HttpRequest, pk: int) -> HttpResponse:
    plan = selectors.plan(request.user, pk)
    if not selectors.may_manage(request.user, plan):
        raise PermissionDeniedError()
    if request.method == "POST":
        try:
            scheme = schemes.scheme_create(
                actor=request.user,
                plan=plan,
                name=request.POST.get("name", "")[:200],
                subject_kind=request.POST.get("subject_kind", ""),
                deduction=request.POST.get("deduction", "").strip()[:10] or "0",
                deduction_cap=request.POST.get("deduction_cap", "").strip()[:10] or "0",
                items=_items(request),
            )
        except DomainError as exc:
            refuse(request, exc)
        else:
            messages.success(request, f"已创建考核方案“{scheme.name}”。")
            return redirect("www:plan_ranking", pk=scheme.pk)
    context = {
        "plan": plan,
        "rows": range(ITEM_ROWS),
        "subject_kinds": SubjectKind.choices,
        "sources": ItemSource.choices,
        "indicators": Indicator.choices,
    }
    return render(request, "www/plans/scheme_form.html", context)


@login_required
@domain_errors
def ranking(request: HttpRequest, pk: int) -> HttpResponse:
    as_of = today()
    text = request.GET.get("as_of", "").strip()[:10]
    context: dict[str, Any] = {}
    if text:
        try:
            as_of = parse_date(text)
        except DomainError as exc:
            context["error"] = exc.message
    result = selectors.ranking(request.user, pk, as_of)
    fmt = request.GET.get("export", "")
    if fmt in ("xlsx", "docx"):
        if not can(request.user, "export"):
            raise PermissionDeniedError()
        name = f"{result.scheme.name}排名_{as_of}"
        if fmt == "xlsx":
            return file_download(scoring.ranking_xlsx(result), f"{name}.xlsx")
        return file_download(scoring.ranking_docx(result), f"{name}（简报排名部分）.docx", DOCX)
    context.update(
        {
            "r": result,
            "title": scoring.title(result),
            "section": scoring.ranking_section(result),
            "as_of": as_of,
            "can_export": can(request.user, "export"),
        }
    )
    return render(request, "www/plans/ranking.html", context)


@login_required
@domain_errors
def network(request: HttpRequest) -> HttpResponse:
    """The co-op network registers: network sites by kind and land trusteeship contracts; offices register sites."""
    ensure_works_over_regions(request.user)
    if request.method == "POST":
        try:
            site = schemes.site_register(
                actor=request.user,
                kind=request.POST.get("kind", ""),
                name=request.POST.get("name", "")[:200],
                region=region_field(request),
                opened_on=date_field(request, "opened_on", "建成/开业日期"),
                operator=request.POST.get("operator", "")[:200],
            )
        except DomainError as exc:
            refuse(request, exc)
        else:
            messages.success(request, f"已登记{site.get_kind_display()}“{site.name}”。")
        return redirect("www:plans_network")
    f = {"kind": request.GET.get("kind", "")[:20], "q": request.GET.get("q", "").strip()[:60]}
    context = {
        "f": f,
        "page": paginate(request, selectors.network_sites(request.user, kind=f["kind"], q=f["q"])),
        "contracts": selectors.trusteeships(request.user)[:50],
        "kinds": SiteKind.choices,
        "may_register": can(request.user, "plans.network"),
        "region_options": region_options(request.user, include_home=True),
    }
    return render(request, "www/plans/network.html", context)
