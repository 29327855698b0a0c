"""A season of the supply book around today in the demo village, with a warning at every level after the scan.

Four households of the village staff's village (or the village itself) expect to sell: 腊肉 ending in 2 days (严重), 柑橘 in 6 days
(预警), 土鸡蛋 in 12 days (关注) and 红薯 in 40 days (no warning yet); nothing is sold yet, so all is left.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal

from yigou.accounts.models import User
from yigou.registry.models import Household
from yigou.supply import monitoring
from yigou.supply.services import SupplyInput, supply_record

SEASON = [
    # name, category, unit, quantity, days on sale so far, days left, keeps days, expected price
    ("腊肉", "meat_egg", "公斤", "300", 20, 2, 60, "60.00"),
    ("柑橘", "fruit_veg", "公斤", "2000", 10, 6, 30, "4.50"),
    ("土鸡蛋", "meat_egg", "个", "3000", 5, 12, 25, "1.50"),
    ("红薯", "fruit_veg", "公斤", "5000", 3, 40, 90, "1.20"),
]


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
    say(f"供给台账：{village.name} {len(SEASON)} 条，滞销预警 {len(findings)} 条（严重、预警、关注各一）。")
    return len(SEASON)
