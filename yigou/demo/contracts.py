"""Purchase contracts, pre-orders with a deposit and a village buy-back, through the contracts services.

2018: the city office signs contracts for the two unit–producer pairs that bought from each other most often in
the demo ledger and counts those purchases against them (one contract stays in force with a late instalment,
the other is closed); a pre-order of a unit from a household with a paid deposit is settled from its ledger
purchases and closed; 船山区 sets up a buy-back of an enterprise in two villages, kept out of the ledger.
Around today: the demo unit signs a draft contract with the village account's village, the 船山 office a
contract it then terminates, and the city office a pre-order of eggs whose paid order is counted against it.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import ROUND_UP, Decimal

from yigou.accounts.models import User
from yigou.assist.models import AssistingUnit
from yigou.contracts import buyback as bb
from yigou.contracts import draws, preorders
from yigou.contracts.models import BuyBack, Contract, PreOrder
from yigou.contracts.parties import PartiesInput
from yigou.contracts.services import ContractInput, ItemInput, contract_create, contract_transition
from yigou.ledger.enums import BuyerKind
from yigou.ledger.models import Purchase, PurchaseLine
from yigou.market.models import Order, PreSaleItem
from yigou.regions.enums import Level
from yigou.regions.models import Region
from yigou.registry.enums import ProducerKind
from yigou.registry.models import Household, Producer

from .users import CHUANSHAN

YEAR = 2018
TOLERANCE = Decimal("30")
CATEGORIES = {
    "蔬菜": "fruit_veg",
    "水果": "fruit_veg",
    "畜禽": "meat_egg",
    "禽蛋": "meat_egg",
    "肉类": "meat_egg",
    "粮油": "grain_oil",
    "水产": "aquatic",
    "中药材": "herbs",
    "调味品": "processed",
    "干果": "processed",
}


@dataclass
class DemoContracts:
    contracts: list[Contract] = field(default_factory=list)
    preorders: list[PreOrder] = field(default_factory=list)
    buybacks: list[BuyBack] = field(default_factory=list)
    draws: int = 0


def _direct(**filters: object) -> list[Purchase]:
    """Standing 2018 ledger purchases by a unit (not through an order, neither reversed nor a reversal)."""
    return list(
        Purchase.objects.filter(
            date__year=YEAR,
            order__isnull=True,
            reverses__isnull=True,
            reversal__isnull=True,
            buyer_unit__isnull=False,
            buyer_kind__in=(BuyerKind.UNIT, BuyerKind.CANTEEN),
            **filters,
        )
        .select_related("buyer_unit", "seller_producer", "seller_household")
        .prefetch_related("lines")
        .order_by("date", "pk")
    )


def _top_pairs(kind: str, n: int) -> list[tuple[int, int]]:
    """The buyer–seller pairs with the most purchases, ties by ids: deterministic for a given demo."""
    rows = _direct(**{f"seller_{kind}__isnull": False})
    counted = Counter((p.buyer_unit_id, getattr(p, f"seller_{kind}_id")) for p in rows)
    return sorted(counted, key=lambda pair: (-counted[pair], pair))[:n]  # type: ignore[return-value]


def _median(values: list[Decimal]) -> Decimal:
    ordered = sorted(values)
    return ordered[len(ordered) // 2]


def _within(price: Decimal, agreed: Decimal) -> bool:
    return abs(price - agreed) * 100 <= agreed * TOLERANCE


def _round_up(value: Decimal) -> Decimal:
    return (value / 10).quantize(Decimal(1), rounding=ROUND_UP) * 10


def _item(name: str, unit: str, lines: list[PurchaseLine], price: Decimal) -> ItemInput:
    """Agreed at 1.3 times what was bought, half due by the end of June: the rest is outstanding (late)."""
    agreed = _round_up(sum((ln.quantity for ln in lines), Decimal(0)) * Decimal("1.3"))
    half = _round_up(agreed / 2)
    return ItemInput(
        name=name,
        unit=unit,
        category=CATEGORIES.get(lines[0].category, "other"),
        price=price,
        quantity=agreed,
        schedule=[(dt.date(YEAR, 6, 30), half), (dt.date(YEAR, 12, 31), agreed - half)],
    )


def _ledger_contract(
    office: User, unit_id: int, producer_id: int, number: str, close: bool
) -> tuple[Contract, int]:
    purchases = _direct(buyer_unit_id=unit_id, seller_producer_id=producer_id)
    goods: dict[tuple[str, str], list[PurchaseLine]] = {}
    for purchase in purchases:
        for line in purchase.lines.all():
            goods.setdefault((line.product, line.unit), []).append(line)
    prices = {key: _median([line.unit_price for line in lines]) for key, lines in goods.items()}
    fitting = [
        p
        for p in purchases
        if all(_within(ln.unit_price, prices[(ln.product, ln.unit)]) for ln in p.lines.all())
    ]
    items = [_item(name, unit, lines, prices[(name, unit)]) for (name, unit), lines in goods.items()]
    buyer, seller = purchases[0].buyer_unit, purchases[0].seller_producer
    assert buyer is not None and seller is not None
    contract = contract_create(
        actor=office,
        parties=PartiesInput(units=[buyer], producers=[seller]),
        items=items,
        data=ContractInput(
            number=number,
            title=f"{buyer.name}采购{seller.name}农产品合同",
            signed_on=dt.date(YEAR, 1, 5),
            period_start=dt.date(YEAR, 1, 1),
            period_end=dt.date(YEAR, 12, 31),
            price_tolerance=TOLERANCE,
            note="以购助扶定向采购，按月结算",
        ),
    )
    contract = contract_transition(actor=office, contract=contract, action="activate")
    drawn = sum(
        len(draws.contract_draw_purchase(actor=office, purchase=p, contract=contract)) for p in fitting
    )
    if close:
        contract = contract_transition(actor=office, contract=contract, action="close", reason="年度采购结束")
    return contract, drawn


def _current_contracts(users: dict[str, User], today: dt.date) -> list[Contract]:
    unit_user, office = users["unit"], users["chuanshan"]
    unit = unit_user.organisation.unit if unit_user.organisation else None
    village = users["village"].region
    made: list[Contract] = []
    if unit is not None and village is not None:
        made.append(
            contract_create(
                actor=unit_user,
                parties=PartiesInput(units=[unit], villages=[village]),
                items=[
                    ItemInput(
                        name="土鸡蛋",
                        category="meat_egg",
                        unit="个",
                        quantity=6000,
                        price="1.60",
                        schedule=[
                            (today + dt.timedelta(days=60), 3000),
                            (today + dt.timedelta(days=150), 3000),
                        ],
                    ),
                    ItemInput(name="农家腊肉", category="meat_egg", unit="公斤", quantity=300, price="68.00"),
                ],
                data=ContractInput(
                    number=f"SN-{today.year}-CZ-001",
                    title=f"{unit.name}{village.name}农产品认购合同",
                    signed_on=today,
                    period_start=today + dt.timedelta(days=1),
                    period_end=today + dt.timedelta(days=180),
                    note="待双方盖章后生效",
                ),
            )
        )
    coop = users["producer"].organisation.producer if users["producer"].organisation else None
    buyer = _first_unit_in(CHUANSHAN)
    if coop is not None and buyer is not None:
        contract = contract_create(
            actor=office,
            parties=PartiesInput(units=[buyer], producers=[coop]),
            items=[ItemInput(name="莲藕", category="fruit_veg", unit="公斤", quantity=2000, price="5.00")],
            data=ContractInput(
                number=f"CS-{today.year}-007",
                title=f"{buyer.name}采购莲藕合同",
                signed_on=today - dt.timedelta(days=40),
                period_start=today - dt.timedelta(days=30),
                period_end=today + dt.timedelta(days=60),
            ),
        )
        contract = contract_transition(actor=office, contract=contract, action="activate")
        made.append(
            contract_transition(
                actor=office,
                contract=contract,
                action="terminate",
                reason="采购单位食堂改造停用，双方协商终止",
            )
        )
    return made


def _first_unit_in(county: str) -> AssistingUnit | None:
    return AssistingUnit.objects.filter(region__code__startswith=county[:6]).order_by("pk").first()


def _ledger_preorder(office: User) -> tuple[PreOrder | None, int]:
    pairs = _top_pairs("household", 1)
    if not pairs:
        return None, 0
    purchases = _direct(buyer_unit_id=pairs[0][0], seller_household_id=pairs[0][1])
    first = purchases[0].lines.all()[0]
    matching = [
        p
        for p in purchases
        if any(ln.product == first.product and ln.unit == first.unit for ln in p.lines.all())
    ]
    fitting = [
        p
        for p in matching
        if all(
            _within(ln.unit_price, first.unit_price)
            for ln in p.lines.all()
            if ln.product == first.product and ln.unit == first.unit
        )
    ]
    delivered = sum(
        (ln.quantity for p in fitting for ln in p.lines.all() if ln.product == first.product), Decimal(0)
    )
    signed = min(purchases[0].date, dt.date(YEAR, 3, 1))
    agreed = _round_up(delivered * 2)
    deposit = (agreed * first.unit_price * Decimal("0.2")).quantize(Decimal(1))
    preorder = preorders.preorder_create(
        actor=office,
        parties=preorders.PreOrderParties(
            buyer_unit=purchases[0].buyer_unit, seller_household=purchases[0].seller_household
        ),
        data=preorders.PreOrderInput(
            number=f"YG-{YEAR}-0001",
            name=first.product,
            unit=first.unit,
            category=CATEGORIES.get(first.category, "other"),
            quantity=agreed,
            price=first.unit_price,
            signed_on=signed,
            harvest_start=signed,
            harvest_end=dt.date(YEAR, 12, 31),
            deposit=deposit,
            price_tolerance=TOLERANCE,
            note="以产预购：年初预付定金，交货时抵扣",
        ),
    )
    preorder = preorders.preorder_pay_deposit(actor=office, preorder=preorder, paid_on=signed)
    drawn = sum(
        len(preorders.preorder_draw_purchase(actor=office, purchase=p, preorder=preorder)) for p in fitting
    )
    preorder = preorders.preorder_end(
        actor=office, preorder=preorder, status="closed", reason="年度交货结束，剩余定金退还购买方"
    )
    return preorder, drawn


def _current_preorder(users: dict[str, User], today: dt.date) -> tuple[PreOrder | None, int]:
    """Eggs of the village list's seller for the demo unit; the unit's paid order of eggs counts against it."""
    office, unit_user = users["city"], users["unit"]
    item = PreSaleItem.objects.filter(name="土鸡蛋", seller_household__isnull=False).order_by("pk").first()
    unit = unit_user.organisation.unit if unit_user.organisation else None
    if item is None or unit is None:
        return None, 0
    preorder = preorders.preorder_create(
        actor=office,
        today=today,
        parties=preorders.PreOrderParties(buyer_unit=unit, seller_household=item.seller_household),
        data=preorders.PreOrderInput(
            number=f"YG-{today.year}-0001",
            name="土鸡蛋",
            category="meat_egg",
            unit="个",
            quantity=1000,
            price="1.60",
            signed_on=today - dt.timedelta(days=10),
            harvest_start=today - dt.timedelta(days=10),
            harvest_end=today + dt.timedelta(days=80),
            deposit="300.00",
            note="冬季土鸡蛋以产预购，定金抵扣货款",
        ),
    )
    preorder = preorders.preorder_pay_deposit(
        actor=office, preorder=preorder, paid_on=today - dt.timedelta(days=9), today=today
    )
    order = (
        Order.objects.filter(buyer_unit=unit, status__in=("paid", "rated"), lines__item=item)
        .order_by("pk")
        .first()
    )
    drawn = len(preorders.preorder_draw_order(actor=office, order=order, preorder=preorder)) if order else 0
    return preorder, drawn


def _buyback(office: User, today: dt.date) -> BuyBack | None:
    enterprise = (
        Producer.objects.filter(county_code=CHUANSHAN, kind=ProducerKind.ENTERPRISE).order_by("pk").first()
    )
    villages = list(
        Region.objects.filter(code__startswith=CHUANSHAN[:6], level=Level.VILLAGE, households__isnull=False)
        .distinct()
        .order_by("-is_poor", "code")[:2]
    )
    if enterprise is None or not villages:
        return None
    buyback = bb.buyback_create(
        actor=office,
        enterprise=enterprise,
        villages=villages,
        data=bb.BuyBackInput(
            title=f"{enterprise.name}包村回购红薯",
            name="红薯",
            category="fruit_veg",
            unit="公斤",
            floor_price="1.60",
            season="2018年秋季",
            season_start=dt.date(YEAR, 8, 1),
            season_end=dt.date(YEAR, 11, 30),
            support="免费提供脱毒红薯种苗，派技术员上门指导栽插和储藏",
        ),
    )
    homes = list(Household.objects.filter(village__in=villages).order_by("village_id", "number")[:6])
    for n, home in enumerate(homes):
        bb.buyback_enrol(actor=office, buyback=buyback, household=home, enrolled_on=dt.date(YEAR, 3, 10 + n))
        for k, day in enumerate((dt.date(YEAR, 9, 5 + n), dt.date(YEAR, 10, 12 + n))[: 1 + n % 2]):
            bb.buyback_deliver(
                actor=office,
                buyback=buyback,
                household=home,
                day=day,
                today=today,
                qty=300 + 50 * n - 40 * k,
                unit_price="1.80" if k else "1.60",
            )
    return bb.buyback_close(actor=office, buyback=buyback, reason="2018年秋季收购结束")


def build_contracts(*, users: list[User], today: dt.date, say: Callable[[str], None]) -> DemoContracts:
    by_name = {u.username: u for u in users}
    out = DemoContracts()
    for n, (unit_id, producer_id) in enumerate(_top_pairs("producer", 2)):
        contract, drawn = _ledger_contract(
            by_name["city"], unit_id, producer_id, f"SN-{YEAR}-{n + 1:03d}", n == 1
        )
        out.contracts.append(contract)
        out.draws += drawn
    out.contracts += _current_contracts(by_name, today)
    for made, drawn in (_ledger_preorder(by_name["city"]), _current_preorder(by_name, today)):
        if made is not None:
            out.preorders.append(made)
            out.draws += drawn
    buyback = _buyback(by_name["chuanshan"], today)
    out.buybacks = [buyback] if buyback is not None else []
    say(
        f"认购合同 {len(out.contracts)} 份、以产预购 {len(out.preorders)} 份（计入交付 {out.draws} 笔明细），"
        f"包村回购 {len(out.buybacks)} 个。"
    )
    return out
