"""Fake figures (虚假数据) planted in 船山区's 2018 ledger, the scan that finds them, and investigation cases for
them in every state — all through the ledger, scan and case services, as the pages and the API use them.

The rest of the demo ledger is clean: the rules flag a few households whose volume happens to be high (about 0.2%
of the purchases) and nothing in 船山区. Planted there, every one recorded by the demo accounts with an external id
of the county's numbering (`PLANTED`):

* a unit's purchase entered by the county office, then again from a township's summary under another number
  (重复录入) — confirmed by the city, which reverses the copy (已查实);
* a sale entered by the village clerk and again by the county office (重复录入) — assigned to the county (已交办);
* a cadre buying exactly 300 元 from ten households on the eve of the Mid-Autumn Festival (同日批量等额购买) —
  explained by the county (已说明), waiting for the city's decision;
* one household selling twelve times its peers' median of the county's most common product (销量异常) — explained
  as a large grower with leased land and dismissed by the city (已排除);
* a canteen paying four times the reference price (价格异常) — just opened by the auditor (已立案).

Then the city and the county are scanned for 2018 (the city first, so every finding ends up with the narrowest scan
that raised it) and the cases are opened by the city's audit bureau (one by the city office), assigned and decided
by the city office (strictly above the county) and explained by the county office.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from statistics import median

from yigou.accounts.models import User
from yigou.anomalies import cases as case_services
from yigou.anomalies.enums import InvestigationStatus, RuleCode
from yigou.anomalies.models import Finding, Investigation
from yigou.anomalies.scan import scan
from yigou.assist.models import AssistingUnit, Cadre
from yigou.core.periods import parse_period
from yigou.ledger.enums import BuyerKind, Channel
from yigou.ledger.models import Purchase, PurchaseLine
from yigou.ledger.services import LineInput, PurchaseInput, purchase_record
from yigou.regions.models import Region
from yigou.registry.models import Household

from .assist import DemoAssist
from .households import DemoHousehold
from .market import YEAR
from .users import CHUANSHAN

PLANTED = f"CSQ-{YEAR}-"  # the external ids of the planted purchases: 船山区's numbering
COUNTY = CHUANSHAN
BATCH_SELLERS = 10
BATCH_AMOUNT = Decimal("300.00")
VOLUME_TIMES = 12  # the grower sells this many times the peers' median, in four sales
PRICE_TIMES = 4
S = InvestigationStatus


@dataclass
class DemoAnomalies:
    planted: list[Purchase] = field(default_factory=list)
    reversals: int = 0
    findings: Counter[str] = field(default_factory=Counter)  # rule → stored findings after the scans
    cases: Counter[str] = field(default_factory=Counter)  # status → cases


@dataclass
class _Planter:
    users: dict[str, User]
    pool: list[Household]  # 船山区's households, township by township in turn (see _pool)
    units: list[AssistingUnit]  # 船山区's own units
    cadre: Cadre | None
    out: DemoAnomalies = field(default_factory=DemoAnomalies)
    taken: int = 0

    def household(self, avoid: set[int] | None = None) -> Household:
        """The next household of the pool (past any in `avoid`), from the township after the last one's."""
        for _ in range(len(self.pool)):
            home = self.pool[self.taken % len(self.pool)]
            self.taken += 1
            if home.pk not in (avoid or set()):
                return home
        return self.pool[self.taken % len(self.pool)]

    def record(self, username: str, number: int, data: PurchaseInput) -> Purchase:
        data.external_id = f"{PLANTED}{number:04d}"
        purchase, _ = purchase_record(actor=self.users[username], data=data)
        self.out.planted.append(purchase)
        return purchase

    def canteen(self) -> AssistingUnit | None:
        return next((u for u in self.units if u.is_budget_unit and u.has_canteen), None)


def _line(product: str, category: str, quantity: str | Decimal, unit: str, price: str | Decimal) -> LineInput:
    qty, unit_price = Decimal(quantity), Decimal(price)
    return LineInput(
        product=product,
        category=category,
        quantity=qty,
        unit=unit,
        unit_price=unit_price,
        amount=(qty * unit_price).quantize(Decimal("0.01")),
    )


def _twice_by_the_county(p: _Planter) -> tuple[Purchase, Purchase] | None:
    """A unit's purchase entered by the county office, then again from a township's summary table."""
    if not p.units:
        return None
    data = PurchaseInput(
        date=dt.date(YEAR, 10, 16),
        buyer_kind=BuyerKind.UNIT,
        buyer_unit=p.units[0],
        channel=Channel.CONTRACT,
        seller_household=p.household(),
        lines=[_line("腊肉", "肉类", "6", "公斤", "68.00"), _line("菜籽油", "粮油", "5", "公斤", "26.00")],
        note="单位工会采购",
    )
    first = p.record("chuanshan", 101, data)
    data.note = "乡镇汇总表录入"
    return first, p.record("chuanshan", 117, data)


def _twice_by_two_people(p: _Planter) -> tuple[Purchase, Purchase]:
    """A sale entered by the village clerk (in the clerk's village when it has households), then by the county."""
    village = p.users["village"].organisation.region_id  # type: ignore[union-attr]
    own = [h for h in p.pool if h.village_id == village]
    clerk = "village" if own else "chuanshan"
    data = PurchaseInput(
        date=dt.date(YEAR, 11, 5),
        buyer_kind=BuyerKind.INDIVIDUAL,
        buyer_name="刘志强",
        channel=Channel.ONSITE,
        seller_household=own[0] if own else p.household(),
        lines=[_line("土鸡蛋", "禽蛋", "120", "个", "1.50"), _line("土鸡", "畜禽", "1", "只", "110.00")],
    )
    first = p.record(clerk, 152, data)
    return first, p.record("chuanshan", 160, data)


BATCH_LINES = [("腊肉", "肉类", "5", "公斤"), ("土鸡", "畜禽", "2", "只"), ("菜籽油", "粮油", "10", "公斤")]


def _batch(p: _Planter) -> list[Purchase]:
    """A cadre buys exactly 300 元 from each of ten households on one day, to make up the households' income."""
    if p.cadre is None or len(p.pool) < BATCH_SELLERS + 4:
        return []
    bought = []
    for n in range(BATCH_SELLERS):
        product, category, quantity, unit = BATCH_LINES[n % len(BATCH_LINES)]
        price = (BATCH_AMOUNT / Decimal(quantity)).quantize(Decimal("0.01"))
        bought.append(
            p.record(
                "chuanshan",
                201 + n,
                PurchaseInput(
                    date=dt.date(YEAR, 9, 21),
                    buyer_kind=BuyerKind.CADRE,
                    buyer_cadre=p.cadre,
                    channel=Channel.ONSITE,
                    seller_household=p.household(),
                    lines=[_line(product, category, quantity, unit, price)],
                    note="中秋节前帮扶干部购买",
                ),
            )
        )
    return bought


@dataclass(frozen=True)
class _Common:
    """What 船山区's households sell most widely: the product, its unit and category, the median a seller sold
    in the year and the median unit price of a line."""

    product: str
    unit: str
    category: str
    sold: Decimal
    price: Decimal
    sellers: set[int]


def _common_products() -> list[_Common]:
    """The county's household products by how many households sold them (most first, then by name)."""
    rows = (
        PurchaseLine.objects.filter(
            purchase__county_code=COUNTY,
            purchase__date__year=YEAR,
            purchase__seller_household__isnull=False,
            purchase__reverses__isnull=True,
        )
        .values_list("product", "unit", "category", "purchase__seller_household_id", "quantity", "unit_price")
        .order_by("id")
    )
    sold: dict[tuple[str, str], dict[int, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
    prices: dict[tuple[str, str], list[Decimal]] = defaultdict(list)
    categories: dict[tuple[str, str], str] = {}
    for product, unit, category, seller, quantity, price in rows:
        sold[(product, unit)][seller] += quantity
        prices[(product, unit)].append(price)
        categories.setdefault((product, unit), category)
    ranked = sorted(sold, key=lambda key: (-len(sold[key]), key))
    return [
        _Common(
            product=key[0],
            unit=key[1],
            category=categories[key],
            sold=Decimal(median(sold[key].values())),
            price=Decimal(median(prices[key])).quantize(Decimal("0.1")),
            sellers=set(sold[key]),
        )
        for key in ranked
    ]


def _grower(p: _Planter, common: _Common) -> list[Purchase]:
    """One household sells twelve times the median of the county's most common product, in four sales."""
    if len(p.units) < 2:
        return []
    home = p.household(
        avoid=common.sellers
    )  # no sale of its own of the product: the finding names only these
    each = max(Decimal(1), (common.sold * VOLUME_TIMES / 4).quantize(Decimal(1)))
    days = [dt.date(YEAR, 8, 10), dt.date(YEAR, 9, 12), dt.date(YEAR, 10, 18), dt.date(YEAR, 11, 22)]
    return [
        p.record(
            "chuanshan",
            301 + n,
            PurchaseInput(
                date=day,
                buyer_kind=BuyerKind.UNIT,
                buyer_unit=p.units[n % len(p.units)],
                channel=Channel.CONTRACT,
                seller_household=home,
                lines=[_line(common.product, common.category, each, common.unit, common.price)],
            ),
        )
        for n, day in enumerate(days)
    ]


def _dear(p: _Planter, common: _Common) -> Purchase | None:
    """A canteen pays four times the reference price for the county's second most common product."""
    canteen = p.canteen()
    if canteen is None:
        return None
    quantity = max(Decimal(1), (common.sold / 2).quantize(Decimal(1)))
    line = _line(common.product, common.category, quantity, common.unit, common.price * PRICE_TIMES)
    line.reference_price = common.price
    return p.record(
        "chuanshan",
        401,
        PurchaseInput(
            date=dt.date(YEAR, 10, 25),
            buyer_kind=BuyerKind.CANTEEN,
            buyer_unit=canteen,
            channel=Channel.CANTEEN,
            seller_household=p.household(),
            lines=[line],
        ),
    )


def _finding(rule: str, purchases: list[Purchase]) -> Finding | None:
    """The stored finding of the rule that names all the purchases."""
    wanted = {x.pk for x in purchases}
    for row in Finding.objects.filter(rule=rule).order_by("id"):
        if wanted and wanted <= set(row.purchase_ids):
            return row
    return None


def _take_to(status: str, finding: Finding | None, users: dict[str, User], story: dict[str, str]) -> None:
    """Opens a case for the finding and takes it as far as `status`, with the demo accounts the rules call for."""
    if finding is None:
        return
    opener = users["city"] if status == S.DISMISSED else users["auditor"]
    case = case_services.case_open(actor=opener, finding=finding, note=story.get("open", ""))
    if status == S.OPEN:
        return
    case = case_services.case_assign(actor=users["city"], case=case, assignee=users["chuanshan"].pk)
    if status == S.ASSIGNED:
        return
    case = case_services.case_explain(actor=users["chuanshan"], case=case, text=story["explain"])
    if status == S.CONFIRMED:
        case_services.case_confirm(actor=users["city"], case=case, reason=story["decide"])
    elif status == S.DISMISSED:
        case_services.case_dismiss(actor=users["city"], case=case, reason=story["decide"])


def _open_cases(users: dict[str, User], plants: dict[str, tuple[str, list[Purchase]]]) -> None:
    stories: dict[str, dict[str, str]] = {
        S.OPEN: {"open": "审计抽查发现食堂采购单价为市场参考价的四倍，立案核查是否借高价虚增收入"},
        S.ASSIGNED: {},
        S.EXPLAINED: {
            "explain": "经核实，该干部当日受单位工会委托为职工统一购买中秋慰问品，逐户付款，附采购名单和付款记录。"
        },
        S.CONFIRMED: {
            "explain": "经核实，乡镇汇总表中的该笔购买与区扶贫办已登记的记录为同一笔交易，系汇总时重复录入。",
            "decide": "重复录入属实，冲销重复记录",
        },
        S.DISMISSED: {
            "open": "市扶贫办复核台账时发现该户销量明显高于同类农户，立案核实",
            "explain": "经实地核查，该户2018年流转土地30亩种植，为种植大户，有土地流转合同和单位收购票据，销量属实。",
            "decide": "该户为种植大户，销量与种植面积相符，排除疑点",
        },
    }
    for status, (rule, purchases) in plants.items():
        _take_to(status, _finding(rule, purchases), users, stories[status])


def _pool(households: list[DemoHousehold]) -> list[Household]:
    """船山区's households on the record, taken township by township in turn (so no township's figures heap up),
    registered (poor) ones first in each township, then by household number."""
    homes = [d for d in households if d.county == COUNTY and d.status != "removed"]
    homes.sort(key=lambda d: (not d.registered, d.household.number))
    townships: dict[str, list[Household]] = defaultdict(list)
    for d in homes:
        townships[d.household.village_id[:9]].append(d.household)
    rows = [townships[code] for code in sorted(townships)]
    return [row[n] for n in range(max(map(len, rows), default=0)) for row in rows if n < len(row)]


def build_anomalies(
    *,
    users: list[User],
    households: list[DemoHousehold],
    units: DemoAssist,
    today: dt.date,
    say: Callable[[str], None],
) -> DemoAnomalies:
    by_name = {u.username: u for u in users}
    pool = _pool(households)
    own = list(units.county_units.get(COUNTY, []))
    own_ids = {u.pk for u in own}
    cadre = next((c for c in units.cadres if c.unit_id in own_ids), None)
    p = _Planter(users=by_name, pool=pool, units=own, cadre=cadre)
    if not pool:
        return p.out
    common = _common_products()  # of the clean ledger, before anything is planted
    plants: dict[str, tuple[str, list[Purchase]]] = {}
    twice = _twice_by_the_county(p)
    if twice:
        plants[S.CONFIRMED] = (RuleCode.DUPLICATE, list(twice))
    plants[S.ASSIGNED] = (RuleCode.DUPLICATE, list(_twice_by_two_people(p)))
    plants[S.EXPLAINED] = (RuleCode.BATCH, _batch(p))
    if common:
        plants[S.DISMISSED] = (RuleCode.VOLUME, _grower(p, common[0]))
        dear = _dear(p, common[min(1, len(common) - 1)])
        plants[S.OPEN] = (RuleCode.PRICE, [dear] if dear else [])
    period = parse_period(str(YEAR))
    for code in (by_name["city"].organisation.region_id, COUNTY):  # type: ignore[union-attr]
        scan(Region.objects.get(code=code), period, today=today)
    _open_cases(by_name, plants)
    out = p.out
    out.reversals = Purchase.objects.filter(reverses__in=out.planted).count()
    out.findings = Counter(Finding.objects.values_list("rule", flat=True))
    out.cases = Counter(Investigation.objects.values_list("status", flat=True))
    states = "，".join(f"{S(s).label} {out.cases[s]}" for s in S.values)
    rules = "，".join(f"{RuleCode(r).label} {n}" for r, n in sorted(out.findings.items()))
    say(
        f"虚假数据核查：船山区 {YEAR}年台账中埋设虚假购买 {len(out.planted)} 笔；扫描遂宁市、船山区 {YEAR}年，"
        f"疑点 {out.findings.total()} 条（{rules}）；核查案件 {out.cases.total()} 件（{states}），"
        f"查实冲销 {out.reversals} 笔。"
    )
    return out
