"""Help measures (帮扶措施) of a monitored case, each with a responsible cadre, a deadline and follow-up visits.
A measure may be added once the case is being identified or monitored; overdue means open past its deadline."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction

from yigou.accounts.scope import ensure_can, restrict
from yigou.assist.models import Cadre
from yigou.core import audit
from yigou.core.errors import DomainError

from .cases import check_date
from .checks import check_choice, check_text
from .enums import CaseStatus, MeasureKind, MeasureStatus
from .models import FollowUp, Measure, MonitoringCase

MAX_NOTE = 2000
ACTIVE_CASES = (CaseStatus.IDENTIFYING, CaseStatus.MONITORED, CaseStatus.CLEARING)


def _recorder(actor: Any) -> Any:
    return actor if getattr(actor, "is_authenticated", False) else None


def _cadre(actor: Any, cadre: Cadre | int | None) -> Cadre:
    pk = cadre.pk if isinstance(cadre, Cadre) else cadre
    row = restrict(actor, Cadre.objects.filter(is_active=True)).filter(pk=pk).first() if pk else None
    if row is None:
        raise DomainError(
            "invalid_input", detail=f"帮扶干部（编号 {pk}）不存在、不在岗或无权访问", field="cadre"
        )
    return row


@transaction.atomic
def measure_add(
    *,
    actor: Any,
    case: MonitoringCase,
    kind: str,
    description: str,
    cadre: Cadre | int,
    started_on: dt.date,
    deadline: dt.date,
) -> Measure:
    case = MonitoringCase.objects.select_for_update().select_related("household").get(pk=case.pk)
    ensure_can(actor, "monitoring.measure", case.household)
    if case.status not in ACTIVE_CASES:
        raise DomainError(
            "invalid_input", detail=f"监测对象当前状态为“{case.get_status_display()}”，不能再添加帮扶措施"
        )
    start = check_date(started_on, "开始日期", "started_on")
    if start < case.discovered_on:
        raise DomainError(
            "invalid_input", detail=f"开始日期 {start} 早于发现日期 {case.discovered_on}", field="started_on"
        )
    if not isinstance(deadline, dt.date) or deadline < start:
        raise DomainError("invalid_input", detail="完成期限须不早于开始日期", field="deadline")
    measure = Measure.objects.create(
        case=case,
        kind=check_choice(kind, MeasureKind, "措施类型", "kind"),
        description=check_text(description, "措施内容", "description", least=2, most=MAX_NOTE),
        cadre=_cadre(actor, cadre),
        started_on=start,
        deadline=deadline,
        recorded_by=_recorder(actor),
    )
    audit.record(
        actor=actor,
        action="monitoring.measure_add",
        target=measure,
        changes=audit.snapshot(measure, ["kind", "cadre_id", "started_on", "deadline"]),
        note=measure.description[:300],
    )
    return measure


def _open_measure(actor: Any, measure: Measure) -> Measure:
    measure = Measure.objects.select_for_update().select_related("case__household").get(pk=measure.pk)
    ensure_can(actor, "monitoring.measure", measure.case.household)
    if measure.status != MeasureStatus.OPEN:
        raise DomainError("invalid_input", detail=f"该措施当前为“{measure.get_status_display()}”，不能再办理")
    return measure


@transaction.atomic
def measure_close(*, actor: Any, measure: Measure, status: str, closed_on: dt.date, result: str) -> Measure:
    """Mark an open measure done (with its result) or cancelled (with the reason)."""
    measure = _open_measure(actor, measure)
    if status not in (MeasureStatus.DONE, MeasureStatus.CANCELLED):
        raise DomainError("invalid_input", detail="只能将措施办结为“已完成”或“已取消”", field="status")
    day = check_date(closed_on, "办结日期", "closed_on")
    if day < measure.started_on:
        raise DomainError(
            "invalid_input", detail=f"办结日期 {day} 早于开始日期 {measure.started_on}", field="closed_on"
        )
    measure.status, measure.closed_on = status, day
    measure.result = check_text(result, "实施结果或取消原因", "result", least=2, most=MAX_NOTE)
    measure.save(update_fields=["status", "closed_on", "result", "updated_at"])
    audit.record(
        actor=actor,
        action="monitoring.measure_close",
        target=measure,
        changes={"status": status, "closed_on": day.isoformat()},
        note=measure.result[:300],
    )
    return measure


@transaction.atomic
def follow_up_record(
    *, actor: Any, measure: Measure, date: dt.date, note: str, next_due: dt.date | None = None
) -> FollowUp:
    """A follow-up visit of an open measure; `next_due` is when the next visit is due (after this one)."""
    measure = _open_measure(actor, measure)
    day = check_date(date, "走访日期", "date")
    if day < measure.started_on:
        raise DomainError(
            "invalid_input", detail=f"走访日期 {day} 早于措施开始日期 {measure.started_on}", field="date"
        )
    if next_due is not None and (not isinstance(next_due, dt.date) or next_due <= day):
        raise DomainError("invalid_input", detail="下次走访日期须晚于本次走访日期", field="next_due")
    visit = FollowUp.objects.create(
        measure=measure,
        date=day,
        note=check_text(note, "走访情况", "note", least=2, most=MAX_NOTE),
        next_due=next_due,
        recorded_by=_recorder(actor),
    )
    audit.record(
        actor=actor,
        action="monitoring.follow_up",
        target=measure,
        changes={"date": day.isoformat(), "next_due": next_due.isoformat() if next_due else None},
        note=visit.note[:300],
    )
    return visit
