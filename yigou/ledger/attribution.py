"""Who earned from a purchase: the seller household itself, households entered one by one, or a stated rule.

Linkages, memberships and status histories are read through small preloaded books, so one purchase and a
million imported ones follow exactly the same rules.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_DOWN, Decimal

from yigou.core.errors import DomainError
from yigou.registry import status as status_rules
from yigou.registry.models import CoopMember, Household, Linkage, Producer, StatusEvent

from .enums import Attribution

CENT = Decimal("0.01")


@dataclass(frozen=True)
class Share:
    household_id: int
    amount: Decimal


class LinkageBook:
    """Linkages and cooperative memberships of some producers, answering 'who on this day'."""

    def __init__(self, producer_ids: Iterable[int]):
        ids = list(set(producer_ids))
        self.links: defaultdict[int, list[tuple[int, dt.date, dt.date | None]]] = defaultdict(list)
        self.members: defaultdict[int, list[tuple[int, Decimal, dt.date, dt.date | None]]] = defaultdict(list)
        for pid, hid, start, end in Linkage.objects.filter(producer_id__in=ids).values_list(
            "producer_id", "household_id", "start", "end"
        ):
            self.links[pid].append((hid, start, end))
        for pid, hid, shares, joined, left in CoopMember.objects.filter(
            producer_id__in=ids, household__isnull=False, shares__gt=0
        ).values_list("producer_id", "household_id", "shares", "joined_on", "left_on"):
            self.members[pid].append((hid, shares, joined, left))

    def linked(self, producer_id: int, day: dt.date) -> list[int]:
        return sorted(
            {h for h, start, end in self.links[producer_id] if start <= day and (end is None or end >= day)}
        )

    def shares(self, producer_id: int, day: dt.date) -> list[tuple[int, Decimal]]:
        current = [
            (h, s)
            for h, s, joined, left in self.members[producer_id]
            if joined <= day and (left is None or left > day)
        ]
        return sorted(current)


class StatusBook:
    """Status histories of some households, answering 'what was this household on that day'."""

    def __init__(self, household_ids: Iterable[int]):
        self.events: defaultdict[int, list[StatusEvent]] = defaultdict(list)
        ids = sorted(set(household_ids))
        for start in range(0, len(ids), 900):
            chunk = StatusEvent.objects.filter(household_id__in=ids[start : start + 900]).order_by(
                "date", "id"
            )
            for event in chunk.only("household_id", "kind", "date", "monitor_type"):
                self.events[event.household_id].append(event)

    def status(self, household_id: int, day: dt.date) -> str:
        return status_rules.status_on(self.events[household_id], day).status


def split(amount: Decimal, weights: Sequence[Decimal]) -> list[Decimal]:
    """Split to the fen by weight; the fen left over by rounding down go to the first shares, so the sum is exact."""
    total = sum(weights)
    parts = [(amount * w / total).quantize(CENT, rounding=ROUND_DOWN) for w in weights]
    leftover = int(((amount - sum(parts)) / CENT).to_integral_value())
    for i in range(leftover):
        parts[i % len(parts)] += CENT
    return parts


def by_rule(rule: str, book: LinkageBook, producer: Producer, day: dt.date, amount: Decimal) -> list[Share]:
    if rule == Attribution.EQUAL_LINKED:
        weighted = [(h, Decimal(1)) for h in book.linked(producer.pk, day)]
    elif rule == Attribution.COOP_SHARES:
        weighted = book.shares(producer.pk, day)
    else:
        raise DomainError("invalid_input", detail=f"受益分配方式“{rule}”不适用于经营主体")
    if not weighted:
        raise DomainError("attribution_empty", name=producer.name, rule=Attribution(rule).label)
    amounts = split(amount, [w for _, w in weighted])
    return [Share(h, a) for (h, _), a in zip(weighted, amounts, strict=True)]


def check_entered(book: LinkageBook, producer: Producer, day: dt.date, shares: Sequence[Share]) -> None:
    """Entered beneficiaries must be households linked to the seller (or its members) on the day of sale."""
    allowed = set(book.linked(producer.pk, day)) | {h for h, _ in book.shares(producer.pk, day)}
    seen: set[int] = set()
    for share in shares:
        if share.household_id in seen:
            raise DomainError("invalid_input", detail=f"受益农户 {_label(share)} 重复录入")
        seen.add(share.household_id)
        if share.amount <= 0:
            raise DomainError("invalid_input", detail=f"受益农户 {_label(share)} 的收入必须大于0")
        if share.household_id not in allowed:
            raise DomainError("beneficiary_not_linked", household=_label(share), name=producer.name)


def _label(share: Share) -> str:
    """Only looked up when a message needs it."""
    return str(Household.objects.get(pk=share.household_id))
