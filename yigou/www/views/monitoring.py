"""防止返贫动态监测 pages: the dashboard (by group, risk type and region, overdue measures, days from discovery to
first measure), the case list (filters, search, pagination, XLSX), a case with its steps, measures and follow-ups
and the forms of what may be done next, opening a case from a visit, and a cadre's phone list of paired
households. Every decision is the income app's; these views only translate requests."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import urlencode
from django.views.decorators.http import require_GET, require_POST

from yigou.accounts.scope import can, get_visible, named_required, restrict
from yigou.assist.models import Cadre
from yigou.core.errors import DomainError, NotFoundError, PermissionDeniedError
from yigou.income import cases, clearance, exports, measures, procedure, selectors
from yigou.income.enums import CaseStatus, Channel, MeasureStatus, RiskType, StepKind
from yigou.income.models import Measure, MonitoringCase, StepFile
from yigou.registry.models import Household

from .common import domain_errors, file_download, paginate, region_options
from .income_files import evidence_response
from .monitoring_forms import (
    GROUP_CHOICES,
    CaseOpenForm,
    ClearanceForm,
    FollowUpForm,
    MeasureCloseForm,
    MeasureForm,
    StepForm,
)
from .monitoring_public import _first_error


def _ensure_view(request: HttpRequest) -> None:
    if not can(request.user, "monitoring.view"):
        raise PermissionDeniedError()


# --- dashboard ---


def _chart(board: selectors.Dashboard) -> dict[str, Any]:
    return {
        "group": {"labels": [t.label for t in board.by_group], "values": [t.count for t in board.by_group]},
        "risk": {"labels": [t.label for t in board.by_risk], "values": [t.count for t in board.by_risk]},
        "region": {
            "labels": [t.label for t in board.by_region],
            "values": [t.count for t in board.by_region],
        },
    }


@login_required
@domain_errors
@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    _ensure_view(request)
    code = request.GET.get("region", "").strip()[:12]
    board = selectors.monitoring_dashboard(request.user, code)
    context = {
        "board": board,
        "chart": _chart(board),
        "region_options": region_options(request.user, include_home=True),
        "region_code": code,
        "pending": selectors.declarations_pending(request.user).count(),
    }
    return render(request, "www/monitoring/dashboard.html", context)


# --- case list ---


def _filters(request: HttpRequest) -> dict[str, str]:
    get = request.GET
    return {
        "region": get.get("region", "").strip()[:12],
        "status": get.get("status", "open")[:16],
        "group": get.get("group", "")[:16],
        "risk": get.get("risk", "")[:24],
        "channel": get.get("channel", "")[:16],
        "q": get.get("q", "").strip()[:40],
        "overdue": "1" if get.get("overdue") == "1" else "",
    }


def case_rows(request: HttpRequest, f: dict[str, str]) -> QuerySet[MonitoringCase]:
    """The list's cases: the domain's filters, then 未结 (open statuses), the risk type and the search."""
    status = "" if f["status"] in ("open", "all") else f["status"]
    rows = selectors.monitoring_cases(
        request.user, region_code=f["region"], status=status, group=f["group"], channel=f["channel"]
    )
    if f["status"] == "open":
        rows = rows.filter(status__in=[CaseStatus.IDENTIFYING, CaseStatus.MONITORED, CaseStatus.CLEARING])
    if f["risk"] in RiskType.values:
        # JSON list membership that works on SQLite and PostgreSQL alike: the stored text contains "risk".
        rows = rows.filter(risks__icontains=f'"{f["risk"]}"')
    if f["overdue"]:
        late = Measure.objects.filter(status=MeasureStatus.OPEN, deadline__lt=timezone.localdate())
        rows = rows.filter(pk__in=late.values("case_id"))
    if f["q"]:
        q = f["q"]
        rows = (
            rows.filter(household__number__startswith=q)
            if q.isdigit()
            else rows.filter(household__head_name__contains=q)
        )
    return rows


STATUS_OPTIONS = [
    ("open", "未结（识别中、监测帮扶中、消除审核中）"),
    ("all", "全部状态"),
    *CaseStatus.choices,
]


@login_required
@domain_errors
@require_GET
def case_list(request: HttpRequest) -> HttpResponseBase:
    _ensure_view(request)
    f = _filters(request)
    rows = case_rows(request, f)
    if request.GET.get("export") in ("cases", "measures"):
        if not can(request.user, "export"):
            raise PermissionDeniedError()
        what = request.GET["export"]
        run = exports.export_cases if what == "cases" else exports.export_measures
        result = run(actor=request.user, cases=rows, filters=f)
        return file_download(result.content, result.filename)
    query = {k: v for k, v in f.items() if v}
    context = {
        "page": paginate(request, rows),
        "f": f,
        "status_options": STATUS_OPTIONS,
        "group_options": GROUP_CHOICES,
        "risk_options": RiskType.choices,
        "channel_options": Channel.choices,
        "region_options": region_options(request.user, include_home=True),
        "can_export": can(request.user, "export"),
        "may_flag": can(request.user, "monitoring.flag"),
        "export_cases": urlencode(query | {"export": "cases"}),
        "export_measures": urlencode(query | {"export": "measures"}),
    }
    return render(request, "www/monitoring/case_list.html", context)


# --- opening a case from a visit ---


def _open_page(
    request: HttpRequest, household: Household | None, form: CaseOpenForm, status: int = 200, **extra: Any
) -> HttpResponse:
    context = {"household": household, "form": form, **extra}
    return render(request, "www/monitoring/case_open.html", context, status=status)


@login_required
@domain_errors
def case_open(request: HttpRequest) -> HttpResponse:
    """干部排查走访: /monitoring/cases/new/?household=pk, the finding of a visit as a new case."""
    if not can(request.user, "monitoring.flag"):
        raise PermissionDeniedError()
    pk = request.POST.get("household") or request.GET.get("household") or ""
    try:
        household = named_required(
            request.user,
            Household.objects.all(),
            pk if str(pk).isdigit() else None,
            field="household",
            label="农户",
        )
    except DomainError as exc:
        return _open_page(request, None, CaseOpenForm(), 400, error=exc.message)
    if request.method != "POST":
        return _open_page(
            request,
            household,
            CaseOpenForm(initial={"household": household.pk, "visited_on": timezone.localdate()}),
        )
    form = CaseOpenForm(request.POST)
    if not form.is_valid():
        return _open_page(request, household, form, 400, error=_first_error(form))
    data = form.cleaned_data
    try:
        case = cases.visit_flag(
            actor=request.user,
            household=household,
            risks=data["risks"],
            visited_on=data["visited_on"],
            finding=data["finding"],
            group=data["group"] or None,
        )
    except DomainError as exc:
        if isinstance(exc, PermissionDeniedError | NotFoundError):
            raise
        return _open_page(request, household, form, 400, error=exc.message)
    messages.success(request, f"已登记为监测对象（识别中）：{household.head_name}户。")
    return redirect("www:monitoring_case", pk=case.pk)


# --- a case ---


def _cadre_options(request: HttpRequest) -> list[tuple[str, str]]:
    cadres = restrict(request.user, Cadre.objects.filter(is_active=True).select_related("unit")).order_by(
        "name"
    )
    return [(str(c.pk), f"{c.name}（{c.unit.name}）") for c in cadres[:500]]


def _may_step(request: HttpRequest, case: MonitoringCase, step: str | None) -> bool:
    if step is None:
        return False
    try:
        procedure.ensure_actor_for(request.user, step, case)
    except DomainError:
        return False
    return True


def _may_clear(request: HttpRequest, case: MonitoringCase) -> bool:
    return case.status == CaseStatus.MONITORED and _may_step(request, case, StepKind.VILLAGE_REVIEW)


def case_context(request: HttpRequest, case: MonitoringCase, **forms: Any) -> dict[str, Any]:
    step = procedure.next_step(case)
    rows = list(selectors.case_measures(case))
    today = timezone.localdate()
    may_measure = can(request.user, "monitoring.measure") and case.status in measures.ACTIVE_CASES
    context: dict[str, Any] = {
        "case": case,
        "hh": case.household,
        "steps": list(selectors.case_steps(case)),
        "measures": [
            {
                "m": m,
                "overdue": selectors.is_overdue(m, today),
                "next_due": selectors.next_visit_due(m),
                "open": m.status == MeasureStatus.OPEN,
            }
            for m in rows
        ],
        "next_step": step,
        "next_step_label": StepKind(step).label if step else "",
        "may_step": _may_step(request, case, step),
        "may_clear": _may_clear(request, case),
        "assessment": clearance.assess(case.household, today)
        if case.status in (CaseStatus.MONITORED, CaseStatus.CLEARING)
        else None,
        "may_measure": may_measure,
        "step_form": forms.get("step_form") or StepForm(initial={"date": today, "approved": "1"}),
        "clear_form": forms.get("clear_form") or ClearanceForm(initial={"date": today}),
        "measure_form": forms.get("measure_form")
        or MeasureForm(cadres=_cadre_options(request) if may_measure else [], initial={"started_on": today}),
        "follow_form": FollowUpForm(initial={"date": today}),
        "close_form": MeasureCloseForm(initial={"closed_on": today}),
        "notice_days": procedure.notice_days(),
    }
    context.update({k: v for k, v in forms.items() if k == "error"})
    return context


@login_required
@domain_errors
@require_GET
def case_detail(request: HttpRequest, pk: int) -> HttpResponse:
    case = selectors.monitoring_case(request.user, pk)
    return render(request, "www/monitoring/case_detail.html", case_context(request, case))


def _invalid(request: HttpRequest, pk: int, message: str, **forms: Any) -> HttpResponse:
    case = selectors.monitoring_case(request.user, pk)
    context = case_context(request, case, error=message, **forms)
    return render(request, "www/monitoring/case_detail.html", context, status=400)


def _refused(request: HttpRequest, pk: int, exc: DomainError, **forms: Any) -> HttpResponse:
    if isinstance(exc, PermissionDeniedError | NotFoundError):
        raise exc
    return _invalid(request, pk, exc.message, **forms)


def _back(case: MonitoringCase) -> HttpResponse:
    return redirect("www:monitoring_case", pk=case.pk)


@login_required
@require_POST
@domain_errors
def case_step(request: HttpRequest, pk: int) -> HttpResponse:
    """The case's next step (the step's name is posted, so a stale page cannot do a different one)."""
    case = selectors.monitoring_case(request.user, pk)
    form = StepForm(request.POST)
    if not form.is_valid():
        return _invalid(request, pk, _first_error(form), step_form=form)
    try:
        row = procedure.step_record(
            actor=request.user,
            case=case,
            step=request.POST.get("step", ""),
            date=form.cleaned_data["date"],
            note=form.cleaned_data["note"],
            approved=form.cleaned_data["approved"],
            files=request.FILES.getlist("files"),
        )
    except DomainError as exc:
        return _refused(request, pk, exc, step_form=form)
    verdict = "" if row.approved else "（不予通过）"
    messages.success(request, f"已办理：{row.get_step_display()}{verdict}。")
    return _back(case)


@login_required
@require_POST
@domain_errors
def case_clearance(request: HttpRequest, pk: int) -> HttpResponse:
    """风险消除's village review with its 公示."""
    case = selectors.monitoring_case(request.user, pk)
    form = ClearanceForm(request.POST)
    if not form.is_valid():
        return _invalid(request, pk, _first_error(form), clear_form=form)
    try:
        procedure.clearance_start(
            actor=request.user,
            case=case,
            date=form.cleaned_data["date"],
            note=form.cleaned_data["note"],
            files=request.FILES.getlist("files"),
        )
    except DomainError as exc:
        return _refused(request, pk, exc, clear_form=form)
    messages.success(request, f"已启动风险消除：村级民主评议并公示 {procedure.notice_days()} 天。")
    return _back(case)


@login_required
@require_POST
@domain_errors
def measure_add(request: HttpRequest, pk: int) -> HttpResponse:
    case = selectors.monitoring_case(request.user, pk)
    form = MeasureForm(request.POST, cadres=_cadre_options(request))
    if not form.is_valid():
        return _invalid(request, pk, _first_error(form), measure_form=form)
    data = form.cleaned_data
    try:
        measures.measure_add(
            actor=request.user,
            case=case,
            kind=data["kind"],
            description=data["description"],
            cadre=int(data["cadre"]),
            started_on=data["started_on"],
            deadline=data["deadline"],
        )
    except DomainError as exc:
        return _refused(request, pk, exc, measure_form=form)
    messages.success(request, "已添加帮扶措施。")
    return _back(case)


def _measure(request: HttpRequest, pk: int) -> Measure:
    if not can(request.user, "monitoring.view"):
        raise PermissionDeniedError()
    return get_visible(request.user, Measure.objects.select_related("case", "case__household"), pk=pk)


def _on_measure(
    request: HttpRequest, pk: int, form_class: type[forms.Form], write: Callable[..., Any], done: str
) -> HttpResponse:
    """A follow-up or the closing of a measure: the form's fields are the domain function's arguments."""
    measure = _measure(request, pk)
    form = form_class(request.POST)
    if not form.is_valid():
        return _invalid(request, measure.case_id, _first_error(form))
    try:
        write(actor=request.user, measure=measure, **form.cleaned_data)
    except DomainError as exc:
        return _refused(request, measure.case_id, exc)
    messages.success(request, done)
    return _back(measure.case)


@login_required
@require_POST
@domain_errors
def follow_up(request: HttpRequest, pk: int) -> HttpResponse:
    return _on_measure(request, pk, FollowUpForm, measures.follow_up_record, "已登记走访。")


@login_required
@require_POST
@domain_errors
def measure_close(request: HttpRequest, pk: int) -> HttpResponse:
    return _on_measure(request, pk, MeasureCloseForm, measures.measure_close, "措施已办结。")


@login_required
@domain_errors
@require_GET
def step_file(request: HttpRequest, pk: int) -> HttpResponseBase:
    # Evidence is served through the case's scope check, never as a public media URL.
    _ensure_view(request)
    row = get_visible(request.user, StepFile.objects.all(), pk=pk)
    return evidence_response(row.file, row.name)


# --- a cadre's phone list ---


@login_required
@domain_errors
@require_GET
def cadre_list(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    """/monitoring/cadres/<pk>/ — a cadre's paired households with open risks, the next visit due first; without
    a cadre, the cadres to pick from."""
    _ensure_view(request)
    context: dict[str, Any] = {"cadres": _cadre_options(request), "today": timezone.localdate()}
    if pk is not None:
        cadre = get_visible(request.user, Cadre.objects.select_related("unit"), pk=pk)
        rows = selectors.cadre_households(request.user, cadre)
        context.update(cadre=cadre, rows=rows)
    return render(request, "www/monitoring/cadre.html", context)


def household_cases(request: HttpRequest, household: Household) -> list[dict[str, Any]]:
    """The household page's monitoring tab: each case with its steps and measures (monitoring readers only)."""
    if not can(request.user, "monitoring.view"):
        return []
    today = timezone.localdate()
    rows = []
    for case in selectors.household_cases(request.user, household):
        rows.append(
            {
                "case": case,
                "steps": list(selectors.case_steps(case)),
                "measures": [
                    {
                        "m": m,
                        "overdue": selectors.is_overdue(m, today),
                        "next_due": selectors.next_visit_due(m),
                    }
                    for m in selectors.case_measures(case)
                ],
            }
        )
    return rows
