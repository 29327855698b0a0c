"""Every column of the 以购助扶成果统计表 for the worked example in tests/ledger/example.py, by hand."""

from decimal import Decimal

import pytest

from tests.ledger.example import build_example
from yigou.core.periods import parse_period
from yigou.ledger.table import build_table

D = Decimal
ZERO_ROW = {
    "activities": 0,
    "outlets_counter": 0,
    "outlets_online_shop": 0,
    "outlets_service_store": 0,
    "outlets_temp_market": 0,
    "outlets_ecommerce": 0,
    "fees_waived_wan": D("0.00"),
    "villages_poor": 0,
    "villages_nonpoor": 0,
    "poor_households": 0,
    "poor_income": D("0.00"),
    "nonpoor_households": 0,
    "nonpoor_income": D("0.00"),
    "amount_total": D("0.00"),
    "amount_own": D("0.00"),
    "amount_coop": D("0.00"),
    "amount_certified": D("0.00"),
    "buyers_total": 0,
    "buyer_units": 0,
    "buyer_cadres": 0,
    "buyer_canteens": 0,
    "buyer_enterprises": 0,
    "buyer_social_orgs": 0,
}

CHUANSHAN_JAN_APR = {
    **ZERO_ROW,
    "activities": 1,
    "outlets_counter": 1,
    "fees_waived_wan": D("0.50"),
    "villages_poor": 1,
    "villages_nonpoor": 1,
    "poor_households": 1,
    "poor_income": D("1150.00"),
    "nonpoor_households": 1,
    "nonpoor_income": D("200.00"),
    "amount_total": D("2050.00"),
    "amount_own": D("1050.00"),
    "amount_coop": D("1000.00"),
    "buyers_total": 4,
    "buyer_units": 1,
    "buyer_cadres": 1,
    "buyer_canteens": 1,
}
ANJU_JAN_APR = {
    **ZERO_ROW,
    "activities": 1,
    "outlets_online_shop": 1,
    "fees_waived_wan": D("0.30"),
    "villages_poor": 1,
    "poor_households": 1,
    "poor_income": D("1600.00"),
    "amount_total": D("1600.00"),
    "amount_own": D("1600.00"),
    "buyers_total": 1,
    "buyer_units": 1,
}
SUINING_JAN_APR = {
    **ZERO_ROW,
    "activities": 2,
    "outlets_counter": 1,
    "outlets_online_shop": 1,
    "fees_waived_wan": D("0.80"),
    "villages_poor": 2,
    "villages_nonpoor": 1,
    "poor_households": 2,
    "poor_income": D("2750.00"),
    "nonpoor_households": 1,
    "nonpoor_income": D("200.00"),
    "amount_total": D("3650.00"),
    "amount_own": D("2650.00"),
    "amount_coop": D("1000.00"),
    "buyers_total": 4,
    "buyer_units": 1,
    "buyer_cadres": 1,
    "buyer_canteens": 1,
}


@pytest.fixture
def example(world):
    return build_example(world)


def table(world, code, period):
    return build_table(world.region(code), parse_period(period))


def test_city_table_for_january_to_april(world, example):
    result = table(world, "510900000000", "2018-01..2018-04")
    assert [(r.region_code, r.region_name) for r in result.rows] == [
        ("510903000000", "船山区"),
        ("510904000000", "安居区"),
        ("510971000000", "遂宁经济技术开发区"),
    ]
    assert result.rows[0].values == CHUANSHAN_JAN_APR
    assert result.rows[1].values == ANJU_JAN_APR
    assert result.rows[2].values == ZERO_ROW
    assert result.total.values == SUINING_JAN_APR


def test_a_unit_buying_in_two_counties_counts_once_in_the_total_with_a_footnote(world, example):
    result = table(world, "510900000000", "2018-01..2018-04")
    assert result.footnotes == [
        "“参与购买·总人数”合计 4 按全区去重计算，各行相加为 5：同一对象在多个下级区域出现时合计只计一次。",
        "“参与购买·帮扶单位”合计 1 按全区去重计算，各行相加为 2：同一对象在多个下级区域出现时合计只计一次。",
    ]


def test_january_alone(world, example):
    result = table(world, "510900000000", "2018-01")
    chuanshan = {
        **ZERO_ROW,
        "activities": 1,
        "outlets_counter": 1,
        "outlets_temp_market": 1,
        "fees_waived_wan": D("0.60"),
        "villages_poor": 1,
        "poor_households": 1,
        "poor_income": D("900.00"),
        "amount_total": D("1600.00"),
        "amount_own": D("600.00"),
        "amount_coop": D("1000.00"),
        "buyers_total": 2,
        "buyer_units": 1,
        "buyer_cadres": 1,
    }
    assert result.rows[0].values == chuanshan
    assert result.rows[1].values == ZERO_ROW
    assert result.total.values == chuanshan
    assert result.footnotes == []


def test_a_household_selling_in_january_and_march_counts_once_for_the_range(world, example):
    jan, mar = table(world, "510903000000", "2018-01"), table(world, "510903000000", "2018-03")
    assert (jan.total.values["poor_households"], mar.total.values["poor_households"]) == (1, 1)
    assert table(world, "510903000000", "2018-01..2018-03").total.values["poor_households"] == 1


def test_the_reversed_purchase_leaves_nothing_in_april(world, example):
    april = table(world, "510903000000", "2018-04").total.values
    assert (
        april["amount_total"],
        april["poor_households"],
        april["buyer_cadres"],
        april["villages_poor"],
    ) == (
        D("0.00"),
        0,
        0,
        0,
    )


def test_a_range_not_starting_in_january_is_exact(world, example):
    result = table(world, "510900000000", "2018-02..2018-04")
    chuanshan = result.rows[0].values
    assert (chuanshan["amount_total"], chuanshan["poor_households"], chuanshan["nonpoor_households"]) == (
        D("450.00"),
        1,
        1,
    )
    assert (chuanshan["buyers_total"], chuanshan["buyer_canteens"], chuanshan["villages_nonpoor"]) == (
        2,
        1,
        1,
    )
    assert result.total.values["buyers_total"] == 3  # canteen, 李四, and the unit in 安居


def test_any_date_range(world, example):
    result = table(world, "510900000000", "2018-01-15..2018-03-16")
    chuanshan = result.rows[0].values
    assert (chuanshan["amount_total"], chuanshan["amount_own"], chuanshan["amount_coop"]) == (
        D("1200.00"),
        D("200.00"),
        D("1000.00"),
    )
    assert (chuanshan["poor_income"], chuanshan["nonpoor_income"], chuanshan["buyers_total"]) == (
        D("300.00"),
        D("200.00"),
        2,
    )
    assert result.total.values["buyers_total"] == 2
    assert result.total.values["amount_total"] == D("2800.00")


def test_township_and_village_drill_down(world, example):
    county = table(world, "510903000000", "2018-01..2018-04")
    assert [r.region_name for r in county.rows] == ["永兴镇", "老池镇"]
    assert county.rows[0].values == CHUANSHAN_JAN_APR
    assert county.rows[1].values == ZERO_ROW
    township = table(world, "510903101000", "2018-01..2018-04")
    yongxing, shifo = township.rows[0].values, township.rows[1].values
    # The cooperative sits at the township: its sale counts in the township total, not in a village row;
    # 张德明's income from it counts in his village.
    assert (yongxing["amount_total"], yongxing["poor_income"], yongxing["activities"]) == (
        D("850.00"),
        D("1150.00"),
        0,
    )
    assert (shifo["amount_total"], shifo["nonpoor_households"]) == (D("200.00"), 1)
    assert (township.total.values["amount_total"], township.total.values["activities"]) == (D("2050.00"), 1)
    village = table(world, "510903101001", "2018-01..2018-04")
    assert village.rows == []
    assert village.total.values["amount_total"] == D("850.00")
