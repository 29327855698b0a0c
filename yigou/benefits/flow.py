"""The steps after computation, the same for every distribution: approval by the holder (the cooperative or
enterprise; the village for a PV station), then by the township; publication (公示) with objections; payment into
the households' income cards. Payment is idempotent and locks the distribution; a mistake found later is put right
by a correction distribution that goes through the same steps and corrects the income entries it replaces."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from yigou.accounts.enums import Role
from yigou.accounts.scope import ensure_can, scope_for
from yigou.core import audit
from yigou.core.errors import DomainError, PermissionDeniedError
from yigou.income.checks import check_text
from yigou.income.enums import Source as IncomeSource
from yigou.income.models import IncomeEntry
from yigou.income.services import income_correct, income_record
from yigou.regions.enums import Level
from yigou.registry.models import Household

from . import compute
from .checks import money
from .enums import Kind, Part, Status
from .models import Allocation, Distribution, Objection
from .notices import reviewers, tell, villages_and_holder
from .plans import log

DEFAULT_NOTICE_DAYS = 7


def notice_days() -> int:
    return int(getattr(settings, "YIGOU_BENEFITS_NOTICE_DAYS", DEFAULT_NOTICE_DAYS))


def _locked_row(distribution: Distribution) -> Distribution:
    return (
        Distribution.objects.select_for_update(of=("self",))
        .select_related("producer", "region")
        .get(pk=distribution.pk)
    )


def _illegal(distribution: Distribution, action: str) -> DomainError:
    if distribution.status == Status.PAID:
        return DomainError("benefits_locked", "该分配已兑付并锁定，不能修改；如有错误请登记更正分配。")
    return DomainError(
        "invalid_input", detail=f"分配当前状态为“{distribution.get_status_display()}”，不能{action}"
    )


def _move(
    distribution: Distribution, actor: Any, *, to: str, step: str, text: str = "", **fields: Any
) -> None:
    before = distribution.status
    distribution.status = to
    for name, value in fields.items():
        setattr(distribution, name, value)
    distribution.save()
    log(distribution, actor, step, text)
    audit.record(
        actor=actor, action=f"benefits.{to}", target=distribution, changes={"status": [before, to]}, note=text
    )


def may_approve_as_holder(actor: Any, distribution: Distribution) -> bool:
    """The cooperative or enterprise itself approves its own plan; a plan without one (a PV station) is approved
    by the staff of the village or an office over it. Administrators may act for either."""
    scope = scope_for(actor)
    if scope.everything:
        return True
    if distribution.producer_id is not None:
        return scope.kind == "producer" and scope.producer_id == distribution.producer_id
    return actor.role in (Role.VILLAGE, Role.OFFICE) and scope.kind == "region"


def may_approve_as_township(actor: Any, distribution: Distribution) -> bool:
    """The township's office (or an office above it) over the distribution's region."""
    scope = scope_for(actor)
    if scope.everything:
        return True
    org = getattr(actor, "organisation", None)
    return (
        actor.role == Role.OFFICE
        and org is not None
        and org.region.level <= Level.TOWNSHIP
        and distribution.region_id.startswith(scope.region_prefix)
    )


@transaction.atomic
def approve_holder(*, actor: Any, distribution: Distribution, note: str = "") -> Distribution:
    distribution = _locked_row(distribution)
    ensure_can(actor, "benefits.approve", distribution)
    if not may_approve_as_holder(actor, distribution):
        who = distribution.producer.name if distribution.producer else "村或乡镇工作人员"
        raise PermissionDeniedError("forbidden", f"此分配方案须由{who}审核")
    if distribution.status != Status.COMPUTED:
        raise _illegal(distribution, "由经营主体审核（须先测算）")
    _move(
        distribution,
        actor,
        to=Status.HOLDER_APPROVED,
        step="经营主体审核通过",
        text=check_text(note, "意见", "note", most=300),
    )
    tell(distribution, reviewers(distribution), f"{distribution.title}待乡镇审核", actor)
    return distribution


@transaction.atomic
def approve_township(*, actor: Any, distribution: Distribution, note: str = "") -> Distribution:
    distribution = _locked_row(distribution)
    ensure_can(actor, "benefits.review", distribution)
    if not may_approve_as_township(actor, distribution):
        raise PermissionDeniedError("forbidden", "此分配方案须由所在乡镇（或上级）扶贫办审核")
    if distribution.status != Status.HOLDER_APPROVED:
        raise _illegal(distribution, "由乡镇审核（须先经经营主体审核）")
    _move(
        distribution,
        actor,
        to=Status.TOWNSHIP_APPROVED,
        step="乡镇审核通过",
        text=check_text(note, "意见", "note", most=300),
    )
    return distribution


@transaction.atomic
def send_back(*, actor: Any, distribution: Distribution, reason: str) -> Distribution:
    """Return an approved (not yet published) plan to draft, with the reason; it must be computed again."""
    distribution = _locked_row(distribution)
    ensure_can(actor, "benefits.approve", distribution)
    if not (may_approve_as_holder(actor, distribution) or may_approve_as_township(actor, distribution)):
        raise PermissionDeniedError()
    if distribution.status not in (Status.COMPUTED, Status.HOLDER_APPROVED, Status.TOWNSHIP_APPROVED):
        raise _illegal(distribution, "退回")
    why = check_text(reason, "退回理由", "reason", least=2, most=300)
    _move(distribution, actor, to=Status.DRAFT, step="退回修改", text=why)
    return distribution


@transaction.atomic
def publish(*, actor: Any, distribution: Distribution) -> Distribution:
    """Start the 公示: the allocations are shown to the village; objections may be raised until it ends."""
    distribution = _locked_row(distribution)
    ensure_can(actor, "benefits.review", distribution)
    if not may_approve_as_township(actor, distribution):
        raise PermissionDeniedError("forbidden", "公示须由乡镇（或上级）扶贫办发布")
    if distribution.status != Status.TOWNSHIP_APPROVED:
        raise _illegal(distribution, "公示（须先经乡镇审核）")
    ends = timezone.localdate() + dt.timedelta(days=notice_days())
    _move(distribution, actor, to=Status.PUBLISHED, step="公示", text=f"公示至 {ends}", notice_ends=ends)
    tell(distribution, villages_and_holder(distribution), f"{distribution.title}公示至 {ends}", actor,
         "请在村务公开栏张贴公示表，群众如有异议请在公示期内提出。")  # fmt: skip
    return distribution


@transaction.atomic
def object_to(
    *, actor: Any, distribution: Distribution, text: str, household: Household | None = None
) -> Objection:
    distribution = _locked_row(distribution)
    ensure_can(actor, "benefits.object", distribution)
    if distribution.status != Status.PUBLISHED:
        raise _illegal(distribution, "提出异议（只在公示期间受理）")
    if household is not None and not distribution.allocations.filter(household=household).exists():
        raise DomainError("invalid_input", detail=f"{household}不在本次分配名单中", field="household")
    row = Objection.objects.create(
        distribution=distribution,
        household=household,
        text=check_text(text, "异议内容", "text", least=2, most=1000),
        raised_by=actor,
    )
    log(distribution, actor, "收到异议", row.text)
    audit.record(actor=actor, action="benefits.object", target=row, note=row.text)
    return row


@transaction.atomic
def answer(*, actor: Any, objection: Objection, upheld: bool, text: str) -> Objection:
    """Answer an objection; an upheld one sends the plan back to draft to be corrected and approved again."""
    distribution = _locked_row(objection.distribution)
    ensure_can(actor, "benefits.review", distribution)
    if not may_approve_as_township(actor, distribution):
        raise PermissionDeniedError("forbidden", "异议须由乡镇（或上级）扶贫办答复")
    objection = Objection.objects.select_for_update().get(pk=objection.pk)
    if objection.upheld is not None:
        raise DomainError("invalid_input", detail="该异议已答复")
    if distribution.status != Status.PUBLISHED:
        raise _illegal(distribution, "答复异议")
    objection.upheld, objection.answered_by, objection.answered_at = bool(upheld), actor, timezone.now()
    objection.answer = check_text(text, "答复", "answer", least=2, most=1000)
    objection.save()
    audit.record(
        actor=actor, action="benefits.answer", target=objection, changes={"upheld": objection.upheld}
    )
    if objection.raised_by is not None:
        verdict = "成立，方案退回修改" if objection.upheld else "不成立"
        tell(distribution, [objection.raised_by], f"您登记的异议已答复：{verdict}", actor, objection.answer)
    if objection.upheld:
        _move(distribution, actor, to=Status.DRAFT, step="异议成立，退回修改", text=objection.answer)
    else:
        log(distribution, actor, "异议不成立", objection.answer)
    return objection


def _pay_line(actor: Any, distribution: Distribution, row: Allocation) -> None:
    note = f"{distribution.title}：{row.get_part_display()}（{row.basis_label}）"
    if row.replaces_id is not None:
        _pay_correction(actor, distribution, row)
        return
    if row.household is None or row.amount <= 0:
        return
    row.income_entry = income_record(
        actor=actor,
        household=row.household,
        year=distribution.year,
        component=row.component,
        amount=row.amount,
        source=IncomeSource.DISTRIBUTION,
        note=note[:1000],
    )
    row.save(update_fields=["income_entry"])


def _pay_correction(actor: Any, distribution: Distribution, row: Allocation) -> None:
    """The replaced line's income entry is corrected (offset, then the right amount); none existed when it was 0."""
    old = row.replaces
    assert old is not None
    reason = distribution.inputs.get("reason", "更正")
    if old.income_entry_id is not None:
        entry = IncomeEntry.objects.get(pk=old.income_entry_id)
        _, new = income_correct(actor=actor, entry=entry, reason=reason, amount=row.amount or None)
    elif row.household is not None and row.amount > 0:
        new = income_record(
            actor=actor,
            household=row.household,
            year=distribution.year,
            component=row.component,
            amount=row.amount,
            source=IncomeSource.DISTRIBUTION,
            note=f"更正：{reason}",
        )
    else:
        new = None
    row.income_entry = new
    row.save(update_fields=["income_entry"])


@transaction.atomic
def pay(*, actor: Any, distribution: Distribution) -> tuple[Distribution, bool]:
    """Pay after the 公示 has ended without open objections. Paying a paid distribution again changes nothing:
    returns (distribution, False)."""
    distribution = _locked_row(distribution)
    ensure_can(actor, "benefits.pay", distribution)
    if distribution.status == Status.PAID:
        return distribution, False
    if distribution.status != Status.PUBLISHED:
        raise _illegal(distribution, "兑付（须先公示）")
    today = timezone.localdate()
    if distribution.notice_ends and today < distribution.notice_ends:
        raise DomainError("invalid_input", detail=f"公示期至 {distribution.notice_ends}，期满后才能兑付")
    if distribution.objections.filter(upheld__isnull=True).exists():
        raise DomainError("invalid_input", detail="尚有未答复的异议，答复后才能兑付")
    for row in distribution.allocations.select_related("household", "replaces").order_by("id"):
        _pay_line(actor, distribution, row)
    paid = sum((r.amount for r in distribution.allocations.all()), Decimal("0.00"))
    if paid != distribution.total:
        raise DomainError(
            "amounts_do_not_add_up", detail=f"明细合计 {paid} 元不等于分配总额 {distribution.total} 元"
        )
    _move(
        distribution, actor, to=Status.PAID, step="兑付", text=f"兑付 {compute.yuan(paid)} 元", paid_on=today
    )
    tell(
        distribution,
        villages_and_holder(distribution),
        f"{distribution.title}已兑付 {compute.yuan(paid)} 元",
        actor,
    )
    return distribution, True


@transaction.atomic
def correct(*, actor: Any, distribution: Distribution, amounts: dict[int, Any], reason: str) -> Distribution:
    """A correction of a paid distribution: new amounts for some of its lines (by allocation id). A surplus or
    asset-return correction must keep the whole — what one line gains another gives back."""
    original = Distribution.objects.select_related("region").get(pk=distribution.pk)
    ensure_can(actor, "benefits.manage", original)
    if original.status != Status.PAID:
        raise DomainError("invalid_input", detail="只有已兑付的分配才需登记更正；未兑付的请退回修改")
    pending = original.corrections.exclude(status=Status.PAID).first()
    if pending is not None:
        raise DomainError("invalid_input", detail=f"“{pending.title}”尚未兑付，完成后才能再次更正")
    why = check_text(reason, "更正原因", "reason", least=2, most=300)
    lines = _current_lines(original)
    changes = _changes(lines, amounts)
    delta = sum((new - old.amount for old, new in changes), Decimal("0.00"))
    if original.kind in (Kind.SURPLUS, Kind.ASSET) and delta != 0:
        raise DomainError(
            "amounts_do_not_add_up",
            detail=f"更正后合计比原分配多 {compute.yuan(delta)} 元，盈余与收益总额不变，增减须相抵",
        )
    fix = Distribution.objects.create(
        kind=original.kind, title=f"更正：{original.title}", year=original.year, region=original.region,
        producer=original.producer, station=original.station, fund=original.fund, corrects=original,
        status=Status.COMPUTED, inputs={"reason": why}, total=delta, created_by=actor,
        working=[{"label": f"更正（{old.name}）", "formula": f"{compute.yuan(old.amount)} → {compute.yuan(new)}",
                  "value": compute.yuan(new - old.amount)} for old, new in changes],
    )  # fmt: skip
    for old, new in changes:
        Allocation.objects.create(
            distribution=fix, household=old.household, name=old.name, part=Part.CORRECTION, component=old.component,
            basis=old.amount, basis_label=f"原{old.get_part_display()} {compute.yuan(old.amount)} 元", amount=new,
            replaces=old,
        )  # fmt: skip
    # A correction's total is the change it makes; the lines carry the corrected amounts.
    fix.total = sum((new for _, new in changes), Decimal("0.00"))
    fix.save()
    log(fix, actor, "登记更正", why)
    audit.record(
        actor=actor, action="benefits.correct", target=fix, changes={"corrects": original.pk}, note=why
    )
    return fix


def _current_lines(original: Distribution) -> dict[int, Allocation]:
    """The standing line for each original line id: the latest correction that replaced it, if paid."""
    lines = {a.pk: a for a in original.allocations.select_related("household")}
    for fix in original.corrections.filter(status=Status.PAID).order_by("id"):
        for row in fix.allocations.select_related("household"):
            for key, current in list(lines.items()):
                if current.pk == row.replaces_id:
                    lines[key] = row
    return lines


def _changes(lines: dict[int, Allocation], amounts: dict[int, Any]) -> list[tuple[Allocation, Decimal]]:
    if not amounts:
        raise DomainError("invalid_input", detail="请填写至少一条更正后的金额")
    out = []
    for key, value in amounts.items():
        old = lines.get(int(key))
        if old is None:
            raise DomainError("invalid_input", detail=f"明细（编号 {key}）不属于该分配")
        new = money(value, f"{old.name}更正后金额", "amount", allow_zero=True)
        if new != old.amount:
            out.append((old, new))
    if not out:
        raise DomainError("invalid_input", detail="更正后金额与原金额相同，无需更正")
    return out
