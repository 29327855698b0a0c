"""Plan pages (工作方案): the plans, a plan with its targets and task ledger, the task-list import, a task with its
reports, a target with its parts and reports, the overdue list. Findings and rankings are in plans_assess.py.
Every decision is the plans app's; these views only translate requests."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import urlencode
from django.views.decorators.http import require_POST

from yigou.accounts.scope import can, ensure_works_over_regions, named_required
from yigou.core.errors import DomainError, NotFoundError, PermissionDeniedError
from yigou.core.tabular import parse_date, read_table
from yigou.plans import importing, selectors, services, targets
from yigou.plans.enums import Indicator, Rhythm, TaskStatus
from yigou.plans.status import task_status
from yigou.regions.models import Region

from .common import domain_errors, file_download, paginate, region_options


def refuse(request: HttpRequest, exc: DomainError) -> None:
    """A missing or out-of-scope record stays a 404 and a refused capability a 403; else a Chinese message."""
    if isinstance(exc, PermissionDeniedError | NotFoundError):
        raise exc
    messages.error(request, exc.message)


def date_field(request: HttpRequest, name: str, label: str, default: dt.date | None = None) -> dt.date:
    text = request.POST.get(name, "").strip()
    if not text and default is not None:
        return default
    if not text:
        raise DomainError("invalid_input", detail=f"请填写{label}", field=name)
    return parse_date(text)


def region_field(request: HttpRequest, name: str = "region") -> Region:
    return named_required(
        request.user,
        Region.objects.all(),
        request.POST.get(name, "").strip()[:12] or None,
        field=name,
        label="区划",
    )


def today() -> dt.date:
    return dt.date.today()


@login_required
@domain_errors
def plan_list(request: HttpRequest) -> HttpResponse:
    q = request.GET.get("q", "").strip()[:60]
    if request.method == "POST":
        return _plan_create(request)
    context = {
        "page": paginate(request, selectors.plans(request.user, q)),
        "q": q,
        "may_create": can(request.user, "plans.manage"),
        "region_options": region_options(request.user, include_home=True),
        "rhythms": Rhythm.choices,
    }
    return render(request, "www/plans/list.html", context)


def _plan_create(request: HttpRequest) -> HttpResponse:
    post = request.POST
    try:
        data = services.PlanInput(
            title=post.get("title", "")[:200],
            starts_on=date_field(request, "starts_on", "实施起始"),
            ends_on=date_field(request, "ends_on", "实施截止"),
            rhythm=post.get("rhythm", Rhythm.MONTHLY),
            goals=post.get("goals", "")[:5000],
            document_no=post.get("document_no", "")[:60],
        )
        plan = services.plan_create(actor=request.user, region=region_field(request), data=data)
    except DomainError as exc:
        refuse(request, exc)
        return redirect("www:plans")
    messages.success(request, f"已创建方案“{plan.title}”。")
    return redirect("www:plan", pk=plan.pk)


@login_required
@domain_errors
def plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    plan = selectors.plan(request.user, pk)
    day = today()
    f = {"status": request.GET.get("status", "")[:12], "q": request.GET.get("q", "").strip()[:60]}
    rows = selectors.tasks(request.user, plan, status=f["status"], q=f["q"], today=day)
    if request.GET.get("export") == "xlsx":
        if not can(request.user, "export"):
            raise PermissionDeniedError()
        data = selectors.ledger_xlsx(
            selectors.with_status(rows, day), f"{plan.title}任务台账（{day:%Y年%m月%d日}）"
        )
        return file_download(data, f"{plan.title}任务台账_{day}.xlsx")
    page = paginate(request, rows)
    progress = [p for root in selectors.targets(request.user, plan, day) for p in root.walk()]
    context = {
        "plan": plan,
        "f": f,
        "page": page,
        "ledger": selectors.with_status(page, day),
        "status_options": TaskStatus.choices,
        "progress": progress,
        "may_manage": selectors.may_manage(request.user, plan),
        "indicators": Indicator.choices,
        "region_options": region_options(request.user, include_home=True),
        "schemes": selectors.schemes(request.user, plan),
        "export_query": urlencode({**f, "export": "xlsx"}),
        "can_export": can(request.user, "export"),
    }
    return render(request, "www/plans/detail.html", context)


@login_required
@require_POST
@domain_errors
def task_create(request: HttpRequest, pk: int) -> HttpResponse:
    plan = selectors.plan(request.user, pk)
    post = request.POST
    try:
        standing = post.get("standing") == "1"
        data = services.TaskInput(
            number=post.get("number", "").strip()[:20],
            title=post.get("title", "")[:2000],
            lead_unit=post.get("lead_unit", "")[:200],
            co_units=[u for u in importing.SPLIT_UNITS.split(post.get("co_units", "")[:1000]) if u],
            due_on=None if standing or not post.get("due_on") else date_field(request, "due_on", "完成时限"),
            standing=standing,
            section=post.get("section", "")[:200],
        )
        services.task_add(actor=request.user, plan=plan, data=data)
    except DomainError as exc:
        refuse(request, exc)
    else:
        messages.success(request, f"已添加任务 {data.number}。")
    return redirect("www:plan", pk=plan.pk)


@login_required
@require_POST
@domain_errors
def target_create(request: HttpRequest, pk: int) -> HttpResponse:
    plan = selectors.plan(request.user, pk)
    post = request.POST
    try:
        data = targets.TargetInput(
            name=post.get("name", "")[:200],
            indicator=post.get("indicator", ""),
            unit_label=post.get("unit_label", "")[:16],
            value=post.get("value", "").strip()[:20],
        )
        targets.target_create(actor=request.user, plan=plan, region=region_field(request), data=data)
    except DomainError as exc:
        refuse(request, exc)
    else:
        messages.success(request, f"已添加目标“{data.name}”。")
    return redirect("www:plan", pk=plan.pk)


@login_required
@domain_errors
def plan_import(request: HttpRequest, pk: int) -> HttpResponse:
    plan = selectors.plan(request.user, pk)
    if request.GET.get("template"):
        return file_download(importing.template(), "任务清单导入模板.xlsx")
    context: dict[str, Any] = {"plan": plan}
    if request.method == "POST":
        upload = request.FILES.get("file")
        try:
            if upload is None:
                raise DomainError("invalid_input", detail="请选择要导入的文件")
            table = read_table(upload.read(), upload.name or "")
            context["result"] = importing.import_tasks(
                actor=request.user, plan=plan, table=table, dry_run=request.POST.get("dry_run") == "1"
            )
            context["filename"] = upload.name
        except DomainError as exc:
            if isinstance(exc, PermissionDeniedError | NotFoundError):
                raise
            context["error"] = exc.message
    return render(request, "www/plans/import.html", context)


@login_required
@domain_errors
def task_detail(request: HttpRequest, pk: int) -> HttpResponse:
    task = selectors.task(request.user, pk)
    if request.method == "POST":
        try:
            services.task_report(
                actor=request.user,
                task=task,
                reported_on=date_field(request, "reported_on", "报送日期", today()),
                progress=request.POST.get("progress", "").strip()[:10],
                text=request.POST.get("text", "")[:2000],
                evidence=request.FILES.get("evidence"),
            )
        except DomainError as exc:
            refuse(request, exc)
        else:
            messages.success(request, "进度已报送。")
            return redirect("www:plan_task", pk=task.pk)
    context = {
        "task": task,
        "status": TaskStatus(task_status(task, today())).label,
        "reports": task.reports.select_related("reported_by"),
        "subtasks": task.subtasks.all(),
        "may_report": selectors.may_report_task(request.user, task),
        "today": today(),
    }
    return render(request, "www/plans/task.html", context)


def _parts(request: HttpRequest) -> list[targets.PartInput]:
    """Lines of "区划代码 值 [责任单位]" as typed in the split form."""
    parts = []
    for n, line in enumerate(request.POST.get("parts", "").splitlines()[:200], start=1):
        cells = line.replace("，", " ").replace(",", " ").split()
        if not cells:
            continue
        if len(cells) < 2:
            raise DomainError("invalid_input", detail=f"第{n}行应为“区划代码 分解值 [责任单位]”")
        region = named_required(
            request.user, Region.objects.all(), cells[0][:12], field="parts", label="区划"
        )
        parts.append(targets.PartInput(region, cells[1][:20], " ".join(cells[2:])[:200]))
    return parts


@login_required
@domain_errors
def target_detail(request: HttpRequest, pk: int) -> HttpResponse:
    target = selectors.target(request.user, pk)
    if request.method == "POST":
        try:
            if request.POST.get("action") == "split":
                targets.target_split(actor=request.user, target=target, parts=_parts(request))
                messages.success(request, "目标已分解下达。")
            else:
                targets.target_report(
                    actor=request.user,
                    target=target,
                    reported_on=date_field(request, "reported_on", "报送日期", today()),
                    value=request.POST.get("value", "").strip()[:20],
                    text=request.POST.get("text", "")[:2000],
                    evidence=request.FILES.get("evidence"),
                )
                messages.success(request, "完成情况已报送。")
            return redirect("www:plan_target", pk=target.pk)
        except DomainError as exc:
            refuse(request, exc)
    progress = targets.progress_of(target, today())
    context = {
        "target": target,
        "progress": progress,
        "rows": progress.walk(),
        "reports": target.reports.select_related("reported_by"),
        "may_split": selectors.may_split(request.user, target) and not progress.parts,
        "may_report": can(request.user, "plans.report") and not target.computed and not progress.parts,
        "parts_text": request.POST.get("parts", ""),
    }
    return render(request, "www/plans/target.html", context)


@login_required
@domain_errors
def overdue_list(request: HttpRequest) -> HttpResponse:
    ensure_works_over_regions(request.user)
    day = today()
    q = request.GET.get("q", "").strip()[:60]
    rows = selectors.overdue(request.user, q=q, today=day)
    if request.GET.get("export") == "xlsx":
        if not can(request.user, "export"):
            raise PermissionDeniedError()
        data = selectors.ledger_xlsx(
            selectors.with_status(rows[:10000], day), f"滞后任务清单（{day:%Y年%m月%d日}）"
        )
        return file_download(data, f"滞后任务清单_{day}.xlsx")
    page = paginate(request, rows)
    context = {
        "page": page,
        "rows": [(t, (day - t.due_on).days if t.due_on else None) for t in page],
        "q": q,
        "export_query": urlencode({"q": q, "export": "xlsx"}),
        "can_export": can(request.user, "export"),
        "zero": Decimal("0"),
    }
    return render(request, "www/plans/overdue.html", context)
