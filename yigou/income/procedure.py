"""The identification procedure of a monitoring case and its 风险消除, as ordered steps.

识别纳入: 发现登记 → 入户核查 (with the household's signed consent as evidence) → 村级民主评议 with 公示 → 乡镇审核 →
县级审批 → 公告, which records MONITOR_STARTED with the case's group on the household's status history.
风险消除: 村级民主评议 with 公示 (only for a clearable household, see clearance.py) → 乡镇审核 → 县级审批 → 公告, which
records MONITOR_ENDED. Both go through the registry's `household_record_event`, so `Household.monitor_type` stays
derived from the history.

The 公示 starts on the day of the village review and lasts `notice_days` days (YIGOU_MONITORING_RULES); the
township review is possible from the day after its last day — with 5 days, a review on 1 March allows the
township review from 6 March. Village staff do the home check and village review, a township office the township
review, a county office the approval and the announcement (administrators any step). A refusal at a review step
ends the identification (不予纳入) or sends a clearance back to monitoring (不予消除). Every refusal of a move is a
Chinese DomainError and changes nothing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.db import transaction

from yigou.accounts.enums import Role
from yigou.accounts.scope import ensure_can, scope_for
from yigou.core import audit
from yigou.core.errors import DomainError, PermissionDeniedError
from yigou.core.uploads import ensure_evidence_file
from yigou.regions.enums import Level
from yigou.registry.enums import EventKind, EventSource
from yigou.registry.services import household_record_event

from .cases import check_date
from .checks import check_text
from .clearance import ensure_clearable
from .enums import PHASE_STEPS, REVIEW_STEPS, CaseStatus, Phase, StepKind
from .models import CaseStep, MonitoringCase, StepFile

# Who does each step: (role, level of the user's region, the Chinese name of who should act).
VILLAGE_STAFF = (Role.VILLAGE, Level.VILLAGE, "村级工作人员")
TOWNSHIP_OFFICE = (Role.OFFICE, Level.TOWNSHIP, "乡镇扶贫部门")
COUNTY_OFFICE = (Role.OFFICE, Level.COUNTY, "县级扶贫部门")
ACTOR_OF_STEP: dict[str, tuple[str, int, str]] = {
    StepKind.HOME_CHECK: VILLAGE_STAFF,
    StepKind.VILLAGE_REVIEW: VILLAGE_STAFF,
    StepKind.TOWNSHIP_REVIEW: TOWNSHIP_OFFICE,
    StepKind.COUNTY_APPROVAL: COUNTY_OFFICE,
    StepKind.ANNOUNCEMENT: COUNTY_OFFICE,
}
MAX_NOTE = 2000


def notice_days() -> int:
    return int(settings.YIGOU_MONITORING_RULES["notice_days"])


def _cycle(case: MonitoringCase) -> list[CaseStep]:
    """The steps of the current phase since its last refusal: what the next step follows."""
    steps = list(case.steps.filter(phase=case.phase).order_by("id"))
    refused = [n for n, s in enumerate(steps) if not s.approved]
    return steps[refused[-1] + 1 :] if refused else steps


def next_step(case: MonitoringCase) -> str | None:
    """The step the case waits for, or None when no step is possible (rejected, cleared, or monitored — where the
    next move is `clearance_start`)."""
    if case.status not in (CaseStatus.IDENTIFYING, CaseStatus.CLEARING):
        return None
    order = PHASE_STEPS[case.phase]
    done = len(_cycle(case))
    return order[done] if done < len(order) else None


def ensure_actor_for(actor: Any, step: str, case: MonitoringCase) -> None:
    """The step's role and level, and the case's household in the actor's region."""
    ensure_can(actor, "monitoring.review", case.household)
    if scope_for(actor).everything:
        return
    role, level, who = ACTOR_OF_STEP[step]
    org = getattr(actor, "organisation", None)
    region = getattr(org, "region", None)
    if actor.role != role or region is None or region.level != level:
        raise PermissionDeniedError(
            "forbidden", f"“{StepKind(step).label}”须由{who}办理，本账号不能办理此步骤"
        )


def _ensure_order(case: MonitoringCase, step: str) -> None:
    expected = next_step(case)
    label = StepKind(step).label if step in StepKind.values else step
    if expected is None:
        raise DomainError(
            "invalid_input", detail=f"监测对象当前状态为“{case.get_status_display()}”，不能办理“{label}”"
        )
    if step != expected:
        raise DomainError(
            "invalid_input",
            detail=f"{case.get_phase_display()}程序须按顺序办理：下一步应为“{StepKind(expected).label}”，不能办理“{label}”",
        )


def _ensure_date(case: MonitoringCase, step: str, date: dt.date) -> None:
    date = check_date(date, "办理日期", "date")
    last = case.steps.order_by("-date", "-id").first()
    if last is not None and date < last.date:
        raise DomainError(
            "invalid_input",
            detail=f"办理日期 {date} 早于上一步骤“{last.get_step_display()}”的日期 {last.date}",
        )
    if step == StepKind.TOWNSHIP_REVIEW:
        review = _cycle(case)[-1]
        if review.notice_until is not None and date <= review.notice_until:
            raise DomainError(
                "invalid_input",
                detail=(
                    f"村级公示须满 {notice_days()} 天（{review.date} 至 {review.notice_until}），"
                    f"公示期满前不能办理乡镇审核，最早 {review.notice_until + dt.timedelta(days=1)}"
                ),
                field="date",
            )


def _files(files: Sequence[Any]) -> list[tuple[str, Any]]:
    return [(ensure_evidence_file(f), f) for f in files]


def _write_step(
    actor: Any,
    case: MonitoringCase,
    step: str,
    date: dt.date,
    note: str,
    approved: bool,
    files: list[tuple[str, Any]],
) -> CaseStep:
    row = CaseStep.objects.create(
        case=case,
        phase=case.phase,
        step=step,
        date=date,
        approved=approved,
        note=note,
        notice_until=date + dt.timedelta(days=notice_days() - 1) if step == StepKind.VILLAGE_REVIEW else None,
        recorded_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    for name, upload in files:
        StepFile.objects.create(step=row, file=upload, name=name[:200])
    audit.record(
        actor=actor,
        action=f"monitoring.{case.phase}.{step}",
        target=case,
        changes={"step": step, "date": date.isoformat(), "approved": approved},
        note=note[:300],
    )
    return row


def _check_inputs(step: str, approved: bool, note: str, files: Sequence[Any]) -> tuple[str, list[Any]]:
    text = check_text(note, "说明/意见", "note", most=MAX_NOTE)
    if not approved and step not in REVIEW_STEPS:
        raise DomainError(
            "invalid_input", detail=f"“{StepKind(step).label}”不是评议审核步骤，不能作出不予通过的决定"
        )
    if not approved and len(text) < 2:
        raise DomainError("invalid_input", detail="不予通过须写明理由", field="note")
    checked = _files(files)
    if step == StepKind.HOME_CHECK and not checked:
        raise DomainError(
            "invalid_input", detail="入户核查须上传农户签字的授权承诺书等佐证材料", field="files"
        )
    return text, checked


@transaction.atomic
def step_record(
    *,
    actor: Any,
    case: MonitoringCase,
    step: str,
    date: dt.date,
    note: str = "",
    approved: bool = True,
    files: Sequence[Any] = (),
) -> CaseStep:
    """The next step of the case's identification or clearance; the announcement completes the phase."""
    case = MonitoringCase.objects.select_for_update().select_related("household").get(pk=case.pk)
    ensure_can(actor, "monitoring.review", case.household)
    _ensure_order(case, step)
    ensure_actor_for(actor, step, case)
    _ensure_date(case, step, date)
    text, checked = _check_inputs(step, approved, note, files)
    if step == StepKind.ANNOUNCEMENT and case.phase == Phase.CLEAR:
        ensure_clearable(case, date)  # the household may have fallen back since the village review
    row = _write_step(actor, case, step, date, text, approved, checked)
    if not approved:
        _refused(case, text)
    elif step == StepKind.ANNOUNCEMENT:
        _announced(actor, case, date)
    return row


def _refused(case: MonitoringCase, reason: str) -> None:
    if case.phase == Phase.IDENTIFY:
        case.status, case.end_reason = CaseStatus.REJECTED, reason[:500]
    else:
        case.status = CaseStatus.MONITORED  # 不予消除: the household stays monitored
    case.save(update_fields=["status", "end_reason", "updated_at"])


def _announced(actor: Any, case: MonitoringCase, date: dt.date) -> None:
    if case.phase == Phase.IDENTIFY:
        household_record_event(
            actor=actor,
            household=case.household,
            kind=EventKind.MONITOR_STARTED,
            date=date,
            reason=f"防止返贫监测：纳入{case.get_group_display()}（{'、'.join(case.risk_labels)}）",
            monitor_type=case.group,
            source=EventSource.PROCEDURE,
        )
        case.status, case.started_on = CaseStatus.MONITORED, date
    else:
        household_record_event(
            actor=actor,
            household=case.household,
            kind=EventKind.MONITOR_ENDED,
            date=date,
            reason="防止返贫监测：风险消除",
            source=EventSource.PROCEDURE,
        )
        case.status, case.ended_on = CaseStatus.CLEARED, date
    case.save(update_fields=["status", "started_on", "ended_on", "updated_at"])


@transaction.atomic
def clearance_start(
    *, actor: Any, case: MonitoringCase, date: dt.date, note: str = "", files: Sequence[Any] = ()
) -> CaseStep:
    """风险消除's first step, the village review with its 公示, for a monitored case whose household is clearable
    on that date (stable income above the line, no open 三保障 gap, labour capacity)."""
    case = MonitoringCase.objects.select_for_update().select_related("household").get(pk=case.pk)
    ensure_can(actor, "monitoring.review", case.household)
    if case.status != CaseStatus.MONITORED:
        raise DomainError(
            "invalid_input", detail=f"监测对象当前状态为“{case.get_status_display()}”，不能启动风险消除"
        )
    ensure_actor_for(actor, StepKind.VILLAGE_REVIEW, case)
    _ensure_date(case, StepKind.VILLAGE_REVIEW, date)
    text, checked = _check_inputs(StepKind.VILLAGE_REVIEW, True, note, files)
    ensure_clearable(case, date)
    case.phase, case.status = Phase.CLEAR, CaseStatus.CLEARING
    case.save(update_fields=["phase", "status", "updated_at"])
    return _write_step(actor, case, StepKind.VILLAGE_REVIEW, date, text, True, checked)
