"""From plan to payment: the cooperative approves, the township approves and publishes, objections are answered,
payment writes the households' income entries once, and a paid distribution is locked — corrected only by a
correction distribution whose parts still add up."""

from __future__ import annotations

from decimal import Decimal

import pytest

from yigou.accounts.scope import restrict
from yigou.benefits import flow
from yigou.benefits.models import Allocation, Distribution
from yigou.benefits.plans import distribution_compute, plan_update
from yigou.benefits.selectors import household_statement
from yigou.core.errors import DomainError, NotFoundError, PermissionDeniedError
from yigou.income.models import IncomeEntry

from .test_surplus import plan


@pytest.fixture
def computed(world, coop):
    return distribution_compute(actor=world.users["producer"], distribution=plan(world, coop))


def published(world, row):
    row = flow.approve_holder(actor=world.users["producer"], distribution=row)
    row = flow.approve_township(actor=world.users["yongxing"], distribution=row)
    return flow.publish(actor=world.users["yongxing"], distribution=row)


@pytest.fixture
def paid(world, computed, settings):
    settings.YIGOU_BENEFITS_NOTICE_DAYS = 0
    row, done = flow.pay(actor=world.users["yongxing"], distribution=published(world, computed))
    assert done
    return row


def cards(household):
    return sorted((e.component, e.amount, e.source) for e in IncomeEntry.objects.filter(household=household))


def test_payment_writes_each_households_income_with_its_component(world, paid):
    assert paid.status == "paid" and paid.paid_on is not None
    assert cards(world.households["zhang"]) == [
        ("business", Decimal("20000.00"), "distribution"),
        ("property", Decimal("122.94"), "distribution"),
        ("property", Decimal("491.77"), "distribution"),
        ("property", Decimal("800.00"), "distribution"),
    ]
    assert cards(world.households["wang"]) == [
        ("business", Decimal("33333.33"), "distribution"),
        ("property", Decimal("18441.31"), "distribution"),
    ]
    assert IncomeEntry.objects.count() == 6  # 赵社长 has no household to record against


def test_paying_again_changes_nothing(world, paid):
    again, done = flow.pay(actor=world.users["yongxing"], distribution=paid)
    assert not done and again.status == "paid" and IncomeEntry.objects.count() == 6


def test_a_paid_distribution_cannot_be_edited_or_recomputed(world, paid):
    before = (paid.inputs, paid.total, list(paid.allocations.values_list("amount", flat=True)))
    with pytest.raises(DomainError, match="已兑付并锁定"):
        plan_update(actor=world.users["producer"], distribution=paid, trading_rate="70")
    with pytest.raises(DomainError, match="已兑付并锁定"):
        distribution_compute(actor=world.users["producer"], distribution=paid)
    line = paid.allocations.first()
    line.amount = Decimal("1.00")
    with pytest.raises(DomainError, match="已兑付并锁定"):
        line.save()
    with pytest.raises(DomainError, match="已兑付并锁定"):
        line.delete()
    paid.refresh_from_db()
    assert (paid.inputs, paid.total, list(paid.allocations.values_list("amount", flat=True))) == before


def test_a_book_entry_in_a_paid_year_is_refused(world, coop, paid):
    from .conftest import entry

    with pytest.raises(DomainError, match="已锁定"):
        entry(world, coop.wang, "100.00")


def test_a_correction_moves_money_between_lines_and_corrects_the_income_entries(world, paid):
    wang = paid.allocations.get(name="王建国", part="trading")
    zhang = paid.allocations.get(name="张德明", part="trading")
    with pytest.raises(DomainError, match="增减须相抵"):
        flow.correct(
            actor=world.users["producer"], distribution=paid, amounts={wang.pk: "33000.00"}, reason="少记"
        )
    assert Distribution.objects.count() == 1
    fix = flow.correct(
        actor=world.users["producer"],
        distribution=paid,
        amounts={wang.pk: "33000.00", zhang.pk: "20333.33"},
        reason="王建国一笔交易记入了张德明名下",
    )
    assert fix.status == "computed" and fix.total == Decimal("53333.33")
    fix, _ = flow.pay(actor=world.users["yongxing"], distribution=published(world, fix))
    business = IncomeEntry.objects.filter(household=world.households["wang"], component="business")
    assert sorted(business.values_list("amount", flat=True)) == [
        Decimal("-33333.33"), Decimal("33000.00"), Decimal("33333.33")
    ]  # fmt: skip
    statement = household_statement(world.users["yongxing"], world.households["zhang"])
    assert statement.total == Decimal("21748.04")  # 20,333.33 + 800.00 + 122.94 + 491.77


def test_objections_block_payment_until_answered_and_an_upheld_one_sends_the_plan_back(
    world, computed, settings
):
    settings.YIGOU_BENEFITS_NOTICE_DAYS = 0
    row = published(world, computed)
    objection = flow.object_to(
        actor=world.users["village"],
        distribution=row,
        text="交易额少记了",
        household=world.households["zhang"],
    )
    with pytest.raises(DomainError, match="未答复的异议"):
        flow.pay(actor=world.users["yongxing"], distribution=row)
    assert IncomeEntry.objects.count() == 0
    flow.answer(actor=world.users["yongxing"], objection=objection, upheld=True, text="核实属实，重新测算")
    row.refresh_from_db()
    assert row.status == "draft"


def test_payment_waits_for_the_notice_to_end(world, computed, settings):
    settings.YIGOU_BENEFITS_NOTICE_DAYS = 7
    row = published(world, computed)
    with pytest.raises(DomainError, match="期满后才能兑付"):
        flow.pay(actor=world.users["yongxing"], distribution=row)
    row.refresh_from_db()
    assert row.status == "published" and IncomeEntry.objects.count() == 0


def test_each_approval_belongs_to_its_own_level(world, computed):
    with pytest.raises(PermissionDeniedError, match="须由船山区永兴蔬菜专业合作社审核"):
        flow.approve_holder(actor=world.users["yongxing"], distribution=computed)
    with pytest.raises(PermissionDeniedError):
        flow.approve_township(actor=world.users["producer"], distribution=computed)
    with pytest.raises(DomainError, match="须先经经营主体审核"):
        flow.approve_township(actor=world.users["yongxing"], distribution=computed)
    computed.refresh_from_db()
    assert computed.status == "computed"


def test_another_county_sees_nothing(world, paid):
    anju = world.users["anju"]
    assert not restrict(anju, Distribution.objects.all()).exists()
    assert not restrict(anju, Allocation.objects.all()).exists()
    with pytest.raises(NotFoundError):
        flow.pay(actor=anju, distribution=paid)
    assert restrict(world.users["chuanshan"], Distribution.objects.all()).count() == 1
    assert restrict(world.users["producer"], Distribution.objects.all()).count() == 1


def test_the_steps_are_told_to_the_township_the_village_and_the_holder(world, paid):
    from yigou.notices.models import Notice

    told = sorted((n.recipient.username, n.title) for n in Notice.objects.filter(kind="benefits"))
    title = paid.title
    assert told == [
        ("chuanshan", f"{title}待乡镇审核"),
        ("producer", f"{title}公示至 {paid.notice_ends}"),
        ("producer", f"{title}已兑付 111,111.10 元"),
        ("village", f"{title}公示至 {paid.notice_ends}"),
        ("village", f"{title}已兑付 111,111.10 元"),
        ("yongxing", f"{title}待乡镇审核"),
    ]
    assert {n.link for n in Notice.objects.filter(kind="benefits")} == {f"/benefits/{paid.pk}/"}
