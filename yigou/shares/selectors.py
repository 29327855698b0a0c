"""Reads of reserved shares, always through the actor's scope: filings, floors, a unit's own share, the dashboard."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import F, Q, QuerySet

from yigou.accounts.scope import can, get_visible, named_row, restrict, scope_for
from yigou.assist.models import AssistingUnit
from yigou.core.errors import DomainError, PermissionDeniedError
from yigou.regions.models import Region, prefix_of

from . import completion as comp
from .enums import EDITABLE, FILED, CanteenMode, FilingStatus
from .floors import Floor, floors_for
from .models import ShareFiling, ShareFloor

ZERO = Decimal("0.00")
RANKED = 5


FILING_SORTS: dict[str, tuple[Any, ...]] = {
    "name": ("unit__name_initials", "pk"),
    "-submitted": (F("submitted_at").desc(nulls_last=True), "-pk"),
    "reserved": ("-reserved_amount", "pk"),
}


def filings(
    actor: Any,
    *,
    year: int | None = None,
    status: str = "",
    q: str = "",
    region: str = "",
    flagged: bool = False,
    merged: bool | None = None,
    sort: str = "-submitted",
) -> QuerySet[ShareFiling]:
    """Filings in the user's scope, latest submitted first. A filing merged into its host canteen's (共用食堂) is
    reviewed as part of the host's, so supervisors' lists leave it out unless `merged` asks for it; a unit's own
    staff always see their unit's filing (merged=None decides by who asks)."""
    qs = restrict(actor, ShareFiling.objects.select_related("unit", "unit__region", "host__unit"))
    if merged is None:
        merged = files_as_own_unit(actor)
    if not merged:
        qs = qs.exclude(mode=CanteenMode.MERGED)
    if year:
        qs = qs.filter(year=year)
    if status:
        qs = qs.filter(status=status)
    if q.strip():
        qs = qs.filter(
            Q(unit__name__contains=q.strip()) | Q(unit__name_initials__startswith=q.strip().lower())
        )
    if region:
        qs = qs.filter(unit__region__code__startswith=prefix_of(region))
    if flagged:
        qs = qs.filter(Q(below_floor=True) | Q(below_last_year=True))
    return qs.order_by(*FILING_SORTS.get(sort, FILING_SORTS["-submitted"]))


def filing(actor: Any, pk: int) -> ShareFiling:
    return get_visible(
        actor,
        ShareFiling.objects.select_related(
            "unit",
            "unit__region",
            "host__unit",
            "union_unit",
            "contractor_unit",
            "contractor_user",
            "submitted_by",
            "reviewed_by",
        ),
        pk=pk,
    )


def floors(actor: Any, *, year: int | None = None) -> QuerySet[ShareFloor]:
    qs = restrict(actor, ShareFloor.objects.select_related("region"))
    return qs.filter(year=year) if year else qs


def files_as_own_unit(actor: Any) -> bool:
    """Unit staff file and follow their own unit's share; supervisors see every unit of their region."""
    return scope_for(actor).kind == "unit"


def filing_unit(actor: Any, unit_pk: Any) -> AssistingUnit:
    """The unit a filing is for: unit staff their own unit; an administrator must name one it may see."""
    scope = scope_for(actor)
    if scope.kind == "unit":
        return own_unit(actor)
    if not scope.everything:
        raise PermissionDeniedError()
    unit = named_row(
        actor, AssistingUnit.objects.select_related("region"), unit_pk, field="unit", label="预算单位"
    )
    if unit is None:
        raise DomainError("invalid_input", detail="须指定预算单位编号", field="unit")
    return unit


def may_submit(actor: Any, filing: ShareFiling) -> bool:
    """The unit's own staff (or an administrator) submit a filing that is still a draft or returned."""
    scope = scope_for(actor)
    own = scope.everything or scope.unit_id == filing.unit_id
    return (
        own and can(actor, "shares.file") and filing.status in EDITABLE and filing.mode != CanteenMode.MERGED
    )


def own_unit(actor: Any) -> AssistingUnit:
    scope = scope_for(actor)
    if scope.kind != "unit":
        raise PermissionDeniedError()
    return AssistingUnit.objects.select_related("region").get(pk=int(scope.unit_id or 0))


@dataclass
class UnitShare:
    """A unit's own view: its filing (or the host's, when merged), the target, what counted, the rate."""

    unit: AssistingUnit
    year: int
    filing: ShareFiling | None  # the unit's own row (merged or not)
    owner: ShareFiling | None  # the filing its purchases count to
    floor: Floor
    done: comp.Completion
    elapsed: Decimal

    @property
    def target(self) -> Decimal:
        return self.owner.target if self.owner and self.owner.status in FILED else ZERO

    @property
    def rate(self) -> Decimal | None:
        return comp.rate(self.done.total, self.target)


def unit_share(actor: Any, unit: AssistingUnit, year: int, today: dt.date) -> UnitShare:
    mine = (
        restrict(actor, ShareFiling.objects.filter(unit=unit, year=year))
        .select_related("host__unit", "union_unit", "contractor_unit", "contractor_user")
        .first()
    )
    owner = mine.host if mine is not None and mine.mode == CanteenMode.MERGED else mine
    group = [*owner.members.select_related("host"), owner] if owner is not None else []
    owner_unit = owner.unit_id if owner is not None else unit.pk
    totals = comp.compute(comp.owners_for([owner_unit], group), year)
    floor = floors_for({unit.region_id}, year)[unit.region_id]
    return UnitShare(unit, year, mine, owner, floor, totals.of(owner_unit), comp.elapsed_share(year, today))


def share_purchases(actor: Any, share: UnitShare) -> QuerySet[Any]:
    """The ledger rows counted on the unit's page (the same rules as the totals, newest first)."""
    group = [*share.owner.members.select_related("host"), share.owner] if share.owner else []
    owner_unit = share.owner.unit_id if share.owner else share.unit.pk
    owners = comp.owners_for([owner_unit], group)
    return (
        comp.counted_purchases(owners, share.year)
        .select_related("buyer_unit", "buyer_cadre", "order")
        .order_by("-date", "-id")
    )


@dataclass
class Row:
    unit: AssistingUnit
    filing: ShareFiling | None
    done: Decimal
    direct: Decimal
    elapsed: Decimal

    @property
    def owns(self) -> bool:
        """A row that carries its own target (not merged into another unit's filing)."""
        return self.filing is None or self.filing.mode != CanteenMode.MERGED

    @property
    def filed(self) -> bool:
        return self.filing is not None and self.filing.status in FILED

    @property
    def target(self) -> Decimal:
        return self.filing.target if self.filed and self.owns and self.filing else ZERO

    @property
    def rate(self) -> Decimal | None:
        return comp.rate(self.done, self.target) if self.owns else None

    @property
    def never_bought(self) -> bool:
        return (self.done if self.owns else self.direct) <= 0

    @property
    def behind(self) -> bool:
        r = self.rate
        return self.filed and r is not None and r < self.elapsed

    @property
    def status_label(self) -> str:
        if self.filing is None:
            return "未填报"
        return self.filing.get_status_display()


@dataclass
class Dashboard:
    region: Region | None
    year: int
    elapsed: Decimal
    rows: list[Row] = field(default_factory=list)

    @property
    def registered(self) -> int:
        return len(self.rows)

    @property
    def filed(self) -> int:
        return sum(1 for r in self.rows if r.filed)

    @property
    def not_filed(self) -> int:
        return self.registered - self.filed

    @property
    def reserved_total(self) -> Decimal:
        return sum((r.target for r in self.rows), ZERO)

    @property
    def completed_total(self) -> Decimal:
        """Completion of filed filings only: that is what the reserved total is measured against."""
        return sum((r.done for r in self.rows if r.filed and r.owns), ZERO)

    @property
    def rate(self) -> Decimal | None:
        return comp.rate(self.completed_total, self.reserved_total)

    def ranked(self) -> list[Row]:
        rows = [r for r in self.rows if r.rate is not None and r.filed]
        return sorted(rows, key=lambda r: (-(r.rate or ZERO), r.unit.name, r.unit.pk))

    @property
    def top(self) -> list[Row]:
        return self.ranked()[:RANKED]

    @property
    def bottom(self) -> list[Row]:
        return list(reversed(self.ranked()))[:RANKED]

    @property
    def never_bought(self) -> list[Row]:
        return [r for r in self.rows if r.never_bought]

    @property
    def behind(self) -> list[Row]:
        return [r for r in self.rows if r.behind]

    @property
    def unfiled(self) -> list[Row]:
        return [r for r in self.rows if not r.filed]


def dashboard_region(actor: Any, code: str) -> Region | None:
    """The region the dashboard covers: the one asked for if it lies in scope, else the user's own."""
    scope = scope_for(actor)
    if scope.kind not in ("all", "region"):
        raise PermissionDeniedError()
    home = actor.region if scope.kind == "region" else None
    if code:
        region = Region.objects.filter(code=code).first()
        if region is not None and (scope.everything or code.startswith(scope.region_prefix)):
            return region
    return home


def dashboard(actor: Any, region: Region | None, year: int, today: dt.date) -> Dashboard:
    """Every budget unit of the region with its filing and completion: three queries whatever the size."""
    units_qs = restrict(actor, AssistingUnit.objects.filter(is_budget_unit=True).select_related("region"))
    if region is not None:
        units_qs = units_qs.filter(region__code__startswith=region.prefix)
    units = list(units_qs.order_by("region_id", "name_initials", "pk"))
    rows = restrict(actor, ShareFiling.objects.filter(year=year, unit__in=[u.pk for u in units]))
    by_unit = {
        f.unit_id: f for f in rows.select_related("host", "union_unit", "contractor_unit", "contractor_user")
    }
    totals = comp.compute(comp.owners_for([u.pk for u in units], by_unit.values()), year)
    elapsed = comp.elapsed_share(year, today)
    board = Dashboard(region, year, elapsed)
    for unit in units:
        done = totals.of(unit.pk).total
        board.rows.append(Row(unit, by_unit.get(unit.pk), done, totals.direct.get(unit.pk, ZERO), elapsed))
    return board


STATUS_OPTIONS = [("", "全部状态"), *FilingStatus.choices]
