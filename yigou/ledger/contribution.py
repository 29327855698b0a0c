"""What one ledger entry adds to the statistics: additive measures by region and the entities it makes present."""

from __future__ import annotations

from collections import Counter

from yigou.regions.enums import Level
from yigou.regions.models import Region

from .enums import BuyerKind, LineSource
from .models import Beneficiary, Purchase, PurchaseLine
from .rollups import Deltas, Entity, fen

BUYER_KIND_CODE = {
    BuyerKind.UNIT: "bu",
    BuyerKind.CADRE: "bc",
    BuyerKind.CANTEEN: "bk",
    BuyerKind.ENTERPRISE: "be",
    BuyerKind.SOCIAL_ORG: "bs",
    BuyerKind.INDIVIDUAL: "bi",
}
SOURCE_MEASURE: dict[str, str] = {
    LineSource.OWN: "amount_own",
    LineSource.COOP: "amount_coop",
    LineSource.ENTERPRISE: "amount_enterprise",
}


def add_measures(
    purchase: Purchase, lines: list[PurchaseLine], beneficiaries: list[Beneficiary], deltas: Deltas
) -> None:
    sign = -1 if purchase.reverses_id else 1
    seller: Counter[str] = Counter({"purchases": sign, "amount_total": fen(purchase.total)})
    for line in lines:
        seller[SOURCE_MEASURE[line.source]] += fen(line.amount)
        if line.certified:
            seller["amount_certified"] += fen(line.amount)
    deltas.add(purchase.region_id, purchase.date, dict(seller))
    for b in beneficiaries:
        measure = "poor_income" if b.registered else "nonpoor_income"
        deltas.add(b.village_id, purchase.date, {measure: fen(b.amount)})


def entities(purchase: Purchase, beneficiaries: list[Beneficiary], seller_region: Region) -> list[Entity]:
    found = [Entity(BUYER_KIND_CODE[BuyerKind(purchase.buyer_kind)], purchase.buyer_key, purchase.region_id)]
    for b in beneficiaries:
        found.append(Entity("hp" if b.registered else "hn", str(b.household_id), b.village_id))
        found.append(Entity("vp" if b.village_poor else "vn", b.village_id, b.village_id))
    if seller_region.level == Level.VILLAGE:
        poor = seller_region.was_poor_in(purchase.date.year)
        found.append(Entity("vp" if poor else "vn", seller_region.code, seller_region.code))
    return found
