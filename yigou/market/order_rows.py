"""The statements of placing an order, written once instead of compiled by the ORM on every order.

Placing an order is the hottest write of the market: compiling its querysets (the locked read of the items with
three joins, the conditional UPDATE of every line) cost more Python time than the database took to run them.
The SQL here is what the ORM wrote for the same querysets, built from the models' metadata once per shape; the
rows read become model instances exactly as a queryset makes them (the backend's and the fields' converters
applied, related rows cached on their parents).
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping, Sequence
from decimal import Decimal
from typing import Any

from django.db import connection, models

from yigou.core import rows
from yigou.regions.models import Region

from .models import PreSaleItem, PreSaleList, Product

Converter = tuple[int, list[Callable[..., Any]], Any]


def _qn(name: str | None) -> str:
    return connection.ops.quote_name(str(name))


def _columns(model: type[models.Model]) -> list[str]:
    table = _qn(model._meta.db_table)
    return [f"{table}.{_qn(field.column)}" for field in model._meta.concrete_fields]


@functools.cache
def _converters(vendor: str, model: type[models.Model]) -> list[Converter]:
    """(position, converters, expression) of the model's columns that need converting, as a queryset's compiler
    finds them (e.g. SQLite's decimals and booleans, JSON on either database)."""
    found = []
    for n, field in enumerate(model._meta.concrete_fields):
        column = field.get_col(model._meta.db_table)
        converters = connection.ops.get_db_converters(column) + column.get_db_converters(connection)
        if converters:
            found.append((n, converters, column))
    return found


def _instance(model: type[models.Model], values: Sequence[Any]) -> models.Model:
    row = list(values)
    for n, converters, column in _converters(connection.vendor, model):
        for convert in converters:
            row[n] = convert(row[n], column, connection)
    return model.from_db(connection.alias, None, row)  # type: ignore[arg-type]


@functools.cache
def _lock_sql(vendor: str, count: int, lock: bool) -> str:
    item, owner, region, product = (
        _qn(m._meta.db_table) for m in (PreSaleItem, PreSaleList, Region, Product)
    )
    columns = [*_columns(PreSaleItem), *_columns(PreSaleList), *_columns(Region), *_columns(Product)]
    sql = (
        f"SELECT {', '.join(columns)} FROM {item}"
        f' INNER JOIN {owner} ON ({item}."presale_list_id" = {owner}."id")'
        f' INNER JOIN {region} ON ({owner}."region_id" = {region}."code")'
        f' LEFT OUTER JOIN {product} ON ({item}."product_id" = {product}."id")'
        f' WHERE {item}."id" IN ({", ".join(["%s"] * count)}) ORDER BY {item}."id" ASC'
    )
    return f"{sql} FOR UPDATE OF {item}" if lock else sql


def locked_items(ids: Sequence[int]) -> dict[int, PreSaleItem]:
    """The items with their products and their lists (with their regions), in id order, locked on PostgreSQL
    (`FOR UPDATE OF` the items only): what `select_related("product", "presale_list__region")
    .select_for_update(of=("self",))` reads, in one statement."""
    if not ids:
        return {}
    sizes = [len(m._meta.concrete_fields) for m in (PreSaleItem, PreSaleList, Region)]
    ends = [sizes[0], sizes[0] + sizes[1], sum(sizes)]
    sql = _lock_sql(connection.vendor, len(ids), connection.features.has_select_for_update)
    items: dict[int, PreSaleItem] = {}
    lists: dict[int, PreSaleList] = {}
    with connection.cursor() as cursor:
        cursor.execute(sql, list(ids))
        rows = cursor.fetchall()
    for row in rows:
        item: Any = _instance(PreSaleItem, row[: ends[0]])
        owner: Any = lists.get(item.presale_list_id)
        # The items of one list share one instance of it (a queryset makes one per item; nothing here tells).
        if owner is None:
            owner = _instance(PreSaleList, row[ends[0] : ends[1]])
            PreSaleList.region.field.set_cached_value(owner, _instance(Region, row[ends[1] : ends[2]]))
            lists[owner.pk] = owner
        PreSaleItem.presale_list.field.set_cached_value(item, owner)
        product = _instance(Product, row[ends[2] :]) if item.product_id is not None else None
        PreSaleItem.product.field.set_cached_value(item, product)
        items[item.pk] = item
    return items


def _reserve_sql(wanted: Mapping[int, Decimal]) -> tuple[str, list[Any]]:
    table = _qn(PreSaleItem._meta.db_table)
    pk, reserved, quantity = (f"{table}.{_qn(name)}" for name in ("id", "reserved", "quantity"))
    cases, fits = [], []
    case_params: list[Any] = []
    fit_params: list[Any] = []
    for item_id, amount in wanted.items():
        cases.append(f"WHEN ({pk} = %s) THEN ({reserved} + CAST(%s AS NUMERIC))")
        case_params += [item_id, amount]
        fits.append(f"({pk} = %s AND {reserved} <= ({quantity} - CAST(%s AS NUMERIC)))")
        fit_params += [item_id, amount]
    sql = (
        f"UPDATE {table} SET {_qn('reserved')} = CASE {' '.join(cases)} ELSE {reserved} END"
        f" WHERE ({' OR '.join(fits)})"
    )
    return sql, case_params + fit_params


def reserve(wanted: Mapping[int, Decimal]) -> int:
    """One conditional UPDATE of every line's stock (`reserved <= quantity - q` for each row); how many rows it
    took. The same statement the ORM writes for `filter(Q(pk=…, reserved__lte=F("quantity") - q) | …)
    .update(reserved=Case(When(pk=…, then=F("reserved") + q), …))`."""
    sql, params = _reserve_sql(wanted)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return int(cursor.rowcount)


def reserve_and_insert(wanted: Mapping[int, Decimal], row: models.Model) -> bool:
    """`reserve(wanted)` and, when it took every line, `insert([row])`: on PostgreSQL one statement (the UPDATE a
    WITH query, the INSERT conditioned on its count). False, with `row` unwritten, when a line did not fit; the
    lines that did are reserved then, and the caller's transaction must roll back."""
    if connection.vendor != "postgresql":
        if reserve(wanted) != len(wanted):
            return False
        rows.insert([row])
        return True
    update, update_params = _reserve_sql(wanted)
    new = rows.insert_statement([row])
    sql = (
        f"WITH taken AS ({update} RETURNING 1) {new.into} SELECT {new.row}"
        f" WHERE (SELECT count(*) FROM taken) = %s RETURNING {new.pk}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*update_params, *new.params, len(wanted)])
        found = cursor.fetchall()
    if not found:
        return False
    rows.mark_saved([row], [found[0][0]])
    return True
