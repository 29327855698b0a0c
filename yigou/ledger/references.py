"""The records a purchase names (seller, buyer, outlet, fair, beneficiaries), turned into rows the recorder may
name — one behaviour for the entry page and the API: a missing id and one out of reach get the same refusal.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from yigou.accounts.scope import named_in, named_row, named_rows
from yigou.assist.models import AssistingUnit, Cadre
from yigou.market.models import Activity, Outlet
from yigou.registry.models import Household, Producer

from . import selectors


def _households() -> QuerySet[Household]:
    # The service reads each household's status history and village on the sale date.
    return Household.objects.select_related("village").prefetch_related("events")


def seller_household(actor: Any, pk: Any) -> Household | None:
    return named_row(actor, _households(), pk, field="seller_household", label="销售农户")


def seller_producer(actor: Any, pk: Any) -> Producer | None:
    rows = Producer.objects.select_related("region")
    return named_row(actor, rows, pk, field="seller_producer", label="销售主体")


def buyer_unit(actor: Any, pk: Any) -> AssistingUnit | None:
    """Any registered unit may be named as the buyer, beyond the recorder's own scope."""
    return named_in(selectors.nameable_units(actor), pk, field="buyer_unit", label="购买单位")


def buyer_cadre(actor: Any, pk: Any) -> Cadre | None:
    return named_in(selectors.nameable_cadres(actor), pk, field="buyer_cadre", label="购买干部")


def outlet(actor: Any, pk: Any) -> Outlet | None:
    return named_row(actor, Outlet.objects.all(), pk, field="outlet", label="销售网点")


def activity(actor: Any, pk: Any) -> Activity | None:
    return named_row(actor, Activity.objects.all(), pk, field="activity", label="展销活动")


def beneficiaries(actor: Any, amounts: list[tuple[Any, Any]]) -> list[tuple[Household, Any]]:
    """(household id, amount) pairs as (household, amount), all or none."""
    if not amounts:
        return []
    found = named_rows(
        actor, _households(), [pk for pk, _ in amounts], field="beneficiaries", label="受益农户"
    )
    by_pk = {h.pk: h for h in found}
    return [(by_pk[int(pk)], amount) for pk, amount in amounts]
