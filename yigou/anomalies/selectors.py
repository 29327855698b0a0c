"""Reads of fake-figure detection that the pages (and later the API) share: the findings of a region and period
with their filters, the investigation cases, a case's purchases, events and files, the dashboard of cases by child
region, the region a scan may cover, and the findings as XLSX. Every read goes through `restrict`."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, QuerySet
from django.utils import timezone

from yigou.accounts.scope import can, ensure_can, get_visible, restrict, scope_for
from yigou.core.errors import DomainError, PermissionDeniedError
from yigou.core.periods import Period
from yigou.core.xlsx import Cell, Sheet, write_workbook
from yigou.ledger.models import Purchase
from yigou.regions.checks import get_region
from yigou.regions.models import Region, prefix_of

from .enums import CLOSED_STATUSES, OPEN_STATUSES, InvestigationStatus, RuleCode
from .models import CaseFile, Finding, Investigation, InvestigationEvent

S = InvestigationStatus


class FindingState:
    """Where a finding stands with its case: the status filter of the findings list."""

    NEW = "new"
    OPEN = "open"
    CONFIRMED = "confirmed"
    DISMISSED = "dismissed"
    choices = [
        (NEW, "未立案"),
        (OPEN, "已立案（核查中）"),
        (CONFIRMED, "已查实"),
        (DISMISSED, "已排除"),
    ]


def scan_region(actor: Any, code: str = "") -> Region:
    """The region a findings page or a scan covers: the one asked for (by default the actor's own), never outside
    the actor's region; administrators without a region start from the top of the tree."""
    scope = scope_for(actor)
    if scope.kind not in ("all", "region"):
        raise PermissionDeniedError()
    code = (code or "").strip()
    if not code:
        if scope.everything:
            top = Region.objects.filter(parent__isnull=True).order_by("code").first()
            if top is None:
                raise DomainError("invalid_input", detail="请选择区域")
            return top
        return actor.organisation.region
    if len(code) != 12 or not code.isdigit():
        raise DomainError("invalid_input", detail=f"区划代码“{code}”无效，应为 12 位数字")
    region = get_region(code)
    if not scope.everything and not region.code.startswith(scope.region_prefix):
        raise DomainError("invalid_input", detail=f"区划“{region.name}”（{code}）不在本账号的管辖范围内")
    return region


def findings(
    actor: Any,
    *,
    region: Region,
    period: Period,
    rule: str = "",
    min_score: int | None = None,
    state: str = "",
) -> QuerySet[Finding]:
    """Findings inside the region whose period overlaps the one asked for, most suspicious first."""
    ensure_can(actor, "anomalies.view")
    rows = restrict(actor, Finding.objects.select_related("region", "case"))
    rows = rows.filter(
        region__code__startswith=region.prefix, period_start__lte=period.end, period_end__gte=period.start
    )
    if rule in RuleCode.values:
        rows = rows.filter(rule=rule)
    if min_score is not None:
        rows = rows.filter(score__gte=min_score)
    if state == FindingState.NEW:
        rows = rows.filter(case__isnull=True)
    elif state == FindingState.OPEN:
        rows = rows.filter(case__status__in=OPEN_STATUSES)
    elif state == FindingState.CONFIRMED:
        rows = rows.filter(case__status=S.CONFIRMED)
    elif state == FindingState.DISMISSED:
        rows = rows.filter(case__status=S.DISMISSED)
    return rows.order_by("-score", "rule", "id")


def finding(actor: Any, pk: int) -> Finding:
    ensure_can(actor, "anomalies.view")
    return get_visible(actor, Finding.objects.select_related("region"), pk=pk)


def may_open(actor: Any, row: Finding) -> bool:
    """A finding without a case may be opened by an office or auditor (the row is already in the actor's scope)."""
    return can(actor, "anomalies.open") and not hasattr(row, "case")


def ensure_may_scan(actor: Any) -> None:
    """A re-scan rewrites the stored findings of a region and period: offices and auditors only."""
    if not can(actor, "anomalies.open"):
        raise PermissionDeniedError()


def may_see_cases(actor: Any) -> bool:
    return can(actor, "anomalies.view") or can(actor, "anomalies.explain")


def cases(actor: Any, *, status: str = "", region: str = "") -> QuerySet[Investigation]:
    """Cases in the actor's scope, newest first; `status` is a case status, or "open"/"closed" for the groups."""
    if not may_see_cases(actor):
        raise PermissionDeniedError()
    rows = restrict(actor, Investigation.objects.select_related("region", "finding", "assignee", "opened_by"))
    if region:
        rows = rows.filter(region__code__startswith=prefix_of(region))
    if status == "active":
        rows = rows.filter(status__in=OPEN_STATUSES)
    elif status == "closed":
        rows = rows.filter(status__in=CLOSED_STATUSES)
    elif status in S.values:
        rows = rows.filter(status=status)
    return rows.order_by("-created_at", "-id")


def case(actor: Any, pk: int) -> Investigation:
    if not may_see_cases(actor):
        raise PermissionDeniedError()
    related = ("region", "finding", "finding__region", "assignee", "opened_by", "decided_by")
    return get_visible(actor, Investigation.objects.select_related(*related), pk=pk)


def case_events(row: Investigation) -> QuerySet[InvestigationEvent]:
    return row.events.select_related("actor").order_by("at", "id")


def case_files(row: Investigation) -> QuerySet[CaseFile]:
    return row.files.select_related("uploaded_by").order_by("uploaded_at", "id")


def case_file(actor: Any, pk: int) -> CaseFile:
    """A case's file, served only through the scope check (never as a public media URL)."""
    if not may_see_cases(actor):
        raise PermissionDeniedError()
    return get_visible(actor, CaseFile.objects.select_related("case"), pk=pk)


def case_purchases(actor: Any, row: Investigation) -> list[Purchase]:
    """The purchases the finding names that the actor may see, in the finding's order, each with its reversal."""
    ids = row.finding.purchase_ids
    found = restrict(actor, Purchase.objects.filter(pk__in=ids).select_related("region", "reversal"))
    by_pk = {p.pk: p for p in found}
    return [by_pk[pk] for pk in ids if pk in by_pk]


@dataclass
class CountRow:
    region: Region
    by_status: dict[str, int] = field(default_factory=dict)

    @property
    def open(self) -> int:
        return sum(self.by_status.get(s, 0) for s in OPEN_STATUSES)

    @property
    def confirmed(self) -> int:
        return self.by_status.get(S.CONFIRMED, 0)

    @property
    def dismissed(self) -> int:
        return self.by_status.get(S.DISMISSED, 0)

    @property
    def total(self) -> int:
        return sum(self.by_status.values())


@dataclass
class Dashboard:
    region: Region
    rows: list[CountRow]
    total: CountRow


def dashboard(actor: Any, region: Region) -> Dashboard:
    """Cases of the region by child region (the region itself when it has none): open, confirmed, dismissed."""
    children = list(Region.objects.filter(parent=region).order_by("code")) or [region]
    rows = [CountRow(child) for child in children]
    total = CountRow(region)
    counted = cases(actor, region=region.code).values_list("region_id", "status").annotate(n=Count("id"))
    for code, status, n in counted.order_by():
        total.by_status[status] = total.by_status.get(status, 0) + n
        for row in rows:
            if code.startswith(row.region.prefix):
                row.by_status[status] = row.by_status.get(status, 0) + n
                break
    return Dashboard(region, rows, total)


def state_label(row: Finding) -> str:
    held = getattr(row, "case", None)
    return held.get_status_display() if held is not None else "未立案"


def _xlsx_row(row: Finding) -> list[Cell]:
    held = getattr(row, "case", None)
    return [
        row.score,
        row.get_rule_display(),
        row.region_id,
        row.region.name,
        f"{row.period_start}..{row.period_end}",
        row.evidence,
        len(row.purchases),
        "、".join(str(external or pk) for pk, external in row.purchases),
        "、".join(row.households),
        float(row.amount),
        held.number if held is not None else "",
        state_label(row),
    ]


def findings_xlsx(rows: Iterable[Finding], region: Region, period: Period) -> bytes:
    sheet = Sheet(
        "疑点",
        [
            "可疑度",
            "规则",
            "区划代码",
            "区划",
            "期间",
            "依据",
            "购买笔数",
            "购买记录（外部编号）",
            "涉及农户",
            "涉及金额（元）",
            "案件编号",
            "状态",
        ],
        [_xlsx_row(r) for r in rows],
        title=f"{region.name}{period.label}虚报数字疑点（{timezone.localdate().isoformat()}）",
    )
    return write_workbook([sheet])
