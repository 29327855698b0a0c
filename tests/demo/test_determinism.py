"""Two loads into fresh databases produce the same demo."""

from __future__ import annotations

from django.db import transaction

from yigou.demo.loader import load_demo
from yigou.ledger.models import Purchase
from yigou.market.models import Order
from yigou.registry.models import Household, Member


def _load_and_describe(
    households: int,
) -> tuple[str, str, list[str], list[tuple[str, str, str]], list[tuple], list[tuple]]:
    """Loads the demo in a savepoint, reads what it wrote, and rolls it back: the next load starts fresh."""
    with transaction.atomic():
        load_demo(households=households, say=lambda _line: None)
        first = Household.objects.order_by("number").first()
        ids = [m.id_number for m in Member.objects.filter(household=first).order_by("id")]
        rows = list(Household.objects.order_by("number").values_list("number", "head_name", "status"))
        purchases = list(
            Purchase.objects.exclude(source="order")
            .order_by("id")
            .values_list(
                "external_id",
                "date",
                "total",
                "buyer_kind",
                "buyer_unit__name",
                "buyer_cadre__name",
                "buyer_name",
                "seller_household__number",
                "seller_producer__name",
                "note",
            )
        )
        orders = list(
            Order.objects.order_by("id").values_list("presale_list__title", "buyer_name", "status", "total")
        )
        transaction.set_rollback(True)
    assert Household.objects.count() == 0
    return first.number, first.head_name, ids, rows, purchases, orders


def test_two_loads_in_fresh_databases_are_identical(db):
    one = _load_and_describe(60)
    two = _load_and_describe(60)
    assert one == two
    assert one[:3] == (
        "5109030010010001",
        "李兵全",
        ["510903197312260013", "510903197202030006", "510903194811240013"],
    )
    assert len(one[3]) == 60
    assert len(one[4]) == 326  # with the supply season's 鸭蛋 sale and the 20 of the planted fake figures
