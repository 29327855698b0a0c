"""Plans of distributions and their computation. A plan states the figures the holder decided (a cooperative's
surplus and rates, a fund's year, a station's uses, an enterprise's piece work); computing it writes one allocation
per payee and part, and the working that shows how every figure was reached. Computing again replaces both, until
the plan is approved."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from typing import Any

from django.db import transaction

from yigou.accounts.scope import ensure_can
from yigou.core import audit
from yigou.core.errors import DomainError
from yigou.registry.models import CoopMember, Producer

from . import compute
from .book import ensure_cooperative, ensure_year, members_in_year, trading_volumes
from .checks import money, number
from .enums import ACCOUNT_PART, PART_COMPONENT, FundRule, Kind, Part, ReturnMode, Status
from .models import Allocation, AssetFund, CapitalAccount, Distribution, Event

EDITABLE = (Status.DRAFT, Status.COMPUTED)


def _recorder(actor: Any) -> Any:
    return actor if getattr(actor, "is_authenticated", False) else None


def ensure_editable(distribution: Distribution) -> None:
    if distribution.status == Status.PAID:
        raise DomainError("benefits_locked", "该分配已兑付并锁定，不能修改；如有错误请登记更正分配。")
    if distribution.status not in EDITABLE:
        raise DomainError(
            "invalid_input",
            detail=f"分配当前状态为“{distribution.get_status_display()}”，已进入审核，须退回后才能修改",
        )


def log(distribution: Distribution, actor: Any, step: str, text: str = "") -> None:
    Event.objects.create(distribution=distribution, step=step, text=text[:500], actor=_recorder(actor))


def _refuse_duplicate(**lookup: Any) -> None:
    taken = Distribution.objects.filter(corrects__isnull=True, **lookup).first()
    if taken is not None:
        raise DomainError("invalid_input", detail=f"“{taken.title}”已存在，同一年度不能重复制定分配方案")


def _create(actor: Any, *, action: str, **fields: Any) -> Distribution:
    row = Distribution.objects.create(created_by=_recorder(actor), **fields)
    log(row, actor, "制定方案")
    audit.record(actor=actor, action=action, target=row, changes={"inputs": row.inputs, "year": row.year})
    return row


@transaction.atomic
def surplus_plan(
    *, actor: Any, producer: Producer, year: Any, surplus: Any, reserve_rate: Any, trading_rate: Any
) -> Distribution:
    """A cooperative's surplus plan for a year; the rates are checked now, so a plan below 60% is never written."""
    ensure_can(actor, "benefits.manage", producer)
    ensure_cooperative(producer)
    year = ensure_year(year)
    plan = _surplus_inputs(surplus, reserve_rate, trading_rate)
    _refuse_duplicate(kind=Kind.SURPLUS, producer=producer, year=year)
    return _create(
        actor,
        action="benefits.plan",
        kind=Kind.SURPLUS,
        title=f"{producer.name}{year}年度盈余分配",
        year=year,
        region=producer.region,
        producer=producer,
        inputs={k: str(v) for k, v in plan.__dict__.items()},
    )


def _surplus_inputs(surplus: Any, reserve_rate: Any, trading_rate: Any) -> compute.SurplusPlan:
    plan = compute.SurplusPlan(
        surplus=money(surplus, "当年盈余", "surplus"),
        reserve_rate=number(reserve_rate, "公积金提取比例", "reserve_rate"),
        trading_rate=number(trading_rate, "按交易额返还比例", "trading_rate"),
    )
    if plan.trading_rate < compute.MIN_TRADING_RATE:
        raise DomainError(
            "invalid_input",
            detail=f"按交易额返还比例 {plan.trading_rate}% 低于法定的 60%（农民专业合作社法第四十四条）",
            field="trading_rate",
        )
    compute.check_rate(plan.trading_rate, "按交易额返还比例", "trading_rate")
    compute.check_rate(plan.reserve_rate, "公积金提取比例", "reserve_rate")
    return plan


@transaction.atomic
def plan_update(*, actor: Any, distribution: Distribution, **inputs: Any) -> Distribution:
    """Change a surplus or asset plan's figures; only before approval, and the computation must be redone."""
    distribution = Distribution.objects.select_for_update().get(pk=distribution.pk)
    ensure_can(actor, "benefits.manage", distribution)
    ensure_editable(distribution)
    before = dict(distribution.inputs)
    if distribution.kind == Kind.SURPLUS:
        merged = {**before, **inputs}
        plan = _surplus_inputs(merged["surplus"], merged["reserve_rate"], merged["trading_rate"])
        distribution.inputs = {k: str(v) for k, v in plan.__dict__.items()}
    elif distribution.kind == Kind.ASSET:
        distribution.inputs = {
            "actual": str(money(inputs.get("actual", before.get("actual")), "实际收益", "actual"))
        }
    else:
        raise DomainError("invalid_input", detail="该类分配的方案不能在此修改")
    distribution.status = Status.DRAFT
    distribution.save()
    distribution.allocations.all().delete()
    log(distribution, actor, "修改方案")
    audit.record(
        actor=actor,
        action="benefits.plan_update",
        target=distribution,
        changes=audit.diff(before, distribution.inputs),
    )
    return distribution


def _payee(member: CoopMember) -> compute.Payee:
    return compute.Payee(member.pk, member.name, member.household_id)


def _surplus_result(distribution: Distribution) -> compute.Result:
    producer = distribution.producer
    assert producer is not None
    members = members_in_year(producer, distribution.year)
    volumes = trading_volumes(producer, distribution.year, members)
    pairs = [(_payee(m), sum(volumes[m.pk], Decimal("0.00"))) for m in members]
    by_member = {m.pk: m for m in members}
    accounts = [
        compute.Account(_payee(by_member[a.member_id]), a.kind, a.amount, a.min_rate)
        for a in CapitalAccount.objects.filter(
            producer=producer, member_id__in=by_member, amount__gt=0
        ).order_by("member__joined_on", "member_id", "kind")
    ]
    inputs = distribution.inputs
    plan = compute.SurplusPlan(
        Decimal(inputs["surplus"]), Decimal(inputs["reserve_rate"]), Decimal(inputs["trading_rate"])
    )
    result = compute.surplus_split(plan, pairs, accounts)
    for m in members:
        book, ledger = volumes[m.pk]
        if ledger:
            result.working.append(
                {
                    "label": f"交易额（{m.name}）",
                    "formula": f"交易记录 {compute.yuan(book)} + 台账销售 {compute.yuan(ledger)}",
                    "value": compute.yuan(book + ledger),
                }
            )
    return result


@transaction.atomic
def fund_plan(*, actor: Any, fund: AssetFund, year: Any, actual: Any = None) -> Distribution:
    """A fund's yearly return: fixed at the rate, or the actual return when it beats the guaranteed minimum."""
    ensure_can(actor, "benefits.manage", fund)
    year = ensure_year(year)
    if year < fund.start_year:
        raise DomainError("invalid_input", detail=f"{fund.name}自 {fund.start_year} 年起分配", field="year")
    reported = money(actual if actual not in (None, "") else "0", "实际收益", "actual", allow_zero=True)
    _refuse_duplicate(kind=Kind.ASSET, fund=fund, year=year)
    return _create(
        actor,
        action="benefits.plan",
        kind=Kind.ASSET,
        title=f"{fund.name}{year}年度资产收益分配",
        year=year,
        region=fund.region,
        producer=fund.holder,
        fund=fund,
        inputs={"actual": str(reported)},
    )


def _fund_result(distribution: Distribution) -> compute.Result:
    fund = distribution.fund
    assert fund is not None
    due = compute.fen(fund.principal * fund.rate / compute.HUNDRED)
    actual = Decimal(distribution.inputs.get("actual") or "0")
    pot = due if fund.mode == ReturnMode.FIXED else max(due, actual)
    rows = list(fund.households.select_related("household").order_by("id"))
    if not rows:
        raise DomainError("invalid_input", detail=f"{fund.name}没有登记受益农户")
    weight = {
        FundRule.EQUAL: lambda r: Decimal(1),
        FundRule.SIZE: lambda r: Decimal(r.household.size),
        FundRule.WEIGHT: lambda r: r.weight,
    }[FundRule(fund.rule)]
    what = FundRule(fund.rule).label.removeprefix("按")
    payees = [(compute.Payee(r.household_id, r.household.head_name, r.household_id), weight(r)) for r in rows]
    result = compute.proportional(pot, payees, Part.ASSET, what)
    mode = "固定收益" if fund.mode == ReturnMode.FIXED else f"保底收益，实际收益 {compute.yuan(actual)} 元"
    result.working.insert(
        0,
        {
            "label": "应得收益",
            "formula": f"{compute.yuan(fund.principal)} × {fund.rate}%（{mode}）",
            "value": compute.yuan(pot),
        },
    )
    return result


def _allocation_rows(distribution: Distribution, result: compute.Result) -> list[Allocation]:
    rows = []
    for line in result.lines:
        part = ACCOUNT_PART.get(line.part, line.part)  # type: ignore[call-overload]
        rows.append(
            Allocation(
                distribution=distribution,
                household_id=line.payee.household_id,
                name=line.payee.name,
                part=part,
                component=PART_COMPONENT[part],
                basis=compute.fen(line.basis),
                basis_label=line.basis_label[:200],
                amount=line.amount,
            )
        )
    return rows


def result_of(distribution: Distribution) -> compute.Result:
    from . import piecework, pv  # the PV and piece-work parts build on this module

    builders = {
        Kind.SURPLUS: _surplus_result,
        Kind.ASSET: _fund_result,
        Kind.PV: pv.plan_result,
        Kind.PIECEWORK: piecework.batch_result,
    }
    return builders[Kind(distribution.kind)](distribution)


@transaction.atomic
def distribution_compute(*, actor: Any, distribution: Distribution) -> Distribution:
    """Compute (or recompute) the allocations and the working; the parts must add up to the whole to the fen."""
    distribution = Distribution.objects.select_for_update().get(pk=distribution.pk)
    ensure_can(actor, "benefits.manage", distribution)
    if distribution.corrects_id:
        raise DomainError("invalid_input", detail="更正分配按更正明细兑付，无需测算")
    ensure_editable(distribution)
    result = result_of(distribution)
    rows = _allocation_rows(distribution, result)
    total = sum((r.amount for r in rows), Decimal("0.00"))
    expected = (
        Decimal(result.working[0]["value"].replace(",", "")) if distribution.kind == Kind.ASSET else None
    )
    if expected is not None and total != expected:
        raise DomainError("amounts_do_not_add_up", detail=f"明细合计 {total} 元不等于应分配 {expected} 元")
    distribution.allocations.all().delete()
    Allocation.objects.bulk_create(rows)
    distribution.working, distribution.total, distribution.status = result.working, total, Status.COMPUTED
    distribution.save()
    log(distribution, actor, "测算", f"分配总额 {compute.yuan(total)} 元，{len(rows)} 条明细")
    audit.record(actor=actor, action="benefits.compute", target=distribution, changes={"total": str(total)})
    return distribution


def household_totals(distribution: Distribution) -> dict[int, Decimal]:
    totals: dict[int, Decimal] = defaultdict(Decimal)
    for row in distribution.allocations.exclude(household=None):
        totals[row.household_id] += row.amount  # type: ignore[index]
    return dict(totals)
