"""Everything an import file names, looked up once for the whole file rather than once per row."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from yigou.accounts.scope import restrict
from yigou.assist.models import AssistingUnit, Cadre
from yigou.market.models import Outlet
from yigou.registry.models import Household, Producer

from ..models import Purchase


@dataclass
class References:
    households: dict[str, Household] = field(default_factory=dict)  # by household number
    producers: dict[str, Producer] = field(default_factory=dict)  # by credit code
    units_by_name: defaultdict[str, list[AssistingUnit]] = field(default_factory=lambda: defaultdict(list))
    units_by_code: dict[str, AssistingUnit] = field(default_factory=dict)
    cadres: defaultdict[tuple[int, str], list[Cadre]] = field(default_factory=lambda: defaultdict(list))
    outlets: defaultdict[tuple[str, str], list[Outlet]] = field(default_factory=lambda: defaultdict(list))
    existing_ids: set[str] = field(default_factory=set)


def _chunks(values: list[str], size: int = 900) -> list[list[str]]:
    return [values[i : i + size] for i in range(0, len(values), size)]


def load(
    actor: Any,
    *,
    sellers: set[str],
    beneficiaries: set[str],
    buyers: set[str],
    outlets: set[str],
    external_ids: set[str],
) -> References:
    refs = References()
    numbers = sorted(sellers | beneficiaries)
    for chunk in _chunks(numbers):
        for household in Household.objects.filter(number__in=chunk).select_related("village"):
            refs.households[household.number] = household
    codes = sorted(c.upper() for c in sellers if len(c) == 18)  # credit codes; a seller is looked up as both
    for chunk in _chunks(codes):
        for producer in restrict(actor, Producer.objects.filter(uscc__in=chunk)).select_related("region"):
            refs.producers[producer.uscc or ""] = producer
    _load_buyers(refs, buyers)
    for outlet in Outlet.objects.filter(name__in=sorted(outlets)):
        refs.outlets[(outlet.county_code, outlet.name)].append(outlet)
    for chunk in _chunks(sorted(external_ids)):
        found = Purchase.objects.filter(external_id__in=chunk).values_list("external_id", flat=True)
        refs.existing_ids.update(e for e in found if e)
    return refs


def _load_buyers(refs: References, buyers: set[str]) -> None:
    # Buyers are public bodies and companies: looked up among all units, not only those in the importer's region.
    unit_names = {b.split("/", 1)[0] for b in buyers}
    for chunk in _chunks(sorted(unit_names)):
        for unit in AssistingUnit.objects.filter(name__in=chunk):
            refs.units_by_name[unit.name].append(unit)
        for unit in AssistingUnit.objects.filter(uscc__in=chunk):
            refs.units_by_code[unit.uscc or ""] = unit
    unit_ids = [u.pk for units in refs.units_by_name.values() for u in units] + [
        u.pk for u in refs.units_by_code.values()
    ]
    for cadre in Cadre.objects.filter(unit_id__in=unit_ids):
        refs.cadres[(cadre.unit_id, cadre.name)].append(cadre)
