"""Quick response (快速响应): a case for each 预警 or 严重 warning, routed to the office that answers for it.

Routing follows the level: 预警 goes to the village's township, 严重 to its county (`YIGOU_CASE_ROUTE`). Each case
has a deadline (`YIGOU_CASE_HOURS` by level); an open case past its deadline is escalated to the office one level
up, with a fresh deadline, up to the province. The case closes by itself when what was left at opening has been
sold — read from the ledger, where paid orders land too — or by hand with a reason (stored, processed, spoiled).

`sync` is the one entry point the daily scan, the hourly beat and the payment hook call: it opens, raises,
escalates and refreshes, and is idempotent (one open case per warning, enforced by the database too).
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Q, QuerySet, Sum
from django.urls import reverse
from django.utils import timezone

from yigou.accounts.enums import Role
from yigou.accounts.models import User
from yigou.accounts.scope import ensure_can, scope_for
from yigou.core import audit
from yigou.core.errors import DomainError, PermissionDeniedError
from yigou.ledger.models import PurchaseLine
from yigou.notices.services import notify
from yigou.regions.enums import Level as RegionLevel
from yigou.regions.models import Region, prefix_of

from .enums import MANUAL_CLOSE_REASONS, SEVERITY, CaseStatus, CaseStep, CloseReason, Level
from .models import Case, CaseEvent, Warning

ZERO = Decimal("0")
CENT, MILLI = Decimal("0.01"), Decimal("0.001")
CASE_LEVELS = (Level.WARN, Level.SEVERE)
# The code of a region's ancestor at each level: its prefix padded with zeros.
ANCESTOR_DIGITS = {
    RegionLevel.PROVINCE: 2,
    RegionLevel.CITY: 4,
    RegionLevel.COUNTY: 6,
    RegionLevel.TOWNSHIP: 9,
}


def route_level(level: str) -> int:
    return int(settings.YIGOU_CASE_ROUTE[level])


def hours_for(level: str) -> int:
    return int(settings.YIGOU_CASE_HOURS[level])


def ancestor(code: str, level: int) -> Region | None:
    """The region over `code` at `level`, or the nearest one above it that exists (zones skip townships)."""
    for lv in range(level, RegionLevel.PROVINCE - 1, -1):
        digits = ANCESTOR_DIGITS[RegionLevel(lv)]
        found = Region.objects.filter(pk=code[:digits] + "0" * (12 - digits)).first()
        if found is not None:
            return found
    return None


def office_users(office: Region) -> list[User]:
    """The people a case routed to `office` is put in front of: the office's own staff accounts."""
    return list(
        User.objects.filter(is_active=True, role=Role.OFFICE, organisation__region=office).order_by("pk")
    )


def case_link(case: Case) -> str:
    return reverse("www:supply_case", args=[case.pk])


def record_step(case: Case, kind: str, text: str, now: dt.datetime, actor: Any = None) -> None:
    person = actor if getattr(actor, "is_authenticated", False) else None
    CaseEvent.objects.create(case=case, at=now, kind=kind, actor=person, office=case.office, text=text[:500])
    audit.record(actor=actor, action=f"supply_case_{kind}", target=case, note=text)


def _tell_office(case: Case, title: str, actor: Any = None) -> None:
    body = f"{case.village.name} {case.product} 待销 {case.quantity}{case.unit}，处置时限 {_local(case.deadline)}"
    notify(
        office_users(case.office),
        kind="supply_case",
        title=title,
        body=body,
        link=case_link(case),
        region_code=case.village_id,
        actor=actor,
    )


def _local(moment: dt.datetime) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M")


# -- opening, raising, escalating -------------------------------------------------------------------------------


def _seller_of(warning: Warning) -> tuple[Any, Any, Decimal | None, dt.date]:
    if warning.supply is not None:
        e = warning.supply
        return e.household, e.producer, e.expected_price, e.last_day
    item = warning.presale_item
    assert item is not None
    last_day = min(item.presale_list.closes_on, item.window_end)
    return item.seller_household, item.seller_producer, item.unit_price, last_day


def open_case(warning: Warning, now: dt.datetime) -> Case:
    office = ancestor(warning.village_id, route_level(warning.level))
    assert office is not None, f"no office over {warning.village_id}"
    household, producer, price, last_day = _seller_of(warning)
    case = Case.objects.create(
        number=f"t{uuid.uuid4().hex[:19]}",  # unique until the pk gives the real number, within the 20 chars
        warning=warning,
        village_id=warning.village_id,
        office=office,
        level=warning.level,
        product=warning.product,
        category=warning.supply.category if warning.supply else warning.presale_item.category,  # type: ignore[union-attr]
        unit=warning.unit,
        seller_household=household,
        seller_producer=producer,
        quantity=warning.quantity_left,
        expected_price=price,
        last_day=last_day,
        opened_at=now,
        deadline=now + dt.timedelta(hours=hours_for(warning.level)),
    )
    case.number = f"XY{timezone.localtime(now).year}-{case.pk:06d}"
    case.save(update_fields=["number"])
    record_step(
        case, CaseStep.OPENED, f"{warning.get_level_display()}：{warning.reason}；交{office.name}处置", now
    )
    _tell_office(case, f"滞销快速响应：{case.village.name}{case.product}（{case.get_level_display()}）")
    return case


def _raise(case: Case, warning: Warning, now: dt.datetime) -> None:
    """A 预警 case whose warning became 严重: the level, the office (never down) and the deadline (never later)."""
    case.level = warning.level
    routed = ancestor(case.village_id, route_level(warning.level))
    if routed is not None and routed.level < case.office.level:
        case.office = routed
    case.deadline = min(case.deadline, now + dt.timedelta(hours=hours_for(warning.level)))
    case.save(update_fields=["level", "office", "deadline", "updated_at"])
    record_step(
        case, CaseStep.RAISED, f"预警升为{warning.get_level_display()}，交{case.office.name}处置", now
    )
    _tell_office(case, f"滞销快速响应升级：{case.village.name}{case.product}（{case.get_level_display()}）")


def escalate(case: Case, now: dt.datetime) -> None:
    above = ancestor(case.village_id, case.office.level - 1)
    if above is None:
        return
    late = case.office.name
    case.office, case.escalations = above, case.escalations + 1
    case.deadline = now + dt.timedelta(hours=hours_for(case.level))
    case.save(update_fields=["office", "escalations", "deadline", "updated_at"])
    record_step(case, CaseStep.ESCALATED, f"{late}超过处置时限未结案，上报{above.name}", now)
    _tell_office(case, f"滞销快速响应超时上报：{case.village.name}{case.product}")


def open_and_raise(now: dt.datetime, region: str = "") -> int:
    """Open a case for each open 预警/严重 warning without one; raise the cases whose warning became 严重."""
    warnings = Warning.objects.filter(cleared_on__isnull=True, level__in=CASE_LEVELS).select_related(
        "supply", "presale_item__presale_list"
    )
    if region:
        warnings = warnings.filter(village__code__startswith=region)
    open_by_warning = {
        c.warning_id: c
        for c in Case.objects.filter(status=CaseStatus.OPEN, warning__in=warnings).select_related("office")
    }
    opened = 0
    for warning in warnings:
        case = open_by_warning.get(warning.pk)
        if case is None:
            open_case(warning, now)
            opened += 1
        elif SEVERITY[Level(warning.level)] > SEVERITY[Level(case.level)]:
            _raise(case, warning, now)
    return opened


def escalate_overdue(now: dt.datetime, region: str = "") -> int:
    late = Case.objects.filter(
        status=CaseStatus.OPEN, deadline__lt=now, office__level__gt=RegionLevel.PROVINCE
    )
    if region:
        late = late.filter(village__code__startswith=region)
    rows = list(late.select_related("office", "village"))
    for case in rows:
        escalate(case, now)
    return len(rows)


# -- what was sold since the case opened -------------------------------------------------------------------------


@dataclass(frozen=True)
class Sold:
    quantity: Decimal = ZERO
    value: Decimal = ZERO


def _seller_key(household_id: Any, producer_id: Any, village_id: str) -> tuple[str, Any]:
    if household_id:
        return ("h", household_id)
    if producer_id:
        return ("p", producer_id)
    return ("v", village_id)


def sold_since_opening(cases: list[Case]) -> dict[int, Sold]:
    """Net ledger quantity and value of each case's product by its seller (or its village, for a village's own
    stock) from the day the case opened: one grouped query for all the cases."""
    if not cases:
        return {}
    start = min(timezone.localtime(c.opened_at).date() for c in cases)
    rows = (
        PurchaseLine.objects.filter(
            Q(purchase__region_id__in={c.village_id for c in cases})
            | Q(
                purchase__seller_producer_id__in={c.seller_producer_id for c in cases if c.seller_producer_id}
            ),
            purchase__date__gte=start,
            product__in={c.product for c in cases},
        )
        .values_list(
            "purchase__seller_household_id",
            "purchase__seller_producer_id",
            "purchase__region_id",
            "product",
            "unit",
            "purchase__date",
        )
        .annotate(quantity=Sum("quantity"), value=Sum("amount"))
        .order_by()
    )
    by_key: dict[tuple[Any, ...], list[tuple[dt.date, Decimal, Decimal]]] = defaultdict(list)
    for household_id, producer_id, village_id, product, unit, date, quantity, value in rows:
        for key in {_seller_key(household_id, producer_id, village_id), ("v", village_id)}:
            by_key[(key, product, unit)].append((date, quantity, value))
    found = {}
    for c in cases:
        seller = _seller_key(c.seller_household_id, c.seller_producer_id, c.village_id)
        since = timezone.localtime(c.opened_at).date()
        hits = [(q, v) for d, q, v in by_key.get((seller, c.product, c.unit), []) if d >= since]
        value = sum((Decimal(v) for _, v in hits), ZERO).quantize(CENT)
        found[c.pk] = Sold(sum((Decimal(q) for q, _ in hits), ZERO).quantize(MILLI), value)
    return found


def _close(case: Case, reason: str, note: str, now: dt.datetime, actor: Any = None) -> None:
    case.status, case.close_reason, case.close_note, case.closed_at = CaseStatus.CLOSED, reason, note, now
    case.save(update_fields=["status", "close_reason", "close_note", "closed_at", "updated_at"])
    label = CloseReason(reason).label
    text = f"{label}：帮销 {case.rescued_quantity.normalize():f}{case.unit}，{case.rescued_value} 元"
    record_step(case, CaseStep.CLOSED, f"{text}。{note}" if note else text, now, actor)


def refresh(cases: Iterable[Case], now: dt.datetime) -> int:
    """Bring each open case's rescued figures up to date; close those whose quantity is sold. Returns closures."""
    rows = [c for c in cases if c.is_open]
    sold = sold_since_opening(rows)
    closed = 0
    for case in rows:
        got = sold.get(case.pk, Sold())
        if (got.quantity, got.value) != (case.rescued_quantity, case.rescued_value):
            case.rescued_quantity, case.rescued_value = got.quantity, got.value
            case.save(update_fields=["rescued_quantity", "rescued_value", "updated_at"])
        if got.quantity >= case.quantity:
            _close(case, CloseReason.SOLD, "", now)
            closed += 1
    return closed


def open_cases(region: str = "") -> QuerySet[Case]:
    rows = Case.objects.filter(status=CaseStatus.OPEN).select_related("office", "village")
    return rows.filter(village__code__startswith=region) if region else rows


@dataclass(frozen=True)
class SyncResult:
    opened: int
    escalated: int
    closed: int


@transaction.atomic
def sync(now: dt.datetime | None = None, region: str = "") -> SyncResult:
    """Refresh what is sold (closing what sold out), then open, raise and escalate: the order matters, so a case
    sold out overnight is closed rather than escalated."""
    now = now or timezone.now()
    region = prefix_of(region) if region else ""
    closed = refresh(open_cases(region), now)
    opened = open_and_raise(now, region)
    escalated = escalate_overdue(now, region)
    return SyncResult(opened, escalated, closed)


def refresh_sellers(
    village_ids: Iterable[str], producer_ids: Iterable[int], now: dt.datetime | None = None
) -> int:
    """After a payment: the open cases of the villages and producers the order bought from, at once rather than
    at the next scan."""
    villages, producers = set(village_ids), set(producer_ids)
    if not villages and not producers:
        return 0
    rows = open_cases().filter(Q(village_id__in=villages) | Q(seller_producer_id__in=producers))
    return refresh(rows, now or timezone.now())


# -- what people do on a case -----------------------------------------------------------------------------------


def may_handle(actor: Any, case: Case) -> bool:
    """The office the case is routed to, any office above it, and administrators act on it."""
    scope = scope_for(actor)
    if scope.everything:
        return True
    if scope.kind != "region" or getattr(actor, "role", "") != Role.OFFICE:
        return False
    return case.office.code.startswith(scope.region_prefix)


def ensure_may_handle(actor: Any, case: Case) -> None:
    ensure_can(actor, "supply.respond", case)
    if not may_handle(actor, case):
        raise PermissionDeniedError(
            "forbidden", f"案件已交{case.office.name}处置，只有该单位及上级单位可以办理"
        )


def ensure_open(case: Case) -> None:
    if not case.is_open:
        raise DomainError("invalid_input", detail=f"案件 {case.number} 已结案，不能再办理")


@transaction.atomic
def case_assign(*, actor: Any, case: Case, handler: User, now: dt.datetime | None = None) -> Case:
    """Name the person who answers for the case (每案有专人负责): staff of the office it is routed to or above."""
    now = now or timezone.now()
    case = Case.objects.select_for_update().select_related("office", "village").get(pk=case.pk)
    ensure_may_handle(actor, case)
    ensure_open(case)
    if not (handler.is_active and may_handle(handler, case)):
        raise DomainError("invalid_input", detail=f"“{handler}”不能办理本案件")
    case.handler = handler
    case.save(update_fields=["handler", "updated_at"])
    record_step(case, CaseStep.ASSIGNED, f"责任人：{handler}", now, actor)
    notify(
        [handler],
        kind="supply_case",
        title=f"您被指定为滞销案件 {case.number} 的责任人",
        body=f"{case.village.name} {case.product} 待销 {case.left.normalize():f}{case.unit}",
        link=case_link(case),
        region_code=case.village_id,
        actor=actor,
    )
    return case


@transaction.atomic
def case_close(*, actor: Any, case: Case, reason: str, note: str, now: dt.datetime | None = None) -> Case:
    """Close by hand: what could not be sold was stored, processed or spoiled — the reason is kept."""
    now = now or timezone.now()
    case = Case.objects.select_for_update().select_related("office", "village").get(pk=case.pk)
    ensure_may_handle(actor, case)
    ensure_open(case)
    if reason not in MANUAL_CLOSE_REASONS:
        choices = "、".join(CloseReason(r).label for r in MANUAL_CLOSE_REASONS)
        raise DomainError("invalid_input", detail=f"结案方式须为：{choices}", field="reason")
    if not note.strip():
        raise DomainError("invalid_input", detail="请写明结案说明（去向、数量、损失等）", field="note")
    refresh([case], now)
    if case.is_open:
        _close(case, reason, note.strip()[:500], now, actor)
    return case


def overdue_q(now: dt.datetime) -> Q:
    return Q(status=CaseStatus.OPEN, deadline__lt=now)


def refresh_after_payment(order: Any) -> None:
    """The market's payment hook: refresh the open cases of the sellers the order bought from."""
    villages, producers = set(), set()
    for line in order.lines.select_related("item__presale_list", "item__seller_household"):
        item = line.item
        villages.add(item.presale_list.region_id)
        if item.seller_household_id:
            villages.add(item.seller_household.village_id)
        if item.seller_producer_id:
            producers.add(item.seller_producer_id)
    refresh_sellers(villages, producers)


def possible_handlers(case: Case) -> list[User]:
    """Office staff who may be named for the case: of the office it is routed to and the offices above it."""
    over = [case.office.code[:d] + "0" * (12 - d) for d in (2, 4, 6, 9) if len(case.office.prefix) >= d]
    rows = User.objects.filter(is_active=True, role=Role.OFFICE, organisation__region_id__in=over)
    return list(rows.select_related("organisation__region").order_by("organisation__region_id", "username"))


def named_handler(case: Case, pk: Any) -> User:
    """The person a form or a request names as handler, among those who may be named."""
    for person in possible_handlers(case):
        if str(person.pk) == str(pk).strip():
            return person
    raise DomainError("invalid_input", detail=f"责任人（编号 {pk}）不能办理本案件", field="handler")
