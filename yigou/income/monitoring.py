"""The return-to-poverty monitoring scan (防止返贫动态监测) of one region subtree and year: a read that stores
nothing and suggests, per household, a monitoring group with the reasons in Chinese naming the figures.

(a) The projected per-capita net income below the monitoring line × `factor`. "Projected" is for now the year's
    income card as it stands (entries so far plus the ledger's sales so far), not an extrapolation.
(b) The per-capita net income fell against the previous year's by more than `fall_share` of it; by more than
    `sudden_share`, a sudden severe difficulty. Both years are divided by today's household size.
(c) A 三保障 or drinking-water item whose latest check of the year is not ok.

Registered households (建档立卡: poor or exited) are suggested 脱贫不稳定户, the others 边缘易致贫户, and a sudden fall
突发严重困难户 whatever the registration. Households without a live income entry for the year are not judged on
income (rule c still applies to them). Thresholds: settings.YIGOU_MONITORING_RULES; equal to one is not flagged.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.conf import settings

from yigou.accounts.scope import ensure_can, scope_for
from yigou.core.errors import DomainError
from yigou.regions.models import Region, prefix_of
from yigou.registry.enums import HouseholdStatus, MonitorType

from .checks import check_region, check_year
from .figures import share, times, yuan
from .models import MonitoringLine
from .selectors import Gap, HouseholdIncome, gaps, incomes, line_for

REGISTERED = (HouseholdStatus.POOR, HouseholdStatus.EXITED)


def threshold(name: str) -> Decimal:
    return Decimal(str(settings.YIGOU_MONITORING_RULES[name]))


@dataclass
class Suggestion:
    household: str  # the household number
    registered: bool
    reasons: list[str] = field(default_factory=list)
    sudden: bool = False

    @property
    def group(self) -> str:
        if self.sudden:
            return MonitorType.SUDDEN
        return MonitorType.UNSTABLE if self.registered else MonitorType.MARGINAL


@dataclass
class ScanResult:
    region: Region
    year: int
    line: MonitoringLine | None
    suggestions: list[Suggestion]
    judged: int  # households judged on income
    unsized: list[str]  # household numbers with income entries but no household size


def _below_line(income: HouseholdIncome, year: int, line: MonitoringLine | None) -> str | None:
    pc = income.per_capita
    if line is None or pc is None:
        return None
    factor = threshold("factor")
    bar = line.amount * factor
    if pc >= bar:
        return None
    return (
        f"{year}年人均纯收入 {yuan(pc)}，低于监测线 {yuan(line.amount)} 的 {times(factor)} 倍（{yuan(bar)}）"
    )


def _fall(income: HouseholdIncome, before: HouseholdIncome | None, year: int) -> tuple[str, bool] | None:
    pc, last = income.per_capita, before.per_capita if before is not None else None
    if pc is None or last is None or last <= 0:
        return None
    fall_share, sudden_share = threshold("fall_share"), threshold("sudden_share")
    if last - pc <= last * fall_share:
        return None
    fell = (last - pc) / last
    sudden = last - pc > last * sudden_share
    limit = sudden_share if sudden else fall_share
    text = (
        f"人均纯收入由{year - 1}年的 {yuan(last)} 降至{year}年的 {yuan(pc)}，下降 {share(fell)}，"
        f"超过 {share(limit)}" + ("（突发严重困难）" if sudden else "")
    )
    return text, sudden


def _gap_reason(gap: Gap) -> str:
    found = f"：{gap.evidence}" if gap.evidence else ""
    return f"{gap.label}未达标（{gap.checked_on} 核查{found}）"


def scan(region: Region, year: int) -> ScanResult:
    """Every household of the region subtree the rules flag for the year, by household number."""
    prefix = prefix_of(region.code)
    line = line_for(year, region.code)
    now, before, found_gaps = incomes(year, prefix), incomes(year - 1, prefix), gaps(year, prefix)
    flagged: dict[int, Suggestion] = {}

    def suggestion(pk: int, number: str, status: str) -> Suggestion:
        return flagged.setdefault(pk, Suggestion(number, status in REGISTERED))

    for pk, income in now.items():
        reason = _below_line(income, year, line)
        if reason:
            suggestion(pk, income.number, income.status).reasons.append(reason)
        fall = _fall(income, before.get(pk), year)
        if fall:
            s = suggestion(pk, income.number, income.status)
            s.reasons.append(fall[0])
            s.sudden = s.sudden or fall[1]
    for pk, items in found_gaps.items():
        s = suggestion(pk, items[0].number, items[0].status)
        s.reasons.extend(_gap_reason(gap) for gap in items)
    unsized = sorted(i.number for i in now.values() if i.per_capita is None)
    rows = sorted(flagged.values(), key=lambda s: s.household)
    return ScanResult(region, year, line, rows, len(now) - len(unsized), unsized)


def monitoring_scan(actor: Any, region_code: str, year: Any) -> ScanResult:
    """The scan for a reader: offices, village staff and auditors, over their own region or one below it."""
    ensure_can(actor, "income.view")
    region = check_region(region_code)
    scope = scope_for(actor)
    if not scope.everything and not (scope.kind == "region" and region.code.startswith(scope.region_prefix)):
        raise DomainError(
            "invalid_input", detail=f"区划“{region.name}”（{region.code}）不在本账号的管辖范围内"
        )
    return scan(region, check_year(year))


def as_json(s: Suggestion) -> dict[str, object]:
    """The fixed interface of `yigou monitoring scan --format json`."""
    return {"household": s.household, "suggested_group": str(s.group), "reasons": s.reasons}
