"""Who earned from a purchase: the seller household itself, households entered one by one, or a stated rule."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_DOWN, Decimal

from django.db.models import Q

from yigou.core.errors import DomainError
from yigou.registry.models import CoopMember, Household, Linkage, Producer

from .enums import Attribution

CENT = Decimal("0.01")


@dataclass(frozen=True)
class Share:
    household: Household
    amount: Decimal


def linked_households(producer: Producer, day: dt.date) -> list[Household]:
    """Households with a linkage to the producer that is in force on `day`, in a stable order."""
    active = Linkage.objects.filter(producer=producer, start__lte=day).filter(
        Q(end__isnull=True) | Q(end__gte=day)
    )
    ids = sorted(set(active.values_list("household_id", flat=True)))
    return list(Household.objects.filter(pk__in=ids).select_related("village").order_by("pk"))


def member_shares(producer: Producer, day: dt.date) -> list[tuple[Household, Decimal]]:
    members = (
        CoopMember.objects.filter(
            producer=producer, household__isnull=False, joined_on__lte=day, shares__gt=0
        )
        .filter(Q(left_on__isnull=True) | Q(left_on__gt=day))
        .select_related("household__village")
        .order_by("household_id")
    )
    return [(m.household, m.shares) for m in members if m.household is not None]


def split(amount: Decimal, weights: Sequence[Decimal]) -> list[Decimal]:
    """Split to the fen by weight; the fen left over by rounding down go to the first shares, so the sum is exact."""
    total = sum(weights)
    parts = [(amount * w / total).quantize(CENT, rounding=ROUND_DOWN) for w in weights]
    leftover = int(((amount - sum(parts)) / CENT).to_integral_value())
    for i in range(leftover):
        parts[i % len(parts)] += CENT
    return parts


def by_rule(rule: str, producer: Producer, day: dt.date, amount: Decimal) -> list[Share]:
    if rule == Attribution.EQUAL_LINKED:
        households = linked_households(producer, day)
        if not households:
            raise DomainError("attribution_empty", name=producer.name, rule=Attribution(rule).label)
        return [
            Share(h, a)
            for h, a in zip(households, split(amount, [Decimal(1)] * len(households)), strict=True)
        ]
    if rule == Attribution.COOP_SHARES:
        members = member_shares(producer, day)
        if not members:
            raise DomainError("attribution_empty", name=producer.name, rule=Attribution(rule).label)
        amounts = split(amount, [shares for _, shares in members])
        return [Share(h, a) for (h, _), a in zip(members, amounts, strict=True)]
    raise DomainError("invalid_input", detail=f"受益分配方式“{rule}”不适用于经营主体")


def check_entered(producer: Producer, day: dt.date, shares: Sequence[Share]) -> None:
    """Entered beneficiaries must be households linked to the seller (or its members) on the day of sale."""
    allowed = {h.pk for h in linked_households(producer, day)} | {
        h.pk for h, _ in member_shares(producer, day)
    }
    seen: set[int] = set()
    for share in shares:
        if share.household.pk in seen:
            raise DomainError("invalid_input", detail=f"受益农户 {share.household} 重复录入")
        seen.add(share.household.pk)
        if share.amount <= 0:
            raise DomainError("invalid_input", detail=f"受益农户 {share.household} 的收入必须大于0")
        if share.household.pk not in allowed:
            raise DomainError("beneficiary_not_linked", household=str(share.household), name=producer.name)
