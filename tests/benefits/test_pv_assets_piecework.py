"""PV stations, asset funds and piece work, worked by hand.

PV: 永兴镇's 100 kW station shares its revenue 60% 永兴村 / 40% 石佛村. Three months at 3,333.33 = 9,999.99: 永兴村's
exact 5,999.994 and 石佛村's 3,999.996 round down to 5,999.99 and 3,999.99, and the fen left goes to the larger
fraction (石佛村): 5,999.99 + 4,000.00. 李秀英 keeps a 保洁员 post at 500.00 a month: 20/22, 22/22 and 21/22 days
= 454.55 + 500.00 + 477.27 = 1,431.82.

Asset fund: 100,000.00 at a guaranteed 6% (6,000.00); an actual 9,000.01 beats it and is shared by household size,
2 : 1 — 6,000.0066… and 3,000.0033… fen-floors to 6,000.00 + 3,000.00 and the fen goes to 张德明户: 6,000.01 / 3,000.00.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from yigou.accounts.enums import OrgKind, Role
from yigou.accounts.services import organisation_create, system_actor, user_create
from yigou.benefits import flow, funds, piecework, pv
from yigou.benefits.models import Distribution, PlanUse, PvMonth
from yigou.benefits.plans import distribution_compute, fund_plan
from yigou.benefits.selectors import output_warnings
from yigou.core.errors import DomainError
from yigou.demo.identity import fake_uscc
from yigou.income.models import IncomeEntry
from yigou.registry import services as registry
from yigou.registry.enums import Mechanism, ProducerKind

YEAR = 2018


def station(world, name="永兴村光伏电站", kw="100"):
    r = world.regions
    return pv.station_register(
        actor=world.users["yongxing"], name=name, region=r["510903101000"], capacity_kw=kw,
        grid_date=dt.date(2017, 6, 30), owner="永兴村、石佛村村集体",
        villages=[(r["510903101001"], "60"), (r["510903101002"], "40")],
    )  # fmt: skip


@pytest.fixture
def pv_year(world):
    row = station(world)
    for m in (1, 2, 3):
        pv.month_record(
            actor=world.users["yongxing"], station=row, year=YEAR, month_=m, kwh="10000", revenue="3333.33"
        )
    member = world.households["zhang"].members.get(name="李秀英")
    post = pv.post_create(
        actor=world.users["village"], station=row, village=world.regions["510903101001"], title="保洁员",
        member=member, monthly_pay="500.00", start=dt.date(2018, 1, 1),
    )  # fmt: skip
    for m, days in ((1, 20), (2, 22), (3, 21)):
        pv.attendance_record(
            actor=world.users["village"], post=post, year=YEAR, month_=m, days_worked=days, days_required=22
        )
    return row


def uses(world, first="568.17", handout=False):
    r = world.regions
    rows = [
        pv.UseInput(r["510903101001"], "posts", "1431.82"),
        pv.UseInput(r["510903101001"], "works", "4000.00", "村道维修"),
        pv.UseInput(r["510903101001"], "handout" if handout else "rewards", first, "孝老爱亲奖励"),
        pv.UseInput(r["510903101002"], "works", "4000.00", "路灯"),
    ]
    return rows


def test_revenue_splits_by_village_share_to_the_fen(world, pv_year):
    assert pv.village_revenue(pv_year, YEAR) == {
        "510903101001": Decimal("5999.99"),
        "510903101002": Decimal("4000.00"),
    }
    assert pv.post_pay(pv_year, YEAR) == {pv_year.posts.get().pk: Decimal("1431.82")}


def test_equal_cash_handouts_are_refused_and_nothing_is_written(world, pv_year):
    with pytest.raises(DomainError, match="不得简单发钱、平均分配"):
        pv.pv_plan(actor=world.users["yongxing"], station=pv_year, year=YEAR, uses=uses(world, handout=True))
    assert not Distribution.objects.exists() and not PlanUse.objects.exists()


def test_uses_that_do_not_add_up_to_the_villages_revenue_are_refused(world, pv_year):
    with pytest.raises(DomainError, match=r"永兴村的用途合计 5,999\.98 元，应等于其收益 5,999\.99 元"):
        pv.pv_plan(
            actor=world.users["yongxing"], station=pv_year, year=YEAR, uses=uses(world, first="568.16")
        )
    assert not Distribution.objects.exists() and not PlanUse.objects.exists()


def test_a_pv_plan_pays_the_posts_wages_as_wage_income(world, pv_year, settings):
    settings.YIGOU_BENEFITS_NOTICE_DAYS = 0
    plan = pv.pv_plan(actor=world.users["yongxing"], station=pv_year, year=YEAR, uses=uses(world))
    plan = distribution_compute(actor=world.users["yongxing"], distribution=plan)
    assert [(a.name, a.part, a.amount) for a in plan.allocations.all()] == [
        ("李秀英", "wage", Decimal("1431.82"))
    ]
    plan = flow.approve_holder(actor=world.users["village"], distribution=plan)
    plan = flow.approve_township(actor=world.users["yongxing"], distribution=plan)
    plan = flow.publish(actor=world.users["yongxing"], distribution=plan)
    flow.pay(actor=world.users["yongxing"], distribution=plan)
    entry = IncomeEntry.objects.get()
    assert (entry.household, entry.component, entry.amount) == (
        world.households["zhang"],
        "wage",
        Decimal("1431.82"),
    )
    with pytest.raises(DomainError, match="已锁定"):
        pv.month_record(
            actor=world.users["yongxing"], station=pv_year, year=YEAR, month_=4, kwh="1", revenue="1"
        )


def test_a_month_imported_again_is_accepted_once_and_different_figures_are_refused(world, pv_year):
    _, created = pv.month_record(
        actor=world.users["yongxing"], station=pv_year, year=YEAR, month_=1, kwh="10000", revenue="3333.33"
    )
    assert not created
    with pytest.raises(DomainError, match="已登记"):
        pv.month_record(
            actor=world.users["yongxing"], station=pv_year, year=YEAR, month_=1, kwh="9000", revenue="3000"
        )
    assert PvMonth.objects.count() == 3


def test_a_station_well_below_its_peers_output_per_kw_is_warned(world, pv_year):
    for name, kwh in (("石佛村光伏电站", "5000"), ("老池光伏电站", "9000")):
        row = station(world, name)
        for m in (1, 2, 3):
            pv.month_record(
                actor=world.users["yongxing"], station=row, year=YEAR, month_=m, kwh=kwh, revenue="100"
            )
    got = {
        o.station.name: (o.per_kw, o.peer_median, o.warning)
        for o in output_warnings(world.users["yongxing"], YEAR)
    }
    assert got == {
        "永兴村光伏电站": (Decimal("300.00"), Decimal("210.00"), False),
        "石佛村光伏电站": (Decimal("150.00"), Decimal("285.00"), True),
        "老池光伏电站": (Decimal("270.00"), Decimal("225.00"), False),
    }
    assert output_warnings(world.users["anju"], YEAR) == []


def test_station_shares_must_add_up_to_a_hundred(world):
    r = world.regions
    with pytest.raises(DomainError, match="合计须为 100%"):
        pv.station_register(
            actor=world.users["yongxing"], name="电站", region=r["510903101000"], capacity_kw="10",
            grid_date=dt.date(2017, 1, 1), owner="村集体", villages=[(r["510903101001"], "60"), (r["510903101002"], "30")],
        )  # fmt: skip


def test_an_asset_fund_pays_the_actual_return_when_it_beats_the_minimum(world):
    fund = funds.fund_create(
        actor=world.users["yongxing"], name="永兴镇产业扶贫资金入股", region=world.regions["510903101000"],
        holder=world.producers["coop"], principal="100000.00", mode="minimum", rate="6", rule="size",
        start_year=2018, households=[(world.households["zhang"], None), (world.households["wang"], None)],
    )  # fmt: skip
    low = distribution_compute(
        actor=world.users["yongxing"],
        distribution=fund_plan(actor=world.users["yongxing"], fund=fund, year=2018, actual="5000"),
    )
    assert [(a.name, a.amount) for a in low.allocations.all()] == [
        ("张德明", Decimal("4000.00")),
        ("王建国", Decimal("2000.00")),
    ]
    high = distribution_compute(
        actor=world.users["yongxing"],
        distribution=fund_plan(actor=world.users["yongxing"], fund=fund, year=2019, actual="9000.01"),
    )
    assert [(a.name, a.amount, a.component) for a in high.allocations.all()] == [
        ("张德明", Decimal("6000.01"), "property"), ("王建国", Decimal("3000.00"), "property")
    ]  # fmt: skip


@pytest.fixture
def enterprise(world):
    admin = world.users["admin"]
    row = registry.producer_register(
        actor=admin,
        kind=ProducerKind.ENTERPRISE,
        name="博艺柳编有限公司",
        region=world.regions["510903101000"],
        uscc=fake_uscc("510903", 9),
    )
    registry.linkage_add(
        actor=admin,
        producer=row,
        household=world.households["zhang"],
        mechanism=Mechanism.WAGE,
        start=dt.date(2018, 1, 1),
    )
    org = organisation_create(
        actor=None, name=row.name, kind=OrgKind.PRODUCER, region=row.region, producer=row
    )
    user = user_create(
        actor=system_actor(),
        username="boyi",
        password="Yigou-test-2018",
        role=Role.PRODUCER,
        organisation=org,
        display_name="boyi",
        check_password=False,
    )
    return row, user


def test_piece_work_is_added_up_per_member_and_reviewed_by_the_township(world, enterprise, settings):
    settings.YIGOU_BENEFITS_NOTICE_DAYS = 0
    producer, user = enterprise
    member = world.households["zhang"].members.get(name="李秀英")
    batch = piecework.batch_create(actor=user, producer=producer, year=YEAR)
    for m, pieces, amount in ((1, "300", "450.00"), (2, "200", "300.00")):
        piecework.piece_record(
            actor=user, distribution=batch, data=piecework.PieceInput(member, m, pieces, amount, "柳编")
        )
    with pytest.raises(DomainError, match="已登记"):
        piecework.piece_record(
            actor=user, distribution=batch, data=piecework.PieceInput(member, 1, "1", "1.00")
        )
    batch = distribution_compute(actor=user, distribution=batch)
    assert [(a.name, a.part, a.amount, a.basis_label) for a in batch.allocations.all()] == [
        ("李秀英", "piece", Decimal("750.00"), "1、2月 计件 500.00")
    ]
    batch = flow.approve_holder(actor=user, distribution=batch)
    batch = flow.approve_township(actor=world.users["yongxing"], distribution=batch)
    flow.pay(
        actor=world.users["yongxing"],
        distribution=flow.publish(actor=world.users["yongxing"], distribution=batch),
    )
    assert IncomeEntry.objects.get().amount == Decimal("750.00")


def test_a_month_corrected_after_planning_makes_the_plan_refuse_to_compute(world, pv_year):
    plan = pv.pv_plan(actor=world.users["yongxing"], station=pv_year, year=YEAR, uses=uses(world))
    # 9,666.66 after the correction: 永兴村's exact 5,799.996 floors to 5,799.99 and takes the fen left (.6 > .4).
    month = PvMonth.objects.get(station=pv_year, month=3)
    pv.month_correct(
        actor=world.users["yongxing"], month=month, kwh="10000", revenue="3000.00", reason="结算单更正"
    )
    with pytest.raises(DomainError, match=r"与现有结算收益 5,800\.00 元不符"):
        distribution_compute(actor=world.users["yongxing"], distribution=plan)
    plan.refresh_from_db()
    assert plan.status == "draft" and not plan.allocations.exists()


def test_a_wrong_piece_row_is_taken_out_of_a_draft_batch(world, enterprise):
    producer, user = enterprise
    member = world.households["zhang"].members.get(name="李秀英")
    batch = piecework.batch_create(actor=user, producer=producer, year=YEAR)
    row = piecework.piece_record(
        actor=user, distribution=batch, data=piecework.PieceInput(member, 1, "300", "4500.00")
    )
    batch = distribution_compute(actor=user, distribution=batch)
    piecework.piece_remove(actor=user, piece=row, reason="多录了一个零")
    batch.refresh_from_db()
    assert batch.status == "draft" and not batch.piecework.exists() and not batch.allocations.exists()


def test_a_post_ends_after_its_last_attendance_and_takes_none_after(world, pv_year):
    post = pv_year.posts.get()
    clerk = world.users["village"]
    with pytest.raises(DomainError, match="2018年3月已登记考勤"):
        pv.post_end(actor=clerk, post=post, end=dt.date(2018, 2, 28), reason="外出务工")
    post = pv.post_end(actor=clerk, post=post, end=dt.date(2018, 3, 31), reason="外出务工")
    with pytest.raises(DomainError, match="不在李秀英的在岗期间"):
        pv.attendance_record(actor=clerk, post=post, year=YEAR, month_=4, days_worked=20, days_required=22)
    assert post.months.count() == 3
