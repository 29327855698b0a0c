"""Opening and closing outlets, recording 以购助扶 activities."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db import transaction

from yigou.accounts.scope import ensure_can, ensure_region_in_scope, ensure_visible
from yigou.assist.models import AssistingUnit
from yigou.core import audit
from yigou.core.errors import DomainError
from yigou.regions.checks import require_level
from yigou.regions.enums import Level
from yigou.regions.models import Region

from .enums import ActivityKind, OutletKind
from .models import Activity, Outlet


@transaction.atomic
def outlet_open(
    *,
    actor: Any,
    region: Region,
    name: str,
    kind: str,
    opened_on: dt.date,
    fees_waived: Decimal = Decimal("0"),
    operator: AssistingUnit | None = None,
    note: str = "",
) -> Outlet:
    ensure_can(actor, "market.change")
    require_level(region, Level.COUNTY, Level.TOWNSHIP, Level.VILLAGE, what="网点所在区划")
    ensure_region_in_scope(actor, region.code)
    if kind not in OutletKind.values:
        raise DomainError("invalid_input", detail=f"网点类型“{kind}”不在可选范围内")
    if not name.strip():
        raise DomainError("invalid_input", detail="网点名称不能为空")
    if fees_waived < 0:
        raise DomainError("invalid_input", detail="免收费用不能为负数")
    outlet = Outlet.objects.create(
        name=name.strip()[:200],
        kind=kind,
        region=region,
        county_code=region.county_code,
        opened_on=opened_on,
        fees_waived=fees_waived,
        operator=operator,
        note=note.strip()[:300],
    )
    audit.record(
        actor=actor, action="create", target=outlet, changes={"kind": kind, "opened_on": str(opened_on)}
    )
    return outlet


@transaction.atomic
def outlet_close(*, actor: Any, outlet: Outlet, closed_on: dt.date) -> Outlet:
    ensure_can(actor, "market.change", outlet)
    if outlet.closed_on is not None:
        raise DomainError("invalid_input", detail=f"网点已于 {outlet.closed_on} 关闭")
    if closed_on <= outlet.opened_on:
        raise DomainError("invalid_input", detail=f"关闭日期须晚于开办日期 {outlet.opened_on}")
    outlet.closed_on = closed_on
    outlet.save(update_fields=["closed_on", "updated_at"])
    audit.record(actor=actor, action="close", target=outlet, changes={"closed_on": [None, str(closed_on)]})
    return outlet


@transaction.atomic
def activity_record(
    *,
    actor: Any,
    region: Region,
    title: str,
    kind: str,
    date: dt.date,
    organiser: AssistingUnit | None = None,
    organiser_name: str = "",
    note: str = "",
) -> Activity:
    ensure_can(actor, "market.change")
    ensure_region_in_scope(actor, region.code)
    require_level(region, Level.CITY, Level.COUNTY, Level.TOWNSHIP, Level.VILLAGE, what="活动举办地")
    if kind not in ActivityKind.values:
        raise DomainError("invalid_input", detail=f"活动类型“{kind}”不在可选范围内")
    if not title.strip():
        raise DomainError("invalid_input", detail="活动名称不能为空")
    if organiser is not None:
        ensure_visible(actor, organiser)
    activity = Activity.objects.create(
        title=title.strip()[:200],
        kind=kind,
        date=date,
        region=region,
        county_code=region.county_code,
        organiser=organiser,
        organiser_name=organiser_name.strip()[:200],
        note=note.strip()[:300],
    )
    audit.record(actor=actor, action="create", target=activity, changes={"kind": kind, "date": str(date)})
    return activity
