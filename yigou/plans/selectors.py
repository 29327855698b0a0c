"""Reads of plans, the task ledger, targets with progress, findings and rankings — always through the actor's
scope. Pages and the API both call these, so both give the same rows."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Q, QuerySet

from yigou.accounts.scope import can, get_visible, restrict, scope_for
from yigou.core.xlsx import Sheet, write_workbook

from .enums import FindingStatus, TaskStatus
from .models import Finding, NetworkSite, Plan, Scheme, Target, Task, TrusteeshipContract
from .scoring import Ranking, score
from .services import may_report
from .status import status_q, task_status
from .targets import Progress, progress_trees


def plans(actor: Any, q: str = "") -> QuerySet[Plan]:
    rows = restrict(actor, Plan.objects.select_related("region"))
    if q.strip():
        rows = rows.filter(Q(title__contains=q.strip()) | Q(document_no__contains=q.strip()))
    return rows.order_by("-starts_on", "-id")


def plan(actor: Any, pk: int) -> Plan:
    return get_visible(actor, Plan.objects.select_related("region"), pk=pk)


def tasks(
    actor: Any, owner: Plan | None = None, *, status: str = "", q: str = "", today: dt.date | None = None
) -> QuerySet[Task]:
    today = today or dt.date.today()
    rows = restrict(actor, Task.objects.select_related("plan", "plan__region"))
    if owner is not None:
        rows = rows.filter(plan=owner)
    if status in TaskStatus.values:
        rows = rows.filter(status_q(status, today))
    if q.strip():
        text = q.strip()
        rows = rows.filter(Q(title__contains=text) | Q(lead_unit__contains=text) | Q(number=text))
    return rows.order_by("plan_id", "sort_key", "id")


def overdue(actor: Any, *, q: str = "", today: dt.date | None = None) -> QuerySet[Task]:
    """Every late task (滞后) the user may see, across plans, most overdue first."""
    return tasks(actor, status=TaskStatus.LATE, q=q, today=today).order_by("due_on", "plan_id", "sort_key")


def task(actor: Any, pk: int) -> Task:
    return get_visible(actor, Task.objects.select_related("plan", "plan__region", "parent"), pk=pk)


def with_status(rows: Any, today: dt.date) -> list[tuple[Task, str]]:
    return [(t, TaskStatus(task_status(t, today)).label) for t in rows]


def targets(actor: Any, owner: Plan, today: dt.date) -> list[Progress]:
    """The plan's targets the user sees, each with its progress, as trees (a county sees its own share down)."""
    visible = list(restrict(actor, Target.objects.filter(plan=owner).select_related("region")))
    # The parts of a visible target lie inside its region, so the user sees every one of them: sums are whole.
    return progress_trees(visible, today)


def target(actor: Any, pk: int) -> Target:
    return get_visible(actor, Target.objects.select_related("plan", "region", "parent"), pk=pk)


def findings(actor: Any, owner: Plan | None = None, *, status: str = "", q: str = "") -> QuerySet[Finding]:
    rows = restrict(actor, Finding.objects.select_related("plan", "region", "task"))
    if owner is not None:
        rows = rows.filter(plan=owner)
    if status in FindingStatus.values:
        rows = rows.filter(status=status)
    if q.strip():
        rows = rows.filter(Q(problem__contains=q.strip()) | Q(unit_name__contains=q.strip()))
    return rows.order_by("status", "rectify_by", "id")


def finding(actor: Any, pk: int) -> Finding:
    return get_visible(actor, Finding.objects.select_related("plan", "region", "task"), pk=pk)


def schemes(actor: Any, owner: Plan) -> QuerySet[Scheme]:
    return restrict(actor, Scheme.objects.filter(plan=owner)).order_by("id")


def bulletin_schemes(actor: Any) -> QuerySet[Scheme]:
    """The assessment schemes whose ranking a bulletin may include: every scheme the user may see, newest first."""
    return restrict(actor, Scheme.objects.select_related("plan")).order_by("-id")


def scheme(actor: Any, pk: int) -> Scheme:
    return get_visible(actor, Scheme.objects.select_related("plan", "plan__region"), pk=pk)


def ranking(actor: Any, pk: int, as_of: dt.date) -> Ranking:
    return score(scheme(actor, pk), as_of)


def may_manage(actor: Any, owner: Plan) -> bool:
    """The office of the region that issued the plan, or one above it (what services.ensure_manages allows)."""
    scope = scope_for(actor)
    inside = scope.everything or (scope.kind == "region" and owner.region_id.startswith(scope.region_prefix))
    return can(actor, "plans.manage") and inside


def may_split(actor: Any, row: Target) -> bool:
    scope = scope_for(actor)
    inside = scope.everything or (scope.kind == "region" and row.region_id.startswith(scope.region_prefix))
    return can(actor, "plans.manage") and inside


def may_report_task(actor: Any, row: Task) -> bool:
    return can(actor, "plans.report") and may_report(actor, row)


def ledger_xlsx(rows: list[tuple[Task, str]], title: str) -> bytes:
    headers = [
        "序号",
        "任务内容",
        "牵头单位",
        "配合单位",
        "完成时限",
        "状态",
        "进度（%）",
        "最近报送",
        "完成日期",
        "方案章节",
    ]
    data = [
        [
            t.number,
            t.title,
            t.lead_unit,
            "、".join(t.co_units),
            t.deadline_label,
            label,
            f"{t.progress:.2f}",
            str(t.reported_on or ""),
            str(t.completed_on or ""),
            t.section,
        ]
        for t, label in rows
    ]
    return write_workbook([Sheet(name="任务台账", headers=headers, rows=data, title=title)])


def network_sites(actor: Any, *, kind: str = "", q: str = "") -> QuerySet[NetworkSite]:
    rows = restrict(actor, NetworkSite.objects.select_related("region"))
    if kind:
        rows = rows.filter(kind=kind)
    if q.strip():
        rows = rows.filter(Q(name__contains=q.strip()) | Q(operator__contains=q.strip()))
    return rows.order_by("region_id", "kind", "name", "id")


def trusteeships(actor: Any, *, year: int | None = None) -> QuerySet[TrusteeshipContract]:
    rows = restrict(actor, TrusteeshipContract.objects.select_related("region"))
    if year is not None:
        rows = rows.filter(year=year)
    return rows.order_by("-year", "region_id", "number")
