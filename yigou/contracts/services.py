"""Signing purchase contracts and moving them through draft → active → closed (or terminated). All audited."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import transaction

from yigou.accounts.scope import ensure_can, ensure_visible
from yigou.core import audit
from yigou.core.errors import DomainError
from yigou.market.enums import ProductCategory
from yigou.market.models import Product, ReferencePrice

from .enums import ContractStatus, PriceRule
from .models import Contract, ContractItem, ContractParty, DeliverySchedule
from .numbers import ZERO, money, percent, plain, quantity
from .parties import PartiesInput, check_parties, party_rows, seller_region_code
from .regions import common_region


@dataclass
class ItemInput:
    name: str
    category: str
    unit: str
    quantity: Any
    price_rule: str = PriceRule.FIXED
    price: Any = None
    markup_percent: Any = None
    reference: ReferencePrice | None = None
    product: Product | None = None
    specification: str = ""
    schedule: Sequence[tuple[dt.date, Any]] = field(default_factory=list)


@dataclass
class ContractInput:
    number: str
    title: str
    signed_on: dt.date
    period_start: dt.date
    period_end: dt.date
    price_tolerance: Any = Decimal("5")
    allow_over: bool = False
    note: str = ""


def _check_contract(data: ContractInput) -> None:
    if not data.number.strip() or not data.title.strip():
        raise DomainError("invalid_input", detail="合同编号和合同名称都必须填写")
    if data.period_end < data.period_start:
        raise DomainError(
            "invalid_input", detail=f"履行期结束 {data.period_end} 早于开始 {data.period_start}"
        )
    if data.signed_on > data.period_end:
        raise DomainError(
            "invalid_input", detail=f"签订日期 {data.signed_on} 晚于履行期结束 {data.period_end}"
        )
    if Contract.objects.filter(number=data.number.strip()).exists():
        raise DomainError("invalid_input", detail=f"合同编号“{data.number.strip()}”已存在")


def _price_fields(item: ItemInput, n: int) -> dict[str, Any]:
    if item.price_rule not in PriceRule.values:
        raise DomainError("invalid_input", detail=f"第{n}项定价方式“{item.price_rule}”不在可选范围内")
    if item.price_rule == PriceRule.FIXED:
        return {"price": money(item.price, f"第{n}项固定单价"), "markup_percent": None, "reference": None}
    if item.reference is None:
        raise DomainError("invalid_input", detail=f"第{n}项按市场价定价，须选择市场参考价")
    markup = None
    if item.price_rule == PriceRule.MARKET_PLUS:
        if item.markup_percent in (None, ""):
            raise DomainError("invalid_input", detail=f"第{n}项须填写上浮比例")
        markup = percent(item.markup_percent, f"第{n}项上浮比例", low=Decimal("-50"), high=Decimal("100"))
    return {"price": None, "markup_percent": markup, "reference": item.reference}


def _schedule(item: ItemInput, agreed: Decimal, data: ContractInput, n: int) -> list[tuple[dt.date, Decimal]]:
    rows = [(due, quantity(q, f"第{n}项交付计划数量")) for due, q in item.schedule]
    for due, _ in rows:
        if not data.period_start <= due <= data.period_end:
            raise DomainError("invalid_input", detail=f"第{n}项交付期限 {due} 不在履行期内")
    total = sum((q for _, q in rows), ZERO)
    if total > agreed:
        raise DomainError(
            "invalid_input", detail=f"第{n}项交付计划合计 {plain(total)} 超过约定数量 {plain(agreed)}"
        )
    return sorted(rows)


def _build_item(contract: Contract, item: ItemInput, data: ContractInput, n: int) -> None:
    if not item.name.strip() or not item.unit.strip():
        raise DomainError("invalid_input", detail=f"第{n}项须填写品名和单位")
    if item.category not in ProductCategory.values:
        raise DomainError("invalid_input", detail=f"第{n}项品类“{item.category}”不在可选范围内")
    agreed = quantity(item.quantity, f"第{n}项约定数量")
    prices = _price_fields(item, n)
    schedule = _schedule(item, agreed, data, n)
    row = ContractItem.objects.create(
        contract=contract,
        name=item.name.strip()[:100],
        category=item.category,
        unit=item.unit.strip()[:16],
        specification=item.specification.strip()[:100],
        product=item.product,
        quantity=agreed,
        price_rule=item.price_rule,
        **prices,
    )
    DeliverySchedule.objects.bulk_create(
        [DeliverySchedule(item=row, due_on=d, quantity=q) for d, q in schedule]
    )


@transaction.atomic
def contract_create(
    *, actor: Any, data: ContractInput, parties: PartiesInput, items: Sequence[ItemInput]
) -> Contract:
    """A draft contract with its parties, items and schedule; activated separately once signed copies are in."""
    ensure_can(actor, "contracts.manage")
    _check_contract(data)
    check_parties(actor, parties)
    if not items:
        raise DomainError("invalid_input", detail="合同至少需要一个约定品种")
    sellers = [seller_region_code(kind, target) for side, kind, target in parties.rows() if side == "seller"]
    contract = Contract.objects.create(
        number=data.number.strip()[:40],
        title=data.title.strip()[:200],
        signed_on=data.signed_on,
        period_start=data.period_start,
        period_end=data.period_end,
        price_tolerance=percent(data.price_tolerance, "价格允许偏差", low=ZERO, high=Decimal("100")),
        allow_over=bool(data.allow_over),
        home_region=common_region(sellers),
        note=data.note.strip()[:500],
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    ContractParty.objects.bulk_create(party_rows(contract, parties))
    for n, item in enumerate(items, start=1):
        _build_item(contract, item, data, n)
    audit.record(
        actor=actor,
        action="contract_create",
        target=contract,
        changes={
            "parties": len(parties.rows()),
            "items": len(items),
            "period": f"{data.period_start}..{data.period_end}",
        },
    )
    return contract


TRANSITIONS = {
    "activate": ({ContractStatus.DRAFT}, ContractStatus.ACTIVE, "生效"),
    "close": ({ContractStatus.ACTIVE}, ContractStatus.CLOSED, "结束"),
    "terminate": ({ContractStatus.DRAFT, ContractStatus.ACTIVE}, ContractStatus.TERMINATED, "终止"),
}


@transaction.atomic
def contract_transition(*, actor: Any, contract: Contract, action: str, reason: str = "") -> Contract:
    """生效 (draft → active), 结束 (active → closed), 终止 (draft/active → terminated, reason required)."""
    ensure_can(actor, "contracts.manage")
    ensure_visible(actor, contract)
    if action not in TRANSITIONS:
        raise DomainError("invalid_input", detail=f"未知操作“{action}”")
    locked = Contract.objects.select_for_update().get(pk=contract.pk)
    sources, target, label = TRANSITIONS[action]
    if locked.status not in sources:
        raise DomainError(
            "contract_transition_illegal",
            title=locked.title,
            current=locked.get_status_display(),
            action=label,
        )
    if action == "terminate" and not reason.strip():
        raise DomainError("invalid_input", detail="终止合同须填写原因")
    before, locked.status = locked.status, target
    if reason.strip():
        locked.end_reason = reason.strip()[:300]
    locked.save(update_fields=["status", "end_reason", "updated_at"])
    audit.record(
        actor=actor,
        action=f"contract_{action}",
        target=locked,
        note=reason.strip()[:300],
        changes={"status": [before, target]},
    )
    return locked
