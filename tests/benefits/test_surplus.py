"""The cooperative surplus worked by hand, pinned to the fen.

当年盈余 123,456.78; 公积金 10% = 12,345.678 → 12,345.68; 可分配盈余 111,111.10.
按交易额返还 60% = 66,666.66, the rest 44,444.44 by capital.

Trading (6,666,666 fen over 30,000 / 50,000 / 20,000): exact 1,999,999.8 / 3,333,333.0 / 1,333,333.2 fen; floors leave
1 fen, which goes to the largest fraction (张德明's .8): 20,000.00 / 33,333.33 / 13,333.33.

Capital (720,000.00 of accounts): 张德明's preferred 10,000.00 would get 44,444.44 × 10,000 ÷ 720,000 = 617.28, below
its guaranteed 8% = 800.00, so it is paid 800.00 first. The other 43,644.44 (4,364,444 fen) goes over 710,000.00:
2,000 → 12,294.208, 8,000 → 49,176.834, 300,000 → 1,844,131.268, 400,000 → 2,458,841.690 fen; floors leave 2 fen, to the
two largest fractions (.834 the grant share, .690 赵社长): 122.94 / 491.77 / 18,441.31 / 24,588.42.
Parts: 66,666.66 + 800.00 + 43,644.44 = 111,111.10 exactly.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from yigou.benefits import compute
from yigou.benefits.models import Distribution
from yigou.benefits.plans import distribution_compute, surplus_plan
from yigou.core.errors import DomainError
from yigou.core.models import AuditEntry

from .conftest import YEAR

EXPECTED = {
    ("张德明", "trading"): Decimal("20000.00"),
    ("王建国", "trading"): Decimal("33333.33"),
    ("赵社长", "trading"): Decimal("13333.33"),
    ("张德明", "preferred"): Decimal("800.00"),
    ("张德明", "contribution"): Decimal("122.94"),
    ("张德明", "grant"): Decimal("491.77"),
    ("王建国", "contribution"): Decimal("18441.31"),
    ("赵社长", "contribution"): Decimal("24588.42"),
}


def plan(world, coop, rate="60", who="producer"):
    return surplus_plan(
        actor=world.users[who], producer=coop.producer, year=YEAR, surplus="123456.78", reserve_rate="10",
        trading_rate=rate,
    )  # fmt: skip


def test_the_worked_example_to_the_fen(world, coop):
    row = distribution_compute(actor=world.users["producer"], distribution=plan(world, coop))
    got = {(a.name, a.part): a.amount for a in row.allocations.all()}
    assert got == EXPECTED
    assert row.total == Decimal("111111.10") == sum(EXPECTED.values())
    assert row.status == "computed"
    steps = {w["label"]: w["value"] for w in row.working}
    assert steps["提取公积金"] == "12,345.68"
    assert steps["可分配盈余"] == "111,111.10"
    assert steps["按交易额返还"] == "66,666.66"
    assert steps["按股金分红"] == "44,444.44"
    assert steps["优先股保底（张德明）"] == "800.00"
    assert steps["其余股金按股分红"] == "43,644.44"
    assert steps["交易额（张德明）"] == "30,000.00"  # 29,400.00 in the book + 600.00 ledger sale
    assert "尾差 2 分" in next(w["formula"] for w in row.working if w["label"] == "其余股金按股分红")


def test_components_follow_the_parts(world, coop):
    row = distribution_compute(actor=world.users["producer"], distribution=plan(world, coop))
    parts = {(a.part, a.component) for a in row.allocations.all()}
    assert parts == {
        ("trading", "business"),
        ("preferred", "property"),
        ("contribution", "property"),
        ("grant", "property"),
    }
    # A member without a registered household is paid but has no income card.
    assert row.allocations.get(name="赵社长", part="trading").household is None


def test_returns_below_sixty_percent_are_refused_and_nothing_is_written(world, coop):
    audits = AuditEntry.objects.count()
    with pytest.raises(DomainError) as exc:
        plan(world, coop, rate="59.99")
    assert "低于法定的 60%" in exc.value.message
    assert Distribution.objects.count() == 0 and AuditEntry.objects.count() == audits


def test_a_plan_for_the_same_year_is_refused(world, coop):
    plan(world, coop)
    with pytest.raises(DomainError, match="已存在"):
        plan(world, coop, rate="70")
    assert Distribution.objects.count() == 1


def test_the_preferred_share_shares_in_proportion_when_that_beats_its_minimum():
    a, b = compute.Payee(1, "甲", 1), compute.Payee(2, "乙", 2)
    accounts = [
        compute.Account(a, "preferred", Decimal("1000"), Decimal("5")),
        compute.Account(b, "contribution", Decimal("1000")),
    ]
    result = compute.surplus_split(
        compute.SurplusPlan(Decimal("1000.00"), Decimal("0"), Decimal("60")),
        [(a, Decimal(1)), (b, Decimal(1))],
        accounts,
    )
    capital = {line.payee.name: line.amount for line in result.lines if line.part != "trading"}
    assert capital == {"甲": Decimal("200.00"), "乙": Decimal("200.00")}  # 20% each beats the 5% minimum


def test_preferred_shares_are_paid_first_when_the_capital_part_cannot_cover_the_guarantees():
    a, b, c = (compute.Payee(i, n, i) for i, n in ((1, "甲"), (2, "乙"), (3, "丙")))
    accounts = [
        compute.Account(a, "preferred", Decimal("10000"), Decimal("10")),  # owed 1,000.00
        compute.Account(b, "preferred", Decimal("20000"), Decimal("10")),  # owed 2,000.00
        compute.Account(c, "contribution", Decimal("50000")),
    ]
    result = compute.surplus_split(
        compute.SurplusPlan(Decimal("1000.00"), Decimal("0"), Decimal("60")), [(a, Decimal(1))], accounts
    )
    capital = {line.payee.name: line.amount for line in result.lines if line.part != "trading"}
    # 400.00 for 3,000.00 owed: 133.333… and 266.666… → floors 133.33 + 266.66, the 1 fen to 乙 (.67 > .33).
    assert capital == {"甲": Decimal("133.33"), "乙": Decimal("266.67"), "丙": Decimal("0.00")}


def test_largest_remainder_parts_always_sum_to_the_whole():
    parts, left = compute.largest_remainder(Decimal("100.00"), [Decimal(1), Decimal(1), Decimal(1)])
    assert parts == [Decimal("33.34"), Decimal("33.33"), Decimal("33.33")] and left == 1
    assert sum(parts) == Decimal("100.00")
    with pytest.raises(DomainError, match="合计为 0"):
        compute.largest_remainder(Decimal("1.00"), [Decimal(0)])
