"""Writing checked drafts in one transaction: the ledger rows, then the rollups from aggregated increments."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from yigou.core import audit
from yigou.regions.models import Region
from yigou.registry.models import Household

from .. import rollups
from ..attribution import StatusBook
from ..contribution import add_measures, entities
from ..enums import Source
from ..models import Beneficiary, Presence, Purchase, PurchaseLine
from ..services import beneficiary_rows
from .parse import Draft

BATCH = 1000


class FineDeltas:
    """Increments at the seller's or household's own region and day; expanded to ancestors once, at the end."""

    def __init__(self) -> None:
        self.cells: defaultdict[tuple[str, dt.date], Counter[str]] = defaultdict(Counter)

    def add(self, region_code: str, day: dt.date, measures: dict[str, int]) -> None:
        self.cells[(region_code, day)].update(measures)

    def expand(self, deltas: rollups.Deltas) -> None:
        for (region_code, day), measures in self.cells.items():
            deltas.add(region_code, day, dict(measures))


def _purchase(draft: Draft, actor: Any, note: str, now: dt.datetime) -> Purchase:
    return Purchase(
        recorded_at=now,
        external_id=draft.external_id,
        date=draft.date,
        region_id=draft.region_id,
        county_code=draft.county_code,
        buyer_kind=draft.buyer_kind,
        buyer_unit_id=draft.buyer_unit_id,
        buyer_cadre_id=draft.buyer_cadre_id,
        buyer_name=draft.buyer_name,
        buyer_key=draft.buyer_key,
        channel=draft.channel,
        outlet_id=draft.outlet_id,
        seller_kind=draft.seller_kind,
        seller_household_id=draft.seller_household_id,
        seller_producer_id=draft.seller_producer_id,
        total=draft.total,
        attribution=draft.attribution,
        note=note,
        source=Source.IMPORT,
        recorded_by=actor if getattr(actor, "is_authenticated", False) else None,
    )


def _lines(draft: Draft, purchase_id: int) -> list[PurchaseLine]:
    return [
        PurchaseLine(
            purchase_id=purchase_id,
            purchase_date=draft.date,
            product=p,
            category=c,
            quantity=q,
            unit=u,
            unit_price=price,
            amount=a,
            source=s,
        )
        for p, c, q, u, price, a, s in draft.lines
    ]


def _households(drafts: list[Draft]) -> dict[int, Household]:
    ids = sorted({share.household_id for d in drafts for share in d.shares})
    found: dict[int, Household] = {}
    for start in range(0, len(ids), 900):
        found.update(Household.objects.select_related("village").in_bulk(ids[start : start + 900]))
    return found


def _insert(model: Any, rows: list[Any], *, need_ids: bool = False) -> None:
    """Insert model instances: COPY on PostgreSQL (ids reserved from the sequence first), batches elsewhere."""
    if connection.vendor != "postgresql":
        for start in range(0, len(rows), BATCH):
            model.objects.bulk_create(rows[start : start + BATCH])
        return
    table = model._meta.db_table
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    with connection.cursor() as cursor:
        if need_ids:
            fields = [model._meta.pk, *fields]
            cursor.execute(
                f"SELECT nextval(pg_get_serial_sequence('{table}', 'id')) FROM generate_series(1, %s)",
                [len(rows)],
            )
            for row, (pk,) in zip(rows, cursor.fetchall(), strict=True):
                row.pk = pk
        columns = ", ".join(f.column for f in fields)
        with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row([f.get_db_prep_save(getattr(row, f.attname), connection) for f in fields])


def write_drafts(actor: Any, drafts: list[Draft], *, note: str = "") -> int:
    """All drafts or none; returns the number of purchases written."""
    if not drafts:
        return 0
    with transaction.atomic():
        if connection.vendor == "postgresql":
            # Single-purchase writers wait until this import's presence changes are committed.
            with connection.cursor() as cursor:
                cursor.execute(f"LOCK TABLE {Presence._meta.db_table} IN SHARE ROW EXCLUSIVE MODE")
        now = timezone.now()
        purchases = [_purchase(d, actor, note, now) for d in drafts]
        _insert(Purchase, purchases, need_ids=True)
        households, book = _households(drafts), StatusBook(s.household_id for d in drafts for s in d.shares)
        lines, beneficiaries = [], []
        for draft, purchase in zip(drafts, purchases, strict=True):
            lines.extend(_lines(draft, purchase.pk))
            for row in beneficiary_rows(draft.shares, draft.date, households, book):
                row.purchase_id = purchase.pk
                beneficiaries.append(row)
        _insert(PurchaseLine, lines)
        _insert(Beneficiary, beneficiaries)
        _update_rollups(purchases, lines, beneficiaries)
        audit.record(
            actor=actor,
            action="purchase_import",
            target_type="ledger.purchase",
            note=f"批量导入 {len(purchases)} 笔购买记录 {note}".strip(),
        )
    return len(purchases)


def _update_rollups(
    purchases: list[Purchase], lines: list[PurchaseLine], beneficiaries: list[Beneficiary]
) -> None:
    lines_of: defaultdict[int, list[PurchaseLine]] = defaultdict(list)
    for line in lines:
        lines_of[line.purchase_id].append(line)
    beneficiaries_of: defaultdict[int, list[Beneficiary]] = defaultdict(list)
    for b in beneficiaries:
        beneficiaries_of[b.purchase_id].append(b)
    regions = Region.objects.in_bulk({p.region_id for p in purchases})
    fine, present = FineDeltas(), Counter[tuple[str, str, str, dt.date]]()
    for p in purchases:
        add_measures(p, lines_of[p.pk], beneficiaries_of[p.pk], fine)  # type: ignore[arg-type]
        for e in set(entities(p, beneficiaries_of[p.pk], regions[p.region_id])):
            present[(e.kind, e.key, e.region_code, p.date)] += 1
    deltas = rollups.Deltas.empty()
    fine.expand(deltas)
    rollups.apply_presence_bulk(present, deltas)
    rollups.write(deltas)
