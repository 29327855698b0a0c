"""A season of the supply book around today in the demo village, with a warning at every level after the scan,
and quick-response cases in every state.

Households of the village staff's village (or the village itself) expect to sell: 腊肉 ending in 2 days (严重, a
case opened this morning at the county), 柑橘 in 6 days (预警, opened 80 hours ago at the township, overdue and
escalated to the county), 土鸡蛋 in 12 days (关注, no case), 红薯 in 40 days (no warning), 蜂蜜 in 2 days (严重,
opened 30 hours ago and now overdue), 鸭蛋 (严重, sold out to a canteen today: closed by itself) and 青菜 (预警,
turned into pickles: closed by hand).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal

from django.utils import timezone

from yigou.accounts.models import User
from yigou.ledger.enums import BuyerKind, Channel
from yigou.ledger.services import LineInput, PurchaseInput, purchase_record
from yigou.regions.models import Region
from yigou.registry.models import Household
from yigou.supply import cases, monitoring
from yigou.supply.models import Case, Warning
from yigou.supply.services import SupplyInput, supply_record

SEASON = [
    # name, category, unit, quantity, days on sale so far, days left, keeps days, expected price
    ("腊肉", "meat_egg", "公斤", "300", 20, 2, 60, "60.00"),
    ("柑橘", "fruit_veg", "公斤", "2000", 10, 6, 30, "4.50"),
    ("土鸡蛋", "meat_egg", "个", "3000", 5, 12, 25, "1.50"),
    ("红薯", "fruit_veg", "公斤", "5000", 3, 40, 90, "1.20"),
    ("蜂蜜", "other", "斤", "400", 30, 2, 365, "40.00"),
    ("鸭蛋", "meat_egg", "个", "1200", 10, 2, 30, "1.80"),
    ("青菜", "fruit_veg", "公斤", "800", 4, 5, 10, "3.00"),
]
# Hours since each case opened (the warning's level decides the office and the deadline).
CASE_AGES = {"腊肉": 2, "柑橘": 80, "蜂蜜": 30, "鸭蛋": 20, "青菜": 10}


def build_supply(*, users: list[User], today: dt.date, say: Callable[[str], None]) -> int:
    clerk = next((u for u in users if u.username == "village"), None)
    if clerk is None or clerk.organisation is None:
        return 0
    village = clerk.organisation.region
    found: list[Household | None] = list(
        Household.objects.filter(village=village).order_by("number")[: len(SEASON)]
    )
    # A small demo may have fewer households in the village: the rest is the village's collective supply.
    homes = found + [None] * (len(SEASON) - len(found))
    for home, (name, category, unit, quantity, since, left, keeps, price) in zip(homes, SEASON, strict=True):
        data = SupplyInput(
            name=name,
            category=category,
            unit=unit,
            quantity=Decimal(quantity),
            available_from=today - dt.timedelta(days=since),
            available_to=today + dt.timedelta(days=left),
            keeps_days=keeps,
            expected_price=Decimal(price),
            contact_name=home.head_name if home is not None else "",
        )
        supply_record(actor=clerk, village=village, data=data, household=home)
    findings = monitoring.scan(today)
    monitoring.store(findings, today)
    opened = _cases(users, village, homes)
    say(
        f"供给台账：{village.name} {len(SEASON)} 条，滞销预警 {len(findings)} 条；"
        f"快速响应案件 {opened} 件（处置中、超时、上报、自动结案、手工结案）。"
    )
    return len(SEASON)


def _cases(users: list[User], village: Region, homes: list[Household | None]) -> int:
    now = timezone.now()
    for warning in Warning.objects.filter(
        village=village, cleared_on__isnull=True, level__in=cases.CASE_LEVELS
    ):
        cases.open_case(warning, now - dt.timedelta(hours=CASE_AGES.get(warning.product, 1)))
    by_name = {c.product: c for c in Case.objects.filter(village=village)}
    if "柑橘" in by_name:  # 80 hours at the township against its 72: gone up to the county
        cases.escalate(by_name["柑橘"], now)
    # A village-level entry (a small demo has fewer households) counts any sale from the village.
    seller = homes[[row[0] for row in SEASON].index("鸭蛋")] or next((h for h in homes if h), None)
    if "鸭蛋" in by_name and seller is not None:
        _sell_to_canteen(users, seller, by_name["鸭蛋"])
        cases.refresh([by_name["鸭蛋"]], now)
    county = next((u for u in users if u.username == "chuanshan"), None)
    if "青菜" in by_name and county is not None:
        cases.case_close(
            actor=county,
            case=by_name["青菜"],
            reason="processed",
            note="合作社收购 800 公斤转加工为泡菜",
            now=now,
        )
    return len(by_name)


def _sell_to_canteen(users: list[User], home: Household, case: Case) -> None:
    """The demo unit's canteen buys every duck egg left, today, at 1.70 元 each."""
    admin = next(u for u in users if u.username == "admin")
    staff = next(u for u in users if u.username == "unit")
    data = PurchaseInput(
        date=timezone.localdate(),
        buyer_kind=BuyerKind.CANTEEN,
        channel=Channel.CANTEEN,
        buyer_unit=staff.organisation.unit if staff.organisation else None,
        seller_household=home,
        lines=[
            LineInput(
                product="鸭蛋",
                quantity=case.quantity,
                unit="个",
                unit_price=Decimal("1.70"),
                amount=(case.quantity * Decimal("1.70")).quantize(Decimal("0.01")),
            )
        ],
    )
    purchase_record(actor=admin, data=data)
