"""`yigou demo --households 200`: 2018's outlets, activities and purchase ledger, and the statistics they give."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db.models import Count, Sum

from yigou.anomalies.models import Investigation
from yigou.core.models import AuditEntry
from yigou.core.periods import parse_period
from yigou.demo.anomalies import PLANTED
from yigou.ledger.models import Beneficiary, Purchase
from yigou.ledger.table import build_table
from yigou.ledger.verify import verify
from yigou.market.enums import OutletKind
from yigou.market.models import Activity, Outlet
from yigou.regions.models import Region

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo_output")]

CITY = "510900000000"
COUNTIES = ["510903000000", "510904000000", "510921000000", "510922000000", "510923000000", "510971000000"]
JAN_APR = (dt.date(2018, 1, 1), dt.date(2018, 4, 30))


def test_the_ledger_holds_an_exact_number_of_purchases():
    # 2018's ledger; this year's paid platform orders (source "order") are tested in test_demo_orders.
    assert Purchase.objects.exclude(source="order").count() == 900
    # 867 imported in one table, one of them reversed (the reversal keeps the source); 9 entered one by one
    # plus the re-entry of the corrected one and the reversal of a duplicate entry; today's canteen purchase
    # of the supply season's 鸭蛋 (demo/supply.py), which closes its quick-response case; and the 19 fake
    # figures planted in 船山区 (demo/anomalies.py) with the reversal of the copy its confirmed case found.
    assert Purchase.objects.filter(source="import").count() == 868
    assert Purchase.objects.filter(source="page").count() == 32
    assert Purchase.objects.filter(date__year=2018).count() == 899
    assert Purchase.objects.filter(external_id__startswith=PLANTED).count() == 19


def test_the_statistics_agree_with_the_raw_ledger():
    report = verify()
    assert report.purchases == Purchase.objects.count()
    assert report.differences == []
    assert report.ok is True


def test_purchases_come_through_every_channel_buyer_and_attribution():
    def kinds(column):
        return dict(
            Purchase.objects.filter(date__year=2018).values_list(column).annotate(n=Count("id")).order_by()
        )

    # With the planted fake figures: 5 canteen, 7 contract and 12 onsite purchases (demo/anomalies.py).
    assert kinds("channel") == {
        "canteen": 155,
        "contract": 153,
        "ecommerce": 77,
        "onsite": 264,
        "outlet": 145,
        "platform_832": 105,
    }
    assert kinds("buyer_kind") == {
        "cadre": 260,
        "canteen": 155,
        "enterprise": 57,
        "individual": 138,
        "social_org": 51,
        "unit": 238,
    }
    assert kinds("attribution") == {"coop_shares": 120, "entered": 88, "equal_linked": 145, "self": 546}
    assert kinds("seller_kind") == {"cooperative": 246, "enterprise": 106, "family_farm": 1, "household": 546}


def test_some_purchases_were_reversed_with_an_audited_reason():
    reversals = Purchase.objects.filter(reverses__isnull=False).order_by("id")
    confirmed = Investigation.objects.get(status="confirmed")  # its number holds the day the demo was loaded
    assert [(r.note, r.reverses.external_id, r.total, r.total == -r.reverses.total) for r in reversals] == [
        ("村文书重复登记同一笔购买，冲销重复记录", None, Decimal("-62.40"), True),
        ("数量按实际的两倍录入，冲销后按实际重新登记", "DEMO-2018-000117", Decimal("-179.40"), True),
        (
            f"核查案件 {confirmed.number} 查实：重复录入属实，冲销重复记录",
            "CSQ-2018-0117",
            Decimal("-538.00"),
            True,
        ),
    ]
    corrected = Purchase.objects.get(note="更正 DEMO-2018-000117")
    assert (corrected.total, Purchase.objects.filter(reverses=corrected).exists()) == (
        Decimal("89.70"),
        False,
    )
    audited = AuditEntry.objects.filter(action="purchase_reverse").values_list("note", flat=True)
    assert sorted(audited) == sorted(r.note for r in reversals)


def test_outlets_of_every_kind_with_fees_waived_and_some_closed_in_the_year():
    by_kind = dict(Outlet.objects.values_list("kind").annotate(n=Count("id")).order_by())
    assert set(by_kind) == set(OutletKind.values)
    assert by_kind == {
        "counter": 12,
        "ecommerce": 12,
        "online_shop": 12,
        "service_store": 6,
        "temp_market": 12,
    }
    assert Outlet.objects.filter(closed_on__year=2018).count() == 18
    assert Outlet.objects.aggregate(s=Sum("fees_waived"))["s"] == Decimal("236400")


def test_every_county_holds_activities_every_month():
    months = set(Activity.objects.values_list("county_code", "date__month").distinct())
    assert months == {(county, month) for county in COUNTIES for month in range(1, 13)}


def test_the_january_to_april_table_has_sales_in_every_county_and_the_zone():
    table = build_table(Region.objects.get(code=CITY), parse_period("2018-01..2018-04"))
    amounts = {row.region_code: row.values["amount_total"] for row in table.rows}
    assert sorted(amounts) == sorted(COUNTIES)
    assert all(amount > 0 for amount in amounts.values())
    assert table.total.values["amount_total"] == sum(amounts.values())
    assert amounts == {
        "510903000000": Decimal("97153.00"),
        "510904000000": Decimal("150494.20"),
        "510921000000": Decimal("200233.40"),
        "510922000000": Decimal("127972.90"),
        "510923000000": Decimal("60903.50"),
        "510971000000": Decimal("68265.10"),
    }
    assert table.total.values["amount_total"] == Decimal("705022.10")
    assert (table.total.values["activities"], table.total.values["outlets_temp_market"]) == (51, 1)


def test_poor_households_of_the_table_are_the_distinct_registered_beneficiaries():
    standing = Beneficiary.objects.filter(
        registered=True,
        purchase__date__range=JAN_APR,
        purchase__reverses__isnull=True,
        purchase__reversal__isnull=True,
    )
    expected = standing.values("household_id").distinct().count()
    table = build_table(Region.objects.get(code=CITY), parse_period("2018-01..2018-04"))
    assert table.total.values["poor_households"] == expected
    assert expected == 63
