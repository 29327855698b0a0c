"""Random sequences of purchases and reversals: the rollups always equal a recomputation from the raw ledger."""

import datetime as dt
from decimal import Decimal

from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.ledger.example import line
from tests.ledger.test_rebuild import snapshot
from yigou.core.periods import parse_period
from yigou.ledger.enums import BuyerKind, Channel
from yigou.ledger.rebuild import rebuild_all
from yigou.ledger.services import PurchaseInput, purchase_record, purchase_reverse
from yigou.ledger.table import build_table
from yigou.ledger.verify import verify

SELLERS = ["zhang", "wang", "liu"]
BUYERS = ["chen", "sun", "finance", "person"]

operation = st.tuples(
    st.sampled_from(SELLERS),
    st.sampled_from(BUYERS),
    st.integers(1, 6),
    st.integers(1, 28),
    st.integers(1, 500),
    st.booleans(),
)


class Rollback(Exception):
    pass


def buyer(world, key):
    if key in ("chen", "sun"):
        return {"buyer_kind": BuyerKind.CADRE, "buyer_cadre": world.cadres[key]}
    if key == "finance":
        return {"buyer_kind": BuyerKind.UNIT, "buyer_unit": world.units["finance"]}
    return {"buyer_kind": BuyerKind.INDIVIDUAL, "buyer_name": "赵六"}


def run(world, operations):
    admin, kept = world.users["admin"], set()
    for seller, who, month, day, amount, reverse in operations:
        data = PurchaseInput(
            date=dt.date(2018, month, day),
            channel=Channel.ONSITE,
            seller_household=world.households[seller],
            lines=[line("土豆", str(amount), "斤", "1")],
            **buyer(world, who),
        )
        purchase, _ = purchase_record(actor=admin, data=data)
        if reverse:
            purchase_reverse(actor=admin, purchase=purchase, reason="测试冲销")
        else:
            kept.add((seller, month))
    return kept


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(operations=st.lists(operation, min_size=1, max_size=12))
def test_rollups_always_match_the_raw_ledger(world, operations):
    try:
        with transaction.atomic():
            kept = run(world, operations)
            report = verify()
            assert report.ok, [str(d) for d in report.differences[:5]]
            for last_month in (1, 3, 6):
                table = build_table(
                    world.region("510900000000"), parse_period(f"2018-01..2018-{last_month:02d}")
                )
                poor = {s for s, m in kept if m <= last_month and s in ("zhang", "liu")}
                assert table.total.values["poor_households"] == len(poor)
                assert table.total.values["amount_total"] == Decimal(
                    sum(a for s, _, m, _, a, r in operations if not r and m <= last_month)
                ).quantize(Decimal("0.01"))
            incremental = snapshot()
            rebuild_all()
            assert snapshot() == incremental
            raise Rollback
    except Rollback:
        pass
