"""`yigou demo --households 200`: the demo cooperative's 2018 paid, with a poor household's preferred share held at
its guaranteed 8%; a village PV station with a year of revenue and a public-welfare post paid; two peer stations, one
well below the others' output per kW; an enterprise's piece work reviewed and in 公示."""

from __future__ import annotations

from decimal import Decimal

import pytest

from yigou.accounts.models import User
from yigou.benefits.models import Distribution, PvMonth
from yigou.benefits.selectors import output_warnings
from yigou.income.models import IncomeEntry

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo_output")]
D = Decimal


def test_the_load_reports_the_benefit_distributions(demo_output):
    assert "收益分配：4 项（船山区磨溪镇莲藕种植专业合作社2018年度盈余分配 已兑付、" in demo_output


def test_the_cooperatives_year_is_paid_with_the_preferred_share_at_its_minimum():
    row = Distribution.objects.get(kind="surplus")
    assert (row.status, row.total) == ("paid", D("10800.00"))  # 12,000.00 less the 10% reserve
    trading = sum(a.amount for a in row.allocations.filter(part="trading"))
    assert trading == D("6480.00")  # 60%
    preferred = row.allocations.get(part="preferred")
    assert (preferred.name, preferred.amount) == ("王建强", D("800.00"))  # 10,000.00 × 8%
    assert row.allocations.filter(part="grant").count() == 2
    paid = IncomeEntry.objects.filter(source="distribution", household__benefit_allocations__distribution=row)
    assert paid.distinct().count() == row.allocations.exclude(household=None).exclude(amount=0).count()


def test_a_pv_station_with_a_year_of_revenue_and_a_post_is_paid():
    row = Distribution.objects.get(kind="pv")
    assert row.status == "paid" and PvMonth.objects.filter(station=row.station).count() == 12
    assert [(a.name, a.part, a.amount) for a in row.allocations.all()] == [("赵光春", "wage", D("5727.28"))]
    assert row.uses.filter(kind="handout").count() == 0
    warned = [o.station.name for o in output_warnings(User.objects.get(username="admin"), 2018) if o.warning]
    assert warned == ["黄桷街道三号光伏扶贫电站"]


def test_an_enterprises_piece_work_is_in_publication():
    row = Distribution.objects.get(kind="piecework")
    assert (row.status, row.total, row.piecework.count()) == ("published", D("9090.00"), 24)


def test_an_asset_funds_actual_return_beats_its_minimum_and_is_paid_by_household_size():
    row = Distribution.objects.get(kind="asset")
    # The actual return is above the guaranteed 200,000.00 × 6% = 12,000.00.
    assert (row.status, row.total) == ("paid", D("12800.00"))
    assert {a.component for a in row.allocations.all()} == {"property"}
    assert "保底收益，实际收益 12,800.00 元" in row.working[0]["formula"]
