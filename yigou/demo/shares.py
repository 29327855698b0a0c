"""Reserved shares (预留份额) of the city's budget units for 2018 and this year, through the shares services.

The city office sets 遂宁市's floor for both years. The demo unit files its own share; the administrator files
for the other units on their behalf (as the units' staff would), so every canteen case appears: an own canteen,
a canteen shared with another unit (filed once by the host), no canteen (the union part only) and an
outsourced canteen whose contractor buys through the individual buyer account. The city office approves most
2018 filings; this year one filing below the floor is returned, others wait for review or are still drafts.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from yigou.accounts.models import User
from yigou.assist.models import AssistingUnit
from yigou.shares import services as shares
from yigou.shares.enums import CanteenMode
from yigou.shares.models import ShareFiling
from yigou.shares.services import floor_set

FLOORS = {2018: "15", "current": "20"}


@dataclass
class DemoShares:
    floors: int = 0
    filings: list[ShareFiling] = field(default_factory=list)


@dataclass(frozen=True)
class Plan:
    unit: str  # "own" (the demo unit), "canteen:N" or "plain:N" (the Nth other city unit with or without canteen)
    mode: str
    canteen_total: str = "0"
    ratio: str = "0"
    end: str = "draft"  # draft, submitted, approved, returned
    covers: str = ""  # for a shared canteen: the unit filed together with this one
    contractor: bool = False


YEAR_2018 = [
    Plan("own", CanteenMode.OWN, "1260000.00", "18", "approved"),
    Plan("canteen:0", CanteenMode.SHARED, "980000.00", "16", "approved", covers="canteen:1"),
    Plan("plain:0", CanteenMode.NONE, end="approved"),
    Plan("canteen:2", CanteenMode.OUTSOURCED, "640000.00", "15", "approved", contractor=True),
]
YEAR_NOW = [
    Plan("own", CanteenMode.OWN, "1380000.00", "22", "submitted"),
    Plan("canteen:0", CanteenMode.SHARED, "1050000.00", "20", "approved", covers="canteen:1"),
    Plan("plain:0", CanteenMode.NONE, end="draft"),
    Plan("canteen:2", CanteenMode.OUTSOURCED, "700000.00", "20", "submitted", contractor=True),
    Plan("canteen:3", CanteenMode.OWN, "520000.00", "12", "returned"),
]


def _units(own: AssistingUnit) -> dict[str, AssistingUnit]:
    """The city's other budget units, with and without a canteen, in a fixed order."""
    others = AssistingUnit.objects.filter(is_budget_unit=True, region_id=own.region_id).exclude(pk=own.pk)
    found = {"own": own}
    for prefix, has in (("canteen", True), ("plain", False)):
        for n, unit in enumerate(others.filter(has_canteen=has).order_by("pk")):
            found[f"{prefix}:{n}"] = unit
    return found


def _data(
    plan: Plan, unit: AssistingUnit, units: dict[str, AssistingUnit], buyer: User
) -> shares.FilingInput:
    covered = [units[plan.covers]] if plan.covers in units else []
    union_staff = unit.staff_count if unit.has_union else 0
    return shares.FilingInput(
        mode=plan.mode if covered or plan.mode != CanteenMode.SHARED else CanteenMode.OWN,
        canteen_total=plan.canteen_total,
        ratio=plan.ratio,
        union_per_head="300.00",
        union_staff=union_staff,
        contractor_user=buyer if plan.contractor else None,
        covered_units=covered,
        note="食堂食材采购总额按上年决算数填报；工会慰问品按人均300元预留",
    )


def _review(office: User, filing: ShareFiling, end: str) -> ShareFiling:
    if end == "approved":
        return shares.filing_approve(actor=office, filing=filing, note="预留比例符合要求")
    if end == "returned":
        return shares.filing_return(
            actor=office, filing=filing, reason="预留比例低于本年最低比例，请按不低于20%重新测算后报送"
        )
    return filing


def _file(
    year: int, plans: list[Plan], users: dict[str, User], units: dict[str, AssistingUnit]
) -> list[ShareFiling]:
    made = []
    for plan in plans:
        unit = units.get(plan.unit)
        if unit is None:
            continue
        actor = users["unit"] if plan.unit == "own" else users["admin"]
        filing = shares.filing_save(
            actor=actor, unit=unit, year=year, data=_data(plan, unit, units, users["buyer"])
        )
        if plan.end != "draft":
            filing = shares.filing_submit(actor=actor, filing=filing)
            filing = _review(users["city"], filing, plan.end)
        made.append(filing)
    return made


def build_shares(*, users: list[User], today: dt.date, say: Callable[[str], None]) -> DemoShares:
    by_name = {u.username: u for u in users}
    out = DemoShares()
    own = by_name["unit"].organisation.unit if by_name["unit"].organisation else None
    city = by_name["city"]
    if own is None or city.organisation is None:
        return out
    for year, ratio in ((2018, FLOORS[2018]), (today.year, FLOORS["current"])):
        floor_set(
            actor=city,
            region=city.organisation.region,
            year=year,
            ratio=Decimal(ratio),
            note=f"遂宁市{year}年以购助扶预算单位预留份额最低比例",
        )
        out.floors += 1
    units = _units(own)
    out.filings = _file(2018, YEAR_2018, by_name, units) + _file(today.year, YEAR_NOW, by_name, units)
    states = ShareFiling.objects.filter(pk__in=[f.pk for f in out.filings])
    counts = {s: states.filter(status=s).count() for s in ("approved", "submitted", "returned", "draft")}
    say(
        f"预留份额：最低比例 {out.floors} 条；填报 {len(out.filings)} 份（审核通过 {counts['approved']}，待审核 "
        f"{counts['submitted']}，已退回 {counts['returned']}，草稿 {counts['draft']}），另有合并填报单位随主填报。"
    )
    return out
