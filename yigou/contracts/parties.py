"""Who may sign what, and whether a buyer or a seller is a party to a contract."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from yigou.accounts.scope import ensure_visible, scope_for
from yigou.assist.models import AssistingUnit, Cadre
from yigou.core.errors import DomainError, PermissionDeniedError
from yigou.regions.enums import Level
from yigou.regions.models import Region
from yigou.registry.models import Household, Producer

from .enums import PartyKind, PartySide
from .models import Contract, ContractParty


@dataclass
class PartiesInput:
    units: Sequence[AssistingUnit] = field(default_factory=list)
    cadres: Sequence[Cadre] = field(default_factory=list)
    villages: Sequence[Region] = field(default_factory=list)
    households: Sequence[Household] = field(default_factory=list)
    producers: Sequence[Producer] = field(default_factory=list)

    def rows(self) -> list[tuple[str, str, Any]]:
        rows: list[tuple[str, str, Any]] = [(PartySide.BUYER, PartyKind.UNIT, u) for u in self.units]
        rows += [(PartySide.BUYER, PartyKind.CADRE, c) for c in self.cadres]
        rows += [(PartySide.SELLER, PartyKind.VILLAGE, v) for v in self.villages]
        rows += [(PartySide.SELLER, PartyKind.HOUSEHOLD, h) for h in self.households]
        rows += [(PartySide.SELLER, PartyKind.PRODUCER, p) for p in self.producers]
        return rows


def seller_region_code(kind: str, target: Any) -> str:
    if kind == PartyKind.VILLAGE:
        return str(target.code)
    if kind == PartyKind.HOUSEHOLD:
        return str(target.village_id)
    return str(target.region_id)


def check_parties(actor: Any, parties: PartiesInput) -> None:
    """Both sides named, no one twice, villages really villages, and every party within the actor's reach.

    Offices sign for sellers in their own region; a unit signs only for itself and its own cadres.
    """
    if not (parties.units or parties.cadres):
        raise DomainError("invalid_input", detail="须至少有一个购买方（帮扶单位或帮扶干部）")
    if not (parties.villages or parties.households or parties.producers):
        raise DomainError("invalid_input", detail="须至少有一个销售方（村、农户或经营主体）")
    keys = [(kind, target.pk) for _, kind, target in parties.rows()]
    if len(keys) != len(set(keys)):
        raise DomainError("invalid_input", detail="同一当事方不能重复列入")
    for village in parties.villages:
        if village.level != Level.VILLAGE:
            raise DomainError(
                "region_level_mismatch",
                what="销售方村",
                expected="村级",
                name=village.name,
                actual=village.get_level_display(),
            )
    scope = scope_for(actor)
    for _side, kind, target in parties.rows():
        if kind != PartyKind.VILLAGE:
            ensure_visible(actor, target)
    if scope.kind == "region":
        for side, kind, target in parties.rows():
            if side == PartySide.SELLER and not seller_region_code(kind, target).startswith(
                scope.region_prefix
            ):
                raise PermissionDeniedError("out_of_scope")
    elif scope.kind == "unit":
        if any(u.pk != scope.unit_id for u in parties.units) or any(
            c.unit_id != scope.unit_id for c in parties.cadres
        ):
            raise PermissionDeniedError("out_of_scope")
    elif not scope.everything:
        raise PermissionDeniedError()


def party_rows(contract: Contract, parties: PartiesInput) -> list[ContractParty]:
    return [
        ContractParty(contract=contract, side=side, kind=kind, **{kind: target})
        for side, kind, target in parties.rows()
    ]


def is_buyer(contract: Contract, unit_id: int | None, cadre: Cadre | None) -> bool:
    """A unit buys on its own contract; a cadre buys on a contract naming the cadre or the cadre's unit."""
    buyers = [p for p in contract.parties.all() if p.side == PartySide.BUYER]
    units = {p.unit_id for p in buyers if p.unit_id}
    cadres = {p.cadre_id for p in buyers if p.cadre_id}
    if cadre is not None:
        return cadre.pk in cadres or cadre.unit_id in units
    return unit_id is not None and unit_id in units


def is_seller(contract: Contract, household: Household | None, producer: Producer | None) -> bool:
    """A listed household or producer sells; so does any household or producer of a listed village."""
    sellers = [p for p in contract.parties.all() if p.side == PartySide.SELLER]
    villages = {p.village_id for p in sellers if p.village_id}
    if household is not None:
        return household.pk in {p.household_id for p in sellers} or household.village_id in villages
    if producer is None:
        return False
    if producer.pk in {p.producer_id for p in sellers}:
        return True
    if producer.household_id is not None and producer.household_id in {p.household_id for p in sellers}:
        return True
    return producer.region_id in villages
