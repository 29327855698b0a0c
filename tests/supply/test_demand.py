"""The demand book: a unit's staff enter their unit's wish to buy; offices for units in their region; bad input
is refused in Chinese and writes nothing."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from yigou.core.errors import DomainError, NotFoundError, PermissionDeniedError
from yigou.core.models import AuditEntry
from yigou.supply.models import DemandEntry
from yigou.supply.services import DemandInput, demand_record

pytestmark = pytest.mark.django_db
D = dt.date(2018, 12, 1)


def wish(**changes) -> DemandInput:
    data = DemandInput(
        buyer_name="遂宁市财政局食堂",
        category="meat_egg",
        window_start=D,
        window_end=D.replace(day=31),
        name="腊肉",
        unit="公斤",
        quantity="300",
        price_ceiling="65.00",
    )
    for key, value in changes.items():
        setattr(data, key, value)
    return data


def test_a_units_staff_record_their_units_demand(world):
    finance = world.units["finance"]
    entry = demand_record(actor=world.users["unit"], data=wish(), unit=finance)
    assert (entry.region_id, entry.quantity, entry.price_ceiling, entry.buyer_unit_id) == (
        finance.region_id,
        Decimal("300.000"),
        Decimal("65.00"),
        finance.pk,
    )
    assert AuditEntry.objects.filter(action="demand_record").count() == 1


def test_refusals_write_nothing(world):
    finance, bank = world.units["finance"], world.units["chuanshan_bank"]
    before = (DemandEntry.objects.count(), AuditEntry.objects.count())
    cases = [
        ({"data": wish(quantity="0"), "unit": finance}, DomainError, "输入有误：需求数量须大于 0"),
        ({"data": wish(unit=""), "unit": finance}, DomainError, "输入有误：填写需求数量时须填写单位"),
        (
            {"data": wish(window_end=D - dt.timedelta(days=1)), "unit": finance},
            DomainError,
            f"输入有误：需求结束日期 {D - dt.timedelta(days=1)} 早于开始日期 {D}",
        ),
        ({"data": wish(), "unit": bank}, PermissionDeniedError, "单位账号只能登记本单位的需求"),
        ({"data": wish()}, DomainError, "输入有误：须指定购买方（帮扶单位或企业）"),
    ]
    for kwargs, error, message in cases:
        with pytest.raises(error) as refused:
            demand_record(actor=world.users["unit"], **kwargs)
        assert refused.value.message == message
    assert (DemandEntry.objects.count(), AuditEntry.objects.count()) == before


def test_an_office_records_for_a_unit_it_sees_only(world):
    bank = world.units["chuanshan_bank"]
    entry = demand_record(actor=world.users["chuanshan"], data=wish(buyer_name="船山区农商银行"), unit=bank)
    assert entry.region_id == bank.region_id
    with pytest.raises(NotFoundError):
        demand_record(actor=world.users["anju"], data=wish(), unit=bank)
    with pytest.raises(PermissionDeniedError):
        demand_record(actor=world.users["auditor"], data=wish(), unit=bank)
