"""The reserved-share worked example (year Y = this year, because payment can only be recorded up to today).

Floors for Y: 遂宁市 15%, 船山区 20% (船山区 units get 20%: the most specific region wins).
Budget units in 船山区 and what they file for Y (figures by hand):

| unit | canteen | filing | reserved | union part | target | state |
|---|---|---|---|---|---|---|
| A 区政府办 | shared, files for A and B | 500,000.00 × 20% | 100,000.00 | 300.00 × 100 = 30,000.00 | 130,000.00 | approved |
| B 发改局 | merged into A (由“区政府办”合并填报) | — | — | — | — | follows A |
| C 档案馆 | none (无食堂) | 0 | 0.00 | 200.00 × 20 = 4,000.00 | 4,000.00 | approved |
| D 教育局 | outsourced to 味美餐饮 (an enterprise) | 300,000.00 × 20% | 60,000.00 | 0 | 60,000.00 | submitted |
| E 农业农村局 | own; Y-1 approved 36,000.00 | 150,000.00 × 20% | 30,000.00 < 36,000.00 | 0 | — | returned |
| F 卫健局 | outsourced to the account “chef” | 100,000.00 × 25% | 25,000.00 | 0 | 25,000.00 | approved |
| G 统计局 | never files, never buys | | | | | |

Orders on 永兴村's pre-sale list (大米 5.00/公斤, 腊肉 60.00/公斤, 土鸡蛋 1.50/个), all paid unless said:

| buyer | what | amount | counts to |
|---|---|---|---|
| A's canteen | 大米 4,000 | 20,000.00 | A (unit) |
| A's cadre 李明 | 腊肉 50 | 3,000.00 | A (staff) |
| A's union (区政府办工会, a registered social organisation) | 土鸡蛋 4,000 | 6,000.00 | A (union) |
| B | 腊肉 100 | 6,000.00 | A (merged) |
| B | 大米 2,000, paid then refunded | 10,000.00 − 10,000.00 | A (merged): 0 |
| B | 大米 1,000, received, not paid | 5,000.00 | nothing |
| A, off-platform (recorded in the ledger without an order) | 腊肉 | 2,000.00 | nothing |
| C | 土鸡蛋 2,000 | 3,000.00 | C |
| D | 腊肉 100 | 6,000.00 | D (unit) |
| 味美餐饮 (D's contractor) | 大米 6,000 | 30,000.00 | D (contractor) |
| E | 大米 1,000 | 5,000.00 | E |
| chef (F's contractor account) | 土鸡蛋 10,000 | 15,000.00 | F (contractor) |
| 遂宁市财政局 (a city unit, no filing) | 大米 200 | 1,000.00 | itself (outside 船山区) |

Completion: A 20,000 + 3,000 + 6,000 (union) + 6,000 (B) = 35,000.00 of 130,000.00 = 26.92%; C 3,000.00 of
4,000.00 = 75.00%; D 36,000.00 of 60,000.00 = 60.00%; E 5,000.00 (no target while returned); F 15,000.00 of
25,000.00 = 60.00%; G 0.

船山区 dashboard: 7 budget units, 5 filed (A, B, C, D, F), 2 not filed (E, G); reserved total 130,000 + 4,000 +
60,000 + 25,000 = 219,000.00; completed 35,000 + 3,000 + 36,000 + 15,000 = 89,000.00; rate 40.64%.
Ranking: C 75.00, F 60.00, D 60.00 (ties by name: 卫 < 教), A 26.92. Never bought: G. On 1 July, with half
the year gone (49.86%, or 50.00% in a leap year), only A is behind.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from tests.world import PASSWORD, World
from yigou.accounts.enums import OrgKind, Role
from yigou.accounts.models import User
from yigou.accounts.services import organisation_create, system_actor, user_create
from yigou.assist import services as assist
from yigou.assist.models import AssistingUnit, Cadre
from yigou.ledger.enums import BuyerKind, Channel
from yigou.ledger.services import LineInput, PurchaseInput, purchase_record
from yigou.market import ordering
from yigou.market.models import Order, PreSaleItem, PreSaleList
from yigou.market.presale import ItemInput, ListInput, presale_publish
from yigou.shares import services
from yigou.shares.models import ShareFiling
from yigou.shares.services import FilingInput, floor_set

CHUANSHAN = "510903000000"
UNITS = {
    # key: name, kind, budget, canteen, union, staff
    "A": ("船山区人民政府办公室", "government", True, True, True, 80),
    "B": ("船山区发展和改革局", "government", True, False, True, 20),
    "C": ("船山区档案馆", "institution", True, False, True, 20),
    "D": ("船山区教育局", "government", True, True, True, 60),
    "E": ("船山区农业农村局", "government", True, True, False, 40),
    "F": ("船山区卫生健康局", "government", True, True, False, 30),
    "G": ("船山区统计局", "government", True, False, False, 10),
    "union": ("船山区人民政府办公室工会", "social_org", False, False, False, 0),
    "caterer": ("遂宁味美餐饮有限公司", "private", False, False, False, 25),
}


@dataclass
class Example:
    world: World
    year: int
    today: dt.date
    units: dict[str, AssistingUnit] = field(default_factory=dict)
    filings: dict[str, ShareFiling] = field(default_factory=dict)
    users: dict[str, User] = field(default_factory=dict)
    items: dict[str, PreSaleItem] = field(default_factory=dict)
    orders: dict[str, Order] = field(default_factory=dict)
    cadre: Cadre | None = None
    presale: PreSaleList | None = None

    @property
    def admin(self) -> User:
        return self.world.users["admin"]


def add_units(ex: Example) -> None:
    region = ex.world.regions[CHUANSHAN]
    for key, (name, kind, budget, canteen, union, staff) in UNITS.items():
        ex.units[key] = assist.unit_register(
            actor=ex.admin,
            region=region,
            name=name,
            kind=kind,
            is_budget_unit=budget,
            has_canteen=canteen,
            has_union=union,
            staff_count=staff,
        )
    ex.cadre = assist.cadre_add(actor=ex.admin, unit=ex.units["A"], name="李明")
    org = organisation_create(
        actor=None, name=UNITS["A"][0], kind=OrgKind.UNIT, region=region, unit=ex.units["A"]
    )
    ex.users["a_staff"] = user_create(
        actor=system_actor(),
        username="a_staff",
        password=PASSWORD,
        role=Role.UNIT,
        organisation=org,
        display_name="区府办填报员",
        check_password=False,
    )
    ex.users["chef"] = user_create(
        actor=system_actor(),
        username="chef",
        password=PASSWORD,
        role=Role.BUYER,
        organisation=None,
        display_name="食堂承包人王师傅",
        check_password=False,
    )


def add_presale(ex: Example) -> None:
    zhang, start = ex.world.households["zhang"], ex.today - dt.timedelta(days=1)
    data = ListInput(
        title="永兴村秋季农产品预售",
        opens_on=start,
        closes_on=ex.today + dt.timedelta(days=30),
        contact_name="永兴村村委会",
        contact_phone="13800001111",
    )
    goods = [
        ("大米", "grain_oil", "公斤", "5.00"),
        ("腊肉", "meat_egg", "公斤", "60.00"),
        ("土鸡蛋", "meat_egg", "个", "1.50"),
    ]
    items = [
        ItemInput(
            name=n,
            category=c,
            unit=u,
            unit_price=Decimal(p),
            quantity=Decimal("100000"),
            window_start=start,
            window_end=ex.today + dt.timedelta(days=60),
            seller_household=zhang,
        )
        for n, c, u, p in goods
    ]
    ex.presale = presale_publish(
        actor=ex.admin, data=data, items=items, village=zhang.village, today=ex.today
    )
    ex.items = {item.name: item for item in ex.presale.items.all()}


def buy(
    ex: Example,
    key: str,
    item: str,
    quantity: str,
    *,
    unit: AssistingUnit | None = None,
    kind: str = BuyerKind.UNIT,
    cadre: Cadre | None = None,
    actor: Any = None,
    pay: bool = True,
) -> Order:
    """Place, confirm, ship, receive and (unless pay=False) pay one order through the market services."""
    assert ex.presale is not None
    placed_by = actor or ex.admin
    order = ordering.order_place(
        actor=placed_by,
        presale_list=ex.presale,
        lines=[(ex.items[item].pk, quantity)],
        buyer_kind=kind,
        cadre=cadre,
        unit=unit if actor is None else None,
        today=ex.today,
    )
    ordering.order_confirm(actor=ex.admin, order=order)
    ordering.order_ship(actor=ex.admin, order=order)
    ordering.order_receive(actor=placed_by, order=order)
    if pay:
        ordering.order_pay(actor=placed_by, order=order, paid_on=ex.today, today=ex.today)
    order.refresh_from_db()
    ex.orders[key] = order
    return order


def refund(ex: Example, order: Order) -> None:
    request = ordering.aftersale_request(actor=ex.admin, order=order, kind="refund", reason="大米受潮")
    ordering.aftersale_resolve(actor=ex.admin, request=request, approve=True, resolution="同意退款")


def _orders(ex: Example) -> None:
    u = ex.units
    buy(ex, "a_canteen", "大米", "4000", unit=u["A"], kind=BuyerKind.CANTEEN)
    buy(ex, "a_cadre", "腊肉", "50", unit=u["A"], kind=BuyerKind.CADRE, cadre=ex.cadre)
    buy(ex, "a_union", "土鸡蛋", "4000", unit=u["union"], kind=BuyerKind.SOCIAL_ORG)
    buy(ex, "b_paid", "腊肉", "100", unit=u["B"])
    refund(ex, buy(ex, "b_refunded", "大米", "2000", unit=u["B"]))
    buy(ex, "b_unpaid", "大米", "1000", unit=u["B"], pay=False)
    buy(ex, "c", "土鸡蛋", "2000", unit=u["C"])
    buy(ex, "d", "腊肉", "100", unit=u["D"])
    buy(ex, "d_contractor", "大米", "6000", unit=u["caterer"], kind=BuyerKind.ENTERPRISE)
    buy(ex, "e", "大米", "1000", unit=u["E"])
    buy(ex, "f_contractor", "土鸡蛋", "10000", actor=ex.users["chef"])
    buy(ex, "finance", "大米", "200", unit=ex.world.units["finance"])
    purchase_record(
        actor=ex.admin,
        data=PurchaseInput(
            date=ex.today,
            buyer_kind=BuyerKind.CANTEEN,
            channel=Channel.ONSITE,
            buyer_unit=u["A"],
            seller_household=ex.world.households["zhang"],
            lines=[
                LineInput(product="腊肉", quantity=Decimal("40"), unit="公斤", unit_price=Decimal("50.00"))
            ],
        ),
    )


def _file(ex: Example, key: str, data: FilingInput, year: int | None = None) -> ShareFiling:
    filing = services.filing_save(actor=ex.admin, unit=ex.units[key], year=year or ex.year, data=data)
    return services.filing_submit(actor=ex.admin, filing=filing)


def _filings(ex: Example) -> None:
    office, u = ex.world.users["chuanshan"], ex.units
    last = _file(ex, "E", FilingInput(mode="own", canteen_total="180000.00", ratio="20"), year=ex.year - 1)
    services.filing_approve(actor=office, filing=last)
    floor_set(actor=ex.world.users["city"], region=ex.world.regions["510900000000"], year=ex.year, ratio="15")
    floor_set(actor=office, region=ex.world.regions[CHUANSHAN], year=ex.year, ratio="20", note="船山区文件")
    ex.filings["A"] = _file(
        ex,
        "A",
        FilingInput(
            mode="shared",
            canteen_total="500000.00",
            ratio="20",
            union_per_head="300.00",
            union_staff=100,
            union_unit=u["union"],
            covered_units=[u["B"]],
        ),
    )
    ex.filings["C"] = _file(ex, "C", FilingInput(mode="none", union_per_head="200", union_staff=20))
    ex.filings["D"] = _file(
        ex,
        "D",
        FilingInput(mode="outsourced", canteen_total="300000", ratio="20", contractor_unit=u["caterer"]),
    )
    ex.filings["E"] = _file(ex, "E", FilingInput(mode="own", canteen_total="150000", ratio="20"))
    ex.filings["F"] = _file(
        ex,
        "F",
        FilingInput(mode="outsourced", canteen_total="100000", ratio="25", contractor_user=ex.users["chef"]),
    )
    for key in ("A", "C", "F"):
        ex.filings[key] = services.filing_approve(actor=office, filing=ex.filings[key])
    ex.filings["E"] = services.filing_return(
        actor=office, filing=ex.filings["E"], reason="低于上年预留金额，请核实"
    )
    ex.filings["B"] = ShareFiling.objects.get(unit=u["B"], year=ex.year)


def build_example(world: World, today: dt.date | None = None) -> Example:
    today = today or dt.date.today()
    ex = Example(world=world, year=today.year, today=today)
    add_units(ex)
    add_presale(ex)
    _filings(ex)
    _orders(ex)
    return ex
