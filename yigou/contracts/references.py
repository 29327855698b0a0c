"""Records a contract, pre-order or buy-back form names, turned into rows the user may see — one behaviour for the
pages and the API: a missing record and one outside the user's scope get the same refusal on the field.
"""

from __future__ import annotations

from typing import Any

from yigou.accounts.scope import named_row, named_rows, restrict
from yigou.assist.models import AssistingUnit, Cadre
from yigou.core.errors import DomainError
from yigou.ledger.models import Purchase
from yigou.market.models import Order, ReferencePrice
from yigou.registry.models import Household, Producer

LABELS = {
    AssistingUnit: "帮扶单位",
    Cadre: "帮扶干部",
    Household: "农户",
    Producer: "经营主体",
    ReferencePrice: "参考价格",
}


def one(actor: Any, model: Any, pk: Any, *, field: str) -> Any:
    """A unit, cadre, household, producer or reference price named by id; None when none is named."""
    return named_row(actor, model.objects.all(), pk, field=field, label=LABELS[model])


def every(actor: Any, model: Any, ids: Any, *, field: str) -> list[Any]:
    return named_rows(actor, model.objects.all(), ids, field=field, label=LABELS[model])


def household_by_number(actor: Any, number: str, *, field: str) -> Household:
    """A household named by its registry number (the pages let clerks type it)."""
    found = restrict(actor, Household.objects.all()).filter(number=number.strip()).first()
    if found is None:
        message = f"未找到户编号为 {number.strip()} 的农户（或不在您的管辖范围内）。"
        raise DomainError("invalid_input", message, field=field)
    return found


def draw_source(actor: Any, *, order: Any = None, purchase: Any = None) -> Order | Purchase:
    """What a delivery is counted from: a platform order or a ledger purchase (exactly one)."""
    if (order in (None, "")) == (purchase in (None, "")):
        raise DomainError("invalid_input", detail="须填写订单号或购买记录号（二选一）")
    if order not in (None, ""):
        return named_row(actor, Order.objects.all(), order, field="order", label="订单")  # type: ignore[return-value]
    return named_row(actor, Purchase.objects.all(), purchase, field="purchase", label="购买记录")  # type: ignore[return-value]
