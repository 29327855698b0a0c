"""A city whose counties report partly by ledger and partly by form: the merged table, reconciliation, rules."""

import io
import json

import pytest
from django.core.management import call_command

from tests.reporting.example import ANJU, CHUANSHAN, CITY, ZERO_ROW, ZONE, D, build
from yigou.core.periods import parse_period
from yigou.ledger.table import build_table
from yigou.reporting.merge import build_merged_table, merge, reconciliation

CHUANSHAN_LEDGER = {
    **ZERO_ROW,
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
ANJU_REPORTED = {
    **ZERO_ROW,
    "activities": 1,
    "villages_poor": 1,
    "poor_households": 3,
    "poor_income": D("1200.00"),
    "nonpoor_households": 1,
    "nonpoor_income": D("300.00"),
    "amount_total": D("2000.00"),
    "amount_own": D("1200.00"),
    "amount_coop": D("600.00"),
    "buyers_total": 5,
    "buyer_units": 2,
    "buyer_cadres": 3,
}
ZONE_REPORTED = {
    **ZERO_ROW,
    "outlets_counter": 1,
    "fees_waived_wan": D("0.20"),
    "poor_households": 2,
    "poor_income": D("900.00"),
    "nonpoor_households": 1,
    "nonpoor_income": D("200.00"),
    "amount_total": D("1000.00"),
    "amount_own": D("700.00"),
    "amount_coop": D("300.00"),
    "buyers_total": 4,
    "buyer_units": 1,
}
CITY_TOTAL = {
    **ZERO_ROW,
    "activities": 1,
    "outlets_counter": 1,
    "fees_waived_wan": D("0.20"),
    "villages_poor": 2,
    "poor_households": 6,
    "poor_income": D("3000.00"),
    "nonpoor_households": 2,
    "nonpoor_income": D("500.00"),
    "amount_total": D("4600.00"),
    "amount_own": D("2500.00"),
    "amount_coop": D("1900.00"),
    "buyers_total": 11,
    "buyer_units": 4,
    "buyer_cadres": 4,
}


@pytest.fixture
def example(world):
    build(world)
    return world


def test_the_ledger_alone_knows_only_chuanshan(example):
    ledger = build_table(example.region(CITY), parse_period("2018-03"))
    assert [r.values for r in ledger.rows] == [CHUANSHAN_LEDGER, ZERO_ROW, ZERO_ROW]


def test_merged_table_takes_the_ledger_for_chuanshan_and_forms_for_anju_and_the_zone(example):
    table = build_merged_table(example.region(CITY), parse_period("2018-03"))
    assert [(r.region_code, r.region_name) for r in table.rows] == [
        (CHUANSHAN, "船山区"),
        (ANJU, "安居区"),
        (ZONE, "遂宁经济技术开发区"),
    ]
    assert table.rows[0].values == CHUANSHAN_LEDGER
    assert table.rows[1].values == ANJU_REPORTED
    assert table.rows[2].values == ZONE_REPORTED
    assert table.total.values == CITY_TOTAL
    assert table.footnotes == [
        "安居区、遂宁经济技术开发区无台账数据，采用填报数据；合计 = 台账合计 + 上述填报数据。",
        "填报数据中的户数、村数、人数、单位数等去重计数按下级及各月相加，可能重复计算。",
        "船山区同时有台账和填报数据，采用台账数据；两者不一致 2 项，见核对表。",
    ]


def test_sources_name_where_each_row_comes_from(example):
    assert merge(example.region(CITY), parse_period("2018-03")).sources == {
        CHUANSHAN: "both",
        ANJU: "form",
        ZONE: "form",
    }


def test_reconciliation_lists_what_chuanshan_reported_differently_from_its_ledger(example):
    rows = reconciliation(example.region(CITY), parse_period("2018-03"))
    assert [(d.region_name, d.element, d.label, d.ledger, d.reported, d.difference) for d in rows] == [
        ("船山区", "amount_total", "购买金额·总额", D("1600.00"), D("1700.00"), D("100.00")),
        ("船山区", "amount_own", "购买金额·其中农户自产", D("600.00"), D("700.00"), D("100.00")),
    ]


def test_a_month_without_any_figures_is_the_ledger_table(example):
    period = parse_period("2018-04")
    assert build_merged_table(example.region(CITY), period) == build_table(example.region(CITY), period)


def test_january_to_march_adds_the_months_and_keeps_stocks_at_their_last_value(example):
    table = build_merged_table(example.region(CITY), parse_period("2018-01..2018-03"))
    assert table.rows[2].values == ZONE_REPORTED


def run(*args):
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_validate_json_names_the_county_whose_total_is_not_own_plus_cooperative_and_the_zone_whose_income_exceeds_it(
    example,
):
    out = run("validate", "--region", CITY, "--period", "2018-03", "--format", "json")
    assert json.loads(out) == [
        {
            "region_code": ANJU,
            "region_name": "安居区",
            "rule": "R01",
            "description": "购买金额总额应等于农户自产与合作社产品之和",
            "left": 2000,
            "right": 1800,
            "importance": "high",
        },
        {
            "region_code": ZONE,
            "region_name": "遂宁经济技术开发区",
            "rule": "R02",
            "description": "贫困与非贫困群众收入之和不应超过购买金额总额",
            "left": 1100,
            "right": 1000,
            "importance": "high",
        },
        {
            "region_code": CITY,
            "region_name": "遂宁市",
            "rule": "R01",
            "description": "购买金额总额应等于农户自产与合作社产品之和",
            "left": 4700,
            "right": 4500,
            "importance": "high",
        },
    ]


def test_validate_text_prints_one_line_per_violation(example):
    out = run("validate", "--region", CITY, "--period", "2018-03", "--format", "text")
    assert out.splitlines() == [
        "安居区（510904000000） R01 [高] 购买金额总额应等于农户自产与合作社产品之和：左式 2000，右式 1800",
        "遂宁经济技术开发区（510971000000） R02 [高] 贫困与非贫困群众收入之和不应超过购买金额总额：左式 1100，右式 1000",
        "遂宁市（510900000000） R01 [高] 购买金额总额应等于农户自产与合作社产品之和：左式 4700，右式 4500",
        "共 3 处违反校验规则。",
    ]


def test_stats_command_serves_the_merged_table(example):
    data = json.loads(run("stats", "--region", CITY, "--period", "2018-03", "--format", "json"))
    assert [r["values"]["amount_total"] for r in data["rows"]] == [1600.0, 2000.0, 1000.0]
    assert data["total"]["values"]["amount_total"] == 4600.0
    assert data["footnotes"][2] == "船山区同时有台账和填报数据，采用台账数据；两者不一致 2 项，见核对表。"


def test_a_date_range_counts_the_whole_months_it_touches_and_says_so(example):
    table = build_merged_table(example.region(CITY), parse_period("2018-03-10..2018-03-20"))
    assert table.rows[1].values == ANJU_REPORTED
    assert table.footnotes[-2] == "填报数据按月填报，按本期间涉及的整月计入。"


def test_a_village_without_children_shows_its_own_reported_figures(example):
    from yigou.reporting.services import values_save

    values_save(
        actor=example.users["anju"],
        region_code="510904101001",
        year=2018,
        month=3,
        values={"amount_total": "80", "poor_households": "2"},
    )
    table = build_merged_table(example.region("510904101001"), parse_period("2018-03"))
    assert (table.rows, table.total.values["amount_total"], table.total.values["poor_households"]) == (
        [],
        D("80.00"),
        2,
    )
