"""Who bought: each kind of buyer must name the right kind of record, and gets a stable key for distinct counts."""

from __future__ import annotations

import uuid
from typing import Any

from yigou.assist.enums import UnitKind
from yigou.assist.models import AssistingUnit, Cadre
from yigou.core.crypto import lookup_hash
from yigou.core.errors import DomainError

from .enums import BuyerKind

# Which kinds of assisting unit may appear as each kind of organisational buyer.
UNIT_KINDS: dict[str, set[str]] = {
    BuyerKind.UNIT: set(UnitKind.values),
    BuyerKind.CANTEEN: set(UnitKind.values) - {UnitKind.PRIVATE, UnitKind.SOCIAL_ORG},
    BuyerKind.ENTERPRISE: {UnitKind.PRIVATE},
    BuyerKind.SOCIAL_ORG: {UnitKind.SOCIAL_ORG},
}


def check_buyer(data: Any) -> None:
    kind = data.buyer_kind
    if kind not in BuyerKind.values:
        raise DomainError("buyer_invalid", detail=f"购买方类型“{kind}”不在可选范围内")
    if kind == BuyerKind.CADRE:
        if data.buyer_cadre is None or data.buyer_unit is not None:
            raise DomainError("buyer_invalid", detail="干部购买须选择帮扶干部，不选单位")
        return
    if kind == BuyerKind.INDIVIDUAL:
        if data.buyer_unit is not None or data.buyer_cadre is not None:
            raise DomainError("buyer_invalid", detail="个人购买不选单位或干部")
        return
    unit = data.buyer_unit
    if unit is None or data.buyer_cadre is not None:
        raise DomainError("buyer_invalid", detail=f"{BuyerKind(kind).label}购买须选择购买单位")
    if unit.kind not in UNIT_KINDS[kind]:
        raise DomainError(
            "buyer_invalid",
            detail=f"“{unit.name}”是{unit.get_kind_display()}，不能作为{BuyerKind(kind).label}",
        )
    if kind == BuyerKind.CANTEEN and not (unit.is_budget_unit and unit.has_canteen):
        raise DomainError("buyer_invalid", detail=f"“{unit.name}”未登记机关食堂")


def buyer_key(data: Any) -> str:
    """unit:12, canteen:12, cadre:5, person:<keyed hash of the name>, or a fresh key for an anonymous buyer."""
    kind = data.buyer_kind
    if kind == BuyerKind.CADRE:
        return f"cadre:{data.buyer_cadre.pk}"
    if kind == BuyerKind.INDIVIDUAL:
        name = (data.buyer_name or "").strip()
        return f"person:{lookup_hash(name)[:32]}" if name else f"anon:{uuid.uuid4().hex}"
    return f"{kind}:{data.buyer_unit.pk}"


def buyer_label(key: str, name: str = "") -> str:
    """The buyer as a clerk knows it: the name written on the purchase, else the unit's or cadre's name behind the
    key (organisational purchases leave `buyer_name` empty), else 个人/匿名 — never the internal key itself."""
    if name:
        return name
    kind, _, ref = key.partition(":")
    if kind == BuyerKind.CADRE:
        return _named(Cadre, ref, "干部")
    if kind in UNIT_KINDS:
        return _named(AssistingUnit, ref, "单位")
    return "匿名购买人" if kind == "anon" else "个人购买人"


def _named(model: Any, ref: str, fallback: str) -> str:
    found = (
        model.objects.filter(pk=int(ref)).values_list("name", flat=True).first() if ref.isdigit() else None
    )
    return found or f"{fallback}（{ref}）"
