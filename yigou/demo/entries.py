"""A handful of 2018 purchases recorded one by one by the demo accounts — at a fair, a canteen purchase day, an
online campaign, by a village clerk, a unit and a cooperative for themselves — and two corrections by reversal:
a duplicate entry and an imported purchase with a wrong quantity, re-entered as it should have been."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field
from decimal import Decimal

from yigou.accounts.models import User
from yigou.assist.models import AssistingUnit, CadreHouseholdPairing, UnitVillagePairing
from yigou.ledger.attribution import LinkageBook, split
from yigou.ledger.enums import Attribution, BuyerKind, Channel, Source
from yigou.ledger.models import Purchase
from yigou.ledger.services import LineInput, PurchaseInput, purchase_record, purchase_reverse
from yigou.market.enums import ActivityKind, OutletKind
from yigou.market.models import Activity
from yigou.registry.enums import ProducerKind
from yigou.registry.models import Household, Producer

from .assist import DemoAssist
from .goods import Line, household_lines, producer_lines
from .households import DemoHousehold
from .market import YEAR, DemoMarket
from .producers import DemoProducers
from .users import CHUANSHAN, SHEHONG


@dataclass
class Handful:
    recorded: int = 0
    reversals: int = 0
    amount: Decimal = Decimal("0.00")


@dataclass
class _Recorder:
    rng: random.Random
    users: dict[str, User]
    households: list[DemoHousehold]
    producers: DemoProducers
    units: DemoAssist
    market: DemoMarket
    book: LinkageBook
    out: Handful = field(default_factory=Handful)

    def record(self, username: str, data: PurchaseInput) -> Purchase:
        purchase, _ = purchase_record(actor=self.users[username], data=data)
        self.out.recorded += 1
        self.out.amount += purchase.total
        return purchase

    def reverse(self, username: str, purchase: Purchase, reason: str) -> None:
        mirror = purchase_reverse(actor=self.users[username], purchase=purchase, reason=reason)
        self.out.reversals += 1
        self.out.amount += mirror.total

    def sellers(self, prefix: str, *, registered: bool = True) -> list[Household]:
        return [
            d.household
            for d in self.households
            if d.household.village_id.startswith(prefix)
            and d.status != "removed"
            and (d.registered or not registered)
        ]

    def activity(self, county: str, kind: str) -> Activity | None:
        found = [a for a in self.market.activities if a.county_code == county and a.kind == kind]
        return min(found, key=lambda a: (a.date, a.pk)) if found else None

    def producer(self, kind: str, prefix: str, day: dt.date) -> Producer | None:
        """The first producer of the kind there with households linked to it (or members) on the day."""
        for p in self.producers.producers:
            linked = self.book.linked(p.pk, day) or self.book.shares(p.pk, day)
            if p.kind == kind and p.region_id.startswith(prefix) and linked:
                return p
        return None


def _inputs(lines: list[Line]) -> list[LineInput]:
    return [
        LineInput(
            product=x.product,
            category=x.category,
            quantity=x.quantity,
            unit=x.unit,
            unit_price=x.unit_price,
            amount=x.amount,
        )
        for x in lines
    ]


def _canteen(units: list[AssistingUnit]) -> AssistingUnit:
    return next(u for u in units if u.is_budget_unit and u.has_canteen)


def _rule(r: _Recorder, producer: Producer, day: dt.date) -> str:
    members = producer.kind == ProducerKind.COOPERATIVE and r.book.shares(producer.pk, day)
    return Attribution.COOP_SHARES if members else Attribution.EQUAL_LINKED


def _at_fair(r: _Recorder) -> None:
    """The 船山区 office enters a sale at its first fair of the year: a visitor buys from a poor household."""
    fair = r.activity(CHUANSHAN, ActivityKind.FAIR)
    sellers = r.sellers(CHUANSHAN[:6])
    if fair is None or not sellers:
        return
    r.record(
        "chuanshan",
        PurchaseInput(
            date=fair.date,
            buyer_kind=BuyerKind.INDIVIDUAL,
            buyer_name="赵玉兰",
            channel=Channel.ONSITE,
            activity=fair,
            seller_household=r.rng.choice(sellers),
            lines=_inputs(household_lines(r.rng)),
            note="采购节现场购买",
        ),
    )


def _canteen_day(r: _Recorder) -> None:
    """A city bureau's canteen buys a cooperative's produce on a canteen purchase day; members share by rule."""
    activity = r.activity(CHUANSHAN, ActivityKind.CANTEEN)
    day = activity.date if activity else dt.date(YEAR, 3, 15)
    coop = r.producer(ProducerKind.COOPERATIVE, CHUANSHAN[:6], day)
    if coop is None:
        return
    r.record(
        "chuanshan",
        PurchaseInput(
            date=day,
            buyer_kind=BuyerKind.CANTEEN,
            buyer_unit=_canteen(r.units.city_units),
            channel=Channel.CANTEEN,
            activity=activity,
            seller_producer=coop,
            attribution=_rule(r, coop, day),
            lines=_inputs(producer_lines(r.rng, coop.main_products)),
            note="机关食堂定点采购",
        ),
    )


def _online(r: _Recorder) -> None:
    """射洪's QQ supermarket: a household's paired cadre orders from the pre-sale list during an online campaign."""
    activity = r.activity(SHEHONG, ActivityKind.ONLINE)
    day = activity.date if activity else dt.date(YEAR, 4, 18)
    sellers = r.sellers(SHEHONG[:6])
    if not sellers:
        return
    seller = r.rng.choice(sellers)
    pairing = CadreHouseholdPairing.objects.filter(household=seller).order_by("id").first()
    shops = [
        o for o in r.market.open_in(SHEHONG, day) if o.kind in (OutletKind.ONLINE_SHOP, OutletKind.ECOMMERCE)
    ]
    r.record(
        "shehong",
        PurchaseInput(
            date=day,
            buyer_kind=BuyerKind.CADRE,
            buyer_cadre=pairing.cadre if pairing else r.units.cadres[0],
            channel=Channel.OUTLET if shops else Channel.ECOMMERCE,
            outlet=shops[0] if shops else None,
            activity=activity,
            seller_household=seller,
            lines=_inputs(household_lines(r.rng)),
            note="按预售清单下单",
        ),
    )


def _village_twice(r: _Recorder) -> None:
    """The village clerk enters the same sale twice; the county office reverses the duplicate."""
    village = r.users["village"].organisation.region_id  # type: ignore[union-attr]
    sellers = r.sellers(village, registered=False)
    if not sellers:
        return
    data = PurchaseInput(
        date=dt.date(YEAR, 4, 8),
        buyer_kind=BuyerKind.INDIVIDUAL,
        buyer_name="周建华",
        channel=Channel.ONSITE,
        seller_household=sellers[0],
        lines=_inputs(household_lines(r.rng)),
    )
    r.record("village", data)
    duplicate = r.record("village", data)
    r.reverse("chuanshan", duplicate, "村文书重复登记同一笔购买，冲销重复记录")


def _unit_own(r: _Recorder) -> None:
    """A unit's account records its own buying: the union's Spring Festival goods bought from a village it helps."""
    unit = r.users["unit"].organisation.unit  # type: ignore[union-attr]
    villages = list(
        UnitVillagePairing.objects.filter(unit=unit).order_by("id").values_list("village_id", flat=True)
    )
    sellers = [h for v in villages for h in r.sellers(v)] or r.sellers("5109")
    r.record(
        "unit",
        PurchaseInput(
            date=dt.date(YEAR, 2, 6),
            buyer_kind=BuyerKind.UNIT,
            buyer_unit=unit,
            channel=Channel.CONTRACT,
            seller_household=r.rng.choice(sellers),
            lines=_inputs(household_lines(r.rng)),
            note="变现金慰问为以购助扶：工会春节慰问品",
        ),
    )


def _producer_own(r: _Recorder) -> None:
    """The cooperative's account records a sale to a county canteen, shared among its members by shares."""
    coop = r.users["producer"].organisation.producer  # type: ignore[union-attr]
    day = dt.date(YEAR, 12, 10)
    if coop is None or not (r.book.shares(coop.pk, day) or r.book.linked(coop.pk, day)):
        return
    r.record(
        "producer",
        PurchaseInput(
            date=day,
            buyer_kind=BuyerKind.CANTEEN,
            buyer_unit=_canteen([*r.units.county_units[coop.county_code], *r.units.city_units]),
            channel=Channel.CANTEEN,
            seller_producer=coop,
            attribution=_rule(r, coop, day),
            lines=_inputs(producer_lines(r.rng, coop.main_products)),
        ),
    )


def _family_farm(r: _Recorder) -> None:
    """A family farm's sale, with what each linked household earned entered one by one."""
    day = dt.date(YEAR, 11, 20)
    farm = r.producer(ProducerKind.FAMILY_FARM, "5109", day)
    linked = r.book.linked(farm.pk, day) if farm else []
    if farm is None or not linked:
        return
    lines = producer_lines(r.rng, farm.main_products)
    earned = (sum((x.amount for x in lines), Decimal("0.00")) * Decimal("0.3")).quantize(Decimal("0.01"))
    households = Household.objects.in_bulk(linked[:2])
    shares = split(earned, [Decimal(1)] * len(households))
    r.record(
        "admin",
        PurchaseInput(
            date=day,
            buyer_kind=BuyerKind.UNIT,
            buyer_unit=r.units.county_units[farm.county_code][0],
            channel=Channel.CONTRACT,
            seller_producer=farm,
            attribution=Attribution.ENTERED,
            beneficiaries=list(zip([households[h] for h in sorted(households)], shares, strict=True)),
            lines=_inputs(lines),
            note="务工和土地流转带贫户按实际分得录入",
        ),
    )


def _household_seller(r: _Recorder) -> None:
    """A household registered as a seller of its own (个体农户) sells online; the household itself earns it all."""
    seller = next((p for p in r.producers.producers if p.kind == ProducerKind.HOUSEHOLD), None)
    if seller is None:
        return
    r.record(
        "admin",
        PurchaseInput(
            date=dt.date(YEAR, 6, 15),
            buyer_kind=BuyerKind.CADRE,
            buyer_cadre=r.units.cadres[0],
            channel=Channel.ECOMMERCE,
            seller_producer=seller,
            lines=_inputs(household_lines(r.rng)),
        ),
    )


def _correct_import(r: _Recorder) -> None:
    """An imported sale was entered at twice the real quantity: reversed, then entered again as it was."""
    imported = Purchase.objects.filter(
        source=Source.IMPORT, county_code=CHUANSHAN, seller_household__isnull=False
    )
    wrong = (
        imported.filter(date__month=3).order_by("external_id").first()
        or imported.order_by("external_id").first()
    )
    if wrong is None:
        return
    r.reverse("chuanshan", wrong, "数量按实际的两倍录入，冲销后按实际重新登记")
    lines = [
        LineInput(
            product=x.product,
            category=x.category,
            quantity=x.quantity / 2,
            unit=x.unit,
            unit_price=x.unit_price,
        )
        for x in wrong.lines.order_by("id")
    ]
    r.record(
        "chuanshan",
        PurchaseInput(
            date=wrong.date,
            buyer_kind=wrong.buyer_kind,
            buyer_unit=wrong.buyer_unit,
            buyer_cadre=wrong.buyer_cadre,
            buyer_name=wrong.buyer_name,
            channel=wrong.channel,
            outlet=wrong.outlet,
            seller_household=wrong.seller_household,
            lines=lines,
            note=f"更正 {wrong.external_id}",
        ),
    )


def record_handful(
    *,
    rng: random.Random,
    users: dict[str, User],
    households: list[DemoHousehold],
    producers: DemoProducers,
    units: DemoAssist,
    market: DemoMarket,
    book: LinkageBook,
) -> Handful:
    r = _Recorder(rng, users, households, producers, units, market, book)
    for step in (
        _at_fair,
        _canteen_day,
        _online,
        _village_twice,
        _unit_own,
        _producer_own,
        _family_farm,
        _household_seller,
        _correct_import,
    ):
        step(r)
    return r.out
