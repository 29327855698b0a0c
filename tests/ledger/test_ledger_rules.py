import datetime as dt
from decimal import Decimal

import pytest

from tests.ledger.example import build_example, line
from yigou.core.errors import DomainError, NotFoundError, PermissionDeniedError
from yigou.core.models import AuditEntry
from yigou.ledger.enums import Attribution, BuyerKind, Channel
from yigou.ledger.models import Beneficiary, DayRollup, MonthRollup, Presence, Purchase, PurchaseLine
from yigou.ledger.services import LineInput, PurchaseInput, purchase_record, purchase_reverse
from yigou.ledger.verify import verify


def state():
    return tuple(
        m.objects.count()
        for m in (Purchase, PurchaseLine, Beneficiary, MonthRollup, DayRollup, Presence, AuditEntry)
    )


def cadre_buys(world, **overrides):
    data = {
        "date": dt.date(2018, 6, 1),
        "buyer_kind": BuyerKind.CADRE,
        "buyer_cadre": world.cadres["chen"],
        "channel": Channel.ONSITE,
        "seller_household": world.households["zhang"],
        "lines": [line("鸡蛋", "10", "斤", "8")],
    }
    data.update(overrides)
    return PurchaseInput(**data)


def refused(world, data, actor="admin"):
    before = state()
    with pytest.raises(DomainError) as err:
        purchase_record(actor=world.users[actor], data=data)
    assert state() == before
    return err.value


def test_line_amount_must_equal_quantity_times_price(world):
    err = refused(
        world,
        cadre_buys(world, lines=[LineInput("鸡蛋", Decimal("10"), "斤", Decimal("8"), amount=Decimal("90"))]),
    )
    assert err.message == "金额不符：第1行金额 90 不等于数量×单价 80.00"


def test_stated_total_must_equal_the_lines(world):
    err = refused(world, cadre_buys(world, total=Decimal("100.00")))
    assert err.message == "金额不符：总金额 100.00 不等于明细合计 80.00"


def test_beneficiaries_cannot_earn_more_than_the_purchase(world):
    data = cadre_buys(
        world,
        seller_household=None,
        seller_producer=world.producers["coop"],
        attribution=Attribution.ENTERED,
        beneficiaries=[(world.households["zhang"], Decimal("80.01"))],
    )
    assert refused(world, data).message == "金额不符：受益农户收入合计 80.01 超过购买金额 80.00"


def test_an_unlinked_household_cannot_be_a_beneficiary(world):
    data = cadre_buys(
        world,
        seller_household=None,
        seller_producer=world.producers["coop"],
        attribution=Attribution.ENTERED,
        beneficiaries=[(world.households["wang"], Decimal("10"))],
    )
    assert (
        refused(world, data).message
        == "王建国户（5109031010020001） 在销售日与“船山区永兴蔬菜专业合作社”没有带贫联结，不能作为受益农户。"
    )


def test_a_canteen_buyer_must_have_a_canteen(world):
    data = cadre_buys(
        world,
        buyer_kind=BuyerKind.CANTEEN,
        buyer_cadre=None,
        buyer_unit=world.units["chuanshan_bank"],
        channel=Channel.CANTEEN,
    )
    assert refused(world, data).message == "购买方有误：“船山区农商银行”未登记机关食堂"


def test_future_dates_and_closed_outlets_are_refused(world):
    assert (
        "晚于今天" in refused(world, cadre_buys(world, date=dt.date.today() + dt.timedelta(days=1))).message
    )


def test_the_rule_split_is_exact_to_the_fen(world):
    purchase, _ = purchase_record(
        actor=world.users["admin"],
        data=cadre_buys(
            world,
            seller_household=None,
            seller_producer=world.producers["coop"],
            attribution=Attribution.COOP_SHARES,
            distributed=Decimal("33.33"),
        ),
    )
    assert list(purchase.beneficiaries.values_list("household__head_name", "amount")) == [
        ("张德明", Decimal("33.33"))
    ]
    assert purchase.attribution == "coop_shares"


def test_posting_the_same_external_id_twice_records_once(world):
    first, created = purchase_record(
        actor=world.users["admin"], data=cadre_buys(world, external_id="832-2018-0001")
    )
    before = state()
    second, created_again = purchase_record(
        actor=world.users["admin"], data=cadre_buys(world, external_id="832-2018-0001")
    )
    assert (created, created_again, second.pk) == (True, False, first.pk)
    assert state() == before


def test_ledger_rows_cannot_be_edited_or_deleted(world):
    purchase, _ = purchase_record(actor=world.users["admin"], data=cadre_buys(world))
    purchase.note = "改"
    with pytest.raises(DomainError):
        purchase.save()
    with pytest.raises(DomainError):
        purchase.delete()


def test_a_purchase_is_reversed_once_and_a_reversal_never(world):
    purchase, _ = purchase_record(actor=world.users["admin"], data=cadre_buys(world))
    mirror = purchase_reverse(actor=world.users["chuanshan"], purchase=purchase, reason="重复登记")
    assert (mirror.total, mirror.reverses_id) == (Decimal("-80.00"), purchase.pk)
    with pytest.raises(DomainError) as err:
        purchase_reverse(actor=world.users["chuanshan"], purchase=purchase, reason="再次")
    assert err.value.code == "purchase_already_reversed"
    with pytest.raises(DomainError) as err:
        purchase_reverse(actor=world.users["chuanshan"], purchase=mirror, reason="再次")
    assert err.value.code == "purchase_is_reversal"


def test_a_county_cannot_record_or_reverse_another_countys_sales(world):
    assert refused(world, cadre_buys(world), actor="anju").code == "out_of_scope"
    purchase, _ = purchase_record(actor=world.users["admin"], data=cadre_buys(world))
    with pytest.raises(NotFoundError):  # 安居区 does not see 船山区's purchase: not found, like a missing one
        purchase_reverse(actor=world.users["anju"], purchase=purchase, reason="越权")
    with pytest.raises(PermissionDeniedError):
        purchase_reverse(actor=world.users["village"], purchase=purchase, reason="村级无冲销权")


def test_unit_staff_record_only_their_own_units_purchases(world):
    own = cadre_buys(world)  # 陈立 works at 财政局, the unit user's unit
    purchase, _ = purchase_record(actor=world.users["unit"], data=own)
    assert purchase.buyer_cadre_id == world.cadres["chen"].pk
    assert (
        refused(world, cadre_buys(world, buyer_cadre=world.cadres["sun"]), actor="unit").code
        == "out_of_scope"
    )


def test_status_at_sale_is_stored_and_not_rewritten_by_a_later_exit(world):
    from yigou.registry.services import household_record_event

    purchase, _ = purchase_record(actor=world.users["admin"], data=cadre_buys(world))
    household_record_event(
        actor=world.users["admin"],
        household=world.households["zhang"],
        kind="exited",
        date=dt.date(2018, 12, 1),
        reason="达标",
    )
    later, _ = purchase_record(actor=world.users["admin"], data=cadre_buys(world, date=dt.date(2019, 1, 5)))
    assert purchase.beneficiaries.get().status == "poor"
    assert later.beneficiaries.get().status == "exited"
    assert later.beneficiaries.get().registered is True


def test_verify_finds_no_difference_after_the_worked_example(world):
    build_example(world)
    report = verify()
    assert report.ok, [str(d) for d in report.differences[:5]]
    assert report.purchases == 7


def test_verify_reports_a_tampered_rollup(world):
    build_example(world)
    MonthRollup.objects.filter(region_code="510903000000", year=2018, month=1).update(amount_total=1)
    report = verify()
    assert [str(d) for d in report.differences] == [
        "月汇总 ('510903000000', 3, 2018, 1) amount_total: 服务值 1，台账重算 160000"
    ]
