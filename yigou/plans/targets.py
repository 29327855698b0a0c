"""Targets (目标任务): created for a region, split down the region tree and across units (分解下达), and their
progress — a leaf's figure computed from the platform's data or reported with evidence, a parent's the sum of its
parts. A split whose parts do not add up to the parent's value exactly is refused, and nothing is written."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from django.db import transaction

from yigou.accounts.scope import ensure_can, ensure_region_in_scope, ensure_visible, scope_for
from yigou.core import audit
from yigou.core.errors import DomainError, PermissionDeniedError
from yigou.core.uploads import ensure_evidence_file
from yigou.regions.models import Region

from .enums import Indicator
from .indicators import Measurer
from .models import Plan, Target, TargetReport, Task
from .services import ensure_manages, refuse

CENT = Decimal("0.01")
ZERO = Decimal("0")
# A rate cannot be added up, so it cannot be split into parts whose sum is the parent's.
NOT_SPLITTABLE = {Indicator.SHARE_COMPLETION}


def amount(value: Any, what: str, field_name: str = "value") -> Decimal:
    try:
        number = Decimal(str(value).strip().replace(",", ""))
    except (InvalidOperation, ValueError):
        raise refuse(f"{what}“{value}”不是数字", field_name) from None
    if not number.is_finite() or number < 0:
        raise refuse(f"{what}不能为负数", field_name)
    if number != number.quantize(CENT):
        raise refuse(f"{what}最多两位小数", field_name)
    return number.quantize(CENT)


@dataclass
class TargetInput:
    name: str
    indicator: str
    unit_label: str
    value: Any
    period_start: dt.date | None = None
    period_end: dt.date | None = None
    task: Task | None = None


@transaction.atomic
def target_create(*, actor: Any, plan: Plan, region: Region, data: TargetInput) -> Target:
    ensure_manages(actor, plan)
    if not region.code.startswith(plan.region.prefix):
        raise refuse(f"{region.name}不在方案制定区域{plan.region.name}内", "region")
    if data.indicator not in Indicator.values:
        raise refuse(f"指标“{data.indicator}”无效", "indicator")
    if not data.name.strip():
        raise refuse("目标名称不能为空", "name")
    value = amount(data.value, "目标值")
    if value <= 0:
        raise refuse("目标值须大于0", "value")
    start, end = data.period_start or plan.starts_on, data.period_end or plan.ends_on
    if end < start:
        raise refuse(f"统计截止 {end} 早于统计起始 {start}", "period_end")
    if data.task is not None and data.task.plan_id != plan.pk:
        raise refuse("所属任务不在本方案中", "task")
    target = Target.objects.create(
        plan=plan,
        task=data.task,
        name=data.name.strip()[:200],
        indicator=data.indicator,
        unit_label=data.unit_label.strip()[:16] or _default_unit(data.indicator),
        region=region,
        value=value,
        period_start=start,
        period_end=end,
    )
    audit.record(actor=actor, action="plan.target_create", target=target, note=f"{target.name} {value}")
    return target


def _default_unit(indicator: str) -> str:
    label = str(Indicator(indicator).label)
    return label.rpartition("（")[2].rstrip("）") if "（" in label else ""


@dataclass
class PartInput:
    region: Region
    value: Any
    unit_name: str = ""


def _ensure_may_split(actor: Any, target: Target) -> None:
    """The plan's office, or the office of the region the target was given to (it splits its share further)."""
    ensure_can(actor, "plans.manage", target)
    scope = scope_for(actor)
    if not scope.everything and not target.region_id.startswith(scope.region_prefix):
        raise PermissionDeniedError("forbidden")


def _check_part(target: Target, part: PartInput, value: Decimal) -> None:
    region = part.region
    name = part.unit_name.strip()
    if not region.code.startswith(target.region.prefix):
        raise refuse(f"{region.name}不在{target.region.name}范围内，不能分解给它", "parts")
    if not name and region.code == target.region_id:
        raise refuse(f"按地区分解须分给{target.region.name}的下级区域；分给本级单位请填写责任单位", "parts")
    if name and target.computed:
        raise refuse(f"“{target.name}”由平台数据计算，只能按地区分解；按单位分解请使用填报指标", "parts")


@transaction.atomic
def target_split(*, actor: Any, target: Target, parts: list[PartInput]) -> list[Target]:
    """Give the target's value to regions below it or units, all parts at once; their sum must equal the value."""
    _ensure_may_split(actor, target)
    target = Target.objects.select_for_update().select_related("region", "plan").get(pk=target.pk)
    if target.parts.exists():
        raise refuse(f"“{target}”已分解下达，不能重复分解", "parts")
    if target.reports.exists():
        raise refuse(f"“{target}”已有完成报告，不能再分解", "parts")
    if target.indicator in NOT_SPLITTABLE:
        raise refuse(f"“{target.get_indicator_display()}”是比率，不能分解", "parts")
    if not parts:
        raise refuse("请至少填写一个分解对象", "parts")
    values = [amount(p.value, f"{p.unit_name or p.region.name}的分解值", "parts") for p in parts]
    seen: set[tuple[str, str]] = set()
    for part, value in zip(parts, values, strict=True):
        ensure_region_in_scope(actor, part.region.code)
        _check_part(target, part, value)
        key = (part.region.code, part.unit_name.strip())
        if key in seen:
            raise refuse(f"{part.unit_name or part.region.name}重复出现", "parts")
        seen.add(key)
    total = sum(values, ZERO)
    if total != target.value:
        raise DomainError(
            "plan_split_mismatch",
            f"分解合计 {total} 不等于目标值 {target.value}（相差 {total - target.value}），未分解。",
            field="parts",
        )
    children = [_child(target, part, value) for part, value in zip(parts, values, strict=True)]
    audit.record(
        actor=actor,
        action="plan.target_split",
        target=target,
        note="；".join(f"{c.unit_name or c.region.name} {c.value}" for c in children)[:500],
    )
    return children


def _child(target: Target, part: PartInput, value: Decimal) -> Target:
    return Target.objects.create(
        plan=target.plan,
        parent=target,
        task=target.task,
        name=target.name,
        indicator=target.indicator,
        unit_label=target.unit_label,
        region=part.region,
        unit_name=part.unit_name.strip()[:200],
        value=value,
        period_start=target.period_start,
        period_end=target.period_end,
    )


@transaction.atomic
def target_report(
    *, actor: Any, target: Target, reported_on: dt.date, value: Any, text: str = "", evidence: Any = None
) -> TargetReport:
    """The figure reached so far (累计) of a reported target that is not split, with its evidence."""
    ensure_can(actor, "plans.report", target)
    ensure_visible(actor, target)
    target = Target.objects.select_for_update().get(pk=target.pk)
    if target.computed:
        raise refuse(f"“{target.name}”由平台数据自动计算，无需填报", "value")
    if target.parts.exists():
        raise refuse(f"“{target}”已分解，完成数为各部分之和，请由各部分填报", "value")
    number = amount(value, "累计完成")
    if reported_on > dt.date.today():
        raise refuse(f"报送日期 {reported_on} 晚于今天", "reported_on")
    last = target.reports.order_by("-reported_on", "-id").first()
    if last is not None and reported_on < last.reported_on:
        raise refuse(f"报送日期 {reported_on} 早于最近一次报送 {last.reported_on}", "reported_on")
    if evidence is not None:
        ensure_evidence_file(evidence)
    elif not text.strip():
        raise refuse("请上传佐证材料或填写说明", "evidence")
    report = TargetReport.objects.create(
        target=target,
        reported_on=reported_on,
        value=number,
        text=text.strip(),
        evidence=evidence or "",
        reported_by=actor,
    )
    audit.record(
        actor=actor,
        action="plan.target_report",
        target=target,
        changes={"value": [str(last.value) if last else None, str(number)]},
        note=text[:300],
    )
    return report


# --- progress ---------------------------------------------------------------------------------------------------


def rate(done: Decimal, value: Decimal) -> Decimal | None:
    if value <= 0:
        return None
    return (done * 100 / value).quantize(CENT, rounding=ROUND_HALF_UP)


@dataclass
class Progress:
    target: Target
    done: Decimal
    parts: list[Progress] = field(default_factory=list)
    depth: int = 0

    @property
    def rate(self) -> Decimal | None:
        return rate(self.done, self.target.value)

    def walk(self) -> list[Progress]:
        rows = [self]
        for part in self.parts:
            rows += part.walk()
        return rows


def _latest_reports(targets: list[Target]) -> dict[int, Decimal]:
    latest: dict[int, Decimal] = {}
    rows = TargetReport.objects.filter(target__in=[t.pk for t in targets]).order_by("reported_on", "id")
    for target_id, value in rows.values_list("target_id", "value"):
        latest[target_id] = value
    return latest


def progress_trees(targets: list[Target], as_of: dt.date, measurer: Measurer | None = None) -> list[Progress]:
    """Every target with its progress; the trees' roots are the targets whose parent is not in the list."""
    measurer = measurer or Measurer(as_of)
    children: dict[int | None, list[Target]] = defaultdict(list)
    ids = {t.pk for t in targets}
    for t in targets:
        children[t.parent_id if t.parent_id in ids else None].append(t)
    reported = _latest_reports(targets)

    def build(t: Target, depth: int) -> Progress:
        parts = [build(c, depth + 1) for c in children.get(t.pk, [])]
        if parts:
            done = sum((p.done for p in parts), ZERO)
        elif t.computed:
            done = measurer.value(t.indicator, t.region, t.period_start, t.period_end)
        else:
            done = reported.get(t.pk, ZERO)
        return Progress(t, done, parts, depth)

    return [build(t, 0) for t in children[None]]


def progress_of(target: Target, as_of: dt.date) -> Progress:
    """One target with its whole subtree of parts (all of them, whoever reads: the sum needs every part)."""
    family = [target, *_descendants(target)]
    return progress_trees(family, as_of)[0]


def _descendants(target: Target) -> list[Target]:
    found: list[Target] = []
    frontier = [target.pk]
    while frontier:
        rows = list(Target.objects.filter(parent_id__in=frontier).select_related("region"))
        found += rows
        frontier = [r.pk for r in rows]
    return found
