"""Investigation cases (核查案件): a finding opened as a case, assigned to the region's staff, explained by them
with text and files, then confirmed — its purchases reversed through the ledger's reversal service with the case
named in the reason — or dismissed with a reason, after which later scans stay quiet about it.

Who may do what is decided here: offices and auditors open cases; an office strictly above the finding's region
(or an administrator) assigns and decides, so no region judges its own figures; the staff of the region (an office
or village account whose region holds the finding's) explain. Every step is audited and kept in the case's events.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from yigou.accounts.enums import Role
from yigou.accounts.models import User
from yigou.accounts.scope import can, ensure_can, scope_for
from yigou.core import audit
from yigou.core.errors import DomainError, PermissionDeniedError
from yigou.core.uploads import ensure_evidence_file
from yigou.ledger.models import Purchase
from yigou.ledger.services import purchase_reverse
from yigou.notices.services import notify
from yigou.regions.models import prefix_of

from .enums import OPEN_STATUSES, InvestigationStatus, InvestigationStep
from .models import CaseFile, Finding, Investigation, InvestigationEvent

S = InvestigationStatus
MAX_TEXT = 1000


def _above(actor: Any, region_code: str) -> bool:
    """The actor's region holds `region_code` and is not the region itself (administrators: always)."""
    scope = scope_for(actor)
    if scope.everything:
        return True
    return (
        scope.kind == "region"
        and region_code.startswith(scope.region_prefix)
        and (prefix_of(region_code) != scope.region_prefix)
    )


def _over(actor: Any, region_code: str) -> bool:
    scope = scope_for(actor)
    return scope.everything or (scope.kind == "region" and region_code.startswith(scope.region_prefix))


def may_decide(actor: Any, case: Investigation) -> bool:
    return can(actor, "anomalies.decide") and _above(actor, case.region_id)


def may_explain(actor: Any, case: Investigation) -> bool:
    if not can(actor, "anomalies.explain") or case.status not in (S.ASSIGNED, S.EXPLAINED):
        return False
    return case.assignee_id == getattr(actor, "pk", None) or _over(actor, case.region_id)


def _step(case: Investigation, kind: str, text: str, actor: Any, now: dt.datetime) -> None:
    InvestigationEvent.objects.create(case=case, at=now, kind=kind, text=text[:MAX_TEXT], actor=actor)
    audit.record(actor=actor, action=f"investigation.{kind}", target=case, note=text[:300])


def _text(value: str, what: str, least: int = 4) -> str:
    cleaned = (value or "").strip()
    if len(cleaned) < least:
        raise DomainError("invalid_input", detail=f"请填写{what}（至少 {least} 个字）")
    if len(cleaned) > MAX_TEXT:
        raise DomainError("invalid_input", detail=f"{what}不能超过 {MAX_TEXT} 个字")
    return cleaned


def _locked(case: Investigation) -> Investigation:
    return Investigation.objects.select_for_update().get(pk=case.pk)


def _ensure_status(case: Investigation, allowed: tuple[str, ...], action: str) -> None:
    if case.status not in allowed:
        raise DomainError("status_transition_illegal", current=case.get_status_display(), action=action)


@transaction.atomic
def case_open(*, actor: Any, finding: Finding, note: str = "") -> Investigation:
    ensure_can(actor, "anomalies.open", finding)
    finding = Finding.objects.select_for_update().get(pk=finding.pk)
    if Investigation.objects.filter(finding=finding).exists():
        raise DomainError("invalid_input", detail=f"该疑点已立案（{finding.case.number}），不能重复立案")
    now = timezone.now()
    case = _create_numbered(finding, actor, timezone.localdate(now))
    _step(
        case,
        InvestigationStep.OPENED,
        note.strip() or f"{finding.get_rule_display()}：{finding.evidence}",
        actor,
        now,
    )
    return case


def _create_numbered(finding: Finding, actor: Any, day: dt.date) -> Investigation:
    """HCyyyymmdd-NNNN, the day's cases counted: the same cases give the same numbers in any database (a row id
    would not). Two cases opened at once may draw the same number; the second takes the next."""
    prefix = f"HC{day:%Y%m%d}-"
    taken = Investigation.objects.filter(number__startswith=prefix).count()
    for n in range(taken + 1, taken + 6):
        try:
            with transaction.atomic():
                return Investigation.objects.create(
                    number=f"{prefix}{n:04d}", finding=finding, region_id=finding.region_id, opened_by=actor
                )
        except IntegrityError:
            continue
    raise DomainError("invalid_input", detail="同时立案的案件过多，请稍后重试")


def possible_assignees(case: Investigation) -> list[User]:
    """Office and village staff whose region is the finding's region or lies on the way up to it."""
    code = case.region_id
    over = {code[:d] + "0" * (12 - d) for d in (2, 4, 6, 9, 12) if len(prefix_of(code)) >= d}
    rows = User.objects.filter(
        is_active=True, role__in=(Role.OFFICE, Role.VILLAGE), organisation__region_id__in=over
    )
    return list(rows.select_related("organisation__region").order_by("-organisation__region_id", "username"))


def _assignee(case: Investigation, actor: Any, pk: Any) -> User:
    for person in possible_assignees(case):
        if str(person.pk) == str(pk).strip() and person.pk != getattr(actor, "pk", None):
            return person
    raise DomainError(
        "invalid_input", detail=f"核查人（编号 {pk}）不是本案所涉区划的工作人员", field="assignee"
    )


def ensure_may_decide(actor: Any, case: Investigation) -> None:
    ensure_can(actor, "anomalies.decide", case)
    if not may_decide(actor, case):
        raise PermissionDeniedError("forbidden", "本案须由所涉区划的上级单位交办和处理")


@transaction.atomic
def case_assign(
    *, actor: Any, case: Investigation, assignee: Any, due_on: dt.date | None = None
) -> Investigation:
    ensure_may_decide(actor, case)
    case = _locked(case)
    _ensure_status(case, (S.OPEN, S.ASSIGNED), "交办")
    person = _assignee(case, actor, assignee)
    today = timezone.localdate()
    if due_on is not None and due_on < today:
        raise DomainError("invalid_input", detail=f"说明期限 {due_on} 早于今天", field="due_on")
    case.assignee, case.due_on, case.status = person, due_on or today + dt.timedelta(days=10), S.ASSIGNED
    case.save(update_fields=["assignee", "due_on", "status", "updated_at"])
    who = f"{person.organisation.name if person.organisation else ''} {person.username}".strip()
    _step(
        case, InvestigationStep.ASSIGNED, f"交办 {who}，{case.due_on} 前作出情况说明", actor, timezone.now()
    )
    notify(
        [person],
        kind="investigation",
        title=f"核查案件 {case.number} 请于 {case.due_on} 前说明情况",
        body=case.finding.evidence[:300],
        link=reverse("www:anomaly_case", args=[case.pk]),
        region_code=case.region_id,
        actor=actor,
    )
    return case


@transaction.atomic
def case_explain(
    *, actor: Any, case: Investigation, text: str, uploads: list[Any] | None = None
) -> Investigation:
    ensure_can(actor, "anomalies.explain", case)
    case = _locked(case)
    _ensure_status(case, (S.ASSIGNED, S.EXPLAINED), "情况说明")
    if not may_explain(actor, case):
        raise PermissionDeniedError("forbidden", "只有本案核查人或所涉区划的工作人员可以作出情况说明")
    explanation = _text(text, "情况说明", least=10)
    names = [ensure_evidence_file(u, "核查材料") for u in uploads or []]
    now = timezone.now()
    for upload, name in zip(uploads or [], names, strict=True):
        CaseFile.objects.create(
            case=case, file=upload, name=name[:200], size=upload.size or 0, uploaded_by=actor
        )
    case.explanation = explanation if not case.explanation else f"{case.explanation}\n\n{explanation}"
    case.status = S.EXPLAINED
    case.save(update_fields=["explanation", "status", "updated_at"])
    files = f"（附材料 {len(names)} 份：{'、'.join(names)}）" if names else ""
    _step(case, InvestigationStep.EXPLAINED, explanation + files, actor, now)
    notify(
        [case.opened_by],
        kind="investigation",
        title=f"核查案件 {case.number} 已作出情况说明",
        body=explanation[:300],
        link=reverse("www:anomaly_case", args=[case.pk]),
        region_code=case.region_id,
        actor=actor,
    )
    return case


def _decide(case: Investigation, actor: Any, status: str, reason: str, now: dt.datetime) -> None:
    case.status, case.decided_by, case.decided_at, case.decision = status, actor, now, reason
    case.save(update_fields=["status", "decided_by", "decided_at", "decision", "reversed_count",
                             "reversed_amount", "updated_at"])  # fmt: skip


@transaction.atomic
def case_confirm(*, actor: Any, case: Investigation, reason: str) -> Investigation:
    """查实: every purchase the finding would reverse is reversed, all or none — a month locked by approval
    refuses the whole decision and the case stays as it was."""
    ensure_may_decide(actor, case)
    case = _locked(case)
    _ensure_status(case, (S.ASSIGNED, S.EXPLAINED), "查实")
    why = _text(reason, "查实意见")
    note = f"核查案件 {case.number} 查实：{why}"
    count, amount = 0, Decimal("0.00")
    for purchase in Purchase.objects.filter(pk__in=case.finding.reversible).order_by("pk"):
        if Purchase.objects.filter(reverses=purchase).exists():
            continue  # already corrected by hand: nothing left to take out
        purchase_reverse(actor=actor, purchase=purchase, reason=note)
        count, amount = count + 1, amount + purchase.total
    case.reversed_count, case.reversed_amount = count, amount
    now = timezone.now()
    _decide(case, actor, S.CONFIRMED, why, now)
    _step(case, InvestigationStep.CONFIRMED, f"{why}；冲销 {count} 笔，金额 {amount} 元", actor, now)
    return case


@transaction.atomic
def case_dismiss(*, actor: Any, case: Investigation, reason: str) -> Investigation:
    ensure_may_decide(actor, case)
    case = _locked(case)
    _ensure_status(case, (S.ASSIGNED, S.EXPLAINED), "排除")
    why = _text(reason, "排除理由")
    now = timezone.now()
    _decide(case, actor, S.DISMISSED, why, now)
    _step(case, InvestigationStep.DISMISSED, f"{why}（此后扫描不再提示该疑点）", actor, now)
    return case


def is_open(case: Investigation) -> bool:
    return case.status in OPEN_STATUSES
