"""The worked example of tests/shares/example.py: completion of each unit and the 船山区 dashboard, by hand."""

import datetime as dt
from decimal import Decimal

from yigou.shares import selectors
from yigou.shares.completion import elapsed_share
from yigou.shares.enums import FilingStatus


def share(ex, key):
    return selectors.unit_share(ex.admin, ex.units[key], ex.year, ex.today)


def test_filings_compute_reserved_amounts_and_union_parts(ex):
    f = ex.filings
    assert (f["A"].reserved_amount, f["A"].union_amount, f["A"].target) == (
        Decimal("100000.00"),
        Decimal("30000.00"),
        Decimal("130000.00"),
    )
    assert (f["C"].reserved_amount, f["C"].union_amount, f["C"].target) == (
        Decimal("0.00"),
        Decimal("4000.00"),
        Decimal("4000.00"),
    )
    assert f["D"].target == Decimal("60000.00") and f["F"].target == Decimal("25000.00")
    assert f["E"].reserved_amount == Decimal("30000.00")
    assert {k: f[k].status for k in "ABCDEF"} == {
        "A": FilingStatus.APPROVED,
        "B": FilingStatus.APPROVED,
        "C": FilingStatus.APPROVED,
        "D": FilingStatus.SUBMITTED,
        "E": FilingStatus.RETURNED,
        "F": FilingStatus.APPROVED,
    }
    assert f["B"].note == "由“船山区人民政府办公室”合并填报" and f["B"].host_id == f["A"].pk


def test_floor_of_the_most_specific_region_applies(ex):
    assert (ex.filings["A"].floor_ratio, ex.filings["F"].floor_ratio) == (Decimal("20.00"), Decimal("20.00"))


def test_unit_below_last_year_is_flagged_and_returned(ex):
    e = ex.filings["E"]
    assert (e.below_last_year, e.below_floor, e.last_year_amount) == (True, False, Decimal("36000.00"))
    assert e.review_note == "低于上年预留金额，请核实"
    assert not any(ex.filings[k].flagged for k in "ACDF")


def test_shared_canteen_counts_the_merged_unit_union_and_staff_but_not_unpaid_off_platform_or_refunded(ex):
    a = share(ex, "A")
    assert (
        a.done.total == Decimal("35000.00")
        and a.target == Decimal("130000.00")
        and a.rate == Decimal("26.92")
    )
    assert a.done.breakdown() == [
        ("本单位（含食堂）", Decimal("20000.00")),
        ("干部职工", Decimal("3000.00")),
        ("合并填报单位", Decimal("6000.00")),
        ("工会", Decimal("6000.00")),
        ("食堂承包方", Decimal("0.00")),
    ]
    b = share(ex, "B")
    assert b.owner == ex.filings["A"] and (b.done.total, b.rate) == (Decimal("35000.00"), Decimal("26.92"))


def test_unit_without_canteen_is_measured_against_its_union_part(ex):
    c = share(ex, "C")
    assert (c.target, c.done.total, c.rate) == (Decimal("4000.00"), Decimal("3000.00"), Decimal("75.00"))


def test_outsourced_canteens_count_the_contractor_enterprise_and_the_contractor_account(ex):
    d, f = share(ex, "D"), share(ex, "F")
    assert (d.done.by_source["unit"], d.done.by_source["contractor"], d.rate) == (
        Decimal("6000.00"),
        Decimal("30000.00"),
        Decimal("60.00"),
    )
    assert (f.done.total, f.done.by_source["contractor"], f.rate) == (
        Decimal("15000.00"),
        Decimal("15000.00"),
        Decimal("60.00"),
    )


def test_returned_and_missing_filings_have_no_target_but_show_what_was_bought(ex):
    e, g = share(ex, "E"), share(ex, "G")
    assert (e.target, e.done.total, e.rate) == (Decimal("0.00"), Decimal("5000.00"), None)
    assert (g.filing, g.target, g.done.total, g.rate) == (None, Decimal("0.00"), Decimal("0.00"), None)


def test_counted_purchases_list_the_same_rows_as_the_total(ex):
    rows = list(selectors.share_purchases(ex.admin, share(ex, "A")))
    assert sorted(r.total for r in rows) == sorted(
        Decimal(x) for x in ("20000.00", "3000.00", "6000.00", "6000.00", "10000.00", "-10000.00")
    )
    assert all(r.order_id for r in rows)


def test_chuanshan_dashboard_totals(ex, world, django_assert_max_num_queries):
    with django_assert_max_num_queries(3):
        board = selectors.dashboard(
            world.users["chuanshan"], world.regions["510903000000"], ex.year, dt.date(ex.year, 7, 1)
        )
        rows = {r.unit.name: r for r in board.rows}
    assert (board.registered, board.filed, board.not_filed) == (7, 5, 2)
    assert (board.reserved_total, board.completed_total, board.rate) == (
        Decimal("219000.00"),
        Decimal("89000.00"),
        Decimal("40.64"),
    )
    assert [(r.unit.name, r.rate) for r in board.top] == [
        ("船山区档案馆", Decimal("75.00")),
        ("船山区卫生健康局", Decimal("60.00")),
        ("船山区教育局", Decimal("60.00")),
        ("船山区人民政府办公室", Decimal("26.92")),
    ]
    assert [r.unit.name for r in board.bottom] == [
        "船山区人民政府办公室",
        "船山区教育局",
        "船山区卫生健康局",
        "船山区档案馆",
    ]
    assert [r.unit.name for r in board.never_bought] == ["船山区统计局"]
    assert [r.unit.name for r in board.behind] == ["船山区人民政府办公室"]
    assert {r.unit.name for r in board.unfiled} == {"船山区农业农村局", "船山区统计局"}
    assert rows["船山区发展和改革局"].rate is None and not rows["船山区发展和改革局"].never_bought


def test_city_dashboard_adds_the_city_unit_that_bought_without_filing(ex, world):
    board = selectors.dashboard(world.users["city"], None, ex.year, dt.date(ex.year, 7, 1))
    assert board.region == world.regions["510900000000"] or board.region is None
    board = selectors.dashboard(world.users["city"], world.regions["510900000000"], ex.year, ex.today)
    assert (board.registered, board.filed, board.not_filed) == (8, 5, 3)
    assert (board.reserved_total, board.completed_total) == (Decimal("219000.00"), Decimal("89000.00"))
    finance = next(r for r in board.rows if r.unit == world.units["finance"])
    assert (finance.done, finance.never_bought, finance.status_label) == (Decimal("1000.00"), False, "未填报")


def test_elapsed_share_of_the_year():
    assert elapsed_share(2018, dt.date(2018, 7, 1)) == Decimal("49.86")  # 182 of 365 days
    assert elapsed_share(2020, dt.date(2020, 7, 1)) == Decimal("50.00")  # 183 of 366 days
    assert elapsed_share(2018, dt.date(2017, 12, 31)) == Decimal("0.00")
    assert elapsed_share(2018, dt.date(2019, 1, 1)) == Decimal("100.00")
