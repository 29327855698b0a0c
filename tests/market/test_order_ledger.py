"""A paid order lands in the ledger once, with exact beneficiaries, and in the statistics table; a refund reverses it.

Example A: 遂宁市财政局 buys from the 永兴村 list and accepts everything —
  张德明 sells 腊肉 2 × 60.00 + 土鸡蛋 30 × 1.50 = 165.00 (household seller: 张德明 earns 165.00);
  船山区鲜果公司 sells 柑橘 7 × 4.31 = 30.17, split equally among its linked households 张德明 and 王建国:
  3017 fen / 2 = 1508 each, the odd fen to the first (张德明, lower id): 15.09 and 15.08.
  Table for 船山区, this month, row 永兴镇: 总额 195.17, 农户自产 165.00, 贫困群众收入 165.00 + 15.09 = 180.09
  (1 户), 非贫困 15.08 (王建国, 1 户), villages 永兴村 (poor) and 石佛村 (non-poor), 1 unit buying.
Example B: 李四 buys 蔬菜 20 × 5.00 = 100.00 (a certified product) from the 永兴 cooperative, split by shares
  10 : 20 → 33.333… and 66.666…, rounded down to 33.33 and 66.66, the odd fen to the first: 33.34 and 66.66.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from tests.market.flows import paid, place, reserved, snapshot
from tests.market.presale_world import TODAY, item, list_input
from yigou.core.errors import DomainError
from yigou.core.periods import parse_period
from yigou.ledger.models import Purchase
from yigou.ledger.table import build_table
from yigou.ledger.verify import verify
from yigou.market import ordering
from yigou.market.enums import OrderStatus, ProductStatus
from yigou.market.models import Product
from yigou.market.presale import presale_publish

pytestmark = pytest.mark.django_db

D = Decimal
MONEY = ("amount_total", "amount_own", "amount_coop", "amount_certified", "poor_income", "nonpoor_income")
COUNTS = (
    "poor_households",
    "nonpoor_households",
    "villages_poor",
    "villages_nonpoor",
    "buyers_total",
    "buyer_units",
)


def figures(world, code: str = "510903000000") -> dict[str, object]:
    table = build_table(world.regions[code], parse_period(f"{TODAY:%Y-%m}"))
    yongxing = next(row for row in table.rows if row.region_code == "510903101000")
    assert {k: table.total.values[k] for k in MONEY + COUNTS} == {
        k: yongxing.values[k] for k in MONEY + COUNTS
    }
    return {k: yongxing.values[k] for k in MONEY + COUNTS}


def beneficiaries(purchase: Purchase) -> list[tuple[str, Decimal]]:
    return [(b.household.head_name, b.amount) for b in purchase.beneficiaries.order_by("household_id")]


def test_a_paid_order_is_one_purchase_per_seller_with_exact_beneficiaries(market):
    world = market.world
    order = paid(market, place(market, 腊肉="2", 土鸡蛋="30", 柑橘="7"))
    assert (order.status, order.paid_on, order.payment_ref) == (OrderStatus.PAID, TODAY, "BANK-0001")
    own, fruit = (
        Purchase.objects.get(external_id=f"order-{order.pk}-h{world.households['zhang'].pk}"),
        Purchase.objects.get(external_id=f"order-{order.pk}-p{market.producers['fruit'].pk}"),
    )
    assert Purchase.objects.filter(order=order).count() == 2
    assert (
        own.total,
        own.date,
        own.channel,
        own.source,
        own.buyer_kind,
        own.buyer_unit,
        own.attribution,
    ) == (
        D("165.00"),
        TODAY,
        "platform",
        "order",
        "unit",
        world.units["finance"],
        "self",
    )
    assert (own.region_id, own.seller_household, own.note) == (
        "510903101001",
        world.households["zhang"],
        f"平台订单 {order.pk}",
    )
    assert [(line.product, line.quantity, line.amount, line.source) for line in own.lines.all()] == [
        ("腊肉", D("2"), D("120.00"), "own"),
        ("土鸡蛋", D("30"), D("45.00"), "own"),
    ]
    assert beneficiaries(own) == [("张德明", D("165.00"))]
    assert (fruit.total, fruit.region_id, fruit.attribution) == (D("30.17"), "510903101000", "equal_linked")
    assert beneficiaries(fruit) == [("张德明", D("15.09")), ("王建国", D("15.08"))]


def test_a_paid_order_shows_once_in_the_statistics_table(market):
    paid(market, place(market, 腊肉="2", 土鸡蛋="30", 柑橘="7"))
    assert figures(market.world) == {
        "amount_total": D("195.17"),
        "amount_own": D("165.00"),
        "amount_coop": D("0.00"),
        "amount_certified": D("0.00"),
        "poor_income": D("180.09"),
        "nonpoor_income": D("15.08"),
        "poor_households": 1,
        "nonpoor_households": 1,
        "villages_poor": 1,
        "villages_nonpoor": 1,
        "buyers_total": 1,
        "buyer_units": 1,
    }
    assert verify().ok


def test_paying_twice_is_refused_and_writes_nothing(market):
    order = paid(market, place(market, 腊肉="2"))
    before = snapshot()
    with pytest.raises(DomainError) as refused:
        ordering.order_pay(actor=market.user("unit"), order=order, payment_ref="BANK-0002")
    assert refused.value.message == "订单当前状态为“已付款”，不能登记付款。"
    assert snapshot() == before
    assert Purchase.objects.filter(order=order).count() == 1


def certified_vegetables(world) -> Product:
    """A catalog entry made directly: the certification workflow has its own tests."""
    coop = world.producers["coop"]
    return Product.objects.create(
        producer=coop,
        region=coop.region,
        county_code="510903000000",
        name="永兴有机蔬菜",
        category="fruit_veg",
        specification="5公斤/箱",
        unit="公斤",
        capacity=D("10000"),
        capacity_period="year",
        base="永兴村",
        price=D("5.00"),
        mechanism="order",
        status=ProductStatus.LISTED,
        certificate_no="510903-TEST-0001",
        listed_on=TODAY - dt.timedelta(days=30),
        valid_until=TODAY + dt.timedelta(days=300),
    )


def test_a_cooperative_sale_is_split_by_shares_to_the_fen_and_counts_as_certified(market):
    world = market.world
    product = certified_vegetables(world)
    owner = presale_publish(
        actor=world.users["producer"],
        data=list_input("合作社认定蔬菜"),
        producer=world.producers["coop"],
        items=[
            item(
                "有机蔬菜",
                "100",
                "公斤",
                "5.00",
                "fruit_veg",
                seller_producer=world.producers["coop"],
                product=product,
            )
        ],
    )
    line = owner.items.get()
    order = ordering.order_place(actor=market.user("buyer"), presale_list=owner, lines=[(line.pk, "20")])
    market.items["有机蔬菜"] = line
    order = paid(market, order, who="buyer", owner="coop")
    purchase = Purchase.objects.get(order=order)
    assert (purchase.total, purchase.attribution, purchase.buyer_kind, purchase.buyer_name) == (
        D("100.00"),
        "coop_shares",
        "individual",
        "李四",
    )
    assert beneficiaries(purchase) == [("张德明", D("33.34")), ("王建国", D("66.66"))]
    assert purchase.lines.get().certified is True
    assert figures(world) == {
        "amount_total": D("100.00"),
        "amount_own": D("0.00"),
        "amount_coop": D("100.00"),
        "amount_certified": D("100.00"),
        "poor_income": D("33.34"),
        "nonpoor_income": D("66.66"),
        "poor_households": 1,
        "nonpoor_households": 1,
        "villages_poor": 1,
        "villages_nonpoor": 1,
        "buyers_total": 1,
        "buyer_units": 0,
    }


def test_a_refund_writes_the_reversal_and_the_table_returns_to_zero(market):
    order = paid(market, place(market, 腊肉="2", 土鸡蛋="30", 柑橘="7"))
    request = ordering.aftersale_request(
        actor=market.user("unit"), order=order, kind="refund", reason="腊肉变质"
    )
    resolved = ordering.aftersale_resolve(
        actor=market.user("village"), request=request, approve=True, resolution="同意全额退款"
    )
    order.refresh_from_db()
    assert (resolved.status, resolved.resolved_by, order.status) == (
        "approved",
        market.user("village"),
        "refunded",
    )
    mirrors = Purchase.objects.filter(order=order, reverses__isnull=False).order_by("total")
    assert [(m.total, m.note) for m in mirrors] == [
        (D("-165.00"), f"订单{order.pk}退款：同意全额退款"),
        (D("-30.17"), f"订单{order.pk}退款：同意全额退款"),
    ]
    assert figures(market.world) == {
        **{k: D("0.00") for k in MONEY},
        **dict.fromkeys(COUNTS, 0),
    }
    assert verify().ok
    # The goods were delivered: the stock they took stays sold.
    assert reserved(market)["腊肉"] == D("2")
    actions = list(order.events.values_list("action", "to_status"))
    assert actions[-2:] == [("aftersale", "paid"), ("refund", "refunded")]


def test_a_declined_request_leaves_the_ledger_and_may_be_asked_again(market):
    order = paid(market, place(market, 腊肉="2"))
    first = ordering.aftersale_request(
        actor=market.user("unit"), order=order, kind="return", reason="包装破损"
    )
    before_count = Purchase.objects.count()
    ordering.aftersale_resolve(
        actor=market.user("village"), request=first, approve=False, resolution="运输途中正常损耗"
    )
    order.refresh_from_db()
    assert (order.status, Purchase.objects.count()) == ("paid", before_count)
    second = ordering.aftersale_request(
        actor=market.user("unit"), order=order, kind="refund", reason="仍有异味"
    )
    assert second.status == "requested"


@pytest.mark.parametrize(
    ("step", "message"),
    [
        ("again", "输入有误：该订单已有待处理的售后申请"),
        ("no_reason", "输入有误：申请售后须填写原因"),
        ("bad_kind", "输入有误：售后类型“gift”不在可选范围内"),
        ("resolve_twice", "输入有误：该售后申请已处理"),
        ("resolve_no_note", "输入有误：处理售后须填写意见"),
        ("refund_again", "订单当前状态为“已退款”，不能申请售后。"),
    ],
)
def test_after_sales_refusals_change_nothing(market, step, message):
    order = paid(market, place(market, 腊肉="2"))
    unit, village = market.user("unit"), market.user("village")
    request = ordering.aftersale_request(actor=unit, order=order, kind="refund", reason="变质")
    if step in ("resolve_twice", "refund_again"):
        ordering.aftersale_resolve(actor=village, request=request, approve=True, resolution="同意")
    steps = {
        "again": lambda: ordering.aftersale_request(actor=unit, order=order, kind="refund", reason="再次"),
        "no_reason": lambda: ordering.aftersale_request(actor=unit, order=order, kind="refund", reason=" "),
        "bad_kind": lambda: ordering.aftersale_request(actor=unit, order=order, kind="gift", reason="x"),
        "resolve_twice": lambda: ordering.aftersale_resolve(
            actor=village, request=request, approve=True, resolution="同意"
        ),
        "resolve_no_note": lambda: ordering.aftersale_resolve(
            actor=village, request=request, approve=False, resolution=""
        ),
        "refund_again": lambda: ordering.aftersale_request(
            actor=unit, order=order, kind="refund", reason="x"
        ),
    }
    before = snapshot()
    with pytest.raises(DomainError) as refused:
        steps[step]()
    assert refused.value.message == message
    assert snapshot() == before


def test_a_cadre_order_is_the_cadres_purchase(market):
    world = market.world
    order = ordering.order_place(
        actor=market.user("unit"),
        presale_list=market.lists["anju"],
        lines=[(market.items["土鸡"].pk, "3")],
        buyer_kind="cadre",
        cadre=world.cadres["chen"],
    )
    paid(market, order, owner="anju")
    purchase = Purchase.objects.get(order=order)
    assert (purchase.buyer_kind, purchase.buyer_cadre, purchase.buyer_unit, purchase.total) == (
        "cadre",
        world.cadres["chen"],
        None,
        D("240.00"),
    )
    assert beneficiaries(purchase) == [("刘永福", D("240.00"))]
    table = build_table(world.regions["510904000000"], parse_period(f"{TODAY:%Y-%m}"))
    assert (table.total.values["amount_total"], table.total.values["buyer_cadres"]) == (D("240.00"), 1)


def test_a_product_revoked_after_listing_cannot_be_ordered(market):
    world = market.world
    product = certified_vegetables(world)
    owner = presale_publish(
        actor=world.users["producer"],
        data=list_input("合作社认定蔬菜"),
        producer=world.producers["coop"],
        items=[
            item(
                "有机蔬菜",
                "100",
                "公斤",
                "5.00",
                "fruit_veg",
                seller_producer=world.producers["coop"],
                product=product,
            )
        ],
    )
    Product.objects.filter(pk=product.pk).update(status=ProductStatus.REVOKED)
    before = snapshot()
    with pytest.raises(DomainError) as refused:
        ordering.order_place(
            actor=market.user("buyer"), presale_list=owner, lines=[(owner.items.get().pk, "1")]
        )
    assert refused.value.message == "“永兴有机蔬菜”不在扶贫产品目录中或已过有效期，不能下单。"
    assert snapshot() == before
