"""What a paid order writes to the ledger: one purchase per seller of the accepted lines, with the rule that
attributes a producer's sale to its households on the day of payment."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal

from yigou.ledger.attribution import LinkageBook
from yigou.ledger.enums import Attribution, BuyerKind, Channel, Source
from yigou.ledger.services import LineInput, PurchaseInput
from yigou.registry.enums import ProducerKind

from .enums import Inspection
from .models import Order, OrderLine


def accepted_total(order: Order) -> Decimal:
    return sum(
        (line.amount for line in order.lines.all() if line.inspection == Inspection.ACCEPTED), Decimal("0.00")
    )


def seller_groups(order: Order) -> dict[str, list[OrderLine]]:
    groups: dict[str, list[OrderLine]] = defaultdict(list)
    for line in order.lines.select_related(
        "item", "item__product", "item__seller_household", "item__seller_producer"
    ):
        if line.inspection != Inspection.ACCEPTED:
            continue
        item = line.item
        key = f"h{item.seller_household_id}" if item.seller_household_id else f"p{item.seller_producer_id}"
        groups[key].append(line)
    return groups


def _attribution(lines: list[OrderLine], paid_on: dt.date) -> str:
    """A cooperative with household members holding shares that day splits by shares; otherwise equally among
    the households linked that day (a household's own producer needs no rule: the household itself earns)."""
    producer = lines[0].item.seller_producer
    if producer is None or producer.household_id:
        return ""
    if producer.kind == ProducerKind.COOPERATIVE and LinkageBook([producer.pk]).shares(producer.pk, paid_on):
        return Attribution.COOP_SHARES
    return Attribution.EQUAL_LINKED


def purchase_input(order: Order, key: str, lines: list[OrderLine], paid_on: dt.date) -> PurchaseInput:
    item = lines[0].item
    return PurchaseInput(
        date=paid_on,
        buyer_kind=order.buyer_kind,
        channel=Channel.PLATFORM,
        lines=[
            LineInput(
                product=line.item.name,
                category=line.item.get_category_display(),
                quantity=line.quantity,
                unit=line.item.unit,
                unit_price=line.unit_price,
                amount=line.amount,
                catalog_product=line.item.product,
            )
            for line in lines
        ],
        seller_household=item.seller_household,
        seller_producer=item.seller_producer,
        buyer_unit=order.buyer_unit,
        buyer_cadre=order.buyer_cadre,
        buyer_name=order.buyer_name if order.buyer_kind == BuyerKind.INDIVIDUAL else "",
        attribution=_attribution(lines, paid_on),
        external_id=f"order-{order.pk}-{key}",
        note=f"平台订单 {order.pk}",
        source=Source.ORDER,
        order=order,
    )
