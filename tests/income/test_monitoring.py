"""The return-to-poverty monitoring scan: each rule at its edges (equal to a threshold is not flagged, a cent past it
is), the group by registration, the 三保障 gaps (the latest check wins), households without income data, the
monitoring line with its national fallback, the command's output, and refusals of bad input."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.anomalies.conftest import sell
from yigou.core.errors import DomainError, NotFoundError
from yigou.core.models import AuditEntry
from yigou.income.models import IncomeEntry, MonitoringLine, SecurityCheck
from yigou.income.monitoring import monitoring_scan, scan
from yigou.income.selectors import line_for, security_gaps
from yigou.income.services import income_correct, security_check_record
from yigou.registry.enums import EventKind
from yigou.registry.services import household_record_event

from .conftest import card_of, enter, register

pytestmark = pytest.mark.django_db
CHUANSHAN = "510903000000"


def found(world, year=2020, code=CHUANSHAN):
    return {s.household: (s.group, s.reasons) for s in scan(world.region(code), year).suggestions}


def test_the_seeded_line_of_sichuan_and_the_national_fallback(world):
    assert line_for(2018, "510903101001").amount == Decimal("3535.00")
    assert line_for(2020, CHUANSHAN).amount == Decimal("4000.00")
    assert line_for(2020, "110101000000") is None
    MonitoringLine.objects.create(year=2020, province_code="000000000000", amount=Decimal("4100.00"))
    assert line_for(2020, "110101000000").amount == Decimal("4100.00")
    assert line_for(2020, CHUANSHAN).amount == Decimal("4000.00")  # the province's own line comes first


def test_income_exactly_at_line_times_factor_is_not_flagged_a_cent_below_is(world):
    at = register(world, "甲", 1)
    card_of(world, at, 2020, wage="6000.00")
    below = register(world, "乙", 1)
    card_of(world, below, 2020, wage="6000.00", cost="0.01")
    poor = register(world, "丙", 2, registered=True)
    card_of(world, poor, 2020, wage="11999.98")
    exited = register(world, "丁", 4, registered=True)
    household_record_event(
        actor=world.users["admin"],
        household=exited,
        kind=EventKind.EXITED,
        date=dt.date(2019, 11, 1),
        reason="达标",
    )
    card_of(world, exited, 2020, wage="20000.00", business="3999.96")
    assert found(world) == {
        below.number: ("marginal", ["2020年人均纯收入 5999.99元，低于监测线 4000元 的 1.5 倍（6000元）"]),
        poor.number: ("unstable", ["2020年人均纯收入 5999.99元，低于监测线 4000元 的 1.5 倍（6000元）"]),
        exited.number: ("unstable", ["2020年人均纯收入 5999.99元，低于监测线 4000元 的 1.5 倍（6000元）"]),
    }


def test_the_factor_comes_from_the_settings(world, settings):
    settings.YIGOU_MONITORING_RULES = {**settings.YIGOU_MONITORING_RULES, "factor": "2"}
    household = register(world, "甲", 1)
    card_of(world, household, 2020, wage="7999.99")
    assert found(world) == {
        household.number: ("marginal", ["2020年人均纯收入 7999.99元，低于监测线 4000元 的 2 倍（8000元）"])
    }


def test_a_fall_of_exactly_the_share_is_not_flagged_above_it_is(world):
    exact = register(world, "甲", 1)
    card_of(world, exact, 2019, wage="10000.00")
    card_of(world, exact, 2020, wage="7000.00")
    above = register(world, "乙", 1)
    card_of(world, above, 2019, wage="10000.00")
    card_of(world, above, 2020, wage="6999.99")
    half = register(world, "丙", 1, registered=True)
    card_of(world, half, 2019, wage="20000.00")
    card_of(world, half, 2020, wage="10000.00")
    sudden = register(world, "丁", 1, registered=True)
    card_of(world, sudden, 2019, wage="20000.00")
    card_of(world, sudden, 2020, wage="9999.99")
    assert found(world) == {
        above.number: (
            "marginal",
            ["人均纯收入由2019年的 10000元 降至2020年的 6999.99元，下降 30.01%，超过 30%"],
        ),
        half.number: ("unstable", ["人均纯收入由2019年的 20000元 降至2020年的 10000元，下降 50%，超过 30%"]),
        sudden.number: (
            "sudden",
            ["人均纯收入由2019年的 20000元 降至2020年的 9999.99元，下降 50.01%，超过 50%（突发严重困难）"],
        ),
    }


def test_a_fall_below_the_line_names_both_figures(world):
    household = register(world, "甲", 2)
    card_of(world, household, 2019, wage="20000.00")
    card_of(world, household, 2020, wage="4000.00", transfer="2000.00")
    assert found(world) == {
        household.number: (
            "sudden",
            [
                "2020年人均纯收入 3000元，低于监测线 4000元 的 1.5 倍（6000元）",
                "人均纯收入由2019年的 10000元 降至2020年的 3000元，下降 70%，超过 50%（突发严重困难）",
            ],
        )
    }


def test_households_without_income_data_for_the_year_are_not_judged_on_income(world):
    only_ledger = register(world, "甲", 1)
    sell(world, only_ledger, "10", "60.00", day=dt.date(2020, 5, 10))
    last_year_only = register(world, "乙", 1)
    card_of(world, last_year_only, 2019, wage="10000.00")
    corrected = register(world, "丙", 1)
    income_correct(
        actor=world.users["chuanshan"], entry=enter(world, corrected, 2020, "wage", "100"), reason="录错户"
    )
    assert found(world) == {}
    result = scan(world.region(CHUANSHAN), 2020)
    assert (result.judged, result.unsized) == (0, [])


def test_ledger_sales_count_in_the_scan_and_a_reversal_takes_them_out(world):
    from yigou.ledger.services import purchase_reverse

    household = register(world, "甲", 1)
    card_of(world, household, 2020, wage="5400.00")
    purchase = sell(world, household, "10", "60.00", day=dt.date(2020, 5, 10))
    assert found(world) == {}  # 5400 + 600 = 6000: at the bar
    purchase_reverse(actor=world.users["chuanshan"], purchase=purchase, reason="虚报")
    assert found(world) == {
        household.number: ("marginal", ["2020年人均纯收入 5400元，低于监测线 4000元 的 1.5 倍（6000元）"])
    }


def check(world, household, item, ok, day, evidence=""):
    return security_check_record(
        actor=world.users["village"],
        household=household,
        year=2020,
        item=item,
        ok=ok,
        checked_on=day,
        evidence=evidence,
    )


def test_a_gap_is_an_item_whose_latest_check_is_not_ok(world):
    zhang, other = world.households["zhang"], register(world, "甲", 3)
    check(world, zhang, "water", False, dt.date(2020, 3, 1), "自来水未通")
    check(world, zhang, "water", True, dt.date(2020, 8, 1), "已通自来水")
    check(world, zhang, "education", False, dt.date(2020, 9, 1), "次子辍学在家")
    check(world, other, "housing", True, dt.date(2020, 4, 1))
    check(
        world, other, "housing", False, dt.date(2020, 4, 1), "鉴定为C级危房"
    )  # same day: the later entry wins
    assert found(world) == {
        zhang.number: ("unstable", ["义务教育有保障（无辍学）未达标（2020-09-01 核查：次子辍学在家）"]),
        other.number: ("marginal", ["住房安全有保障（鉴定）未达标（2020-04-01 核查：鉴定为C级危房）"]),
    }
    assert [g.item for g in security_gaps(world.users["chuanshan"], zhang, 2020)] == ["education"]
    with pytest.raises(NotFoundError):
        security_gaps(world.users["anju"], zhang, 2020)
    assert AuditEntry.objects.filter(action="income.security_check").count() == 5


def test_a_bad_check_is_refused_and_nothing_is_written(world):
    zhang = world.households["zhang"]
    with pytest.raises(DomainError, match="核查日期须在 2020 年内"):
        check(world, zhang, "water", True, dt.date(2019, 12, 31))
    with pytest.raises(DomainError, match="核查未达标时须写明核查依据"):
        check(world, zhang, "water", False, dt.date(2020, 3, 1))
    with pytest.raises(DomainError, match="保障事项“food”不在可选范围内"):
        check(world, zhang, "food", True, dt.date(2020, 3, 1))
    with pytest.raises(NotFoundError):
        security_check_record(
            actor=world.users["anju"],
            household=zhang,
            year=2020,
            item="water",
            ok=True,
            checked_on=dt.date(2020, 3, 1),
        )
    assert (
        SecurityCheck.objects.count(),
        AuditEntry.objects.filter(action__startswith="income.").count(),
    ) == (0, 0)


def test_the_scan_covers_the_region_asked_for_only(world):
    here = register(world, "甲", 1)
    card_of(world, here, 2020, wage="100.00")
    there = register(world, "乙", 1, village="510904101001")
    card_of(world, there, 2020, wage="100.00", actor="anju")
    assert set(found(world)) == {here.number}
    assert set(found(world, code="510904000000")) == {there.number}
    assert set(found(world, code="510900000000")) == {here.number, there.number}
    assert [
        s.household for s in monitoring_scan(world.users["village"], "510903101001", 2020).suggestions
    ] == [here.number]
    with pytest.raises(DomainError, match="不在本账号的管辖范围内"):
        monitoring_scan(world.users["anju"], CHUANSHAN, 2020)


def test_the_scan_runs_a_fixed_number_of_queries(world):
    for n in range(6):
        household = register(world, f"户{n}", 1 + n % 3, registered=n % 2 == 0)
        card_of(world, household, 2019, wage="9000.00")
        card_of(world, household, 2020, wage=f"{1000 * (n + 1)}.00", cost="10.00")
        check(world, household, "medical", n % 3 != 0, dt.date(2020, 2, 1), "未参加城乡居民医保")
    with CaptureQueriesContext(connection) as queries:
        result = scan(world.region(CHUANSHAN), 2020)
    assert len(result.suggestions) == 6
    assert len(queries) == 8  # the line; entries, ledger, households for each of two years; the gaps


def run(*args):
    out, err = StringIO(), StringIO()
    call_command("monitoring", "scan", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_the_command_prints_household_group_and_reasons_as_json(world):
    household = register(world, "甲", 1)
    card_of(world, household, 2020, wage="5000.00")
    check(world, world.households["zhang"], "housing", False, dt.date(2020, 5, 1), "D级危房")
    out, err = run("--year", "2020", "--region", CHUANSHAN, "--format", "json")
    assert json.loads(out) == sorted(
        [
            {
                "household": household.number,
                "suggested_group": "marginal",
                "reasons": ["2020年人均纯收入 5000元，低于监测线 4000元 的 1.5 倍（6000元）"],
            },
            {
                "household": world.households["zhang"].number,
                "suggested_group": "unstable",
                "reasons": ["住房安全有保障（鉴定）未达标（2020-05-01 核查：D级危房）"],
            },
        ],
        key=lambda row: row["household"],
    )
    assert err == ""


def test_the_command_prints_text_and_warns_without_a_line(world):
    household = register(world, "甲", 1)
    card_of(world, household, 2020, wage="5000.00")
    out, _ = run("--year", "2020", "--region", CHUANSHAN, "--format", "text")
    assert out.splitlines() == [
        f"{household.number}\t边缘易致贫户\t2020年人均纯收入 5000元，低于监测线 4000元 的 1.5 倍（6000元）",
        "共 1 户建议纳入监测（船山区 2020年，监测线 4000元/人·年；按收入研判 1 户）",
    ]
    MonitoringLine.objects.filter(year=2020).delete()
    out, err = run("--year", "2020", "--region", CHUANSHAN, "--format", "text")
    assert out.splitlines() == ["共 0 户建议纳入监测（船山区 2020年，未设置监测线；按收入研判 1 户）"]
    assert "2020年未设置本省或全国的防止返贫监测线" in err


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--year", "1999", "--region", CHUANSHAN], "年度“1999”无效，应为 2014 至 2027 之间的四位年份"),
        (["--year", "二〇二〇", "--region", CHUANSHAN], "年度“二〇二〇”无效"),
        (["--year", "2020", "--region", "5109"], "区划代码“5109”无效，应为 12 位数字"),
        (["--year", "2020", "--region", "519999000000"], "区划代码“519999000000”不存在"),
    ],
)
def test_the_command_refuses_bad_input_in_chinese_and_writes_nothing(world, args, message, time_machine):
    time_machine.move_to(dt.datetime(2026, 6, 1, 12))
    household = register(world, "甲", 1)
    card_of(world, household, 2020, wage="5000.00")
    before = (IncomeEntry.objects.count(), SecurityCheck.objects.count(), AuditEntry.objects.count())
    with pytest.raises(CommandError, match=message):
        run(*args)
    assert (IncomeEntry.objects.count(), SecurityCheck.objects.count(), AuditEntry.objects.count()) == before
