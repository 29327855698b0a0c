"""The approval chain: a region's staff submit its month, its parent's office approves (locking the month) or
returns it with a reason, and may unlock an approved month again. Every transition is audited."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone

from yigou.accounts.scope import can, scope_for
from yigou.core import audit
from yigou.core.errors import DomainError, PermissionDeniedError
from yigou.regions.models import Region
from yigou.reporting.validation import ensure_submittable

from .chain import form_of, reporting_children
from .enums import RESUBMITTABLE, TRANSITIONS, Action, State
from .locks import ensure_month_unlocked
from .models import DEFAULT_FORM, Lock, Step, Submission


def _own_region(actor: Any) -> str | None:
    org = getattr(actor, "organisation", None)
    return org.region_id if org is not None else None


def check_may_submit(actor: Any, region: Region) -> None:
    """Only the region's own staff (office or village users whose organisation sits in it) submit its report."""
    if not can(actor, "approval.submit"):
        raise PermissionDeniedError()
    if not scope_for(actor).everything and _own_region(actor) != region.code:
        raise PermissionDeniedError("approval_submit_scope", region=region.name)


def check_may_decide(actor: Any, region: Region) -> None:
    """Only the office of the region's parent approves, returns or unlocks its report."""
    if not can(actor, "approval.decide"):
        raise PermissionDeniedError()
    if scope_for(actor).everything:
        return
    if region.parent_id is None or _own_region(actor) != region.parent_id:
        parent = region.parent.name if region.parent_id else "上级区域"  # type: ignore[union-attr]
        raise PermissionDeniedError("approval_decide_scope", region=region.name, parent=parent)


def _locked_row(region: Region, year: int, month: int, form_code: str) -> Submission:
    submission, _ = Submission.objects.get_or_create(
        region=region, year=year, month=month, form_code=form_code or DEFAULT_FORM
    )
    return Submission.objects.select_for_update().select_related("region").get(pk=submission.pk)


def _move(actor: Any, submission: Submission, action: str, reason: str = "") -> Submission:
    """Apply one transition: check it is legal, save the state, write the step and the audit entry."""
    allowed, target = TRANSITIONS[action]
    before = submission.state
    if action == Action.SUBMIT and before in RESUBMITTABLE:
        target = State.RESUBMITTED
    elif before not in allowed:
        raise DomainError(
            "approval_transition_illegal", current=State(before).label, action=Action(action).label
        )
    submission.state = target
    submission.reason = reason
    submission.save()
    user = actor if getattr(actor, "is_authenticated", False) else None
    Step.objects.create(
        submission=submission, action=action, from_state=before, to_state=target, reason=reason, actor=user
    )
    audit.record(
        actor=actor,
        action=f"approval_{action}",
        target=submission,
        note=reason,
        changes={"state": [before, target], "form": submission.form_code},
    )
    return submission


def _reason(reason: str, what: str) -> str:
    text = (reason or "").strip()
    if not text:
        raise DomainError("invalid_input", detail=f"{what}必须填写原因")
    return text[:500]


def submission_submit(
    *, actor: Any, region: Region, year: int, month: int, form_code: str = DEFAULT_FORM
) -> Submission:
    """Submit (or resubmit) a region's month. The form's rules run first and their results are kept even when
    they refuse the submission, so the filler sees what to fix or explain."""
    check_may_submit(actor, region)
    ensure_submittable(region.code, year, month, form_of(form_code))
    return _submit(actor, region, year, month, form_code)


@transaction.atomic
def _submit(actor: Any, region: Region, year: int, month: int, form_code: str) -> Submission:
    submission = _locked_row(region, year, month, form_code)
    now = timezone.now()
    submission = _move(actor, submission, Action.SUBMIT)
    submission.first_submitted_at = submission.first_submitted_at or now
    submission.submitted_at = now
    submission.submitted_by = actor if getattr(actor, "is_authenticated", False) else None
    submission.save(update_fields=["first_submitted_at", "submitted_at", "submitted_by"])
    return submission


def _pending_children(submission: Submission) -> list[Region]:
    children = reporting_children(submission.region, submission.form_code)
    approved = set(
        Submission.objects.filter(
            region__in=children,
            year=submission.year,
            month=submission.month,
            form_code=submission.form_code,
            state=State.APPROVED,
        ).values_list("region_id", flat=True)
    )
    return [c for c in children if c.code not in approved]


def _decided(actor: Any, submission: Submission) -> None:
    submission.decided_at = timezone.now()
    submission.decided_by = actor if getattr(actor, "is_authenticated", False) else None
    submission.save(update_fields=["decided_at", "decided_by"])


@transaction.atomic
def submission_approve(*, actor: Any, submission: Submission) -> Submission:
    """Approve and lock the month; only once every child that reports is approved itself."""
    check_may_decide(actor, submission.region)
    submission = Submission.objects.select_for_update().select_related("region").get(pk=submission.pk)
    pending = _pending_children(submission)
    if pending and submission.state in TRANSITIONS[Action.APPROVE][0]:
        raise DomainError(
            "approval_children_pending",
            region=submission.region.name,
            names="、".join(c.name for c in pending),
        )
    _move(actor, submission, Action.APPROVE)
    _decided(actor, submission)
    Lock.objects.create(
        region_code=submission.region_id, year=submission.year, month=submission.month, submission=submission
    )
    return submission


@transaction.atomic
def submission_return(*, actor: Any, submission: Submission, reason: str) -> Submission:
    check_may_decide(actor, submission.region)
    text = _reason(reason, "退回")
    submission = Submission.objects.select_for_update().select_related("region").get(pk=submission.pk)
    _move(actor, submission, Action.RETURN, text)
    _decided(actor, submission)
    return submission


@transaction.atomic
def submission_unlock(*, actor: Any, submission: Submission, reason: str) -> Submission:
    """Lift the lock of an approved month so its data can be corrected; it must then be submitted again."""
    check_may_decide(actor, submission.region)
    text = _reason(reason, "解锁")
    if submission.region.parent_id:
        # While the parent's month stays approved the data stays locked anyway: unlock from the top down.
        ensure_month_unlocked(submission.region.parent_id, submission.year, submission.month)
    submission = Submission.objects.select_for_update().select_related("region").get(pk=submission.pk)
    _move(actor, submission, Action.UNLOCK, text)
    _decided(actor, submission)
    Lock.objects.filter(submission=submission).delete()
    return submission
