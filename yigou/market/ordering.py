"""Orders on pre-sale lists: placing (stock reserved atomically), the lifecycle, and the ledger entry on payment.

Stock: `PreSaleItem.reserved` holds what live orders take. An order's reservation is one conditional UPDATE
of all its lines (`reserved + q <= quantity` for each), so no interleaving can oversell on any database; on
PostgreSQL the item rows are also locked in id order first so that concurrent multi-line orders wait instead of
deadlocking, and a shortage is told from the locked rows before anything is written. The database's check
constraint is the last guard.

Ledger: when the buyer marks an order paid, each seller's accepted lines become one purchase with the
external id ``order-<order>-<seller>``, so a payment is written exactly once; an approved refund reverses them.
"""

from __future__ import annotations

import datetime as dt
import functools
import threading
from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from types import SimpleNamespace
from typing import Any, ParamSpec, TypeVar

from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone

from yigou.accounts.models import Organisation, User
from yigou.accounts.scope import ensure_can, ensure_visible, scope_for
from yigou.accounts.services import system_actor
from yigou.assist.models import AssistingUnit, Cadre
from yigou.core import audit
from yigou.core.errors import DomainError, PermissionDeniedError
from yigou.core.rows import insert_together
from yigou.ledger.buyers import check_buyer
from yigou.ledger.enums import BuyerKind
from yigou.ledger.models import Purchase
from yigou.ledger.services import purchase_record, purchase_reverse

from . import hooks, order_ledger, order_rows, selectors
from .enums import AfterSaleKind, AfterSaleStatus, Inspection, OrderStatus
from .models import AfterSale, Order, OrderEvent, OrderLine, PreSaleItem, PreSaleList
from .order_steps import BUYER, check_step

CENT, MILLI = Decimal("0.01"), Decimal("0.001")
P = ParamSpec("P")
R = TypeVar("R")
_SQLITE_STOCK = threading.RLock()
LIVE = {OrderStatus.PLACED, OrderStatus.CONFIRMED, OrderStatus.SHIPPED, OrderStatus.RECEIVED}


def serialised_on_sqlite(func: Callable[P, R]) -> Callable[P, R]:
    """SQLite has no row locks: stock changes of one process take turns (across processes IMMEDIATE transactions
    queue on the database lock). PostgreSQL needs no such turn-taking: its row locks and the conditional UPDATE
    suffice."""

    @functools.wraps(func)
    def wrapped(*args: P.args, **kwargs: P.kwargs) -> R:
        if connection.vendor != "sqlite":
            return func(*args, **kwargs)
        with _SQLITE_STOCK:
            return func(*args, **kwargs)

    return wrapped


@dataclass(frozen=True)
class Buyer:
    kind: str
    unit: AssistingUnit | None = None
    cadre: Cadre | None = None
    name: str = ""


def buyer_for(
    actor: Any, kind: str = "", cadre: Cadre | None = None, unit: AssistingUnit | None = None
) -> Buyer:
    """Who is buying: a unit's staff buy for the unit, its canteen or one of its cadres; a person for themself."""
    _read_organisation(actor)
    ensure_can(actor, "market.buy")
    scope = scope_for(actor)
    if scope.kind == "person":
        return Buyer(BuyerKind.INDIVIDUAL, name=actor.display_name or actor.username)
    if scope.kind == "unit":
        unit = _own_unit(actor, int(scope.unit_id or 0))
    elif not scope.everything or unit is None:
        raise PermissionDeniedError()
    kind = kind or BuyerKind.UNIT
    if kind == BuyerKind.CADRE:
        if cadre is None or cadre.unit_id != unit.pk:
            raise DomainError("buyer_invalid", detail="干部购买须选择本单位的帮扶干部")
        return Buyer(kind, cadre=cadre, name=cadre.name)
    if kind not in (BuyerKind.UNIT, BuyerKind.CANTEEN, BuyerKind.ENTERPRISE, BuyerKind.SOCIAL_ORG):
        raise DomainError("buyer_invalid", detail=f"购买方类型“{kind}”不适用于单位下单")
    return Buyer(kind, unit=unit, name=unit.name)


def _read_organisation(actor: Any) -> None:
    """The user's organisation and its unit in one query: scope_for (called several times by the checks) and the
    buyer below then find both cached on the user instead of reading the organisation, then the unit."""
    if not isinstance(actor, User) or not actor.organisation_id:
        return
    if User._meta.get_field("organisation").is_cached(actor):
        return
    actor.organisation = Organisation.objects.select_related("unit").get(pk=actor.organisation_id)


def _own_unit(actor: Any, unit_id: int) -> AssistingUnit:
    org = actor.organisation
    if org is not None and org.unit_id == unit_id and org.unit is not None:
        return org.unit
    return AssistingUnit.objects.get(pk=unit_id)


def _quantity(value: Any, n: int) -> Decimal:
    try:
        q = Decimal(str(value))
    except (InvalidOperation, TypeError):
        raise DomainError("invalid_input", detail=f"第{n}项数量“{value}”不是有效数字") from None
    if not q.is_finite() or q <= 0 or q != q.quantize(MILLI):
        raise DomainError("invalid_input", detail=f"第{n}项数量必须大于0，最多三位小数")
    return q


def _lock_items(ids: list[int]) -> dict[int, PreSaleItem]:
    """The items with their products and their list (read afresh here, so a list withdrawn a moment ago is seen),
    locked in id order on PostgreSQL: one query for all of it."""
    return order_rows.locked_items(ids)


def _short(item: PreSaleItem, quantity: Decimal) -> DomainError:
    return DomainError(
        "out_of_stock",
        name=item.name,
        available=_plain(item.available),
        unit=item.unit,
        wanted=_plain(quantity),
    )


def _reserve(items: Mapping[int, PreSaleItem], wanted: Mapping[int, Decimal], order: Order) -> None:
    """Every line's stock in one conditional UPDATE (`reserved + q <= quantity` for each row), and the order
    written when it took them all.

    The rows were read locked (PostgreSQL) or while every stock change takes its turn (SQLite), so what was read
    is what they hold: the caller told any shortage from it before, and the answer can show the new `reserved`
    without reading again. The UPDATE's own condition stays the guard that no interleaving oversells.
    """
    if not order_rows.reserve_and_insert(wanted, order):
        # The database saw less than was read: refuse with what it holds now (the transaction rolls back the
        # lines it did take).
        fresh = PreSaleItem.objects.in_bulk(list(wanted))
        short = next(pk for pk in sorted(wanted) if fresh[pk].available < wanted[pk])
        raise _short(fresh[short], wanted[short])
    for pk, quantity in wanted.items():
        items[pk].reserved = Decimal(items[pk].reserved) + quantity


def _release(item_id: int, quantity: Decimal) -> None:
    PreSaleItem.objects.filter(pk=item_id).update(reserved=F("reserved") - quantity)


def _plain(number: Decimal) -> str:
    text = f"{number:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def _event_rows(order: Order, action: str, before: str, actor: Any, note: str = "") -> tuple[OrderEvent, Any]:
    """The order's event and its audit entry, not yet written."""
    event = OrderEvent(
        order=order,
        action=action,
        from_status=before,
        to_status=order.status,
        note=note[:500],
        actor=actor if getattr(actor, "is_authenticated", False) else None,
    )
    entry = audit.unsaved_entry(
        actor=actor,
        action=f"order_{action}",
        target=order,
        note=note[:300],
        changes={"status": [before, order.status]},
    )
    return event, entry


def _event(order: Order, action: str, before: str, actor: Any, note: str = "") -> OrderEvent:
    event, entry = _event_rows(order, action, before, actor, note)
    insert_together([event], [entry])
    return event


def _item_ids(lines: Sequence[tuple[int, Any]]) -> list[int]:
    """The ids that are numbers, to read and lock before _merge words any bad line (the list is checked first)."""
    ids: set[int] = set()
    for item_id, _ in lines:
        try:
            ids.add(int(item_id))
        except (TypeError, ValueError):
            continue
    return sorted(ids)


def _current_list(presale_list: PreSaleList, items: Mapping[int, PreSaleItem]) -> PreSaleList:
    """The list as it is now: read with its items when any belongs to it, on its own otherwise (then the order is
    refused anyway, with the list's own error first)."""
    for item in items.values():
        if item.presale_list_id == presale_list.pk:
            return item.presale_list
    return PreSaleList.objects.select_related("region").get(pk=presale_list.pk)


def _named_list(actor: Any, pk: int, items: Mapping[int, PreSaleItem], today: dt.date) -> PreSaleList:
    """The list an order form or API body names by id, read with the locked items (no query of its own when any
    item is on it); one the user may not see is refused on the field like any other named record."""
    owner = next((item.presale_list for item in items.values() if item.presale_list_id == pk), None)
    if owner is None:
        owner = PreSaleList.objects.select_related("region").filter(pk=pk).first()
    if owner is None or not selectors.may_name_list(actor, owner, today):
        raise DomainError(
            "invalid_input", detail=f"预售清单（编号 {pk}）不存在或无权访问", field="presale_list"
        )
    return owner


def _remember(order: Order, name: str, rows: Sequence[Any]) -> None:
    """Keep what was just written as if prefetched, so the caller's answer reads no row again."""
    related = getattr(order, name).all()
    related._result_cache = list(rows)
    related._prefetch_done = True
    order.__dict__.setdefault("_prefetched_objects_cache", {})[name] = related


def _merge(lines: Sequence[tuple[int, Any]]) -> dict[int, Decimal]:
    wanted: dict[int, Decimal] = defaultdict(Decimal)
    for n, (item_id, quantity) in enumerate(lines, start=1):
        try:
            key = int(item_id)
        except (TypeError, ValueError):
            raise DomainError("invalid_input", detail=f"第{n}项品种编号“{item_id}”无效") from None
        wanted[key] += _quantity(quantity, n)
    return dict(wanted)


@serialised_on_sqlite
@transaction.atomic
def order_place(
    *,
    actor: Any,
    presale_list: PreSaleList | int,
    lines: Sequence[tuple[int, Any]],
    buyer_kind: str = "",
    cadre: Cadre | None = None,
    unit: AssistingUnit | None = None,
    delivery_address: str = "",
    note: str = "",
    today: dt.date | None = None,
) -> Order:
    """Reserve every line or none: any shortage raises 库存不足 and the whole order is rolled back.

    `presale_list` is the list a page showed, or the id an API body names: then a list the user may not see is
    refused on that field before anything else (it is read with the items, not on its own). `lines` are (item
    id, quantity). Unit staff name the buyer kind (unit, canteen, cadre + cadre); an administrator ordering on a
    unit's behalf also names the unit.
    """
    today = today or dt.date.today()
    items = _lock_items(_item_ids(lines))
    if isinstance(presale_list, int):
        owner = _named_list(actor, presale_list, items, today)
    else:
        owner = _current_list(presale_list, items)
    buyer = buyer_for(actor, buyer_kind, cadre, unit)
    check_buyer(SimpleNamespace(buyer_kind=buyer.kind, buyer_unit=buyer.unit, buyer_cadre=buyer.cadre))
    if owner.withdrawn:
        raise DomainError("invalid_input", detail=f"预售清单“{owner.title}”已撤回，不能下单")
    if not owner.is_open_on(today):
        raise DomainError("presale_closed", title=owner.title, opens=owner.opens_on, closes=owner.closes_on)
    if not lines:
        raise DomainError("invalid_input", detail="订单至少需要一个品种")
    wanted = _merge(lines)
    if set(items) != set(wanted) or any(item.presale_list_id != owner.pk for item in items.values()):
        raise DomainError("invalid_input", detail="订购的品种不在该预售清单中")
    for item_id in sorted(wanted):  # the first line refused, in item order, is the one told
        item = items[item_id]
        if item.product is not None and not item.product.certified_on(today):
            raise DomainError("product_not_certified", name=item.product.name, action="下单")
        if item.available < wanted[item_id]:
            raise _short(item, wanted[item_id])
    rows, total = [], Decimal("0.00")
    for item_id in sorted(wanted):
        item, quantity = items[item_id], wanted[item_id]
        amount = (quantity * item.unit_price).quantize(CENT)
        rows.append(OrderLine(item=item, quantity=quantity, unit_price=item.unit_price, amount=amount))
        total += amount
    order = Order(
        presale_list=owner,
        region=owner.region,
        county_code=owner.county_code,
        producer_id=owner.producer_id,
        buyer_kind=buyer.kind,
        buyer_unit=buyer.unit,
        buyer_cadre=buyer.cadre,
        buyer_user=actor,
        buyer_name=buyer.name[:200],
        total=total,
        delivery_address=delivery_address.strip()[:300],
        note=note.strip()[:500],
    )
    # Every line's stock and the order with its total in one statement, then its lines, event and audit entry
    # in another: an order costs the database two writes, however many lines it has.
    _reserve(items, wanted, order)
    for row in rows:
        row.order = order
    event, entry = _event_rows(order, "place", "", actor, note=f"{len(wanted)}个品种，共 {total} 元")
    insert_together(rows, [event], [entry])
    _remember(order, "lines", rows)
    _remember(order, "events", [event])
    _remember(order, "after_sales", [])
    return order


def _locked(order: Order, actor: Any) -> Order:
    ensure_visible(actor, order)
    return Order.objects.select_for_update().get(pk=order.pk)


def _transition(actor: Any, order: Order, step: str, target: str, note: str = "") -> Order:
    locked = _locked(order, actor)
    check_step(actor, locked, step)
    before, locked.status = locked.status, target
    locked.save(update_fields=["status", "updated_at"])
    _event(locked, step, before, actor, note)
    return locked


@transaction.atomic
def order_confirm(*, actor: Any, order: Order, note: str = "") -> Order:
    return _transition(actor, order, "confirm", OrderStatus.CONFIRMED, note)


@transaction.atomic
def order_ship(*, actor: Any, order: Order, note: str = "") -> Order:
    return _transition(actor, order, "ship", OrderStatus.SHIPPED, note)


@serialised_on_sqlite
@transaction.atomic
def order_cancel(*, actor: Any, order: Order, reason: str) -> Order:
    """Before shipping: the buyer any time, the seller with a reason. Afterwards only after-sales apply."""
    locked = _locked(order, actor)
    buyer = BUYER in check_step(actor, locked, "cancel")
    if not reason.strip():
        raise DomainError("invalid_input", detail="取消订单须填写原因")
    for line in locked.lines.all():
        _release(line.item_id, line.quantity)
    before, locked.status, locked.cancel_reason = locked.status, OrderStatus.CANCELLED, reason.strip()[:300]
    locked.save(update_fields=["status", "cancel_reason", "updated_at"])
    _event(locked, "cancel", before, actor, ("买方" if buyer else "卖方") + "取消：" + reason.strip())
    return locked


@serialised_on_sqlite
@transaction.atomic
def order_receive(
    *, actor: Any, order: Order, rejected: Mapping[int, str] | None = None, note: str = ""
) -> Order:
    """Inspect on receipt: every line is accepted unless listed in `rejected` (line id → reason).

    Rejected lines give their stock back; an order with nothing accepted ends as 验收全部拒收.
    """
    locked = _locked(order, actor)
    check_step(actor, locked, "receive")
    rejected = dict(rejected or {})
    lines = list(locked.lines.all())
    unknown = set(rejected) - {line.pk for line in lines}
    if unknown:
        raise DomainError("invalid_input", detail="拒收的明细不属于该订单")
    for line in lines:
        if line.pk in rejected:
            if not str(rejected[line.pk]).strip():
                raise DomainError("invalid_input", detail=f"拒收“{line.item.name}”须填写原因")
            line.inspection, line.reject_reason = Inspection.REJECTED, str(rejected[line.pk]).strip()[:300]
            _release(line.item_id, line.quantity)
        else:
            line.inspection = Inspection.ACCEPTED
        line.save(update_fields=["inspection", "reject_reason"])
    accepted = [line for line in lines if line.inspection == Inspection.ACCEPTED]
    before = locked.status
    locked.status = OrderStatus.RECEIVED if accepted else OrderStatus.REJECTED
    locked.save(update_fields=["status", "updated_at"])
    summary = f"验收合格 {len(accepted)} 项，拒收 {len(lines) - len(accepted)} 项"
    _event(locked, "receive", before, actor, f"{summary}。{note}".rstrip("。") if note else summary)
    return locked


@transaction.atomic
def order_pay(
    *,
    actor: Any,
    order: Order,
    paid_on: dt.date | None = None,
    payment_ref: str = "",
    today: dt.date | None = None,
) -> Order:
    """The buyer records payment (the platform moves no money); the accepted lines enter the ledger once."""
    today = today or dt.date.today()
    paid_on = paid_on or today
    locked = _locked(order, actor)
    check_step(actor, locked, "pay")
    if paid_on > today:
        raise DomainError("invalid_input", detail=f"付款日期 {paid_on} 晚于今天")
    placed_on = locked.created_at.astimezone().date()  # the server's calendar, as `today` and the ledger use
    if paid_on < placed_on:
        raise DomainError("invalid_input", detail=f"付款日期 {paid_on} 早于下单日期 {placed_on}")
    ledger_actor = system_actor()  # the order's own checks stand for the ledger's recorder checks
    for key, lines in sorted(order_ledger.seller_groups(locked).items()):
        purchase_record(actor=ledger_actor, data=order_ledger.purchase_input(locked, key, lines, paid_on))
    before = locked.status
    locked.status, locked.paid_on, locked.payment_ref = OrderStatus.PAID, paid_on, payment_ref.strip()[:100]
    locked.save(update_fields=["status", "paid_on", "payment_ref", "updated_at"])
    _event(locked, "pay", before, actor, f"付款 {order_ledger.accepted_total(locked)} 元，日期 {paid_on}")
    for hook in list(hooks.PAID_HOOKS):
        hook(locked)
    return locked


@transaction.atomic
def order_rate(*, actor: Any, order: Order, rating: int, comment: str = "") -> Order:
    locked = _locked(order, actor)
    check_step(actor, locked, "rate")
    if isinstance(rating, bool) or not isinstance(rating, int) or not 1 <= rating <= 5:
        raise DomainError("invalid_input", detail="评分须为1到5的整数")
    before = locked.status
    locked.status, locked.rating, locked.rating_comment = OrderStatus.RATED, rating, comment.strip()[:500]
    locked.save(update_fields=["status", "rating", "rating_comment", "updated_at"])
    _event(locked, "rate", before, actor, f"{rating}星 {comment.strip()}".strip())
    return locked


@transaction.atomic
def aftersale_request(*, actor: Any, order: Order, kind: str, reason: str) -> AfterSale:
    locked = _locked(order, actor)
    check_step(actor, locked, "aftersale")
    if kind not in AfterSaleKind.values:
        raise DomainError("invalid_input", detail=f"售后类型“{kind}”不在可选范围内")
    if not reason.strip():
        raise DomainError("invalid_input", detail="申请售后须填写原因")
    if locked.after_sales.filter(status=AfterSaleStatus.REQUESTED).exists():
        raise DomainError("invalid_input", detail="该订单已有待处理的售后申请")
    request = AfterSale.objects.create(
        order=locked, kind=kind, reason=reason.strip()[:500], requested_by=actor
    )
    _event(locked, "aftersale", locked.status, actor, f"申请{AfterSaleKind(kind).label}：{reason.strip()}")
    return request


@transaction.atomic
def aftersale_resolve(*, actor: Any, request: AfterSale, approve: bool, resolution: str) -> AfterSale:
    """The seller approves (the order's purchases are reversed in the ledger) or declines with a reason."""
    locked = _locked(request.order, actor)
    check_step(actor, locked, "resolve")
    current = AfterSale.objects.select_for_update().get(pk=request.pk)
    if current.status != AfterSaleStatus.REQUESTED:
        raise DomainError("invalid_input", detail="该售后申请已处理")
    if not resolution.strip():
        raise DomainError("invalid_input", detail="处理售后须填写意见")
    current.status = AfterSaleStatus.APPROVED if approve else AfterSaleStatus.DECLINED
    current.resolved_by, current.resolved_at, current.resolution = (
        actor,
        timezone.now(),
        resolution.strip()[:500],
    )
    current.save()
    before = locked.status
    if approve:
        _reverse_purchases(locked, f"订单{locked.pk}退款：{resolution.strip()}")
        locked.status = OrderStatus.REFUNDED
        locked.save(update_fields=["status", "updated_at"])
    _event(locked, "refund" if approve else "aftersale_decline", before, actor, resolution.strip())
    return current


def _reverse_purchases(order: Order, reason: str) -> None:
    ledger_actor = system_actor()
    for purchase in Purchase.objects.filter(order=order, reverses__isnull=True, reversal__isnull=True):
        purchase_reverse(actor=ledger_actor, purchase=purchase, reason=reason[:300])
