"""Counting orders and ledger purchases against a contract or a pre-order (计入合同/预购).

An order counts from the day it is placed (its lines are matched, priced and checked against the agreed
quantity), but is delivered only once paid; a purchase recorded directly in the ledger counts as delivered at
once. A line counts for one agreement only. Purchases that belong to an order are drawn through the order.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from yigou.accounts.scope import ensure_can, ensure_visible
from yigou.assist.models import Cadre
from yigou.core import audit
from yigou.core.errors import DomainError
from yigou.ledger.models import Purchase, PurchaseLine
from yigou.market.enums import Inspection
from yigou.market.models import Order, OrderLine
from yigou.registry.models import Household, Producer

from .figures import DEAD_ORDER, DRAW_RELATED, DROPPED, agreed_price, states
from .models import Contract, ContractDraw, ContractItem, PreOrderDraw
from .models.draws import DrawBase
from .numbers import NO_MONEY, ZERO, plain
from .parties import is_buyer, is_seller


@dataclass
class SourceLine:
    """One order line or one purchase line, seen the same way by the matching and the checks."""

    order_line: OrderLine | None
    purchase_line: PurchaseLine | None
    name: str
    unit: str
    product_id: int | None
    quantity: Decimal
    unit_price: Decimal
    amount: Decimal
    household: Household | None
    producer: Producer | None


@dataclass
class Source:
    label: str
    day: dt.date
    unit_id: int | None
    cadre: Cadre | None
    lines: list[SourceLine]


def order_source(order: Order) -> Source:
    if order.status in DEAD_ORDER:
        raise DomainError("invalid_input", detail=f"订单{order.pk}已{order.get_status_display()}，不能计入")
    lines = [
        SourceLine(
            line,
            None,
            line.item.name,
            line.item.unit,
            line.item.product_id,
            line.quantity,
            line.unit_price,
            line.amount,
            line.item.seller_household,
            line.item.seller_producer,
        )
        for line in order.lines.select_related("item__seller_household", "item__seller_producer")
        if line.inspection != Inspection.REJECTED
    ]
    day = timezone.localdate(order.created_at)
    return Source(f"订单{order.pk}", day, order.buyer_unit_id, order.buyer_cadre, lines)


def purchase_source(purchase: Purchase) -> Source:
    if purchase.reverses_id is not None or Purchase.objects.filter(reverses=purchase).exists():
        raise DomainError("invalid_input", detail="已冲销的购买记录或冲销记录不能计入")
    if purchase.order_id is not None:
        raise DomainError("invalid_input", detail=f"该购买记录来自平台订单{purchase.order_id}，请按订单计入")
    lines = [
        SourceLine(
            None,
            line,
            line.product,
            line.unit,
            line.catalog_product_id,
            line.quantity,
            line.unit_price,
            line.amount,
            purchase.seller_household,
            purchase.seller_producer,
        )
        for line in purchase.lines.all()
    ]
    return Source(
        f"购买记录{purchase.pk}", purchase.date, purchase.buyer_unit_id, purchase.buyer_cadre, lines
    )


def check_not_drawn(line: SourceLine) -> None:
    """One line counts for one agreement: look in both books."""
    lookup = {"order_line": line.order_line} if line.order_line else {"purchase_line": line.purchase_line}
    found = ContractDraw.objects.filter(**lookup).select_related("item__contract").first()
    if found is not None:
        raise DomainError("contract_line_drawn", name=line.name, where=found.item.contract.title)
    earlier = PreOrderDraw.objects.filter(**lookup).select_related("preorder").first()
    if earlier is not None:
        raise DomainError("contract_line_drawn", name=line.name, where=f"预购{earlier.preorder.number}")


def check_price(name: str, price: Decimal, agreed: Decimal | None, tolerance: Decimal, day: dt.date) -> None:
    if agreed is None:
        raise DomainError("invalid_input", detail=f"“{name}”在 {day} 及以前没有市场参考价，无法按约定定价")
    if abs(price - agreed) * 100 > agreed * tolerance:
        raise DomainError(
            "contract_price_off", name=name, price=price, agreed=agreed, tolerance=plain(tolerance)
        )


def committed(draws: list[DrawBase]) -> Decimal:
    """What live draws already take: delivered plus still under way."""
    return sum((s.draw.quantity for s in states(draws) if s.state != DROPPED), ZERO)


def draw_fields(actor: Any, line: SourceLine) -> dict[str, Any]:
    return {
        "order_line": line.order_line,
        "purchase_line": line.purchase_line,
        "quantity": line.quantity,
        "unit_price": line.unit_price,
        "amount": line.amount,
        "drawn_by": actor if getattr(actor, "is_authenticated", False) else None,
    }


def _match(items: list[ContractItem], line: SourceLine) -> ContractItem | None:
    """By certified product first, then by the same name and unit."""
    if line.product_id is not None:
        for item in items:
            if item.product_id == line.product_id:
                return item
    for item in items:
        if item.name == line.name.strip() and item.unit == line.unit.strip():
            return item
    return None


def _check_contract(contract: Contract, source: Source) -> None:
    if contract.status != "active":
        raise DomainError("contract_not_active", title=contract.title, current=contract.get_status_display())
    if not contract.period_start <= source.day <= contract.period_end:
        raise DomainError(
            "invalid_input",
            detail=f"{source.label}的日期 {source.day} 不在合同履行期"
            f" {contract.period_start} 至 {contract.period_end} 内",
        )
    if not is_buyer(contract, source.unit_id, source.cadre):
        raise DomainError(
            "contract_party_mismatch", who=f"{source.label}的购买方", title=contract.title, side="购买方"
        )


def _check_line(
    contract: Contract, item: ContractItem, line: SourceLine, day: dt.date, taken: Decimal
) -> None:
    if not is_seller(contract, line.household, line.producer):
        seller = line.household or line.producer
        raise DomainError(
            "contract_party_mismatch", who=f"销售方“{seller}”", title=contract.title, side="销售方"
        )
    check_not_drawn(line)
    check_price(line.name, line.unit_price, agreed_price(item, day), contract.price_tolerance, day)
    total = taken + line.quantity
    if total > item.quantity and not contract.allow_over:
        raise DomainError(
            "contract_over_quantity",
            name=item.name,
            total=plain(total),
            unit=item.unit,
            agreed=plain(item.quantity),
        )


def _draw_contract(actor: Any, contract: Contract, source: Source) -> list[ContractDraw]:
    _check_contract(contract, source)
    items = list(contract.items.select_related("reference"))
    matched = [(line, item) for line in source.lines if (item := _match(items, line)) is not None]
    if not matched:
        raise DomainError(
            "invalid_input",
            detail=f"{source.label}中没有与合同约定品种相符的明细（按认定产品或品名+单位匹配）",
        )
    taken: dict[int, Decimal] = {}
    created = []
    for line, item in matched:
        if item.pk not in taken:
            taken[item.pk] = committed(list(item.draws.select_related(*DRAW_RELATED)))
        _check_line(contract, item, line, source.day, taken[item.pk])
        taken[item.pk] += line.quantity
        created.append(ContractDraw.objects.create(item=item, **draw_fields(actor, line)))
    skipped = len(source.lines) - len(matched)
    audit.record(
        actor=actor,
        action="contract_draw",
        target=contract,
        note=source.label,
        changes={
            "lines": len(created),
            "skipped": skipped,
            "amount": str(sum((d.amount for d in created), NO_MONEY)),
        },
    )
    return created


def _locked(actor: Any, contract: Contract) -> Contract:
    ensure_can(actor, "contracts.draw")
    ensure_visible(actor, contract)
    return Contract.objects.select_for_update().get(pk=contract.pk)


def fresh_source(record: Order | Purchase) -> Source:
    """The order's or the purchase's lines as they stand in the database now."""
    if isinstance(record, Order):
        return order_source(Order.objects.select_related("buyer_cadre").get(pk=record.pk))
    related = ("buyer_cadre", "seller_household", "seller_producer")
    return purchase_source(Purchase.objects.select_related(*related).get(pk=record.pk))


@transaction.atomic
def contract_draw(*, actor: Any, record: Order | Purchase, contract: Contract) -> list[ContractDraw]:
    """Count an order's (or a purchase recorded directly in the ledger) matching lines against the contract;
    lines of other products are left out."""
    locked = _locked(actor, contract)
    ensure_visible(actor, record)
    return _draw_contract(actor, locked, fresh_source(record))


def contract_draw_order(*, actor: Any, order: Order, contract: Contract) -> list[ContractDraw]:
    return contract_draw(actor=actor, record=order, contract=contract)


def contract_draw_purchase(*, actor: Any, purchase: Purchase, contract: Contract) -> list[ContractDraw]:
    return contract_draw(actor=actor, record=purchase, contract=contract)
