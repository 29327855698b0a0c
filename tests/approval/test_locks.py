"""An approved month is locked: purchases, reversals, imports and form values of the region (and of every region
below it) are refused with nothing changed, until the approver unlocks it (audited)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from tests.ledger.example import build_example, line
from yigou.approval import services
from yigou.approval.locks import LockBook, ensure_unlocked
from yigou.approval.models import Lock
from yigou.core.errors import DomainError
from yigou.core.models import AuditEntry
from yigou.core.tabular import read_table
from yigou.ledger.bulk.service import purchases_import
from yigou.ledger.enums import BuyerKind, Channel
from yigou.ledger.models import Beneficiary, MonthRollup, Presence, Purchase, PurchaseLine
from yigou.ledger.services import PurchaseInput, purchase_record, purchase_reverse
from yigou.reporting.models import FormValue
from yigou.reporting.services import values_save

LOCKED_MARCH = "永兴村 2018年3月 的数据已审核锁定，如需修改请联系审核单位解锁。"
HEADER = "外部编号,日期,购买方类型,购买方,渠道,网点,销售方,产品,品类,数量,单位,单价,金额,产品来源,分配方式,受益农户"


@pytest.fixture
def example(world):
    return build_example(world)


def state():
    rollups = list(
        MonthRollup.objects.order_by("region_code", "year", "month").values_list(
            "region_code", "year", "month", "amount_total", "poor_income", "m_hp"
        )
    )
    counts = tuple(
        m.objects.count() for m in (Purchase, PurchaseLine, Beneficiary, Presence, AuditEntry, FormValue)
    )
    return counts, rollups


def honey(world, day: dt.date) -> PurchaseInput:
    return PurchaseInput(
        date=day,
        buyer_kind=BuyerKind.INDIVIDUAL,
        buyer_name="王五",
        channel=Channel.ONSITE,
        seller_household=world.households["zhang"],
        lines=[line("蜂蜜", "2", "斤", "50")],
    )


def lock_village_march(chain):
    c = chain("2018-03")
    c.submit("510903101001")
    return c.approve("510903101001")


def test_a_purchase_in_a_locked_month_is_refused_and_changes_nothing(world, example, chain):
    lock_village_march(chain)
    before = state()

    with pytest.raises(DomainError) as refused:
        purchase_record(actor=world.users["village"], data=honey(world, dt.date(2018, 3, 25)))

    assert (refused.value.code, refused.value.message) == ("period_locked", LOCKED_MARCH)
    assert state() == before
    # Another month, and a sibling village in the same month, are not locked.
    assert purchase_record(actor=world.users["village"], data=honey(world, dt.date(2018, 4, 3)))[1] is True
    wang = PurchaseInput(
        date=dt.date(2018, 3, 25),
        buyer_kind=BuyerKind.INDIVIDUAL,
        buyer_name="王五",
        channel=Channel.ONSITE,
        seller_household=world.households["wang"],
        lines=[line("大米", "10", "公斤", "4")],
    )
    assert purchase_record(actor=world.users["chuanshan"], data=wang)[0].total == Decimal("40.00")


def test_reversing_a_purchase_of_a_locked_month_is_refused(world, example, chain):
    lock_village_march(chain)
    before = state()

    with pytest.raises(DomainError) as refused:
        purchase_reverse(actor=world.users["chuanshan"], purchase=example.purchases["P5"], reason="录入错误")

    assert refused.value.message == LOCKED_MARCH
    assert state() == before


def test_a_county_lock_covers_every_village_in_it_and_names_the_county(world, example, chain):
    c = chain("2018-03")
    c.approve_up("510903000000")

    with pytest.raises(DomainError) as refused:
        purchase_record(actor=world.users["admin"], data=honey(world, dt.date(2018, 3, 25)))

    assert refused.value.message == "船山区 2018年3月 的数据已审核锁定，如需修改请联系审核单位解锁。"
    with pytest.raises(
        DomainError
    ) as bottom_first:  # the township cannot unlock its village under a county lock
        services.submission_unlock(
            actor=world.users["yongxing"], submission=c.submission("510903101001"), reason="更正"
        )
    assert bottom_first.value.message == "船山区 2018年3月 的数据已审核锁定，如需修改请联系审核单位解锁。"
    ensure_unlocked("510904101001", dt.date(2018, 3, 25))  # 安居区 is not locked


def test_form_values_of_a_locked_month_cannot_be_written(world, chain):
    lock_village_march(chain)
    before = state()

    with pytest.raises(DomainError) as refused:
        values_save(
            actor=world.users["village"],
            region_code="510903101001",
            year=2018,
            month=3,
            values={"activities": "2"},
        )

    assert refused.value.message == LOCKED_MARCH
    assert state() == before


def test_an_import_with_a_row_in_a_locked_month_is_refused_row_by_row(world, example, chain):
    lock_village_march(chain)
    rows = [
        "L1,2018-04-02,个人,赵六,现场采购,,5109031010010001,鸡蛋,,10,斤,10,,,,",
        "L2,2018-03-25,个人,赵六,现场采购,,5109031010010001,鸡蛋,,10,斤,10,,,,",
    ]
    data = ("\n".join([HEADER, *rows]) + "\n").encode("utf-8")
    before = state()

    report = purchases_import(actor=world.users["admin"], table=read_table(data, "p.csv"), dry_run=False)

    assert [(e.row, e.column, e.message) for e in report.errors] == [(3, "日期", LOCKED_MARCH)]
    assert (report.ok, report.written) == (False, 0)
    assert state() == before


def test_unlocking_is_audited_and_allows_changes_again(world, example, chain):
    approved = lock_village_march(chain)

    unlocked = services.submission_unlock(
        actor=world.users["yongxing"], submission=approved, reason="永兴村3月漏报一笔销售，解锁补录"
    )

    assert (unlocked.state, unlocked.reason) == ("unlocked", "永兴村3月漏报一笔销售，解锁补录")
    assert not Lock.objects.exists()
    entry = AuditEntry.objects.filter(action="approval_unlock").get()
    assert (entry.actor_name, entry.region_code, entry.note, entry.changes["state"]) == (
        "yongxing",
        "510903101001",
        "永兴村3月漏报一笔销售，解锁补录",
        ["approved", "unlocked"],
    )
    purchase, created = purchase_record(actor=world.users["village"], data=honey(world, dt.date(2018, 3, 25)))
    assert (created, purchase.total) == (True, Decimal("100.00"))
    assert chain("2018-03").submit("510903101001").state == "resubmitted"


def test_the_lock_book_gives_the_same_answer_as_the_single_check(world, chain):
    chain("2018-03").approve_up("510903101000")
    book = LockBook()

    with pytest.raises(DomainError) as township:
        book.check("510903101002", dt.date(2018, 3, 1))

    assert township.value.message == "永兴镇 2018年3月 的数据已审核锁定，如需修改请联系审核单位解锁。"
    book.check("510903102001", dt.date(2018, 3, 31))  # 老池村: another township
    book.check("510903101002", dt.date(2018, 4, 1))  # another month
