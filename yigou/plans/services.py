"""Writes of plans, tasks and task reports. Every write is checked, audited and atomic: bad input changes nothing."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction

from yigou.accounts.scope import ensure_can, ensure_region_in_scope, scope_for
from yigou.assist.models import AssistingUnit
from yigou.core import audit
from yigou.core.errors import DomainError, PermissionDeniedError
from yigou.core.uploads import ensure_evidence_file
from yigou.regions.models import Region

from .enums import Rhythm
from .models import Plan, Task, TaskReport

NUMBER = re.compile(r"^\d{1,3}(\.\d{1,3}){0,2}$")
FULL = Decimal("100")


def refuse(detail: str, field: str | None = None) -> DomainError:
    return DomainError("invalid_input", detail=detail, field=field)


@dataclass
class PlanInput:
    title: str
    starts_on: dt.date
    ends_on: dt.date
    rhythm: str = Rhythm.MONTHLY
    goals: str = ""
    document_no: str = ""


def check_plan(data: PlanInput) -> None:
    if not data.title.strip():
        raise refuse("方案名称不能为空", "title")
    if data.rhythm not in Rhythm.values:
        raise refuse(f"调度频次“{data.rhythm}”无效", "rhythm")
    if data.ends_on < data.starts_on:
        raise refuse(f"实施截止 {data.ends_on} 早于实施起始 {data.starts_on}", "ends_on")


@transaction.atomic
def plan_create(*, actor: Any, region: Region, data: PlanInput) -> Plan:
    ensure_can(actor, "plans.manage")
    ensure_region_in_scope(actor, region.code)
    check_plan(data)
    plan = Plan.objects.create(
        region=region,
        title=data.title.strip()[:200],
        document_no=data.document_no.strip()[:60],
        goals=data.goals.strip(),
        rhythm=data.rhythm,
        starts_on=data.starts_on,
        ends_on=data.ends_on,
        created_by=actor,
    )
    audit.record(actor=actor, action="plan.create", target=plan, note=plan.title)
    return plan


@dataclass
class TaskInput:
    number: str
    title: str
    lead_unit: str
    co_units: list[str] = field(default_factory=list)
    due_on: dt.date | None = None
    standing: bool = False
    section: str = ""


def sort_key(number: str) -> str:
    """'2.10' after '2.9': each part zero-padded."""
    return ".".join(part.zfill(3) for part in number.split("."))


def parent_number(number: str) -> str:
    return number.rpartition(".")[0]


def check_task(data: TaskInput, plan: Plan) -> None:
    """Checks of one task on its own (the import and the form share them); numbers against others come after."""
    if not NUMBER.match(data.number):
        raise refuse(f"序号“{data.number}”无效，应为 1、2.1 或 2.1.3 这样的编号", "number")
    if not data.title.strip():
        raise refuse("任务内容不能为空", "title")
    if not data.lead_unit.strip():
        raise refuse("牵头单位不能为空", "lead_unit")
    if len(data.lead_unit) > 200:
        raise refuse("牵头单位不能超过200个字", "lead_unit")
    if data.standing and data.due_on is not None:
        raise refuse("长期任务不填完成时限", "due_on")
    if not data.standing and data.due_on is None:
        raise refuse("请填写完成时限，或标为长期任务", "due_on")
    if data.due_on is not None and not plan.starts_on <= data.due_on <= plan.ends_on:
        raise refuse(
            f"完成时限 {data.due_on} 不在方案实施期（{plan.starts_on} 至 {plan.ends_on}）内", "due_on"
        )


def _registered_unit(name: str) -> AssistingUnit | None:
    """The registered unit of that exact name, if exactly one: its accounts then see and report the task."""
    rows = list(AssistingUnit.objects.filter(name=name.strip())[:2])
    return rows[0] if len(rows) == 1 else None


def task_write(plan: Plan, data: TaskInput, parent: Task | None) -> Task:
    """Insert one checked task (the caller holds the transaction and checks numbers against the plan)."""
    return Task.objects.create(
        plan=plan,
        parent=parent,
        number=data.number,
        sort_key=sort_key(data.number),
        title=data.title.strip(),
        section=data.section.strip()[:200],
        lead_unit=data.lead_unit.strip(),
        co_units=[u.strip() for u in data.co_units if u.strip()],
        lead=_registered_unit(data.lead_unit),
        due_on=data.due_on,
        standing=data.standing,
    )


def ensure_manages(actor: Any, plan: Plan) -> None:
    """Plans are changed by the office of the region that issued them (or one above it)."""
    ensure_can(actor, "plans.manage", plan)
    scope = scope_for(actor)
    if not scope.everything and not plan.region_id.startswith(scope.region_prefix):
        raise PermissionDeniedError("forbidden", f"只有{plan.region.name}及上级的工作人员可以修改该方案")


@transaction.atomic
def task_add(*, actor: Any, plan: Plan, data: TaskInput) -> Task:
    ensure_manages(actor, plan)
    check_task(data, plan)
    if plan.tasks.filter(number=data.number).exists():
        raise refuse(f"序号 {data.number} 已存在", "number")
    parent = None
    if parent_number(data.number):
        parent = plan.tasks.filter(number=parent_number(data.number)).first()
        if parent is None:
            raise refuse(f"上级任务 {parent_number(data.number)} 不存在，请先添加", "number")
    task = task_write(plan, data, parent)
    audit.record(actor=actor, action="plan.task_add", target=task, note=task.title[:200])
    return task


def may_report(actor: Any, task: Task) -> bool:
    """Offices and village staff over the plan, and the accounts of the task's registered lead unit."""
    scope = scope_for(actor)
    if scope.kind == "unit":
        return task.lead_id is not None and task.lead_id == scope.unit_id
    return scope.everything or (
        scope.kind == "region" and task.plan.region_id.startswith(scope.region_prefix)
    )


def _percent(value: Any) -> Decimal:
    try:
        number = Decimal(str(value).strip().rstrip("%"))
    except (InvalidOperation, ValueError):
        raise refuse(f"进度“{value}”不是数字", "progress") from None
    if not number.is_finite() or number < 0 or number > FULL:
        raise refuse("进度须在 0 到 100 之间", "progress")
    if number != number.quantize(Decimal("0.01")):
        raise refuse("进度最多两位小数", "progress")
    return number


@transaction.atomic
def task_report(
    *, actor: Any, task: Task, reported_on: dt.date, progress: Any, text: str, evidence: Any = None
) -> TaskReport:
    """A dispatch report: the progress now (never less than before), what was done, evidence."""
    ensure_can(actor, "plans.report", task)
    if not may_report(actor, task):
        raise PermissionDeniedError(
            "forbidden", f"只有牵头单位“{task.lead_unit}”或方案所在地工作人员可以报送"
        )
    task = Task.objects.select_for_update().select_related("plan").get(pk=task.pk)
    value = _percent(progress)
    if not text.strip():
        raise refuse("请填写进展情况", "text")
    if reported_on > dt.date.today():
        raise refuse(f"报送日期 {reported_on} 晚于今天", "reported_on")
    if task.reported_on is not None and reported_on < task.reported_on:
        raise refuse(f"报送日期 {reported_on} 早于最近一次报送 {task.reported_on}", "reported_on")
    if value < task.progress:
        raise refuse(f"进度 {value}% 低于上次报送的 {task.progress}%，进度只能保持或增加", "progress")
    if evidence is not None:
        ensure_evidence_file(evidence)
    report = TaskReport.objects.create(
        task=task,
        reported_on=reported_on,
        progress=value,
        text=text.strip(),
        evidence=evidence or "",
        reported_by=actor,
    )
    before = audit.snapshot(task, ["progress", "reported_on", "completed_on"])
    task.progress, task.reported_on = value, reported_on
    if value >= FULL and task.completed_on is None:
        task.completed_on = reported_on
    task.save(update_fields=["progress", "reported_on", "completed_on", "updated_at"])
    changes = audit.diff(before, audit.snapshot(task, ["progress", "reported_on", "completed_on"]))
    audit.record(actor=actor, action="plan.task_report", target=task, changes=changes, note=text[:300])
    return report
