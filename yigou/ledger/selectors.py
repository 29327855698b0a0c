"""Reads of the ledger and the statistics, always through the actor's scope."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Max, Prefetch, Q, QuerySet

from yigou.accounts.scope import can, get_visible, restrict, scope_for
from yigou.assist.models import AssistingUnit, Cadre
from yigou.core.errors import DomainError, PermissionDeniedError
from yigou.core.periods import Period, parse_period
from yigou.regions.checks import get_region
from yigou.regions.models import Region, prefix_of

from .models import Beneficiary, Purchase
from .table import StatsTable, build_table

PURCHASE_SORTS = {"-date": ("-date", "-id"), "date": ("date", "id")}


def purchases(
    actor: Any,
    *,
    region: str = "",
    period: Period | None = None,
    q: str = "",
    channel: str = "",
    buyer_kind: str = "",
    sort: str = "-date",
) -> QuerySet[Purchase]:
    """The purchases the user may see, filtered; newest first (or oldest first with sort="date")."""
    qs = restrict(
        actor,
        Purchase.objects.select_related(
            "region", "buyer_unit", "buyer_cadre", "seller_household", "seller_producer", "outlet", "activity"
        ),
    )
    if region:
        qs = qs.filter(region__code__startswith=prefix_of(region))
    if period is not None:
        qs = qs.filter(date__gte=period.start, date__lte=period.end)
    if channel:
        qs = qs.filter(channel=channel)
    if buyer_kind:
        qs = qs.filter(buyer_kind=buyer_kind)
    text = q.strip()
    if text:
        qs = qs.filter(
            Q(seller_household__head_name__contains=text)
            | Q(seller_producer__name__contains=text)
            | Q(buyer_unit__name__contains=text)
            | Q(buyer_cadre__name__contains=text)
            | Q(buyer_name__contains=text)
            | Q(lines__product__contains=text)
            | Q(external_id=text)
        ).distinct()
    return qs.order_by(*PURCHASE_SORTS.get(sort, PURCHASE_SORTS["-date"]))


def purchase(actor: Any, pk: int) -> Purchase:
    qs = Purchase.objects.select_related(
        "region",
        "buyer_unit",
        "buyer_cadre",
        "seller_household",
        "seller_producer",
        "outlet",
        "activity",
        "reverses",
        "recorded_by",
    ).prefetch_related(
        "lines",
        Prefetch("beneficiaries", queryset=Beneficiary.objects.select_related("household", "village")),
    )
    return get_visible(actor, qs, pk=pk)


def statistics_region(actor: Any, code: str = "") -> Region:
    """The region a statistics request is about: by default the user's own; never outside it."""
    scope = scope_for(actor)
    if scope.kind not in ("all", "region"):
        raise PermissionDeniedError()
    if not code:
        if scope.everything:
            raise DomainError("invalid_input", detail="请选择统计区域")
        code = actor.organisation.region_id
    region = get_region(code)
    if not scope.everything and not region.code.startswith(scope.region_prefix):
        raise PermissionDeniedError("out_of_scope")
    return region


def stats_table(actor: Any, region_code: str, period_text: str) -> StatsTable:
    return build_table(statistics_region(actor, region_code), parse_period(period_text))


def nameable_units(actor: Any) -> QuerySet[AssistingUnit]:
    """Units a recorder may name as the buyer: any registered unit.

    Buyers are public bodies and companies that buy across counties (a city bureau buys in every county it
    helps); a county office must be able to record those sales without seeing the unit's other records.
    """
    return AssistingUnit.objects.all() if can(actor, "ledger.record") else AssistingUnit.objects.none()


def nameable_cadres(actor: Any) -> QuerySet[Cadre]:
    """Cadres a recorder may name as the buyer (name and unit only; cadres are public servants on duty)."""
    return Cadre.objects.filter(is_active=True) if can(actor, "ledger.record") else Cadre.objects.none()


def latest_purchase_date(actor: Any) -> dt.date | None:
    """The most recent sale the actor can see: where the statistics pages start when this year has none yet."""
    return restrict(actor, Purchase.objects.all()).aggregate(latest=Max("date"))["latest"]
