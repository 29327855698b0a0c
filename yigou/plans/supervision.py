"""Supervision findings (督查) with rectification (整改) deadlines, and closing them (销号)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction

from yigou.accounts.enums import Role
from yigou.accounts.models import User
from yigou.accounts.scope import ensure_can, ensure_region_in_scope
from yigou.core import audit
from yigou.notices.services import notify
from yigou.regions.models import Region

from .enums import FindingStatus
from .models import Finding, Plan, Task
from .services import refuse


def office_users(region_code: str) -> list[User]:
    """The accounts of a region's own office: who is told about its findings and reminders."""
    rows = User.objects.filter(is_active=True, role=Role.OFFICE, organisation__region_id=region_code)
    return list(rows.order_by("pk"))


@transaction.atomic
def finding_create(
    *,
    actor: Any,
    plan: Plan,
    region: Region,
    problem: str,
    found_on: dt.date,
    rectify_by: dt.date,
    unit_name: str = "",
    task: Task | None = None,
) -> Finding:
    ensure_can(actor, "plans.supervise", plan)
    ensure_region_in_scope(actor, region.code)
    if not region.code.startswith(plan.region.prefix):
        raise refuse(f"{region.name}不在方案制定区域{plan.region.name}内", "region")
    if not problem.strip():
        raise refuse("请填写发现的问题", "problem")
    if found_on > dt.date.today():
        raise refuse(f"督查日期 {found_on} 晚于今天", "found_on")
    if rectify_by < found_on:
        raise refuse(f"整改期限 {rectify_by} 早于督查日期 {found_on}", "rectify_by")
    if task is not None and task.plan_id != plan.pk:
        raise refuse("相关任务不在本方案中", "task")
    finding = Finding.objects.create(
        plan=plan,
        task=task,
        region=region,
        unit_name=unit_name.strip()[:200],
        problem=problem.strip(),
        found_on=found_on,
        rectify_by=rectify_by,
        created_by=actor,
    )
    audit.record(actor=actor, action="plan.finding_create", target=finding, note=finding.problem[:300])
    notify(
        office_users(region.code),
        kind="plan_finding",
        title=f"督查发现问题，请于{rectify_by:%Y年%m月%d日}前整改",
        body=finding.problem[:200],
        link=f"/plans/findings/{finding.pk}/",
        region_code=region.code,
        actor=actor,
    )
    return finding


@transaction.atomic
def finding_close(*, actor: Any, finding: Finding, closed_on: dt.date, note: str) -> Finding:
    """Close a finding once rectified; closing after the deadline still counts as overdue in assessments."""
    ensure_can(actor, "plans.supervise", finding)
    finding = Finding.objects.select_for_update().get(pk=finding.pk)
    ensure_region_in_scope(actor, finding.plan.region_id)
    if finding.status != FindingStatus.OPEN:
        raise refuse(f"该问题已于 {finding.closed_on} 销号", "closed_on")
    if not note.strip():
        raise refuse("请填写整改情况", "note")
    if closed_on < finding.found_on or closed_on > dt.date.today():
        raise refuse(f"销号日期 {closed_on} 须在督查日期 {finding.found_on} 与今天之间", "closed_on")
    finding.status, finding.closed_on = FindingStatus.CLOSED, closed_on
    finding.closing_note, finding.closed_by = note.strip(), actor
    finding.save(update_fields=["status", "closed_on", "closing_note", "closed_by", "updated_at"])
    audit.record(
        actor=actor,
        action="plan.finding_close",
        target=finding,
        changes={"status": [FindingStatus.OPEN, FindingStatus.CLOSED]},
        note=note[:300],
    )
    return finding
