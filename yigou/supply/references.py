"""Records a supply form names, turned into rows the user may see (a missing one and an invisible one alike)."""

from __future__ import annotations

from typing import Any

from yigou.accounts.scope import restrict
from yigou.core.errors import DomainError
from yigou.registry.models import Household


def household_by_number(actor: Any, number: str) -> Household:
    found = restrict(actor, Household.objects.all()).filter(number=number.strip()).first()
    if found is None:
        message = f"未找到户编号为 {number.strip()} 的农户（或不在您的管辖范围内）。"
        raise DomainError("invalid_input", message, field="household")
    return found
