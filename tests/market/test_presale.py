"""Publishing and changing pre-sale lists: who may publish for whom, every bad input refused in Chinese with nothing
written, and every change kept in the list's history (audit entries with old → new)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from tests.market.flows import place, snapshot
from tests.market.presale_world import TODAY, item, list_input
from yigou.core.errors import DomainError, PermissionDeniedError
from yigou.core.models import AuditEntry
from yigou.market.models import PreSaleItem, PreSaleList
from yigou.market.presale import (
    presale_change,
    presale_item_add,
    presale_item_change,
    presale_publish,
    presale_withdraw,
)

pytestmark = pytest.mark.django_db

D = Decimal


def history(owner: PreSaleList) -> list[tuple[str, dict, str]]:
    entries = AuditEntry.objects.filter(target_type="market.presalelist", target_id=str(owner.pk)).order_by(
        "id"
    )
    return [(e.action, e.changes, e.note) for e in entries]


def test_a_village_publishes_a_list_of_its_households_products(market):
    owner = market.lists["village"]
    assert (owner.region_id, owner.county_code, owner.producer, owner.published_by) == (
        "510903101001",
        "510903000000",
        None,
        market.user("village"),
    )
    assert [(i.name, i.quantity, i.reserved, i.unit_price, i.unit) for i in owner.items.all()] == [
        ("腊肉", D("10"), 0, D("60.00"), "公斤"),
        ("土鸡蛋", D("200"), 0, D("1.50"), "个"),
        ("柑橘", D("50"), 0, D("4.31"), "公斤"),
    ]
    opens, closes = TODAY - dt.timedelta(days=3), TODAY + dt.timedelta(days=10)
    assert history(owner) == [
        ("presale_publish", {"items": 3, "opens_on": str(opens), "closes_on": str(closes)}, ""),
    ]
    assert owner.is_open_on(TODAY) and not owner.is_open_on(closes + dt.timedelta(days=1))


def test_a_producer_publishes_its_own_list_in_its_region(market):
    owner = market.lists["coop"]
    assert (owner.region_id, owner.producer, owner.county_code) == (
        "510903101000",
        market.world.producers["coop"],
        "510903000000",
    )


def _publish(
    market, who: str, *, village: str | None = None, producer: str | None = None, items=None, data=None
):
    world = market.world
    return presale_publish(
        actor=market.user(who),
        data=data or list_input("测试清单"),
        village=world.regions[village] if village else None,
        producer=world.producers[producer] if producer else None,
        items=items
        if items is not None
        else [item("腊肉", "5", "公斤", "60", seller_household=world.households["zhang"])],
    )


@pytest.mark.parametrize(
    ("who", "village", "producer"),
    [
        ("village", "510903101002", None),  # village staff of 永兴村 for 石佛村
        ("anju", "510903101001", None),  # another county's office
        ("producer", "510903101001", None),  # producer staff for a village
        ("producer", None, "anju_coop"),  # producer staff for another producer
        ("village", None, "coop"),  # a village for a producer of its township
        ("unit", "510903101001", None),  # buyers do not sell
        ("buyer", "510903101001", None),
        ("auditor", "510903101001", None),
    ],
)
def test_nobody_publishes_outside_their_own_place(market, who, village, producer):
    before = (PreSaleList.objects.count(), PreSaleItem.objects.count(), AuditEntry.objects.count())
    with pytest.raises(PermissionDeniedError):
        _publish(market, who, village=village, producer=producer)
    assert (PreSaleList.objects.count(), PreSaleItem.objects.count(), AuditEntry.objects.count()) == before


def test_offices_publish_for_villages_and_producers_in_their_region(market):
    assert _publish(market, "yongxing", village="510903101001").region_id == "510903101001"
    coop = market.world.producers["coop"]
    by_office = _publish(
        market, "chuanshan", producer="coop", items=[item("蔬菜", "1", "公斤", "5", seller_producer=coop)]
    )
    assert by_office.producer == coop


def _with(**changes):
    data = list_input("测试清单")
    for key, value in changes.items():
        setattr(data, key, value)
    return data


@pytest.mark.parametrize(
    ("data", "items", "message"),
    [
        (_with(title=" "), None, "输入有误：清单名称不能为空"),
        (_with(closes_on=TODAY - dt.timedelta(days=5)), None, "早于开始日期"),
        (_with(delivery="drone"), None, "输入有误：交付方式“drone”不在可选范围内"),
        (_with(contact_name=""), None, "输入有误：须填写联系人"),
        (_with(contact_phone="12345"), None, "电话号码格式不正确"),
        (None, [], "输入有误：清单至少需要一个品种"),
        (None, [("腊肉", "5", "60.001", "zhang", None)], "输入有误：第1项单价“60.001”小数位数过多"),
        (None, [("腊肉", "0", "60", "zhang", None)], "输入有误：第1项可售数量必须大于0"),
        (None, [("腊肉", "-1", "60", "zhang", None)], "输入有误：第1项可售数量必须大于0"),
        (None, [("腊肉", "abc", "60", "zhang", None)], "输入有误：第1项可售数量“abc”不是有效数字"),
        (None, [("", "5", "60", "zhang", None)], "输入有误：第1项须填写品名和单位"),
        (None, [("腊肉", "5", "60", "wang", None)], "输入有误：第1项：销售农户不是本村农户"),
        (None, [("腊肉", "5", "60", None, None)], "输入有误：第1项须选择销售农户或销售主体（二选一）"),
        (None, [("腊肉", "5", "60", "zhang", "coop")], "输入有误：第1项须选择销售农户或销售主体（二选一）"),
        (None, [("腊肉", "5", "60", None, "anju_coop")], "输入有误：第1项：销售主体不在本县"),
        (
            None,
            [("腊肉", "5", "60", "zhang", None), ("土鸡", "5", "80", None, "unlinked")],
            "第2项：“船山区无联结合作社”目前没有带贫联结农户，收益无法落到农户",
        ),
    ],
)
def test_bad_lists_are_refused_in_chinese_and_nothing_is_written(market, data, items, message):
    world = market.world
    world.producers["unlinked"] = _unlinked(world)
    built = None
    if items is not None:
        built = [
            item(
                name,
                q,
                "公斤",
                price,
                seller_household=world.households.get(hh or ""),
                seller_producer=world.producers.get(pr or ""),
            )
            for name, q, price, hh, pr in items
        ]
    before = (PreSaleList.objects.count(), PreSaleItem.objects.count(), AuditEntry.objects.count())
    with pytest.raises(DomainError) as refused:
        _publish(market, "village", village="510903101001", items=built, data=data)
    assert message in refused.value.message
    assert (PreSaleList.objects.count(), PreSaleItem.objects.count(), AuditEntry.objects.count()) == before


def _unlinked(world):
    from yigou.demo.identity import fake_uscc
    from yigou.registry import services as registry

    return registry.producer_register(
        actor=world.users["admin"],
        kind="cooperative",
        name="船山区无联结合作社",
        region=world.regions["510903101001"],
        uscc=fake_uscc("510903", 9),
    )


def test_a_list_is_published_for_a_village_not_a_township(market):
    with pytest.raises(DomainError) as refused:
        _publish(market, "chuanshan", village="510903101000")
    assert refused.value.message == "发布清单的村必须选择村级，而“永兴镇”是乡级。"


def test_a_producer_list_sells_only_the_producers_products(market):
    world = market.world
    before = PreSaleList.objects.count()
    with pytest.raises(DomainError, match="经营主体的清单只能销售本主体的产品"):
        _publish(
            market,
            "producer",
            producer="coop",
            items=[item("腊肉", "5", "公斤", "60", seller_household=world.households["zhang"])],
        )
    assert PreSaleList.objects.count() == before


def test_changing_a_list_keeps_every_earlier_value_in_its_history(market):
    owner = market.lists["village"]
    data = list_input("永兴村秋季农产品预售（第二批）", closes=20)
    data.contact_phone = "13899998888"
    presale_change(actor=market.user("village"), presale_list=owner, data=data)
    presale_change(
        actor=market.user("village"), presale_list=owner, data=data
    )  # the same again: nothing to keep
    old_close, new_close = TODAY + dt.timedelta(days=10), TODAY + dt.timedelta(days=20)
    assert history(owner)[1:] == [
        (
            "presale_change",
            {
                "title": ["永兴村秋季农产品预售", "永兴村秋季农产品预售（第二批）"],
                "closes_on": [str(old_close), str(new_close)],
                "contact_phone": ["13812345678", "13899998888"],
            },
            "",
        ),
    ]
    owner.refresh_from_db()
    assert (owner.title, owner.closes_on) == ("永兴村秋季农产品预售（第二批）", new_close)


def test_items_are_added_and_changed_with_their_history(market):
    owner, zhang = market.lists["village"], market.world.households["zhang"]
    added = presale_item_add(
        actor=market.user("village"),
        presale_list=owner,
        item=item("红薯", "300", "公斤", "2.20", "fruit_veg", seller_household=zhang),
    )
    presale_item_change(actor=market.user("village"), item=added, quantity=D("350"), unit_price=D("2.00"))
    presale_item_change(
        actor=market.user("village"), item=added, quantity=D("350")
    )  # unchanged: not recorded
    assert history(owner)[1:] == [
        ("presale_item_add", {"item": "红薯", "quantity": "300", "unit_price": "2.20"}, ""),
        (
            "presale_item_change",
            {"item": "红薯", "quantity": ["300.000", "350"], "unit_price": ["2.20", "2.00"]},
            "",
        ),
    ]
    added.refresh_from_db()
    assert (added.quantity, added.unit_price, owner.items.count()) == (D("350"), D("2.00"), 4)


def test_an_item_added_to_someone_elses_list_is_refused(market):
    before = snapshot()
    with pytest.raises(PermissionDeniedError):
        presale_item_add(
            actor=market.user("anju"),
            presale_list=market.lists["village"],
            item=item("红薯", "300", "公斤", "2.20", seller_household=market.world.households["zhang"]),
        )
    with pytest.raises(PermissionDeniedError):
        presale_item_change(actor=market.user("producer"), item=market.items["腊肉"], quantity=D("1"))
    assert snapshot() == before


def test_withdrawing_needs_a_reason_stops_new_orders_and_freezes_the_list(market):
    owner = market.lists["village"]
    before = snapshot()
    with pytest.raises(DomainError, match="撤回须填写原因"):
        presale_withdraw(actor=market.user("village"), presale_list=owner, reason="")
    assert snapshot() == before
    presale_withdraw(actor=market.user("village"), presale_list=owner, reason="冰雹受灾，暂停供货")
    assert history(owner)[-1] == ("presale_withdraw", {"withdrawn": [False, True]}, "冰雹受灾，暂停供货")
    before = snapshot()
    for refused in (
        lambda: presale_withdraw(actor=market.user("village"), presale_list=owner, reason="再次"),
        lambda: presale_change(actor=market.user("village"), presale_list=owner, data=list_input("改名")),
        lambda: presale_item_change(
            actor=market.user("village"), item=market.items["腊肉"], quantity=D("20")
        ),
        lambda: place(market, 腊肉="1"),
    ):
        with pytest.raises(DomainError, match="已撤回"):
            refused()
    assert snapshot() == before
