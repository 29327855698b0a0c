"""The certified-sales measure is kept by all three implementations: incremental rollups, verify, SQL rebuild."""

import datetime as dt
from decimal import Decimal

from tests.ledger.test_rebuild import snapshot
from tests.market.test_catalog import sell
from yigou.core.periods import parse_period
from yigou.ledger.models import MonthRollup
from yigou.ledger.rebuild import rebuild_all
from yigou.ledger.services import purchase_reverse
from yigou.ledger.table import build_table
from yigou.ledger.verify import verify


def test_verify_and_rebuild_agree_on_certified_sales_and_their_reversal(world, listed):
    """Sold 10 + 4 瓶 (630.00) in July, the 4 瓶 (180.00) reversed: 450.00 certified remains everywhere."""
    sell(world, listed, dt.date(2018, 7, 1), "10")
    wrong = sell(world, listed, dt.date(2018, 7, 2), "4")
    purchase_reverse(actor=world.users["admin"], purchase=wrong, reason="重复登记")

    city = MonthRollup.objects.get(region_code="510900000000", year=2018, month=7)
    assert (city.amount_total, city.amount_certified) == (45000, 45000)  # in fen
    assert verify().ok
    incremental = snapshot()
    rebuild_all()
    assert snapshot() == incremental
    values = build_table(world.region("510900000000"), parse_period("2018-07-01..2018-07-31")).total.values
    assert values["amount_certified"] == Decimal("450.00")
