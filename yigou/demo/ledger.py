"""2018's purchase ledger: household and producer sales written as one in-memory import table through the bulk
path (so thousands of purchases load in seconds), then a handful recorded one by one by the demo accounts, at
activities and outlets, and two corrections by reversal — everything through the ledger services."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from yigou.accounts.models import User
from yigou.core.errors import DomainError
from yigou.core.tabular import Table
from yigou.ledger.attribution import LinkageBook
from yigou.ledger.bulk import layout
from yigou.ledger.bulk.service import purchases_import
from yigou.ledger.enums import Attribution, BuyerKind, Channel
from yigou.registry.enums import ProducerKind

from .assist import DemoAssist
from .buyers import Buyer, BuyerPools, build_buyers
from .entries import record_handful
from .goods import Line, household_lines, producer_lines
from .households import DemoHousehold
from .market import YEAR, DemoMarket
from .producers import DemoProducers
from .regions import DemoRegions
from .sales import HOUSEHOLD_CHANNELS, PRODUCER_CHANNELS, attribution_for, choose_channel

RATE = 8  # purchases a month in a selling village of the default size
DEFAULT_VILLAGE_SIZE = 18  # households per village with the default 3,000 households
SEASON = [
    1.3,
    1.5,
    1.0,
    0.9,
    0.8,
    0.8,
    0.8,
    0.9,
    1.0,
    1.0,
    1.0,
    1.3,
]  # 腊肉 and gifts before the Spring Festival
PRODUCER_RATE = Decimal("0.12")  # sales a month per household linked to a cooperative or company


@dataclass
class DemoLedger:
    imported: int = 0
    recorded: int = 0
    reversals: int = 0
    amount: Decimal = Decimal("0.00")

    @property
    def purchases(self) -> int:
        return self.imported + self.recorded + self.reversals


def stochastic_round(rng: random.Random, expected: float) -> int:
    """A whole number whose mean is `expected`, so small demos get proportionally fewer purchases."""
    whole = int(expected)
    return whole + (rng.random() < expected - whole)


class ImportRows:
    """The rows of one purchase import table in the documented layout; one row per purchase line."""

    def __init__(self) -> None:
        self.rows: list[list[str]] = []
        self.purchases = 0
        self.amount = Decimal("0.00")

    def add(
        self,
        *,
        day: dt.date,
        buyer: Buyer,
        channel: str,
        outlet: str,
        seller: str,
        lines: list[Line],
        rule: str = "",
        entered: str = "",
    ) -> None:
        self.purchases += 1
        first = {
            "外部编号": f"DEMO-{YEAR}-{self.purchases:06d}",
            "日期": day.isoformat(),
            "购买方类型": BuyerKind(buyer.kind).label,
            "购买方": buyer.cell,
            "渠道": Channel(channel).label,
            "网点": outlet,
            "销售方": seller,
            "分配方式": Attribution(rule).label if rule else "",
            "受益农户": entered,
        }
        for n, line in enumerate(lines):
            cells = first if n == 0 else {"外部编号": first["外部编号"], "日期": first["日期"]}
            cells |= {
                "产品": line.product,
                "品类": line.category,
                "数量": str(line.quantity),
                "单位": line.unit,
                "单价": str(line.unit_price),
                "金额": str(line.amount),
            }
            self.rows.append([cells.get(header, "") for header in layout.HEADERS])
            self.amount += line.amount

    def table(self) -> Table:
        return Table(headers=list(layout.HEADERS), rows=self.rows, encoding="utf-8")


def _day(rng: random.Random, month: int) -> dt.date:
    return dt.date(YEAR, month, rng.randint(1, 28))


def _household_sales(
    rng: random.Random,
    rows: ImportRows,
    regions: DemoRegions,
    homes: list[DemoHousehold],
    pools: BuyerPools,
    market: DemoMarket,
) -> None:
    by_village: dict[str, list[DemoHousehold]] = {}
    for demo in homes:
        if demo.status != "removed":
            by_village.setdefault(demo.household.village_id, []).append(demo)
    for month in range(1, 13):
        for county in regions.counties:
            for village in regions.villages[county.code]:
                sellers = by_village.get(village.code, [])
                if not sellers or rng.random() >= (0.65 if village.poor_since else 0.4):
                    continue  # not every village sells every month
                expected = RATE * len(sellers) / DEFAULT_VILLAGE_SIZE * SEASON[month - 1]
                weights = [3 if s.registered else 1 for s in sellers]
                for _ in range(stochastic_round(rng, expected)):
                    demo = rng.choices(sellers, weights)[0]
                    day = _day(rng, month)
                    buyer = pools.for_household(rng, demo.household.pk, village.code, county.code)
                    channel, outlet = choose_channel(
                        rng, HOUSEHOLD_CHANNELS[buyer.kind], market.open_in(county.code, day), village.code
                    )
                    rows.add(
                        day=day,
                        buyer=buyer,
                        channel=channel,
                        outlet=outlet,
                        seller=demo.household.number,
                        lines=household_lines(rng),
                    )


def _producer_sales(
    rng: random.Random,
    rows: ImportRows,
    producers: DemoProducers,
    book: LinkageBook,
    numbers: dict[int, str],
    pools: BuyerPools,
    market: DemoMarket,
) -> None:
    sellers = [
        p
        for p in producers.producers
        if p.kind in (ProducerKind.COOPERATIVE, ProducerKind.ENTERPRISE) and p.uscc
    ]
    for month in range(1, 13):
        for producer in sellers:
            reach = len(book.links[producer.pk]) + len(book.members[producer.pk])
            for _ in range(stochastic_round(rng, float(PRODUCER_RATE * reach) * SEASON[month - 1])):
                day = _day(rng, month)
                lines = producer_lines(rng, producer.main_products)
                attribution = attribution_for(
                    rng, producer, book, day, sum((x.amount for x in lines), Decimal("0.00")), numbers
                )
                if attribution is None:
                    continue
                buyer = pools.for_producer(rng, producer.county_code)
                channel, outlet = choose_channel(
                    rng,
                    PRODUCER_CHANNELS[buyer.kind],
                    market.open_in(producer.county_code, day),
                    producer.region_id,
                )
                rows.add(
                    day=day,
                    buyer=buyer,
                    channel=channel,
                    outlet=outlet,
                    seller=producer.uscc or "",
                    lines=lines,
                    rule=attribution[0],
                    entered=attribution[1],
                )


def _import(actor: Any, rows: ImportRows) -> int:
    report = purchases_import(actor=actor, table=rows.table(), dry_run=False, note="演示数据：2018年购买台账")
    if not report.ok:
        errors = [e.as_dict() for e in report.errors[:5]]
        raise DomainError("invalid_input", detail=f"演示购买台账导入失败：{errors}")
    return report.written


def build_ledger(
    *,
    actor: Any,
    rng: random.Random,
    regions: DemoRegions,
    households: list[DemoHousehold],
    producers: DemoProducers,
    units: DemoAssist,
    market: DemoMarket,
    users: list[User],
    say: Callable[[str], None],
) -> DemoLedger:
    pools = build_buyers(rng, units, [c.code for c in regions.counties])
    book = LinkageBook(p.pk for p in producers.producers)
    numbers = {d.household.pk: d.household.number for d in households}
    rows = ImportRows()
    _household_sales(rng, rows, regions, households, pools, market)
    _producer_sales(rng, rows, producers, book, numbers, pools, market)
    imported = _import(actor, rows)
    # After the import: one of the corrections reverses an imported purchase.
    handful = record_handful(
        rng=rng,
        users={u.username: u for u in users},
        households=households,
        producers=producers,
        units=units,
        market=market,
        book=book,
    )
    out = DemoLedger(
        imported=imported,
        recorded=handful.recorded,
        reversals=handful.reversals,
        amount=rows.amount + handful.amount,
    )
    say(
        f"购买台账：2018年 {out.purchases} 笔（批量导入 {out.imported} 笔，逐笔登记 {out.recorded} 笔，"
        f"冲销 {out.reversals} 笔），金额合计 {out.amount} 元。"
    )
    return out
