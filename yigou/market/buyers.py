"""How a user buys on the market, for the pages and the API: may they order, in whose name, for which cadres.

`ordering.buyer_for` enforces the same rules when an order is placed; these reads let the edges show the right
form without asking about scope kinds themselves.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet

from yigou.accounts.scope import can, restrict, scope_for
from yigou.assist.models import AssistingUnit, Cadre


@dataclass(frozen=True)
class BuyerSeat:
    """Unit staff and individuals order in their own name; an administrator on behalf of a unit it picks."""

    in_own_name: bool
    for_a_unit: bool
    chooses_kind: bool  # a unit's order names its kind (unit, canteen, cadre…); a person's does not
    ranks_by_pairing: bool  # open lists come paired villages first for this user

    @property
    def may_order(self) -> bool:
        return self.in_own_name or self.for_a_unit


def seat(user: Any) -> BuyerSeat:
    scope = scope_for(user)
    buys = can(user, "market.buy")
    for_a_unit = scope.everything and buys
    return BuyerSeat(
        in_own_name=scope.kind in ("unit", "person") and buys,
        for_a_unit=for_a_unit,
        chooses_kind=scope.kind == "unit" or for_a_unit,
        ranks_by_pairing=scope.kind == "unit",
    )


def cadres(user: Any) -> QuerySet[Cadre]:
    """The active cadres an order may be placed for: the own unit's, or every unit's for an administrator."""
    scope = scope_for(user)
    rows = Cadre.objects.filter(is_active=True).select_related("unit")
    if seat(user).for_a_unit:
        return restrict(user, rows).order_by("unit__name", "name")
    if scope.kind != "unit":
        return rows.none()
    return rows.filter(unit_id=scope.unit_id).order_by("name")


def units(user: Any) -> QuerySet[AssistingUnit]:
    """The units an administrator may order for (others order for their own unit and choose none)."""
    if not seat(user).for_a_unit:
        return AssistingUnit.objects.none()
    return restrict(user, AssistingUnit.objects.order_by("name"))
