"""Fake-figure detection pages (虚报数字识别): the findings of a region and period (filters, re-scan, open a case,
XLSX), the investigation cases with their dashboard, and a case with its purchases, timeline, files and the steps
the user may take. Every decision is the anomalies app's; these views only translate requests."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.views.decorators.http import require_POST

from yigou.accounts.scope import can
from yigou.anomalies import cases, selectors
from yigou.anomalies.enums import InvestigationStatus, RuleCode
from yigou.anomalies.models import Investigation
from yigou.anomalies.scan import scan
from yigou.core.errors import DomainError, NotFoundError, PermissionDeniedError
from yigou.core.periods import parse_period

from .common import domain_errors, file_download, paginate, region_options

CASE_STATUS_OPTIONS = [
    ("active", "未结案"),
    ("closed", "已结案"),
    *InvestigationStatus.choices,
]


class AssignForm(forms.Form):
    assignee = forms.ChoiceField(label="核查人")
    due_on = forms.DateField(
        label="说明期限", required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )

    def __init__(self, *args: Any, people: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["assignee"].choices = people  # type: ignore[attr-defined]


class ExplainForm(forms.Form):
    """The text; the files (several may be chosen) are read from request.FILES and checked by the service."""

    text = forms.CharField(label="情况说明", widget=forms.Textarea(attrs={"rows": 5}), max_length=1000)


class ReasonForm(forms.Form):
    reason = forms.CharField(label="意见", widget=forms.Textarea(attrs={"rows": 3}), max_length=500)


def _refuse(request: HttpRequest, exc: DomainError) -> None:
    """A refused step: a missing or out-of-scope record stays a 404, a refused capability a 403; anything
    else is told in Chinese and nothing has changed."""
    if isinstance(exc, PermissionDeniedError | NotFoundError):
        raise exc
    messages.error(request, exc.message)


def _filters(request: HttpRequest) -> dict[str, Any]:
    get = request.GET
    score = get.get("min_score", "").strip()[:3]
    return {
        "region": get.get("region", "").strip()[:12],
        "period": get.get("period", "").strip()[:40] or str(timezone.localdate().year),
        "rule": get.get("rule", "")[:16],
        "min_score": score,
        "state": get.get("state", "")[:10],
        "score_value": int(score) if score.isdigit() else None,
    }


@login_required
@domain_errors
def finding_list(request: HttpRequest) -> HttpResponse:
    if not can(request.user, "anomalies.view"):
        raise PermissionDeniedError()
    f = _filters(request)
    context: dict[str, Any] = {
        "f": f,
        "rule_options": RuleCode.choices,
        "state_options": selectors.FindingState.choices,
        "region_options": region_options(request.user, include_home=True),
        "may_scan": can(request.user, "anomalies.open"),
        "can_export": can(request.user, "export"),
    }
    try:
        region = selectors.scan_region(request.user, f["region"])
        period = parse_period(f["period"])
    except DomainError as exc:
        if isinstance(exc, PermissionDeniedError):
            raise
        context["error"] = exc.message
        return render(request, "anomalies/findings.html", context, status=400)
    f["region"] = f["region"] or region.code
    rows = selectors.findings(
        request.user,
        region=region,
        period=period,
        rule=f["rule"],
        min_score=f["score_value"],
        state=f["state"],
    )
    if request.GET.get("export") == "xlsx":
        if not can(request.user, "export"):
            raise PermissionDeniedError()
        data = selectors.findings_xlsx(rows[:10000], region, period)
        return file_download(data, f"{region.name}{period.text}虚报数字疑点_{dt.date.today()}.xlsx")
    page = paginate(request, rows)
    context.update(
        {
            "page": page,
            "region": region,
            "period": period,
            "openable": {r.pk for r in page if selectors.may_open(request.user, r)},
            "export_query": urlencode(
                {k: f[k] for k in ("region", "period", "rule", "min_score", "state")} | {"export": "xlsx"}
            ),
        }
    )
    return render(request, "anomalies/findings.html", context)


def _back_to_findings(region: str, period: str) -> HttpResponse:
    return redirect(f"{reverse('www:anomalies')}?{urlencode({'region': region, 'period': period})}")


@login_required
@require_POST
@domain_errors
def finding_scan(request: HttpRequest) -> HttpResponse:
    selectors.ensure_may_scan(request.user)
    code, text = request.POST.get("region", "").strip()[:12], request.POST.get("period", "").strip()[:40]
    try:
        region = selectors.scan_region(request.user, code)
        period = parse_period(text)
    except DomainError as exc:
        _refuse(request, exc)
        return redirect("www:anomalies")
    result = scan(region, period)
    messages.success(
        request,
        f"已重新扫描{region.name}{period.label}：疑点 {len(result.findings)} 个（新增 {result.created}，"
        f"更新 {result.updated}，移除 {result.dropped}，已排除而不再提示 {result.suppressed}）。",
    )
    return _back_to_findings(region.code, period.text)


@login_required
@require_POST
@domain_errors
def finding_open(request: HttpRequest, pk: int) -> HttpResponse:
    row = selectors.finding(request.user, pk)
    try:
        case = cases.case_open(actor=request.user, finding=row, note=request.POST.get("note", "")[:1000])
    except DomainError as exc:
        _refuse(request, exc)
        return _back_to_findings(row.scope_code, request.POST.get("period", "")[:40])
    messages.success(request, f"已立案：{case.number}。")
    return redirect("www:anomaly_case", pk=case.pk)


@login_required
@domain_errors
def case_list(request: HttpRequest) -> HttpResponse:
    get = request.GET
    f = {"status": get.get("status", "active")[:10], "region": get.get("region", "").strip()[:12]}
    rows = selectors.cases(request.user, status=f["status"], region=f["region"])
    try:
        board_region = selectors.scan_region(request.user, f["region"])
    except DomainError as exc:
        if isinstance(exc, PermissionDeniedError):
            raise
        messages.error(request, exc.message)
        board_region = selectors.scan_region(request.user, "")
    board = selectors.dashboard(request.user, board_region)
    context = {
        "page": paginate(request, rows),
        "f": f,
        "status_options": CASE_STATUS_OPTIONS,
        "region_options": region_options(request.user, include_home=True),
        "board": board,
        "board_chart": _board_chart(board),
        "may_view_findings": can(request.user, "anomalies.view"),
    }
    return render(request, "anomalies/case_list.html", context)


def _board_chart(board: selectors.Dashboard) -> dict[str, Any]:
    """The dashboard's counts as the stacked bars of the cases page: one bar per child region."""
    return {
        "labels": [r.region.name for r in board.rows],
        "series": [
            {"name": "核查中", "values": [r.open for r in board.rows]},
            {"name": "已查实", "values": [r.confirmed for r in board.rows]},
            {"name": "已排除", "values": [r.dismissed for r in board.rows]},
        ],
    }


def _people(case: Investigation, actor: Any) -> list[tuple[str, str]]:
    return [
        (str(u.pk), f"{u.organisation.region.name if u.organisation else ''} {u.username}".strip())
        for u in cases.possible_assignees(case)
        if u.pk != actor.pk
    ]


def _detail(request: HttpRequest, case: Investigation, **forms_: object) -> dict[str, Any]:
    decide = cases.may_decide(request.user, case)
    context: dict[str, Any] = {
        "case": case,
        "finding": case.finding,
        "purchases": selectors.case_purchases(request.user, case),
        "events": selectors.case_events(case),
        "files": selectors.case_files(case),
        "may_assign": decide and case.status in (InvestigationStatus.OPEN, InvestigationStatus.ASSIGNED),
        "may_decide": decide and case.status in (InvestigationStatus.ASSIGNED, InvestigationStatus.EXPLAINED),
        "may_explain": cases.may_explain(request.user, case),
        "assign_form": AssignForm(
            people=_people(case, request.user),
            initial={"assignee": case.assignee_id, "due_on": case.due_on},
        ),
        "explain_form": ExplainForm(),
        "confirm_form": ReasonForm(auto_id="confirm_%s"),
        "dismiss_form": ReasonForm(auto_id="dismiss_%s"),
    }
    context.update(forms_)
    return context


@login_required
@domain_errors
def case_detail(request: HttpRequest, pk: int) -> HttpResponse:
    case = selectors.case(request.user, pk)
    return render(request, "anomalies/case_detail.html", _detail(request, case))


def _invalid(request: HttpRequest, case: Investigation, message: str, **forms_: object) -> HttpResponse:
    context = _detail(request, case, **forms_)
    context["error"] = message
    return render(request, "anomalies/case_detail.html", context, status=400)


def _step_refused(
    request: HttpRequest, case: Investigation, exc: DomainError, **forms_: object
) -> HttpResponse:
    if isinstance(exc, PermissionDeniedError | NotFoundError):
        raise exc
    return _invalid(request, selectors.case(request.user, case.pk), exc.message, **forms_)


@login_required
@require_POST
@domain_errors
def case_assign(request: HttpRequest, pk: int) -> HttpResponse:
    case = selectors.case(request.user, pk)
    form = AssignForm(request.POST, people=_people(case, request.user))
    if not form.is_valid():
        return _invalid(request, case, "请选择核查人并填写有效的说明期限", assign_form=form)
    try:
        case = cases.case_assign(
            actor=request.user,
            case=case,
            assignee=form.cleaned_data["assignee"],
            due_on=form.cleaned_data["due_on"],
        )
    except DomainError as exc:
        return _step_refused(request, case, exc, assign_form=form)
    messages.success(request, f"已交办：{case.assignee}，{case.due_on} 前作出情况说明。")
    return redirect("www:anomaly_case", pk=case.pk)


@login_required
@require_POST
@domain_errors
def case_explain(request: HttpRequest, pk: int) -> HttpResponse:
    case = selectors.case(request.user, pk)
    form = ExplainForm(request.POST, request.FILES)
    if not form.is_valid():
        return _invalid(request, case, "请填写情况说明（不超过 1000 字）", explain_form=form)
    try:
        case = cases.case_explain(
            actor=request.user,
            case=case,
            text=form.cleaned_data["text"],
            uploads=request.FILES.getlist("files"),
        )
    except DomainError as exc:
        return _step_refused(request, case, exc, explain_form=form)
    messages.success(request, "情况说明已提交。")
    return redirect("www:anomaly_case", pk=case.pk)


def _decide(request: HttpRequest, pk: int, *, confirm: bool) -> HttpResponse:
    case = selectors.case(request.user, pk)
    prefix = "confirm" if confirm else "dismiss"
    form = ReasonForm(request.POST, auto_id=f"{prefix}_%s")
    if not form.is_valid():
        what = "查实意见" if confirm else "排除理由"
        return _invalid(request, case, f"请填写{what}（不超过 500 字）", **{f"{prefix}_form": form})
    step = cases.case_confirm if confirm else cases.case_dismiss
    try:
        case = step(actor=request.user, case=case, reason=form.cleaned_data["reason"])
    except DomainError as exc:
        return _step_refused(request, case, exc, **{f"{prefix}_form": form})
    if confirm:
        messages.success(request, f"已查实：冲销 {case.reversed_count} 笔，金额 {case.reversed_amount} 元。")
    else:
        messages.success(request, "已排除：此后扫描不再提示该疑点。")
    return redirect("www:anomaly_case", pk=case.pk)


@login_required
@require_POST
@domain_errors
def case_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    return _decide(request, pk, confirm=True)


@login_required
@require_POST
@domain_errors
def case_dismiss(request: HttpRequest, pk: int) -> HttpResponse:
    return _decide(request, pk, confirm=False)


@login_required
@domain_errors
def case_file(request: HttpRequest, pk: int) -> HttpResponseBase:
    row = selectors.case_file(request.user, pk)
    try:
        handle = row.file.open("rb")
    except FileNotFoundError as exc:
        raise NotFoundError() from exc
    return FileResponse(handle, as_attachment=True, filename=row.name)


urlpatterns = [
    path("anomalies/", finding_list, name="anomalies"),
    path("anomalies/scan/", finding_scan, name="anomalies_scan"),
    path("anomalies/findings/<int:pk>/open/", finding_open, name="anomaly_open"),
    path("anomalies/cases/", case_list, name="anomaly_cases"),
    path("anomalies/cases/<int:pk>/", case_detail, name="anomaly_case"),
    path("anomalies/cases/<int:pk>/assign/", case_assign, name="anomaly_case_assign"),
    path("anomalies/cases/<int:pk>/explain/", case_explain, name="anomaly_case_explain"),
    path("anomalies/cases/<int:pk>/confirm/", case_confirm, name="anomaly_case_confirm"),
    path("anomalies/cases/<int:pk>/dismiss/", case_dismiss, name="anomaly_case_dismiss"),
    path("anomalies/files/<int:pk>/", case_file, name="anomaly_file"),
]
