"""Statistical form pages: entry laid out like the paper form, rule results, reconciliation, outliers, import."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.views.decorators.http import require_POST

from yigou.accounts.scope import can, ensure_works_over_regions
from yigou.core.errors import DomainError, NotFoundError, PermissionDeniedError
from yigou.core.periods import parse_period
from yigou.core.tabular import read_table
from yigou.regions.enums import Level
from yigou.regions.models import Region
from yigou.reporting import exports, selectors
from yigou.reporting.enums import FlagStatus, Importance
from yigou.reporting.expressions import parse
from yigou.reporting.importing import form_import
from yigou.reporting.merge import SOURCE_LABELS
from yigou.reporting.models import DataElement, ValidationResult
from yigou.reporting.services import (
    EntryResult,
    ValuesInvalid,
    builtin_form,
    ensure_can_enter,
    outlier_resolve,
    result_comment,
    values_save,
)
from yigou.reporting.validation import month_period

from .common import domain_errors, file_download, is_htmx, paginate, region_options
from .stats import period_from

SORTS = {
    "region": ("region_id", "period_start"),
    "-region": ("-region_id", "period_start"),
    "rule": ("rule__order", "region_id"),
    "-rule": ("-rule__order", "region_id"),
    "importance": ("importance", "region_id"),
    "-importance": ("-importance", "region_id"),
}


def default_month(today: dt.date | None = None) -> str:
    """Forms are filled for the month just ended."""
    day = (today or dt.date.today()).replace(day=1) - dt.timedelta(days=1)
    return f"{day:%Y-%m}"


def _month(text: str) -> tuple[int, int]:
    period = parse_period(text or default_month())
    if not period.single_month:
        raise DomainError("form_period_monthly", form=builtin_form().name, period=text)
    return period.start.year, period.start.month


def _may_enter(user: Any, region: Region) -> bool:
    try:
        ensure_can_enter(user, builtin_form(), region)
    except DomainError:
        return False
    return True


def _flagged_codes(results: list[ValidationResult]) -> set[str]:
    codes: set[str] = set()
    for result in results:
        for text in (result.rule.left, result.rule.right):
            codes.update(parse(text).codes)
    return codes


def _sections(
    elements: list[DataElement], values: dict[str, Any], errors: dict[str, str], flagged: set[str]
) -> list[dict[str, Any]]:
    """Elements grouped by section in the order of the paper form, each with its text, error and flag."""
    sections: list[dict[str, Any]] = []
    for element in elements:
        title = element.section.title if element.section else ""
        if not sections or sections[-1]["title"] != title:
            sections.append({"title": title, "rows": []})
        value = values.get(element.code)
        text = value if isinstance(value, str) else "" if value is None else f"{value.normalize():f}"
        sections[-1]["rows"].append(
            {
                "element": element,
                "text": text,
                "error": errors.get(element.code, ""),
                "flagged": element.code in flagged,
            }
        )
    return sections


def _entry_context(
    request: HttpRequest,
    region: Region,
    year: int,
    month: int,
    *,
    posted: dict[str, str] | None,
    errors: dict[str, str],
    entry: EntryResult | None,
) -> dict[str, Any]:
    form = builtin_form()
    period = month_period(year, month)
    results = list(
        selectors.results(request.user, region=region.code).filter(
            region=region, period_start=period.start, period_end=period.end
        )
    )
    results = [r for r in results if r.region_id == region.code]
    values = posted if posted is not None else selectors.month_values(request.user, region, year, month)
    elements = list(form.elements.select_related("section").order_by("order"))
    return {
        "form": form,
        "region": region,
        "month": f"{year}-{month:02d}",
        "period_label": period.label,
        "sections": _sections(elements, values, errors, _flagged_codes(results)),
        "results": results,
        "blocked": any(r.blocking for r in results),
        "entry": entry,
        "may_enter": _may_enter(request.user, region),
        "region_options": region_options(request.user, include_home=True),
        "next": request.get_full_path(),
    }


@login_required
@domain_errors
def entry_page(request: HttpRequest) -> HttpResponse:
    ensure_works_over_regions(request.user)
    source = request.POST if request.method == "POST" else request.GET
    try:
        region = selectors.region_for(request.user, source.get("region", "").strip()[:12])
        year, month = _month(source.get("month", "").strip()[:7])
    except DomainError as exc:
        if isinstance(exc, PermissionDeniedError | NotFoundError):
            raise
        context = {
            "error": exc.message,
            "region_options": region_options(request.user, include_home=True),
            "month": source.get("month", "")[:7] or default_month(),
        }
        return render(request, "reporting/entry.html", context, status=400)
    posted, errors, entry = None, {}, None
    if request.method == "POST":
        posted = {
            e.code: request.POST.get(f"v_{e.code}", "").strip()[:30] for e in builtin_form().elements.all()
        }
        try:
            entry = values_save(
                actor=request.user, region_code=region.code, year=year, month=month, values=posted
            )
            posted = None
            messages.success(request, f"已保存：修改 {entry.changed} 项。")
        except ValuesInvalid as exc:
            errors = exc.errors
        except DomainError as exc:
            if isinstance(exc, PermissionDeniedError | NotFoundError):
                raise
            errors = {"__all__": exc.message}
    context = _entry_context(request, region, year, month, posted=posted, errors=errors, entry=entry)
    context["error"] = errors.get("__all__", "")
    template = "reporting/_entry_form.html" if is_htmx(request) else "reporting/entry.html"
    return render(request, template, context, status=400 if errors else 200)


def _back(request: HttpRequest, default: str) -> HttpResponse:
    target = request.POST.get("next", "")
    allowed = url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()})
    return redirect(target if target and allowed else default)


@login_required
@require_POST
@domain_errors
def comment(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        result_comment(actor=request.user, result_id=pk, comment=request.POST.get("comment", ""))
        messages.success(request, "情况说明已保存。")
    except DomainError as exc:
        if isinstance(exc, PermissionDeniedError | NotFoundError):
            raise
        messages.error(request, exc.message)
    return _back(request, reverse("www:reporting_results"))


@login_required
@domain_errors
def result_list(request: HttpRequest) -> HttpResponse:
    ensure_works_over_regions(request.user)
    get = request.GET
    region, importance, q = (
        get.get("region", "").strip()[:12],
        get.get("importance", ""),
        get.get("q", "")[:40],
    )
    period_text = get.get("period", "").strip()[:40]
    sort = get.get("sort", "region") if get.get("sort", "region") in SORTS else "region"
    try:
        period = parse_period(period_text) if period_text else None
    except DomainError as exc:
        return render(request, "reporting/results.html", {"error": exc.message}, status=400)
    qs = selectors.results(request.user, region=region, period=period, importance=importance, q=q)
    qs = qs.order_by(*SORTS[sort])
    if get.get("export") == "xlsx":
        if not can(request.user, "export"):
            raise PermissionDeniedError()
        return file_download(exports.results_xlsx(qs[:10000], "校验结果"), "校验结果.xlsx")
    context = {
        "page": paginate(request, qs),
        "region": region,
        "importance": importance,
        "q": q,
        "period": period_text,
        "importances": Importance.choices,
        "region_options": region_options(request.user, include_home=True),
        "can_export": can(request.user, "export"),
        "run_period": period_text or default_month(),
    }
    return render(request, "reporting/results.html", context)


@login_required
@require_POST
@domain_errors
def run_validation(request: HttpRequest) -> HttpResponse:
    ensure_works_over_regions(request.user)
    region, period = request.POST.get("region", "").strip()[:12], request.POST.get("period", "").strip()[:40]
    try:
        found = selectors.validation_run(request.user, region, period)
    except DomainError as exc:
        if isinstance(exc, PermissionDeniedError | NotFoundError):
            raise
        messages.error(request, exc.message)
        return redirect("www:reporting_results")
    messages.info(request, f"校验完成：发现 {len(found)} 处违反。" if found else "校验完成：未发现违反。")
    target = selectors.region_for(request.user, region)
    query = urlencode({"region": target.code, "period": parse_period(period).text})
    return redirect(f"{reverse('www:reporting_results')}?{query}")


@login_required
@domain_errors
def reconciliation(request: HttpRequest) -> HttpResponse:
    ensure_works_over_regions(request.user)
    period_text = period_from(request.GET, request.user)
    try:
        merged = selectors.merged(request.user, request.GET.get("region", "").strip()[:12], period_text)
    except DomainError as exc:
        if isinstance(exc, PermissionDeniedError | NotFoundError):
            raise
        return render(request, "reporting/reconciliation.html", {"error": exc.message}, status=400)
    table = merged.table
    title = f"{table.region.name}{table.period.label}台账与填报数据核对表"
    if request.GET.get("export") == "xlsx":
        if not can(request.user, "export"):
            raise PermissionDeniedError()
        return file_download(exports.reconciliation_xlsx(merged.differences, title), f"{title}.xlsx")
    sources = [(r, SOURCE_LABELS[merged.sources[r.region_code]]) for r in table.rows]
    context = {
        "merged": merged,
        "table": table,
        "title": title,
        "sources": sources,
        "period": period_text,
        "region_options": region_options(request.user, include_home=True, deepest=Level.TOWNSHIP),
        "can_export": can(request.user, "export"),
    }
    return render(request, "reporting/reconciliation.html", context)


@login_required
@domain_errors
def outlier_list(request: HttpRequest) -> HttpResponse:
    ensure_works_over_regions(request.user)
    region, status = request.GET.get("region", "").strip()[:12], request.GET.get("status", FlagStatus.OPEN)
    if request.method == "POST":
        try:
            outlier_resolve(
                actor=request.user,
                flag_id=int(request.POST.get("flag", "0") or 0),
                note=request.POST.get("note", ""),
            )
            messages.success(request, "已核实。")
        except DomainError as exc:
            if isinstance(exc, PermissionDeniedError | NotFoundError):
                raise
            messages.error(request, exc.message)
        return _back(request, reverse("www:reporting_outliers"))
    q = request.GET.get("q", "").strip()[:40]
    qs = selectors.outlier_flags(request.user, region=region, status=status, q=q)
    if request.GET.get("export") == "xlsx":
        if not can(request.user, "export"):
            raise PermissionDeniedError()
        return file_download(exports.outliers_xlsx(qs[:10000], "异常值"), "异常值.xlsx")
    context = {
        "page": paginate(request, qs),
        "region": region,
        "status": status,
        "statuses": FlagStatus.choices,
        "q": q,
        "can_export": can(request.user, "export"),
        "region_options": region_options(request.user, include_home=True),
        "may_resolve": can(request.user, "reporting.enter"),
        "next": request.get_full_path(),
    }
    return render(request, "reporting/outliers.html", context)


@login_required
@domain_errors
def import_page(request: HttpRequest) -> HttpResponse:
    if not can(request.user, "reporting.enter"):
        raise PermissionDeniedError()
    context: dict[str, Any] = {"period": request.POST.get("period", "")[:7]}
    if request.method == "POST":
        upload = request.FILES.get("file")
        try:
            if upload is None:
                raise DomainError("invalid_input", detail="请选择文件")
            result = form_import(
                actor=request.user,
                table=read_table(upload.read(), upload.name or ""),
                dry_run=bool(request.POST.get("dry_run")),
                period=context["period"],
            )
            context["report"], context["violations"] = result.report, result.violations
        except DomainError as exc:
            context["error"] = exc.message
    status = 400 if context.get("error") or (context.get("report") and not context["report"].ok) else 200
    return render(request, "reporting/import.html", context, status=status)


urlpatterns = [
    path("entry/", entry_page, name="reporting_entry"),
    path("results/", result_list, name="reporting_results"),
    path("results/run/", run_validation, name="reporting_run"),
    path("results/<int:pk>/comment/", comment, name="reporting_comment"),
    path("reconciliation/", reconciliation, name="reporting_reconciliation"),
    path("outliers/", outlier_list, name="reporting_outliers"),
    path("import/", import_page, name="reporting_import"),
]
