"""Each rule on a planted pattern (caught, with the figures of its evidence) and on the same data without it
(quiet). Thresholds are the settings' defaults unless a test says otherwise."""

from __future__ import annotations

import datetime as dt
import io
import json
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.utils import timezone

from yigou.anomalies.rules import batches, deadline, digits, duplicates, households, outliers
from yigou.anomalies.rules.base import Scope
from yigou.anomalies.statistics import benford_mad, chi2_sf, modified_z, robust_spread
from yigou.core.periods import parse_period
from yigou.ledger.buyers import buyer_label
from yigou.ledger.models import Purchase
from yigou.registry.enums import EventKind
from yigou.registry.services import household_record_event

from .conftest import DAY, sell

pytestmark = pytest.mark.django_db
YEAR = parse_period("2018")


def scope(world, code="510903000000", period=YEAR) -> Scope:
    return Scope(world.region(code), period)


def test_statistics_on_known_values():
    assert round(chi2_sf(3.841, 1), 3) == 0.050
    assert round(chi2_sf(27.877, 9), 4) == 0.0010
    values = [10.0, 11.0, 12.0, 13.0, 100.0]
    spread = robust_spread(values, 12.0)
    assert spread == 1.0  # |−2|, |−1|, 0, 1, 88 → median 1
    assert round(modified_z(100.0, 12.0, spread), 2) == 59.36
    assert benford_mad([301, 176, 125, 97, 79, 67, 58, 51, 46]) < 0.001
    assert round(benford_mad([0, 0, 0, 0, 1000, 0, 0, 0, 0]) * 9, 3) == round(2 * (1 - 0.0792), 3)


def test_a_period_may_be_a_whole_year():
    period = parse_period("2018")
    assert (period.start, period.end) == (dt.date(2018, 1, 1), dt.date(2018, 12, 31))


def test_the_same_purchase_entered_twice_is_caught_and_only_the_copy_would_be_reversed(world):
    zhang = world.households["zhang"]
    first = sell(world, zhang, external_id="A-1")
    copy = sell(world, zhang, external_id="B-7")
    sell(world, zhang, quantity="11", external_id="A-2")  # same day, another amount: a real second sale
    found = duplicates.find(scope(world))
    assert len(found) == 1
    f = found[0]
    assert f.purchases == [(first.pk, "A-1"), (copy.pk, "B-7")]
    assert f.to_reverse == [copy.pk]
    assert (f.score, f.amount, f.region_code) == (90, Decimal("600.00"), "510903101001")
    assert "出现 2 次：A-1、B-7" in f.evidence and "腊肉 10.000公斤×60.00元" not in f.evidence
    assert "腊肉 10公斤×60.00元" in f.evidence


def test_one_buyer_buying_the_same_amount_from_five_households_on_one_day(world, peers):
    for household in peers[:5]:
        sell(world, household, quantity="5", price="20.00", buyer_name="陈干部")
    found = batches.find(scope(world))
    assert [(f.rule, f.score, len(f.purchases), f.amount) for f in found] == [
        ("batch", 80, 5, Decimal("500.00"))
    ]
    assert "向 5 个不同销售方各购买一次，金额均为 100元" in found[0].evidence


def test_a_cadre_buyer_is_named_by_the_cadre_not_by_the_internal_key(world, peers):
    chen = world.cadres["chen"]
    for household in peers[:5]:
        sell(
            world, household, quantity="5", price="20.00", buyer_kind="cadre", buyer_cadre=chen, buyer_name=""
        )
    [found] = batches.find(scope(world))
    assert "购买方“陈立”于" in found.evidence and "cadre:" not in found.evidence


def test_an_organisational_buyer_with_no_record_left_is_named_by_its_kind():
    assert buyer_label("unit:999999") == "单位（999999）"
    assert buyer_label("person:abc") == "个人购买人"
    assert buyer_label("anon:abc") == "匿名购买人"
    assert buyer_label("cadre:7", "王五") == "王五"


def test_four_households_or_unequal_amounts_are_not_a_batch(world, peers):
    for household in peers[:4]:
        sell(world, household, quantity="5", price="20.00", buyer_name="陈干部")
    for n, household in enumerate(peers[4:9]):
        sell(world, household, quantity=str(5 + 2 * n), price="20.00", buyer_name="赵干部")
    assert batches.find(scope(world)) == []


def test_a_household_selling_ten_times_its_peers(world, peers):
    for n, household in enumerate(peers):
        sell(world, household, quantity=str(8 + n % 5))  # 8 … 12 公斤
    big = sell(world, world.households["zhang"], quantity="100")
    found = outliers.find_volume(scope(world))
    assert len(found) == 1
    f = found[0]
    assert f.purchases == [(big.pk, None)]
    # peers 8,9,10,11,12 ×2 + 8,9 and 100 → median 10, MAD 1 → z = 0.6745 × 90 = 60.7
    assert "是本县 13 户同类销售户中位数 10公斤 的 10.0 倍，修正 z 值 60.7（阈值 5）" in f.evidence
    assert f.score == 100


def test_five_times_the_median_is_needed_even_with_a_high_z(world, peers):
    for household in peers:
        sell(world, household, quantity="10")
    sell(world, world.households["zhang"], quantity="49")  # MAD 0 → mean-AD fallback gives a high z, but < 5×
    assert outliers.find_volume(scope(world)) == []


def test_a_price_twice_the_going_price_is_caught_and_below_twice_is_not(world, peers):
    for household in peers:
        sell(world, household, price="60.00")
    pumped = sell(world, world.households["zhang"], price="130.00")
    sell(world, world.households["wang"], price="119.00")
    found = outliers.find_price(scope(world))
    assert [f.purchases for f in found] == [[(pumped.pk, None)]]
    assert "“腊肉”单价 130.00元/公斤，本县同类中位价 60.00元/公斤" in found[0].evidence


def test_a_reference_price_keeps_a_fair_high_price_quiet(world, peers):
    for household in peers:
        sell(world, household, price="60.00")
    sell(
        world, world.households["zhang"], price="130.00", reference="100.00"
    )  # ≤ 100 × 1.5: the market says so
    assert outliers.find_price(scope(world)) == []
    over = sell(world, world.households["wang"], price="160.00", reference="100.00")
    found = outliers.find_price(scope(world))
    assert [f.purchases for f in found] == [[(over.pk, None)]]
    assert "“腊肉”单价 160.00元/公斤，参考价 100.00元/公斤、本县同类中位价 60.00元/公斤" in found[0].evidence


def test_income_credited_as_poor_after_the_exit(world):
    zhang = world.households["zhang"]
    later = sell(world, zhang, day=dt.date(2018, 7, 1))
    before = sell(world, zhang, day=dt.date(2018, 5, 1))
    household_record_event(
        actor=world.users["admin"],
        household=zhang,
        kind=EventKind.EXITED,
        date=dt.date(2018, 6, 1),
        reason="达标退出",
    )
    found = households.find_after_exit(scope(world))
    assert len(found) == 1
    assert found[0].purchases == [(later.pk, None)] and before.pk not in found[0].to_reverse
    assert found[0].households == [zhang.number]
    assert (
        f"农户 {zhang.number} 已于 2018-06-01 脱贫退出，此后 2018-07-01 至 2018-07-01 的 1 笔购买仍按贫困户计入收入 600元"
        in (found[0].evidence)
    )


def test_sales_beyond_the_supply_book(world):
    from yigou.supply import services as supply

    zhang = world.households["zhang"]
    supply.supply_record(
        actor=world.users["admin"],
        village=world.region("510903101001"),
        household=zhang,
        data=supply.SupplyInput(
            name="腊肉",
            category="meat_egg",
            unit="公斤",
            quantity="50",
            available_from=dt.date(2018, 5, 1),
            available_to=dt.date(2018, 5, 31),
            keeps_days="60",
            expected_price="60.00",
            contact_name="张德明",
        ),
    )
    sell(world, zhang, quantity="40", day=dt.date(2018, 5, 5))
    assert households.find_beyond_supply(scope(world)) == []  # 40 ≤ 50 × 1.2
    sell(world, zhang, quantity="25", day=dt.date(2018, 5, 20))
    found = households.find_beyond_supply(scope(world))
    assert len(found) == 1 and len(found[0].purchases) == 2
    assert (
        "预计可售 50公斤（2018-05-01 至 2018-05-31），同期台账销售 65公斤，是登记产量的 1.3 倍"
        in found[0].evidence
    )


def test_a_month_recorded_in_the_days_before_the_deadline(world, peers):
    rows = [sell(world, h, day=dt.date(2018, 5, 3 + n)) for n, h in enumerate(peers)]
    assert deadline.find(scope(world)) == []  # recorded today, long after 2018-06-05
    late = timezone.make_aware(dt.datetime(2018, 6, 4, 10, 0))
    Purchase.objects.filter(pk__in=[p.pk for p in rows[:9]]).update(recorded_at=late)
    with pytest.MonkeyPatch.context() as mp:
        from django.conf import settings

        mp.setitem(settings.YIGOU_ANOMALY_RULES, "deadline", {"days": 3, "share": "0.70", "minimum": 10})
        found = deadline.find(scope(world))
        assert [(f.region_code, len(f.purchases)) for f in found] == [("510903101000", 9)]
        assert (
            "2018年5月的 12 笔购买（7200元）中，9 笔、5400元（75%）是在报送截止日 2018-06-05 前 3 天内"
            in found[0].evidence
        )
        mp.setitem(settings.YIGOU_ANOMALY_RULES, "deadline", {"days": 3, "share": "0.80", "minimum": 10})
        assert deadline.find(scope(world)) == []


def test_round_hundreds_heaped_in_one_township_against_its_neighbours(world, peers, settings):
    settings.YIGOU_ANOMALY_RULES = {
        **settings.YIGOU_ANOMALY_RULES,
        "heaping": {"p": "0.001", "minimum": 20, "excess": "2"},
    }
    wang = world.households["wang"]  # 510903101002: same township as the peers; compare by village below
    for n in range(24):
        sell(world, peers[n % 12], quantity="5", price="20.00", day=DAY + dt.timedelta(days=n % 20))  # 100元
    for n in range(24):
        sell(
            world,
            wang,
            quantity=str(3 + n % 7),
            price=f"{13 + n % 5}.{n % 10}0",
            day=DAY + dt.timedelta(days=n % 20),
        )
    found = digits.find_heaping(scope(world, "510903101000"))
    hundreds = [f for f in found if "整百元" in f.evidence]
    assert [(f.region_code, len(f.purchases)) for f in hundreds] == [("510903101001", 24)]
    assert (
        "24 笔购买中金额为整百元的有 24 笔（100.0%），同一区域其他地方为 0/24（0.0%）" in hundreds[0].evidence
    )


def test_benford_needs_its_minimum_and_flags_a_made_up_distribution(world, peers, settings):
    settings.YIGOU_ANOMALY_RULES = {
        **settings.YIGOU_ANOMALY_RULES,
        "benford": {"mad": "0.015", "minimum": 30},
    }
    for n in range(29):
        sell(world, peers[n % 12], quantity="1", price=f"{500 + n}.00")  # every total starts with 5
    assert digits.find_benford(scope(world, "510903101001")) == []  # 29 < 30
    sell(world, peers[0], quantity="1", price="555.00")
    found = digits.find_benford(scope(world, "510903101001"))
    assert len(found) == 1 and found[0].region_code == "510903101001"
    assert "30 笔购买金额的首位数字分布偏离本福特定律：平均绝对偏差 MAD=0.2046" in found[0].evidence


def test_the_command_prints_the_fixed_json_fields(world):
    zhang = world.households["zhang"]
    first, copy = sell(world, zhang, external_id="A-1"), sell(world, zhang, external_id="B-7")
    out = io.StringIO()
    call_command("anomalies", "scan", "--region", "510903000000", "--period", "2018", stdout=out)
    rows = json.loads(out.getvalue())
    assert [sorted(r) for r in rows] == [
        ["evidence", "households", "purchases", "region_code", "rule", "score"]
    ]
    assert rows[0]["purchases"] == [
        {"id": first.pk, "external_id": "A-1"},
        {"id": copy.pk, "external_id": "B-7"},
    ]
    assert rows[0]["households"] == [zhang.number]
    with pytest.raises(Exception, match="区划代码“519999000000”不存在"):
        call_command("anomalies", "scan", "--region", "519999000000", "--period", "2018")
    with pytest.raises(Exception, match="月份“2018-13”无效"):
        call_command("anomalies", "scan", "--region", "510903000000", "--period", "2018-13")
