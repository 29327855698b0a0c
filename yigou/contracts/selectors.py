"""Reads of contracts, pre-orders and buy-backs, always through the actor's scope."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, Q, QuerySet

from yigou.accounts.scope import get_visible, restrict
from yigou.regions.models import prefix_of

from .models import BuyBack, Contract, ContractItem, ContractParty, PreOrder

CONTRACT_SORTS = {
    "-signed_on": ("-signed_on", "-id"),
    "signed_on": ("signed_on", "id"),
    "number": ("number",),
    "-number": ("-number",),
    "period_end": ("period_end", "id"),
    "-period_end": ("-period_end", "-id"),
}
PARTY_REGION = (
    "parties__village__code",
    "parties__household__village__code",
    "parties__producer__region__code",
    "parties__unit__region__code",
    "parties__cadre__unit__region__code",
)
PARTY_NAME = (
    "parties__unit__name",
    "parties__cadre__name",
    "parties__village__name",
    "parties__producer__name",
    "parties__household__number",
)


def _any(lookups: tuple[str, ...], suffix: str, value: str) -> Q:
    q = Q()
    for lookup in lookups:
        q |= Q(**{f"{lookup}{suffix}": value})
    return q


def contract_base(actor: Any) -> QuerySet[Contract]:
    parties = ContractParty.objects.select_related("unit", "cadre", "village", "household", "producer")
    items = ContractItem.objects.select_related("reference").prefetch_related("schedule")
    return restrict(actor, Contract.objects.select_related("home_region")).prefetch_related(
        Prefetch("parties", queryset=parties), Prefetch("items", queryset=items)
    )


def contracts(
    actor: Any, *, q: str = "", status: str = "", region: str = "", year: str = "", sort: str = "-signed_on"
) -> QuerySet[Contract]:
    qs = contract_base(actor)
    if status:
        qs = qs.filter(status=status)
    if year.isdigit():
        qs = qs.filter(period_start__year__lte=int(year), period_end__year__gte=int(year))
    matches = Q()
    if region:
        matches &= _any(PARTY_REGION, "__startswith", prefix_of(region))
    text = q.strip()
    if text:
        matches &= Q(number__contains=text) | Q(title__contains=text) | _any(PARTY_NAME, "__contains", text)
    if region or text:
        qs = qs.filter(pk__in=Contract.objects.filter(matches).values("pk"))
    return qs.order_by(*CONTRACT_SORTS.get(sort, CONTRACT_SORTS["-signed_on"]))


def contract(actor: Any, pk: int) -> Contract:
    return get_visible(actor, contract_base(actor), pk=pk)


PREORDER_SORTS = {
    "-signed_on": ("-signed_on", "-id"),
    "signed_on": ("signed_on", "id"),
    "number": ("number",),
    "-number": ("-number",),
    "harvest_end": ("harvest_end", "id"),
    "-harvest_end": ("-harvest_end", "-id"),
}
BUYBACK_SORTS = {
    "-season_start": ("-season_start", "-id"),
    "season_start": ("season_start", "id"),
    "title": ("title", "id"),
    "-title": ("-title", "-id"),
}


def preorders(
    actor: Any, *, q: str = "", status: str = "", region: str = "", sort: str = "-signed_on"
) -> QuerySet[PreOrder]:
    qs = restrict(
        actor,
        PreOrder.objects.select_related(
            "buyer_unit", "buyer_cadre", "seller_household", "seller_producer", "region"
        ),
    )
    if status:
        qs = qs.filter(status=status)
    if region:
        qs = qs.filter(region__code__startswith=prefix_of(region))
    text = q.strip()
    if text:
        qs = qs.filter(
            Q(number__contains=text)
            | Q(name__contains=text)
            | Q(buyer_unit__name__contains=text)
            | Q(buyer_cadre__name__contains=text)
            | Q(seller_producer__name__contains=text)
            | Q(seller_household__number=text)
        )
    return qs.order_by(*PREORDER_SORTS.get(sort, PREORDER_SORTS["-signed_on"]))


def preorder(actor: Any, pk: int) -> PreOrder:
    return get_visible(actor, preorders(actor), pk=pk)


def buybacks(
    actor: Any, *, q: str = "", status: str = "", region: str = "", sort: str = "-season_start"
) -> QuerySet[BuyBack]:
    qs = restrict(actor, BuyBack.objects.select_related("enterprise", "buyer_unit", "home_region"))
    if status:
        qs = qs.filter(status=status)
    if region:
        qs = qs.filter(
            pk__in=BuyBack.objects.filter(villages__village__code__startswith=prefix_of(region)).values("pk")
        )
    text = q.strip()
    if text:
        qs = qs.filter(Q(title__contains=text) | Q(name__contains=text) | Q(enterprise__name__contains=text))
    order = BUYBACK_SORTS.get(sort, BUYBACK_SORTS["-season_start"])
    return qs.prefetch_related("villages__village").order_by(*order)


def buyback(actor: Any, pk: int) -> BuyBack:
    return get_visible(actor, buybacks(actor), pk=pk)
