"""`yigou demo --households 200`: 2018's outlets, activities and purchase ledger, and the statistics they give;
the fake figures planted in 船山区's ledger, the findings of the scan and the investigation cases opened for them."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db.models import Count, Sum

from yigou.accounts.models import User
from yigou.anomalies import selectors
from yigou.anomalies.models import Finding, Investigation
from yigou.core.models import AuditEntry
from yigou.core.periods import parse_period
from yigou.demo.anomalies import PLANTED
from yigou.ledger.models import Beneficiary, Purchase
from yigou.ledger.table import build_table
from yigou.ledger.verify import verify
from yigou.market.enums import OutletKind
from yigou.market.models import Activity, Outlet
from yigou.notices.models import Notice
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


CHUANSHAN = "510903000000"


def _externals(finding):
    return [external for _, external in finding.purchases]


def _planted(first, last):
    return [f"{PLANTED}{n:04d}" for n in range(first, last + 1)]


def test_the_fake_figures_are_planted_in_one_county_by_its_staff():
    planted = Purchase.objects.filter(external_id__startswith=PLANTED)
    assert planted.count() == 19
    assert set(planted.values_list("county_code", flat=True)) == {CHUANSHAN}
    recorded = dict(planted.values_list("recorded_by__username").annotate(n=Count("id")).order_by())
    assert recorded == {"chuanshan": 18, "village": 1}
    batch = planted.filter(buyer_kind="cadre")
    assert (batch.count(), set(batch.values_list("total", flat=True))) == (10, {Decimal("300.00")})
    assert batch.values("seller_household").distinct().count() == 10
    assert set(batch.values_list("date", flat=True)) == {dt.date(2018, 9, 21)}


def test_the_scan_finds_every_planted_pattern_and_nothing_else_in_the_county():
    found = Finding.objects.order_by("rule", "id")
    assert dict(found.values_list("rule").annotate(n=Count("id")).order_by()) == {
        "batch": 1,
        "duplicate": 2,
        "price": 1,
        "volume": 1,
    }
    assert [(f.rule, f.region_id[:6], f.scope_code, _externals(f)) for f in found] == [
        ("batch", "510903", CHUANSHAN, _planted(201, 210)),
        ("duplicate", "510903", CHUANSHAN, ["CSQ-2018-0101", "CSQ-2018-0117"]),
        ("duplicate", "510903", CHUANSHAN, ["CSQ-2018-0152", "CSQ-2018-0160"]),
        ("price", "510903", CHUANSHAN, ["CSQ-2018-0401"]),
        ("volume", "510903", CHUANSHAN, _planted(301, 304)),
    ]
    batch = found.get(rule="batch")
    assert batch.region_id == CHUANSHAN  # ten households of several townships: the county's finding
    assert "10 个不同销售方各购买一次，金额均为 300元" in batch.evidence
    assert "的 11.6 倍" in found.get(rule="volume").evidence
    # The city's audit bureau sees them all on its findings page.
    auditor = User.objects.get(username="auditor")
    shown = selectors.findings(auditor, region=Region.objects.get(code=CITY), period=parse_period("2018"))
    assert shown.count() == 5


def test_the_cases_stand_in_every_state_with_the_right_people():
    rows = Investigation.objects.select_related("finding", "opened_by", "assignee", "decided_by")
    by_status = {case.status: case for case in rows}
    assert rows.count() == 5
    assert sorted(by_status) == ["assigned", "confirmed", "dismissed", "explained", "open"]

    def who(user):
        return user.username if user else None

    assert {
        status: (
            case.finding.rule,
            who(case.opened_by),
            who(case.assignee),
            who(case.decided_by),
            [e.kind for e in case.events.all()],
        )
        for status, case in by_status.items()
    } == {
        "open": ("price", "auditor", None, None, ["opened"]),
        "assigned": ("duplicate", "auditor", "chuanshan", None, ["opened", "assigned"]),
        "explained": ("batch", "auditor", "chuanshan", None, ["opened", "assigned", "explained"]),
        "confirmed": (
            "duplicate",
            "auditor",
            "chuanshan",
            "city",
            ["opened", "assigned", "explained", "confirmed"],
        ),
        "dismissed": (
            "volume",
            "city",
            "chuanshan",
            "city",
            ["opened", "assigned", "explained", "dismissed"],
        ),
    }
    assert by_status["explained"].explanation.startswith("经核实，该干部当日受单位工会委托")
    assert by_status["dismissed"].decision == "该户为种植大户，销量与种植面积相符，排除疑点"
    # Each assignment tells the county office; each explanation tells whoever opened the case.
    notices = Notice.objects.filter(kind="investigation").values_list("recipient__username")
    assert dict(notices.annotate(n=Count("id")).order_by()) == {"chuanshan": 4, "auditor": 2, "city": 1}


def test_the_confirmed_case_reversed_exactly_the_duplicate_copy():
    confirmed = Investigation.objects.get(status="confirmed")
    assert (confirmed.reversed_count, confirmed.reversed_amount) == (1, Decimal("538.00"))
    reversals = Purchase.objects.filter(reverses__external_id__startswith=PLANTED)
    assert [(r.reverses.external_id, r.total) for r in reversals] == [("CSQ-2018-0117", Decimal("-538.00"))]
    first = Purchase.objects.get(external_id="CSQ-2018-0101")
    assert not Purchase.objects.filter(reverses=first).exists()


def test_the_rules_flag_almost_nothing_that_was_not_planted():
    planted = Purchase.objects.filter(external_id__startswith=PLANTED).values_list("id", flat=True)
    live = set(
        Purchase.objects.filter(
            region__code__startswith="5109", date__year=2018, reverses__isnull=True, reversal__isnull=True
        )
        .exclude(id__in=planted)
        .values_list("id", flat=True)
    )
    flagged = {pk for finding in Finding.objects.all() for pk in finding.purchase_ids} & live
    assert (len(flagged), len(live)) == (0, 875)
    assert len(flagged) / len(live) <= 0.01


def test_the_load_reports_the_findings_and_cases(demo_output):
    assert "疑点 5 条（同日批量等额购买 1，重复录入 2，价格异常 1，销量异常（同类比较） 1）" in demo_output
    assert (
        "核查案件 5 件（已立案 1，已交办 1，已说明 1，已查实（已冲销） 1，已排除 1），查实冲销 1 笔"
        in demo_output
    )
    assert "，虚假数据疑点 5，核查案件 5，" in demo_output.splitlines()[-1]
