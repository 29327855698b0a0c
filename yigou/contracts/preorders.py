"""Pre-orders against production (以产预购): signing, the deposit, deliveries counted against them, settlement.

Settlement: a paid deposit is deducted from the deliveries made on or after the day it was paid, in date order,
until it is used up; what is left is deducted from what remains to be delivered, and whatever the remaining
deliveries cannot absorb — or all of it once the pre-order is closed or cancelled — is owed back to the buyer.
The ledger records each delivery at its full amount (the household earned it); the deposit is a prepayment and
never a ledger entry of its own.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import transaction

from yigou.accounts.scope import ensure_can, ensure_visible, scope_for
from yigou.assist.models import AssistingUnit, Cadre
from yigou.core import audit
from yigou.core.errors import DomainError, PermissionDeniedError
from yigou.ledger.models import Purchase
from yigou.market.enums import ProductCategory
from yigou.market.models import Order, Product
from yigou.registry.models import Household, Producer

from .draws import (
    Source,
    SourceLine,
    check_not_drawn,
    check_price,
    committed,
    draw_fields,
    fresh_source,
)
from .enums import PreOrderStatus
from .figures import DRAW_RELATED
from .models import PreOrder, PreOrderDraw
from .numbers import CENT, NO_MONEY, ZERO, money, percent, plain, quantity


@dataclass
class PreOrderInput:
    number: str
    name: str
    category: str
    unit: str
    quantity: Any
    price: Any
    signed_on: dt.date
    harvest_start: dt.date
    harvest_end: dt.date
    deposit: Any = Decimal("0")
    deposit_paid_on: dt.date | None = None
    price_tolerance: Any = Decimal("5")
    allow_over: bool = False
    product: Product | None = None
    note: str = ""


@dataclass
class PreOrderParties:
    buyer_unit: AssistingUnit | None = None
    buyer_cadre: Cadre | None = None
    seller_household: Household | None = None
    seller_producer: Producer | None = None


def _check_parties(actor: Any, parties: PreOrderParties) -> str:
    """Exactly one buyer and one seller, both within reach; returns the seller's region code."""
    if (parties.buyer_unit is None) == (parties.buyer_cadre is None):
        raise DomainError("invalid_input", detail="购买方须为一个帮扶单位或一名帮扶干部（二选一）")
    if (parties.seller_household is None) == (parties.seller_producer is None):
        raise DomainError("invalid_input", detail="销售方须为一户农户或一个经营主体（二选一）")
    buyer = parties.buyer_unit or parties.buyer_cadre
    seller = parties.seller_household or parties.seller_producer
    ensure_visible(actor, buyer)  # type: ignore[arg-type]
    ensure_visible(actor, seller)  # type: ignore[arg-type]
    region = str(seller.village_id if isinstance(seller, Household) else seller.region_id)  # type: ignore[union-attr]
    scope = scope_for(actor)
    if scope.kind == "region" and not region.startswith(scope.region_prefix):
        raise PermissionDeniedError("out_of_scope")
    if scope.kind == "unit":
        own = parties.buyer_unit.pk if parties.buyer_unit else parties.buyer_cadre.unit_id  # type: ignore[union-attr]
        if own != scope.unit_id:
            raise PermissionDeniedError("out_of_scope")
    elif scope.kind not in ("region", "all"):
        raise PermissionDeniedError()
    return str(region)


def _check_input(data: PreOrderInput, today: dt.date) -> dict[str, Any]:
    if not data.number.strip() or not data.name.strip() or not data.unit.strip():
        raise DomainError("invalid_input", detail="预购编号、品名和单位都必须填写")
    if PreOrder.objects.filter(number=data.number.strip()).exists():
        raise DomainError("invalid_input", detail=f"预购编号“{data.number.strip()}”已存在")
    if data.category not in ProductCategory.values:
        raise DomainError("invalid_input", detail=f"品类“{data.category}”不在可选范围内")
    if data.harvest_end < data.harvest_start:
        raise DomainError(
            "invalid_input", detail=f"采收结束 {data.harvest_end} 早于采收开始 {data.harvest_start}"
        )
    if data.signed_on > data.harvest_end:
        raise DomainError(
            "invalid_input", detail=f"签订日期 {data.signed_on} 晚于采收结束 {data.harvest_end}"
        )
    agreed, price = quantity(data.quantity, "预购数量"), money(data.price, "约定单价")
    deposit = money(data.deposit or 0, "定金", allow_zero=True)
    if deposit > (agreed * price).quantize(CENT):
        raise DomainError(
            "invalid_input", detail=f"定金 {deposit} 元超过预购总额 {(agreed * price).quantize(CENT)} 元"
        )
    if data.deposit_paid_on is not None:
        _check_deposit_day(data.deposit_paid_on, data.signed_on, deposit, today)
    return {
        "number": data.number.strip()[:40],
        "name": data.name.strip()[:100],
        "category": data.category,
        "unit": data.unit.strip()[:16],
        "quantity": agreed,
        "price": price,
        "deposit": deposit,
        "deposit_paid_on": data.deposit_paid_on,
        "signed_on": data.signed_on,
        "harvest_start": data.harvest_start,
        "harvest_end": data.harvest_end,
        "allow_over": bool(data.allow_over),
        "product": data.product,
        "price_tolerance": percent(data.price_tolerance, "价格允许偏差", low=ZERO, high=Decimal("100")),
        "note": data.note.strip()[:500],
    }


def _check_deposit_day(day: dt.date, signed_on: dt.date, deposit: Decimal, today: dt.date) -> None:
    if deposit <= 0:
        raise DomainError("invalid_input", detail="未约定定金，不能登记定金支付")
    if day < signed_on or day > today:
        raise DomainError("invalid_input", detail=f"定金支付日期 {day} 须在签订日期 {signed_on} 与今天之间")


@transaction.atomic
def preorder_create(
    *, actor: Any, data: PreOrderInput, parties: PreOrderParties, today: dt.date | None = None
) -> PreOrder:
    ensure_can(actor, "contracts.manage")
    region = _check_parties(actor, parties)
    fields = _check_input(data, today or dt.date.today())
    preorder = PreOrder.objects.create(
        **fields,
        buyer_unit=parties.buyer_unit,
        buyer_cadre=parties.buyer_cadre,
        region_id=region,
        seller_household=parties.seller_household,
        seller_producer=parties.seller_producer,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    audit.record(
        actor=actor,
        action="preorder_create",
        target=preorder,
        changes={
            "quantity": str(preorder.quantity),
            "price": str(preorder.price),
            "deposit": str(preorder.deposit),
        },
    )
    return preorder


def _locked(actor: Any, preorder: PreOrder, capability: str) -> PreOrder:
    ensure_can(actor, capability)
    ensure_visible(actor, preorder)
    return PreOrder.objects.select_for_update().get(pk=preorder.pk)


@transaction.atomic
def preorder_pay_deposit(
    *, actor: Any, preorder: PreOrder, paid_on: dt.date, today: dt.date | None = None
) -> PreOrder:
    locked = _locked(actor, preorder, "contracts.manage")
    if locked.deposit_paid_on is not None:
        raise DomainError("invalid_input", detail=f"定金已于 {locked.deposit_paid_on} 登记支付")
    _check_deposit_day(paid_on, locked.signed_on, locked.deposit, today or dt.date.today())
    locked.deposit_paid_on = paid_on
    locked.save(update_fields=["deposit_paid_on", "updated_at"])
    audit.record(
        actor=actor,
        action="preorder_deposit",
        target=locked,
        changes={"deposit_paid_on": [None, str(paid_on)], "deposit": str(locked.deposit)},
    )
    return locked


@transaction.atomic
def preorder_end(*, actor: Any, preorder: PreOrder, status: str, reason: str) -> PreOrder:
    """结清 (closed) or 取消 (cancelled): no more deliveries; any deposit left is then owed back."""
    locked = _locked(actor, preorder, "contracts.manage")
    if status not in (PreOrderStatus.CLOSED, PreOrderStatus.CANCELLED):
        raise DomainError("invalid_input", detail=f"状态“{status}”不在可选范围内")
    if locked.status != PreOrderStatus.OPEN:
        raise DomainError(
            "contract_transition_illegal",
            title=locked.number,
            current=locked.get_status_display(),
            action=PreOrderStatus(status).label,
        )
    if not reason.strip():
        raise DomainError("invalid_input", detail="须填写结清或取消的说明")
    before, locked.status, locked.end_reason = locked.status, status, reason.strip()[:300]
    locked.save(update_fields=["status", "end_reason", "updated_at"])
    audit.record(
        actor=actor,
        action=f"preorder_{status}",
        target=locked,
        note=reason.strip()[:300],
        changes={"status": [before, status]},
    )
    return locked


def _check_draw(preorder: PreOrder, source: Source) -> list[SourceLine]:
    if preorder.status != PreOrderStatus.OPEN:
        raise DomainError(
            "contract_not_active", title=f"预购{preorder.number}", current=preorder.get_status_display()
        )
    if source.day < preorder.signed_on:
        raise DomainError(
            "invalid_input", detail=f"{source.label}的日期 {source.day} 早于预购签订日期 {preorder.signed_on}"
        )
    same_buyer = (
        (source.cadre.pk == preorder.buyer_cadre_id)
        if source.cadre
        else (preorder.buyer_unit_id is not None and source.unit_id == preorder.buyer_unit_id)
    )
    if not same_buyer:
        raise DomainError(
            "contract_party_mismatch",
            who=f"{source.label}的购买方",
            title=f"预购{preorder.number}",
            side="购买方",
        )
    lines = [line for line in source.lines if _matches(preorder, line)]
    if not lines:
        raise DomainError(
            "invalid_input", detail=f"{source.label}中没有“{preorder.name}”（{preorder.unit}）的明细"
        )
    return lines


def _matches(preorder: PreOrder, line: SourceLine) -> bool:
    if preorder.product_id is not None and line.product_id == preorder.product_id:
        return True
    return line.name.strip() == preorder.name and line.unit.strip() == preorder.unit


def _check_seller(preorder: PreOrder, line: SourceLine, label: str) -> None:
    if preorder.seller_household_id is not None:
        ok = (line.household is not None and line.household.pk == preorder.seller_household_id) or (
            line.producer is not None and line.producer.household_id == preorder.seller_household_id
        )
    else:
        ok = line.producer is not None and line.producer.pk == preorder.seller_producer_id
    if not ok:
        raise DomainError(
            "contract_party_mismatch", who=f"{label}的销售方", title=f"预购{preorder.number}", side="销售方"
        )


def _draw(actor: Any, preorder: PreOrder, source: Source) -> list[PreOrderDraw]:
    lines = _check_draw(preorder, source)
    taken = committed(list(preorder.draws.select_related(*DRAW_RELATED)))
    created = []
    for line in lines:
        _check_seller(preorder, line, source.label)
        check_not_drawn(line)
        check_price(line.name, line.unit_price, preorder.price, preorder.price_tolerance, source.day)
        taken += line.quantity
        if taken > preorder.quantity and not preorder.allow_over:
            raise DomainError(
                "contract_over_quantity",
                name=preorder.name,
                total=plain(taken),
                unit=preorder.unit,
                agreed=plain(preorder.quantity),
            )
        created.append(PreOrderDraw.objects.create(preorder=preorder, **draw_fields(actor, line)))
    audit.record(
        actor=actor,
        action="preorder_draw",
        target=preorder,
        note=source.label,
        changes={"lines": len(created), "amount": str(sum((d.amount for d in created), NO_MONEY))},
    )
    return created


@transaction.atomic
def preorder_draw(*, actor: Any, record: Order | Purchase, preorder: PreOrder) -> list[PreOrderDraw]:
    """Count an order's or a direct purchase's matching lines as deliveries of the pre-order."""
    locked = _locked(actor, preorder, "contracts.draw")
    ensure_visible(actor, record)
    return _draw(actor, locked, fresh_source(record))


def preorder_draw_order(*, actor: Any, order: Order, preorder: PreOrder) -> list[PreOrderDraw]:
    return preorder_draw(actor=actor, record=order, preorder=preorder)


def preorder_draw_purchase(*, actor: Any, purchase: Purchase, preorder: PreOrder) -> list[PreOrderDraw]:
    return preorder_draw(actor=actor, record=purchase, preorder=preorder)
