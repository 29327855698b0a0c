"""The members' transaction book (社员交易记录) and capital accounts of a cooperative, and each member's trading
volume for a year: the book's entries plus the cooperative's own ledger sales with that member's household as
beneficiary (reversals in the ledger are negative rows, so they take the volume back out)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Q, Sum

from yigou.accounts.scope import ensure_can
from yigou.core import audit
from yigou.core.errors import DomainError
from yigou.income.checks import check_text, check_year
from yigou.ledger.models import Beneficiary
from yigou.registry.enums import ProducerKind
from yigou.registry.models import CoopMember, Producer

from .checks import money, number
from .compute import CENT
from .enums import AccountKind, Kind, Source, Status
from .models import BookEntry, CapitalAccount, Distribution


@dataclass
class BookInput:
    member: CoopMember
    date: dt.date
    product: str
    amount: Any
    quantity: Any = None
    unit: str = ""
    note: str = ""


def _recorder(actor: Any) -> Any:
    return actor if getattr(actor, "is_authenticated", False) else None


def ensure_cooperative(producer: Producer) -> None:
    if producer.kind != ProducerKind.COOPERATIVE:
        raise DomainError("invalid_input", detail=f"“{producer.name}”不是农民专业合作社", field="producer")


def ensure_year_open(producer: Producer, year: int) -> None:
    """A year whose surplus was paid is closed: its volumes and capital stand as they were paid."""
    paid = Distribution.objects.filter(
        producer=producer, kind=Kind.SURPLUS, year=year, status=Status.PAID, corrects__isnull=True
    )
    if paid.exists():
        raise DomainError(
            "benefits_locked",
            f"{producer.name}{year}年的盈余已兑付，交易记录已锁定；如有错误请登记更正分配。",
        )


def check_book(producer: Producer, data: BookInput) -> dict[str, Any]:
    """The entry's fields, checked; the member must belong to the cooperative on that date."""
    member = data.member
    if member.producer_id != producer.pk:
        raise DomainError("invalid_input", detail=f"{member.name}不是{producer.name}的社员", field="member")
    if not isinstance(data.date, dt.date):
        raise DomainError("invalid_input", detail="请填写交易日期", field="date")
    if data.date < member.joined_on or (member.left_on and data.date > member.left_on):
        raise DomainError("invalid_input", detail=f"{data.date} 时{member.name}不在社", field="date")
    note = check_text(data.note, "说明", "note", most=300)
    amount = money(data.amount, "交易额", "amount", allow_negative=True)
    if amount < 0 and len(note) < 2:
        raise DomainError("invalid_input", detail="交易额为负数（更正）时须写明说明", field="note")
    quantity = None if data.quantity in (None, "") else number(data.quantity, "数量", "quantity", 3)
    return {
        "member": member,
        "date": data.date,
        "product": check_text(data.product, "产品", "product", least=1, most=100),
        "amount": amount,
        "quantity": quantity,
        "unit": check_text(data.unit, "单位", "unit", most=16),
        "note": note,
    }


@transaction.atomic
def book_record(*, actor: Any, producer: Producer, data: BookInput, source: str = Source.PAGE) -> BookEntry:
    ensure_can(actor, "benefits.manage", producer)
    ensure_cooperative(producer)
    fields = check_book(producer, data)
    ensure_year_open(producer, data.date.year)
    entry = BookEntry.objects.create(producer=producer, source=source, recorded_by=_recorder(actor), **fields)
    audit.record(
        actor=actor,
        action="benefits.book",
        target=entry,
        changes=audit.snapshot(entry, ["date", "product", "amount", "member"]),
    )
    return entry


@transaction.atomic
def capital_account_set(
    *, actor: Any, member: CoopMember, kind: str, amount: Any, min_rate: Any = "0", note: str = ""
) -> CapitalAccount:
    """A member's account of one kind, created or changed (the change is audited with its old value)."""
    producer = member.producer
    ensure_can(actor, "benefits.manage", producer)
    ensure_cooperative(producer)
    if kind not in AccountKind.values:
        raise DomainError("invalid_input", detail=f"股金类型“{kind}”不在可选范围内", field="kind")
    value = money(amount, "股金金额", "amount", allow_zero=True)
    rate = number(min_rate or "0", "保底收益率", "min_rate")
    if rate > 100:
        raise DomainError("invalid_input", detail="保底收益率不能超过 100%", field="min_rate")
    if kind != AccountKind.PREFERRED and rate:
        raise DomainError("invalid_input", detail="只有贫困户优先股设保底收益率", field="min_rate")
    if kind == AccountKind.PREFERRED and member.household_id is None:
        raise DomainError("invalid_input", detail="优先股须登记在贫困户社员名下", field="member")
    account = CapitalAccount.objects.filter(member=member, kind=kind).first()
    before = audit.snapshot(account, ["amount", "min_rate"]) if account else {}
    if account is None:
        account = CapitalAccount(producer=producer, member=member, kind=kind)
    account.amount, account.min_rate = value, rate
    account.note = check_text(note, "说明", "note", most=300)
    account.save()
    after = audit.snapshot(account, ["amount", "min_rate"])
    audit.record(actor=actor, action="benefits.capital", target=account, changes=audit.diff(before, after))
    return account


def members_in_year(producer: Producer, year: int) -> list[CoopMember]:
    """Members at any time in the year, in the order they joined."""
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    rows = producer.members.filter(joined_on__lte=end).filter(Q(left_on__isnull=True) | Q(left_on__gte=start))
    return list(rows.select_related("household").order_by("joined_on", "id"))


def trading_volumes(
    producer: Producer, year: int, members: list[CoopMember]
) -> dict[int, tuple[Decimal, Decimal]]:
    """member id → (book volume, ledger volume) for the year."""
    book = dict(
        BookEntry.objects.filter(producer=producer, date__year=year)
        .values("member_id")
        .annotate(total=Sum("amount"))
        .values_list("member_id", "total")
    )
    households = {m.household_id for m in members if m.household_id}
    ledger = dict(
        Beneficiary.objects.filter(
            purchase__seller_producer=producer, purchase_date__year=year, household_id__in=households
        )
        .values("household_id")
        .annotate(total=Sum("amount"))
        .values_list("household_id", "total")
    )
    zero = Decimal("0.00")
    return {
        m.pk: (
            (book.get(m.pk) or zero).quantize(CENT),
            ((ledger.get(m.household_id) or zero) if m.household_id else zero).quantize(CENT),
        )
        for m in members
    }


def ensure_year(value: Any) -> int:
    return check_year(value)
