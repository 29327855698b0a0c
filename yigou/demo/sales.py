"""How a demo sale is made: the channel a kind of buyer uses, the outlet open that day, and who earns from a
producer's sale — shared by the imported ledger and the purchases recorded one by one."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from yigou.ledger.attribution import LinkageBook, split
from yigou.ledger.enums import Attribution, BuyerKind, Channel
from yigou.market.models import Outlet
from yigou.registry.enums import ProducerKind
from yigou.registry.models import Producer

HOUSEHOLD_CHANNELS: dict[str, list[tuple[str, int]]] = {
    BuyerKind.CADRE: [
        (Channel.ONSITE, 45),
        (Channel.OUTLET, 30),
        (Channel.ECOMMERCE, 15),
        (Channel.CONTRACT, 10),
    ],
    BuyerKind.INDIVIDUAL: [(Channel.OUTLET, 45), (Channel.ECOMMERCE, 25), (Channel.ONSITE, 30)],
    BuyerKind.UNIT: [(Channel.CONTRACT, 40), (Channel.ONSITE, 35), (Channel.PLATFORM_832, 25)],
    BuyerKind.CANTEEN: [(Channel.CANTEEN, 1)],
    BuyerKind.ENTERPRISE: [(Channel.ONSITE, 50), (Channel.CONTRACT, 30), (Channel.PLATFORM_832, 20)],
    BuyerKind.SOCIAL_ORG: [(Channel.ONSITE, 60), (Channel.OUTLET, 20), (Channel.ECOMMERCE, 20)],
}
PRODUCER_CHANNELS: dict[str, list[tuple[str, int]]] = {
    **HOUSEHOLD_CHANNELS,
    BuyerKind.UNIT: [(Channel.PLATFORM_832, 45), (Channel.CONTRACT, 35), (Channel.ONSITE, 20)],
    BuyerKind.ENTERPRISE: [(Channel.CONTRACT, 50), (Channel.PLATFORM_832, 50)],
}


def choose_outlet(rng: random.Random, open_outlets: list[Outlet], village_code: str) -> Outlet | None:
    """An outlet open that day in the seller's county, preferably in the seller's own township."""
    near = [o for o in open_outlets if o.region_id[:9] == village_code[:9]]
    pool = near if near and rng.random() < 0.7 else open_outlets
    return rng.choice(pool) if pool else None


def choose_channel(
    rng: random.Random, weights: list[tuple[str, int]], open_outlets: list[Outlet], place: str
) -> tuple[str, str]:
    channel = rng.choices([c for c, _ in weights], [w for _, w in weights])[0]
    if channel != Channel.OUTLET:
        return channel, ""
    outlet = choose_outlet(rng, open_outlets, place)
    return (Channel.OUTLET, outlet.name) if outlet else (Channel.ONSITE, "")


def attribution_for(
    rng: random.Random,
    producer: Producer,
    book: LinkageBook,
    day: dt.date,
    total: Decimal,
    numbers: dict[int, str],
) -> tuple[str, str] | None:
    """A rule the producer's links support that day, or households entered one by one; None when nobody is linked."""
    linked, members = book.linked(producer.pk, day), book.shares(producer.pk, day)
    options = [Attribution.COOP_SHARES] * 5 if producer.kind == ProducerKind.COOPERATIVE and members else []
    if linked:
        options += [Attribution.EQUAL_LINKED] * 3 + [Attribution.ENTERED] * 2
    if not options:
        return None
    rule = rng.choice(options)
    if rule != Attribution.ENTERED:
        return rule, ""
    chosen = sorted(rng.sample(linked, min(len(linked), rng.randint(1, 3))))
    earned = (total * Decimal(rng.randint(20, 50)) / 100).quantize(Decimal("0.01"))
    amounts = split(earned, [Decimal(1)] * len(chosen))
    return rule, ";".join(f"{numbers[h]}:{a}" for h, a in zip(chosen, amounts, strict=True))
