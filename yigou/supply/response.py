"""Who could buy what a case has left, best first, and the one action that puts it in front of them: publish a
pre-sale list from the case and notify the chosen buyers.

The ranking follows the practice the seeds describe: units paired with the village first (结对帮扶), then budget
units whose reserved share (预留份额) is furthest behind the year's pace — what they have not spent is standing
demand — then canteens and enterprises whose demand book matches, then the e-commerce outlets of the county.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from yigou.accounts.enums import Role
from yigou.accounts.models import User
from yigou.assist.models import UnitVillagePairing
from yigou.core.errors import DomainError
from yigou.market.enums import OutletKind
from yigou.market.models import Outlet, PreSaleList
from yigou.market.presale import ItemInput, ListInput, presale_publish
from yigou.notices.services import notify
from yigou.regions.enums import Level as RegionLevel
from yigou.shares.selectors import dashboard

from .cases import ancestor, ensure_may_handle, ensure_open, record_step
from .enums import CaseStep
from .models import Case, DemandEntry

ZERO = Decimal("0")
MOST_BEHIND = 10  # budget units listed from the reserved-share dashboard


class Group:
    PAIRED = "paired"
    SHARE = "share"
    DEMAND = "demand"
    OUTLET = "outlet"


GROUP_LABELS = {
    Group.PAIRED: "结对帮扶单位",
    Group.SHARE: "预留份额完成滞后的预算单位",
    Group.DEMAND: "需求匹配的食堂、企业",
    Group.OUTLET: "电商网点",
}


@dataclass
class Buyer:
    key: str  # "unit:12", "producer:3", "user:7", "outlet:5": what the publish form posts back
    group: str
    name: str
    reason: str
    recipients: list[User] = field(default_factory=list)

    @property
    def group_label(self) -> str:
        return GROUP_LABELS[self.group]

    @property
    def reachable(self) -> bool:
        return bool(self.recipients)


def _staff(role: str, link: str, ids: set[int]) -> dict[int, list[User]]:
    """Active accounts of the organisations linked to `ids` by `link` ("unit" or "producer"), by linked id."""
    found: dict[int, list[User]] = {}
    rows = User.objects.filter(is_active=True, role=role, **{f"organisation__{link}_id__in": ids})
    for user in rows.select_related("organisation").order_by("pk"):
        found.setdefault(getattr(user.organisation, f"{link}_id"), []).append(user)
    return found


def _paired(case: Case, today: dt.date) -> list[Buyer]:
    pairings = (
        UnitVillagePairing.objects.filter(village_id=case.village_id, start__lte=today)
        .exclude(end__lt=today)
        .select_related("unit")
        .order_by("unit__name", "unit_id")
    )
    return [
        Buyer(f"unit:{p.unit_id}", Group.PAIRED, p.unit.name, f"自 {p.start} 起结对帮扶{case.village.name}")
        for p in pairings
    ]


def _behind_on_share(actor: Any, case: Case, today: dt.date) -> list[Buyer]:
    county = ancestor(case.village_id, RegionLevel.COUNTY)
    board = dashboard(actor, county, today.year, today)
    behind = [r for r in board.rows if r.filed and r.owns and r.rate is not None and r.target > r.done]
    behind.sort(key=lambda r: (r.rate - r.elapsed, r.unit.name, r.unit.pk))  # type: ignore[operator]
    return [
        Buyer(
            f"unit:{r.unit.pk}",
            Group.SHARE,
            r.unit.name,
            f"预留份额完成 {r.rate}%（时间进度 {r.elapsed}%），尚余 {r.target - r.done} 元",
        )
        for r in behind[:MOST_BEHIND]
    ]


def matching_demand(case: Case, today: dt.date) -> list[DemandEntry]:
    """Demand entries open between today and the case's last day for its product (or its whole category), at a
    price ceiling the expected price does not exceed, nearest region first."""
    rows = DemandEntry.objects.filter(
        Q(name="") | Q(name=case.product),
        category=case.category,
        window_start__lte=case.last_day,
        window_end__gte=today,
    )
    if case.expected_price is not None:
        rows = rows.filter(Q(price_ceiling__isnull=True) | Q(price_ceiling__gte=case.expected_price))
    rows = rows.select_related("region", "recorded_by")
    same_place = [(r, _closeness(r.region_id, case.village_id)) for r in rows]
    same_place.sort(key=lambda pair: (-pair[1], pair[0].window_end, pair[0].pk))
    return [r for r, _ in same_place]


def _closeness(a: str, b: str) -> int:
    for digits in (9, 6, 4, 2):
        if a[:digits] == b[:digits]:
            return digits
    return 0


def _demand(case: Case, today: dt.date) -> list[Buyer]:
    found = []
    for d in matching_demand(case, today):
        wanted = f"{d.quantity.normalize():f}{d.unit}" if d.quantity is not None else "数量不限"
        ceiling = f"，最高 {d.price_ceiling} 元" if d.price_ceiling is not None else ""
        reason = (
            f"需求 {d.name or d.get_category_display()} {wanted}（{d.window_start}至{d.window_end}{ceiling}）"
        )
        if d.buyer_unit_id:
            key = f"unit:{d.buyer_unit_id}"
        elif d.buyer_producer_id:
            key = f"producer:{d.buyer_producer_id}"
        elif d.recorded_by_id:
            key = f"user:{d.recorded_by_id}"
        else:
            continue
        found.append(Buyer(key, Group.DEMAND, d.buyer_name, reason))
    return found


def _outlets(case: Case, today: dt.date) -> list[Buyer]:
    county = case.village_id[:6]
    rows = (
        Outlet.objects.filter(
            kind=OutletKind.ECOMMERCE, region__code__startswith=county, opened_on__lte=today
        )
        .filter(Q(closed_on__isnull=True) | Q(closed_on__gte=today))
        .exclude(operator__isnull=True)
        .order_by("name", "pk")
    )
    return [
        Buyer(f"unit:{o.operator_id}", Group.OUTLET, o.name, "本县电商网点（开办单位接收通知）") for o in rows
    ]


def ranked_buyers(actor: Any, case: Case, today: dt.date | None = None) -> list[Buyer]:
    """Every candidate once, in its best group, with the accounts a notice would reach."""
    today = today or timezone.localdate()
    seen: set[str] = set()
    ranked = []
    for buyer in (
        *_paired(case, today),
        *_behind_on_share(actor, case, today),
        *_demand(case, today),
        *_outlets(case, today),
    ):
        if buyer.key not in seen:
            seen.add(buyer.key)
            ranked.append(buyer)
    _attach_recipients(ranked)
    return ranked


def _attach_recipients(buyers: list[Buyer]) -> None:
    ids: dict[str, set[int]] = {"unit": set(), "producer": set(), "user": set()}
    for b in buyers:
        kind, pk = b.key.split(":")
        ids[kind].add(int(pk))
    units = _staff(Role.UNIT, "unit", ids["unit"])
    producers = _staff(Role.PRODUCER, "producer", ids["producer"])
    people = {u.pk: u for u in User.objects.filter(is_active=True, pk__in=ids["user"])}
    for b in buyers:
        kind, pk = b.key.split(":")
        if kind == "unit":
            b.recipients = units.get(int(pk), [])
        elif kind == "producer":
            b.recipients = producers.get(int(pk), [])
        else:
            b.recipients = [people[int(pk)]] if int(pk) in people else []


@dataclass
class PublishInput:
    unit_price: Any
    closes_on: dt.date
    contact_name: str
    contact_phone: str
    buyers: list[str]
    note: str = ""


def _item_for(case: Case, data: PublishInput, today: dt.date) -> ItemInput:
    if case.seller_household is None and case.seller_producer is None:
        raise DomainError(
            "invalid_input",
            detail="该供给为村集体整体登记，未指明销售农户或经营主体；请先在供给台账中按农户登记后再发布",
        )
    product = case.warning.supply.product if case.warning.supply else None
    return ItemInput(
        name=case.product,
        category=case.category,
        unit=case.unit,
        unit_price=data.unit_price,
        quantity=case.left,
        window_start=today,
        window_end=max(case.last_day, today),
        product=product,
        seller_household=case.seller_household,
        seller_producer=case.seller_producer,
    )


@transaction.atomic
def case_publish(
    *, actor: Any, case: Case, data: PublishInput, now: dt.datetime | None = None
) -> PreSaleList:
    """Publish what is left as a pre-sale list (急需帮销) and notify the chosen buyers, in one step: a refusal
    anywhere leaves no list and no notice."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    case = Case.objects.select_for_update().select_related("office", "village", "warning").get(pk=case.pk)
    ensure_may_handle(actor, case)
    ensure_open(case)
    if case.presale_list_id is not None:
        raise DomainError("invalid_input", detail=f"案件 {case.number} 已发布预售清单，请在清单页面修改")
    if data.closes_on < today:
        raise DomainError(
            "invalid_input", detail=f"截止接单日期 {data.closes_on} 早于今天", field="closes_on"
        )
    candidates = {b.key: b for b in ranked_buyers(actor, case, today)}
    chosen = [candidates[k] for k in dict.fromkeys(data.buyers) if k in candidates]
    unknown = [k for k in data.buyers if k not in candidates]
    if unknown:
        raise DomainError(
            "invalid_input", detail=f"采购方 {'、'.join(unknown)} 不在本案件的推荐名单中", field="buyers"
        )
    if not any(b.reachable for b in chosen):
        raise DomainError(
            "invalid_input", detail="请至少选择一个有平台账号、能收到通知的采购方", field="buyers"
        )
    listing = ListInput(
        title=f"急需帮销：{case.village.name}{case.product}",
        opens_on=today,
        closes_on=data.closes_on,
        contact_name=data.contact_name,
        contact_phone=data.contact_phone,
        note=(data.note.strip() or f"滞销快速响应案件 {case.number}")[:500],
    )
    item = _item_for(case, data, today)
    owner = {"producer": case.seller_producer} if case.seller_producer else {"village": case.village}
    published = presale_publish(actor=actor, data=listing, items=[item], today=today, **owner)
    case.presale_list = published
    case.save(update_fields=["presale_list", "updated_at"])
    record_step(
        case, CaseStep.PUBLISHED, f"发布预售清单“{published.title}”（编号 {published.pk}）", now, actor
    )
    _notify_buyers(actor, case, published, chosen, now)
    return published


def _notify_buyers(
    actor: Any, case: Case, listing: PreSaleList, chosen: list[Buyer], now: dt.datetime
) -> None:
    people = [u for b in chosen for u in b.recipients]
    notify(
        people,
        kind="supply_presale",
        title=f"急需帮销：{case.village.name}{case.product} {case.left.normalize():f}{case.unit}",
        body=f"{listing.closes_on} 前接单，单价 {listing.items.get().unit_price} 元/{case.unit}，联系人 {listing.contact_name}",
        link=reverse("www:presale", args=[listing.pk]),
        region_code=case.village_id,
        actor=actor,
    )
    names = "、".join(b.name for b in chosen)
    record_step(case, CaseStep.NOTIFIED, f"已通知 {names}（{len(people)} 个账号）", now, actor)
