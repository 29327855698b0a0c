"""Placing orders and their lifecycle: exact stock figures, every refusal changes nothing, the timeline.

Worked example (tests/market/presale_world.py): 遂宁市财政局 orders from the 永兴村 list
  腊肉 2 公斤 × 60.00 = 120.00, 土鸡蛋 30 个 × 1.50 = 45.00, 柑橘 7 公斤 × 4.31 = 30.17; total 195.17.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from tests.market.flows import lines, paid, place, reserved, shipped, snapshot
from tests.market.presale_world import TODAY
from yigou.core.errors import DomainError
from yigou.ledger.enums import BuyerKind
from yigou.market import order_steps, ordering
from yigou.market.enums import Inspection, OrderStatus
from yigou.market.models import OrderEvent
from yigou.market.presale import presale_item_change, presale_withdraw

pytestmark = pytest.mark.django_db

D = Decimal


def test_places_an_order_and_reserves_exactly_what_it_takes(market):
    order = place(market, 腊肉="2", 土鸡蛋="30", 柑橘="7")
    assert order.status == OrderStatus.PLACED
    assert (order.total, order.buyer_kind, order.buyer_name) == (D("195.17"), BuyerKind.UNIT, "遂宁市财政局")
    assert (order.region_id, order.county_code, order.buyer_unit, order.producer) == (
        "510903101001",
        "510903000000",
        market.world.units["finance"],
        None,
    )
    assert [(line.item.name, line.quantity, line.unit_price, line.amount) for line in order.lines.all()] == [
        ("腊肉", D("2"), D("60.00"), D("120.00")),
        ("土鸡蛋", D("30"), D("1.50"), D("45.00")),
        ("柑橘", D("7"), D("4.31"), D("30.17")),
    ]
    assert reserved(market) == {"腊肉": D("2"), "土鸡蛋": D("30"), "柑橘": D("7"), "蔬菜": 0, "土鸡": 0}
    market.items["腊肉"].refresh_from_db()
    assert market.items["腊肉"].available == D("8")
    event = order.events.get()
    assert (event.action, event.from_status, event.to_status, event.actor) == (
        "place",
        "",
        "placed",
        market.user("unit"),
    )
    assert event.note == "3个品种，共 195.17 元"


def test_repeated_lines_of_one_item_are_one_line(market):
    order = ordering.order_place(
        actor=market.user("unit"),
        presale_list=market.lists["village"],
        lines=[(market.items["腊肉"].pk, "4"), (market.items["腊肉"].pk, "1.5")],
    )
    assert [(line.quantity, line.amount) for line in order.lines.all()] == [(D("5.5"), D("330.00"))]
    assert reserved(market)["腊肉"] == D("5.5")


def test_refuses_an_order_when_stock_runs_out_and_changes_nothing(market):
    place(market, 腊肉="8")
    before = snapshot()
    with pytest.raises(DomainError) as refused:
        place(market, who="bank", 土鸡蛋="10", 腊肉="3")
    assert refused.value.code == "out_of_stock"
    assert refused.value.message == "库存不足：“腊肉”尚可订购 2公斤，您订购了 3公斤。"
    assert snapshot() == before
    assert reserved(market)["土鸡蛋"] == 0  # the line reserved before the shortage was rolled back too


def test_a_shortage_only_the_database_sees_writes_no_order_and_no_stock(market, monkeypatch):
    """The read believes every line fits (here it is stale: 腊肉 shows none reserved), so the one statement that
    reserves and writes the order is what refuses: it takes 土鸡蛋's line and writes no order, and the whole
    order is rolled back and told with what the database holds."""
    place(market, 腊肉="8")
    before = snapshot()
    read = ordering.order_rows.locked_items

    def stale(ids):
        items = read(ids)
        for item in items.values():
            item.reserved = Decimal("0")
        return items

    monkeypatch.setattr(ordering.order_rows, "locked_items", stale)
    with pytest.raises(DomainError) as refused:
        place(market, who="bank", 土鸡蛋="10", 腊肉="3")
    assert refused.value.message == "库存不足：“腊肉”尚可订购 2公斤，您订购了 3公斤。"
    assert snapshot() == before
    now = reserved(market)
    assert (now["土鸡蛋"], now["腊肉"]) == (D("0"), D("8"))


def test_the_last_unit_can_be_taken_and_not_one_gram_more(market):
    place(market, 腊肉="10")
    before = snapshot()
    with pytest.raises(DomainError) as refused:
        place(market, who="buyer", 腊肉="0.001")
    assert refused.value.message == "库存不足：“腊肉”尚可订购 0公斤，您订购了 0.001公斤。"
    assert snapshot() == before
    assert reserved(market)["腊肉"] == D("10")


def test_two_buyers_holding_the_same_stale_list_never_oversell(market):
    """Both read 10 公斤 available; the reservation is one conditional UPDATE, so the second one is refused."""
    stale_item = market.items["腊肉"]
    first = place(market, 腊肉="6")
    assert stale_item.available == D("10")  # the stale copy still believes all 10 are free
    with pytest.raises(DomainError, match="尚可订购 4公斤"):
        place(market, who="bank", 腊肉="6")
    assert reserved(market)["腊肉"] == D("6")
    ordering.order_cancel(actor=market.user("unit"), order=first, reason="改为下周采购")
    second = place(market, who="bank", 腊肉="6")
    third = place(market, who="buyer", 腊肉="4")
    assert reserved(market)["腊肉"] == D("10")
    first.refresh_from_db()
    assert [o.status for o in (first, second, third)] == ["cancelled", "placed", "placed"]


@pytest.mark.parametrize(
    ("wanted", "message"),
    [
        ([], "输入有误：订单至少需要一个品种"),
        ([("x", "1")], "输入有误：第1项品种编号“x”无效"),
        ([("ITEM", "0")], "输入有误：第1项数量必须大于0，最多三位小数"),
        ([("ITEM", "-2")], "输入有误：第1项数量必须大于0，最多三位小数"),
        ([("ITEM", "1.0005")], "输入有误：第1项数量必须大于0，最多三位小数"),
        ([("ITEM", "两斤")], "输入有误：第1项数量“两斤”不是有效数字"),
        ([("OTHER", "1")], "输入有误：订购的品种不在该预售清单中"),
        ([(999999, "1")], "输入有误：订购的品种不在该预售清单中"),
    ],
)
def test_refuses_bad_order_lines_in_chinese_and_changes_nothing(market, wanted, message):
    ids = {"ITEM": market.items["腊肉"].pk, "OTHER": market.items["土鸡"].pk}
    before = snapshot()
    with pytest.raises(DomainError) as refused:
        ordering.order_place(
            actor=market.user("unit"),
            presale_list=market.lists["village"],
            lines=[(ids.get(key, key), q) for key, q in wanted],
        )
    assert refused.value.message == message
    assert snapshot() == before


def test_refuses_orders_on_lists_not_open_today(market):
    owner = market.lists["village"]
    before = snapshot()
    with pytest.raises(DomainError) as refused:
        ordering.order_place(
            actor=market.user("unit"),
            presale_list=owner,
            lines=lines(market, 腊肉="1"),
            today=owner.closes_on + dt.timedelta(days=1),
        )
    assert refused.value.message == (
        f"预售清单“永兴村秋季农产品预售”当前不在接单期（{owner.opens_on} 至 {owner.closes_on}）。"
    )
    presale_withdraw(actor=market.user("village"), presale_list=owner, reason="冰雹受灾")
    before = snapshot()
    with pytest.raises(DomainError, match="已撤回，不能下单"):
        place(market, 腊肉="1")
    assert snapshot() == before


def test_a_withdrawn_list_lets_orders_already_placed_go_on(market):
    order = place(market, 腊肉="2")
    presale_withdraw(actor=market.user("village"), presale_list=market.lists["village"], reason="停止接单")
    order = ordering.order_confirm(actor=market.user("village"), order=order)
    assert order.status == OrderStatus.CONFIRMED


def test_a_price_change_applies_to_new_orders_only(market):
    old = place(market, 腊肉="1")
    presale_item_change(actor=market.user("village"), item=market.items["腊肉"], unit_price=D("65.00"))
    new = place(market, who="bank", 腊肉="1")
    old.refresh_from_db()
    assert (old.total, new.total) == (D("60.00"), D("65.00"))


def test_unit_staff_order_for_their_canteen_and_their_cadres(market):
    world = market.world
    canteen = ordering.order_place(
        actor=market.user("unit"),
        presale_list=market.lists["anju"],
        lines=lines(market, 土鸡="2"),
        buyer_kind=BuyerKind.CANTEEN,
    )
    cadre = ordering.order_place(
        actor=market.user("unit"),
        presale_list=market.lists["anju"],
        lines=lines(market, 土鸡="1"),
        buyer_kind=BuyerKind.CADRE,
        cadre=world.cadres["chen"],
    )
    assert (canteen.buyer_kind, canteen.buyer_unit, canteen.total) == (
        "canteen",
        world.units["finance"],
        D("160.00"),
    )
    assert (cadre.buyer_kind, cadre.buyer_unit, cadre.buyer_cadre, cadre.buyer_name) == (
        "cadre",
        None,
        world.cadres["chen"],
        "陈立",
    )
    before = snapshot()
    with pytest.raises(DomainError, match="干部购买须选择本单位的帮扶干部"):
        ordering.order_place(
            actor=market.user("unit"),
            presale_list=market.lists["anju"],
            lines=lines(market, 土鸡="1"),
            buyer_kind=BuyerKind.CADRE,
            cadre=world.cadres["sun"],
        )
    with pytest.raises(DomainError, match="未登记机关食堂"):
        ordering.order_place(
            actor=market.user("bank"),
            presale_list=market.lists["anju"],
            lines=lines(market, 土鸡="1"),
            buyer_kind=BuyerKind.CANTEEN,
        )
    assert snapshot() == before


def test_an_individual_buys_in_their_own_name(market):
    order = place(market, who="buyer", owner="coop", 蔬菜="3")
    assert (order.buyer_kind, order.buyer_name, order.buyer_unit, order.producer) == (
        "individual",
        "李四",
        None,
        market.world.producers["coop"],
    )
    assert order.region_id == "510903101000"


def test_the_lifecycle_is_a_timeline_of_events(market):
    order = place(market, 腊肉="2", 土鸡蛋="30")
    order = paid(market, order)
    order = ordering.order_rate(actor=market.user("unit"), order=order, rating=5, comment="新鲜")
    assert (order.status, order.rating, order.rating_comment, order.payment_ref) == (
        "rated",
        5,
        "新鲜",
        "BANK-0001",
    )
    events = list(OrderEvent.objects.filter(order=order).values_list("action", "from_status", "to_status"))
    assert events == [
        ("place", "", "placed"),
        ("confirm", "placed", "confirmed"),
        ("ship", "confirmed", "shipped"),
        ("receive", "shipped", "received"),
        ("pay", "received", "paid"),
        ("rate", "paid", "rated"),
    ]
    notes = list(OrderEvent.objects.filter(order=order).values_list("note", flat=True))
    assert notes[3:] == ["验收合格 2 项，拒收 0 项", f"付款 165.00 元，日期 {TODAY}", "5星 新鲜"]


@pytest.mark.parametrize(
    ("state", "step", "message"),
    [
        ("placed", "ship", "订单当前状态为“已下单”，不能发货。"),
        ("placed", "receive", "订单当前状态为“已下单”，不能验收。"),
        ("placed", "pay", "订单当前状态为“已下单”，不能登记付款。"),
        ("confirmed", "confirm", "订单当前状态为“卖方已确认”，不能确认订单。"),
        ("shipped", "cancel", "订单当前状态为“已发货/待提货”，不能取消（已发货的订单请申请售后）。"),
        ("shipped", "rate", "订单当前状态为“已发货/待提货”，不能评价。"),
        ("paid", "pay", "订单当前状态为“已付款”，不能登记付款。"),
        ("paid", "cancel", "订单当前状态为“已付款”，不能取消（已发货的订单请申请售后）。"),
        ("cancelled", "confirm", "订单当前状态为“已取消”，不能确认订单。"),
    ],
)
def test_illegal_moves_are_refused_in_chinese_and_change_nothing(market, state, step, message):
    order = _in_state(market, state)
    unit, village = market.user("unit"), market.user("village")
    steps = {
        "confirm": lambda: ordering.order_confirm(actor=village, order=order),
        "ship": lambda: ordering.order_ship(actor=village, order=order),
        "receive": lambda: ordering.order_receive(actor=unit, order=order),
        "pay": lambda: ordering.order_pay(actor=unit, order=order),
        "cancel": lambda: ordering.order_cancel(actor=unit, order=order, reason="不要了"),
        "rate": lambda: ordering.order_rate(actor=unit, order=order, rating=4),
    }
    before = snapshot()
    with pytest.raises(DomainError) as refused:
        steps[step]()
    assert refused.value.message == message
    assert snapshot() == before


def _in_state(market, state: str):
    order = place(market, 腊肉="2", 柑橘="7")
    if state == "confirmed":
        return ordering.order_confirm(actor=market.user("village"), order=order)
    if state == "shipped":
        return shipped(market, order)
    if state == "paid":
        return paid(market, order)
    if state == "cancelled":
        return ordering.order_cancel(actor=market.user("unit"), order=order, reason="重复下单")
    return order


def test_cancelling_releases_the_stock_and_records_who_and_why(market):
    order = place(market, 腊肉="2", 土鸡蛋="30")
    order = ordering.order_confirm(actor=market.user("village"), order=order)
    order = ordering.order_cancel(actor=market.user("village"), order=order, reason="腊肉尚未熏制完成")
    assert (order.status, order.cancel_reason) == ("cancelled", "腊肉尚未熏制完成")
    assert reserved(market) == {"腊肉": 0, "土鸡蛋": 0, "柑橘": 0, "蔬菜": 0, "土鸡": 0}
    assert order.events.last().note == "卖方取消：腊肉尚未熏制完成"


def test_cancelling_needs_a_reason(market):
    order = place(market, 腊肉="2")
    before = snapshot()
    with pytest.raises(DomainError, match="取消订单须填写原因"):
        ordering.order_cancel(actor=market.user("unit"), order=order, reason="  ")
    assert snapshot() == before


def test_rejected_lines_release_their_stock_and_are_not_paid(market):
    order = place(market, 腊肉="2", 土鸡蛋="30", 柑橘="7")
    order = paid(market, order, 土鸡蛋="破损12个，整批拒收")
    assert reserved(market) == {"腊肉": D("2"), "土鸡蛋": 0, "柑橘": D("7"), "蔬菜": 0, "土鸡": 0}
    inspected = list(order.lines.values_list("item__name", "inspection", "reject_reason"))
    assert inspected == [
        ("腊肉", Inspection.ACCEPTED, ""),
        ("土鸡蛋", Inspection.REJECTED, "破损12个，整批拒收"),
        ("柑橘", Inspection.ACCEPTED, ""),
    ]
    assert sorted(p.total for p in order.purchases.all()) == [D("30.17"), D("120.00")]
    assert order.events.get(action="pay").note == f"付款 150.17 元，日期 {TODAY}"


def test_rejecting_every_line_ends_the_order_and_nothing_can_be_paid(market):
    order = shipped(market, place(market, 腊肉="2", 土鸡蛋="30"))
    ids = list(order.lines.values_list("pk", flat=True))
    order = ordering.order_receive(
        actor=market.user("unit"), order=order, rejected=dict.fromkeys(ids, "变质")
    )
    assert order.status == OrderStatus.REJECTED
    assert reserved(market)["腊肉"] == 0 and reserved(market)["土鸡蛋"] == 0
    with pytest.raises(DomainError, match="验收全部拒收"):
        ordering.order_pay(actor=market.user("unit"), order=order)


def test_rejecting_needs_a_reason_and_a_line_of_this_order(market):
    order = shipped(market, place(market, 腊肉="2"))
    other = place(market, who="bank", 土鸡蛋="1")
    line = order.lines.get()
    before = snapshot()
    with pytest.raises(DomainError, match="拒收“腊肉”须填写原因"):
        ordering.order_receive(actor=market.user("unit"), order=order, rejected={line.pk: ""})
    with pytest.raises(DomainError, match="拒收的明细不属于该订单"):
        ordering.order_receive(actor=market.user("unit"), order=order, rejected={other.lines.get().pk: "错"})
    assert snapshot() == before


@pytest.mark.parametrize(
    ("paid_on", "rating", "message"),
    [
        (TODAY + dt.timedelta(days=1), None, f"付款日期 {TODAY + dt.timedelta(days=1)} 晚于今天"),
        (TODAY - dt.timedelta(days=1), None, f"付款日期 {TODAY - dt.timedelta(days=1)} 早于下单日期 {TODAY}"),
        (None, 0, "评分须为1到5的整数"),
        (None, 6, "评分须为1到5的整数"),
        (None, True, "评分须为1到5的整数"),
    ],
)
def test_refuses_payment_dates_and_ratings_out_of_range(market, paid_on, rating, message):
    order = place(market, 腊肉="2")
    if rating is None:
        order = ordering.order_receive(actor=market.user("unit"), order=shipped(market, order))
    else:
        order = paid(market, order)
    before = snapshot()
    with pytest.raises(DomainError, match=message):
        if rating is None:
            ordering.order_pay(actor=market.user("unit"), order=order, paid_on=paid_on)
        else:
            ordering.order_rate(actor=market.user("unit"), order=order, rating=rating)
    assert snapshot() == before


def test_stock_may_not_be_lowered_below_what_orders_hold(market):
    place(market, 腊肉="7")
    before = snapshot()
    with pytest.raises(DomainError) as refused:
        presale_item_change(actor=market.user("village"), item=market.items["腊肉"], quantity=D("6"))
    assert refused.value.message == "输入有误：可售数量不能少于已被订购的 7公斤"
    assert snapshot() == before
    presale_item_change(actor=market.user("village"), item=market.items["腊肉"], quantity=D("7"))
    with pytest.raises(DomainError, match="尚可订购 0公斤"):
        place(market, who="bank", 腊肉="1")


def test_waiting_for_names_the_states_each_side_acts_on(market):
    assert order_steps.waiting_for(market.user("village")) == {"seller": ["placed", "confirmed"]}
    assert order_steps.waiting_for(market.user("unit")) == {"buyer": ["shipped", "received"]}
    assert order_steps.waiting_for(market.user("buyer")) == {"buyer": ["shipped", "received"]}
    assert order_steps.waiting_for(market.user("auditor")) == {}
