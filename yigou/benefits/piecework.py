"""Piece work (计件工资) of 扶贫车间 and 守家经济: an enterprise's batch for a year holds each household member's pay
per month, uploaded by the enterprise (see importing.py) and reviewed by the township through the batch's approval."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import transaction

from yigou.accounts.scope import ensure_can
from yigou.core import audit
from yigou.core.errors import DomainError
from yigou.income.checks import check_text
from yigou.registry.enums import ProducerKind
from yigou.registry.models import Member, Producer

from . import compute
from .book import ensure_year
from .checks import money, month, number
from .enums import Kind, Part, Status
from .models import Distribution, PieceWork
from .plans import _create, ensure_editable


@transaction.atomic
def batch_create(*, actor: Any, producer: Producer, year: Any) -> Distribution:
    ensure_can(actor, "benefits.manage", producer)
    if producer.kind == ProducerKind.HOUSEHOLD:
        raise DomainError("invalid_input", detail="计件工资由企业、合作社或家庭农场发放", field="producer")
    year = ensure_year(year)
    count = Distribution.objects.filter(kind=Kind.PIECEWORK, producer=producer, year=year).count()
    return _create(
        actor,
        action="benefits.plan",
        kind=Kind.PIECEWORK,
        title=f"{producer.name}{year}年计件工资（第{count + 1}批）",
        year=year,
        region=producer.region,
        producer=producer,
        inputs={},
    )


@dataclass
class PieceInput:
    member: Member
    month: Any
    pieces: Any
    amount: Any
    work: str = ""


def check_piece(distribution: Distribution, data: PieceInput) -> dict[str, Any]:
    m = month(data.month)
    if PieceWork.objects.filter(distribution__producer=distribution.producer, distribution__year=distribution.year,
                                member=data.member, month=m).exists():  # fmt: skip
        raise DomainError(
            "invalid_input",
            detail=f"{data.member.name}{distribution.year}年{m}月的计件工资已登记",
            field="month",
        )
    return {
        "member": data.member,
        "month": m,
        "pieces": number(data.pieces, "计件数量", "pieces"),
        "amount": money(data.amount, "计件工资", "amount"),
        "work": check_text(data.work, "工种/产品", "work", most=100),
    }


@transaction.atomic
def piece_record(*, actor: Any, distribution: Distribution, data: PieceInput) -> PieceWork:
    ensure_can(actor, "benefits.manage", distribution)
    ensure_can(actor, "benefits.manage", data.member)
    if distribution.kind != Kind.PIECEWORK:
        raise DomainError("invalid_input", detail="只能在计件工资批次中登记计件工资")
    ensure_editable(distribution)
    row = PieceWork.objects.create(distribution=distribution, **check_piece(distribution, data))
    audit.record(
        actor=actor,
        action="benefits.piece",
        target_type="benefits.piecework",
        target_id=str(row.pk),
        target_label=str(row),
        region_code=distribution.region_id,
        changes={"month": row.month, "amount": str(row.amount)},
    )
    return row


def batch_result(distribution: Distribution) -> compute.Result:
    """One wage line per member: the months' pay added up."""
    rows = list(distribution.piecework.select_related("member__household").order_by("member_id", "month"))
    if not rows:
        raise DomainError("invalid_input", detail="该批次尚未登记计件工资")
    pay: dict[int, Decimal] = defaultdict(Decimal)
    pieces: dict[int, Decimal] = defaultdict(Decimal)
    months: dict[int, list[int]] = defaultdict(list)
    members = {}
    for row in rows:
        pay[row.member_id] += row.amount
        pieces[row.member_id] += row.pieces
        months[row.member_id].append(row.month)
        members[row.member_id] = row.member
    result = compute.Result()
    for key, member in members.items():
        label = f"{'、'.join(str(m) for m in months[key])}月 计件 {pieces[key]}"
        payee = compute.Payee(key, member.name, member.household_id)
        result.lines.append(compute.Line(payee, Part.PIECE, pieces[key], label, pay[key]))
    result.step("计件工资合计", f"{len(members)} 人，{len(rows)} 条月度记录", result.total)
    return result


@transaction.atomic
def piece_remove(*, actor: Any, piece: PieceWork, reason: str) -> None:
    """Take a wrong row out of a batch that is still a draft (after approval the batch is corrected instead)."""
    distribution = Distribution.objects.select_for_update().get(pk=piece.distribution_id)
    ensure_can(actor, "benefits.manage", distribution)
    ensure_editable(distribution)
    why = check_text(reason, "删除原因", "reason", least=2, most=300)
    audit.record(
        actor=actor,
        action="benefits.piece_remove",
        target_type="benefits.piecework",
        target_id=str(piece.pk),
        target_label=str(piece),
        region_code=distribution.region_id,
        changes={"month": piece.month, "amount": str(piece.amount)},
        note=why,
    )
    piece.delete()
    if distribution.status != Status.DRAFT:
        distribution.status = Status.DRAFT  # the computation no longer matches the rows
        distribution.save(update_fields=["status", "updated_at"])
        distribution.allocations.all().delete()
