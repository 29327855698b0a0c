"""Opening a monitoring case (监测对象) from any discovery channel: a cadre's visit, a department's screening list,
the monitoring scan, or a household's own declaration. Every channel ends in `case_open`, so the checks — a group,
one or more risk types, a date, no second open case for the household — live in one place."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any

from django.db import transaction
from django.utils import timezone

from yigou.accounts.scope import ensure_can, get_visible
from yigou.core import audit
from yigou.core.errors import DomainError
from yigou.regions.models import prefix_of
from yigou.registry.enums import MonitorType
from yigou.registry.models import Household

from .checks import check_choice, check_text
from .enums import OPEN_STATUSES, CaseStatus, Channel, Phase, RiskType, StepKind
from .models import CaseStep, MonitoringCase
from .monitoring import REGISTERED, monitoring_scan

MAX_NOTE = 2000
GROUPS = [value for value in MonitorType.values if value]
GROUP_CHOICES = [(value, label) for value, label in MonitorType.choices if value]  # the API schema's enum


def check_risks(risks: Iterable[Any]) -> list[str]:
    """One or more risk types, each once, in the order of RiskType."""
    given = {str(r) for r in (risks or [])}
    unknown = sorted(given - set(RiskType.values))
    if unknown:
        raise DomainError("invalid_input", detail=f"风险类型“{unknown[0]}”不在可选范围内", field="risks")
    if not given:
        raise DomainError("invalid_input", detail="请至少选择一项风险类型", field="risks")
    return [value for value in RiskType.values if value in given]


def check_group(group: Any) -> str:
    if group not in GROUPS:
        raise DomainError("invalid_input", detail=f"监测类型“{group}”不在可选范围内", field="group")
    return str(group)


def check_date(value: Any, what: str, field: str) -> dt.date:
    if not isinstance(value, dt.date):
        raise DomainError("invalid_input", detail=f"请填写{what}", field=field)
    if value > timezone.localdate():
        raise DomainError("invalid_input", detail=f"{what} {value} 晚于今天", field=field)
    return value


def default_group(household: Household) -> str:
    """The group a channel without a judgement of its own suggests: registered households are 脱贫不稳定户."""
    return MonitorType.UNSTABLE if household.status in REGISTERED else MonitorType.MARGINAL


def open_case_of(household: Household) -> MonitoringCase | None:
    return household.monitoring_cases.filter(status__in=OPEN_STATUSES).order_by("-id").first()


def _recorder(actor: Any) -> Any:
    return actor if getattr(actor, "is_authenticated", False) else None


@transaction.atomic
def case_open(
    *,
    actor: Any,
    household: Household,
    group: str,
    risks: Sequence[str],
    channel: str,
    discovered_on: dt.date,
    note: str = "",
) -> MonitoringCase:
    """A new case in 识别中 with its first step (发现登记) on the discovery date."""
    ensure_can(actor, "monitoring.flag", household)
    household = Household.objects.select_for_update().get(pk=household.pk)
    current = open_case_of(household)
    if current is not None:
        raise DomainError(
            "invalid_input",
            detail=f"{household}已是监测对象（{current.get_status_display()}，{current.discovered_on} 发现），不能重复登记",
        )
    case = MonitoringCase.objects.create(
        household=household,
        group=check_group(group),
        risks=check_risks(risks),
        channel=check_choice(channel, Channel, "发现渠道", "channel"),
        discovered_on=check_date(discovered_on, "发现日期", "discovered_on"),
        note=check_text(note, "发现情况", "note", most=MAX_NOTE),
        status=CaseStatus.IDENTIFYING,
        phase=Phase.IDENTIFY,
        opened_by=_recorder(actor),
    )
    CaseStep.objects.create(
        case=case,
        phase=Phase.IDENTIFY,
        step=StepKind.FLAG,
        date=case.discovered_on,
        note=case.note,
        recorded_by=_recorder(actor),
    )
    audit.record(
        actor=actor,
        action="monitoring.case_open",
        target=case,
        changes=audit.snapshot(case, ["group", "risks", "channel", "discovered_on"]),
        note=case.note[:300],
    )
    return case


def visit_flag(
    *,
    actor: Any,
    household: Household,
    risks: Sequence[str],
    visited_on: dt.date,
    finding: str,
    group: str | None = None,
) -> MonitoringCase:
    """A cadre's or village staff's visit finding (干部排查走访) on a household: a case from the visit channel."""
    return case_open(
        actor=actor,
        household=household,
        group=group or default_group(household),
        risks=risks,
        channel=Channel.VISIT,
        discovered_on=visited_on,
        note=check_text(finding, "走访发现的情况", "finding", least=2, most=MAX_NOTE),
    )


@transaction.atomic
def flags_from_scan(
    *,
    actor: Any,
    region_code: str,
    year: Any,
    households: Sequence[str] | None = None,
    discovered_on: dt.date | None = None,
) -> list[MonitoringCase]:
    """Turn the scan's suggestions into cases (channel 系统监测预警) with the suggested group and the reasons as
    the note: every suggestion, or those of the given household numbers. Households that already have an open
    case are left as they are. A named household that the scan does not suggest is refused."""
    ensure_can(actor, "monitoring.flag")
    result = monitoring_scan(actor, region_code, year)
    wanted = set(households) if households is not None else None
    suggestions = [s for s in result.suggestions if wanted is None or s.household in wanted]
    missing = sorted((wanted or set()) - {s.household for s in suggestions})
    if missing:
        raise DomainError(
            "invalid_input", detail=f"农户{missing[0]}不在本次监测排查的建议名单中", field="households"
        )
    rows = Household.objects.filter(
        number__in=[s.household for s in suggestions], village__code__startswith=prefix_of(result.region.code)
    )
    by_number = {h.number: h for h in rows}
    opened = []
    for s in suggestions:
        household = by_number[s.household]
        if open_case_of(household) is not None:
            continue
        opened.append(
            case_open(
                actor=actor,
                household=household,
                group=s.group,
                risks=[RiskType.OTHER],
                channel=Channel.SCAN,
                discovered_on=discovered_on or timezone.localdate(),
                note="；".join(s.reasons),
            )
        )
    return opened


def visible_case(actor: Any, pk: Any) -> MonitoringCase:
    return get_visible(actor, MonitoringCase.objects.select_related("household"), pk=pk)
