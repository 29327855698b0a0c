"""`yigou regions import` creates a city with a county and a zone; form-import, stats and validate then work."""

import io
import json

import pytest
from django.core.management import CommandError, call_command

from yigou.reporting.models import FormValue

REGIONS_CSV = """code,name,parent_code,level,kind,poor
511000000000,内江市,510000000000,city,admin,否
511011000000,东兴区,511000000000,county,admin,否
511071000000,内江经济技术开发区,511000000000,county,zone,否
511071001000,白马镇,511071000000,township,admin,否
"""
FORM_CSV = """region,region_name,amount_total,amount_own,amount_coop,poor_households,poor_income,buyers_total,buyer_units
511011000000,东兴区,5000,3000,2000,4,2500,6,2
511071000000,内江经济技术开发区,800,500,200,1,900,2,3
"""


def run(*args):
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


@pytest.fixture
def neijiang(world, tmp_path):
    regions = tmp_path / "regions.csv"
    regions.write_text(REGIONS_CSV, encoding="utf-8")
    run("regions", "import", str(regions))
    form = tmp_path / "form.csv"
    form.write_text(FORM_CSV, encoding="utf-8")
    return form


def test_dry_run_checks_and_writes_nothing(neijiang):
    out = run("form-import", str(neijiang), "--period", "2018-06", "--dry-run")
    assert out.strip() == "检查通过：共 2 行，未发现错误（仅检查，未写入）。"
    assert FormValue.objects.count() == 0


def test_form_import_writes_and_reports_the_zone_violations(neijiang):
    out = run("form-import", str(neijiang), "--period", "2018-06")
    assert out.splitlines() == [
        "导入完成：共 2 行，更新 14 个数值。",
        "  校验：511071000000 2018-06 R01 [高] 购买金额总额应等于农户自产与合作社产品之和："
        "购买金额·总额 = 800，购买金额·其中农户自产 + 购买金额·其中合作社产品 = 700",
        "  校验：511071000000 2018-06 R02 [高] 贫困与非贫困群众收入之和不应超过购买金额总额："
        "贫困群众参与·收入 + 非贫困群众参与·收入 = 900，购买金额·总额 = 800",
        "  校验：511071000000 2018-06 R03 [中] 参与购买的帮扶单位数不应超过参与购买总人数："
        "参与购买·帮扶单位 = 3，参与购买·总人数 = 2",
    ]
    assert FormValue.objects.count() == 14


def test_stats_serves_the_new_city_from_the_forms(neijiang):
    run("form-import", str(neijiang), "--period", "2018-06")
    data = json.loads(run("stats", "--region", "511000000000", "--period", "2018-06", "--format", "json"))
    assert [
        (r["region_name"], r["values"]["amount_total"], r["values"]["poor_households"]) for r in data["rows"]
    ] == [
        ("东兴区", 5000.0, 4),
        ("内江经济技术开发区", 800.0, 1),
    ]
    assert (
        data["title"],
        data["total"]["values"]["amount_total"],
        data["total"]["values"]["buyer_units"],
    ) == (
        "内江市2018年6月以购助扶成果统计表",
        5800.0,
        5,
    )
    assert data["footnotes"] == [
        "东兴区、内江经济技术开发区无台账数据，采用填报数据；合计 = 台账合计 + 上述填报数据。",
        "填报数据中的户数、村数、人数、单位数等去重计数按下级及各月相加，可能重复计算。",
    ]


def test_validate_the_new_city(neijiang):
    run("form-import", str(neijiang), "--period", "2018-06")
    out = run("validate", "--region", "511000000000", "--period", "2018-06", "--format", "json")
    assert [
        (v["region_name"], v["rule"], v["left"], v["right"], v["importance"]) for v in json.loads(out)
    ] == [
        ("内江经济技术开发区", "R01", 800, 700, "high"),
        ("内江经济技术开发区", "R02", 900, 800, "high"),
        ("内江经济技术开发区", "R03", 3, 2, "medium"),
        ("内江市", "R01", 5800, 5700, "high"),
    ]


def test_the_zone_township_reports_in_long_layout_and_the_zone_aggregates_it(neijiang, tmp_path):
    long = tmp_path / "long.csv"
    long.write_text(
        "region,period,element,value\n511071001000,2018-07,amount_total,120\n"
        "511071001000,2018-07,amount_own,120\n",
        encoding="utf-8",
    )
    run("form-import", str(long))
    data = json.loads(run("stats", "--region", "511000000000", "--period", "2018-07", "--format", "json"))
    assert [r["values"]["amount_total"] for r in data["rows"]] == [0.0, 120.0]


def test_a_file_without_period_needs_the_option(neijiang):
    with pytest.raises(CommandError, match="导入未执行：共 1 处错误"):
        run("form-import", str(neijiang))
    assert FormValue.objects.count() == 0
