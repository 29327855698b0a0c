"""The public catalog, the price check with exact figures, and what revocation does to lists, orders and the
statistics.

Reference prices of 永兴土蜂蜜 500克/瓶 (瓶), as entered:
  船山区 2018-05-01 40.00 · 遂宁市 2018-05-20 30.00 · 安居区 2018-05-25 20.00 · 四川省 2018-05-28 25.00
  · 船山区 2018-06-15 60.00 (observed after the application day 2018-06-01, so never used for it).
For a 船山 product the county's 40.00 applies: ceiling 40.00 × 1.20 = 48.00. For the zone (no county price) the
city's latest, 安居 20.00. For a county outside the city, the latest anywhere, 四川省 25.00.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from tests.market.conftest import APPLIED, LISTED, honey
from yigou.core.errors import DomainError, PermissionDeniedError
from yigou.core.periods import parse_period
from yigou.ledger.enums import Attribution, BuyerKind, Channel
from yigou.ledger.services import LineInput, PurchaseInput, purchase_record
from yigou.ledger.table import build_table
from yigou.market import catalog
from yigou.market import certification as cert
from yigou.market.models import Blacklisting, Order, PreSaleItem, Product, ReferencePrice
from yigou.market.ordering import order_place
from yigou.market.presale import ItemInput, ListInput, presale_publish
from yigou.market.pricing import ReferencePriceInput, reference_for, reference_price_add

JULY = dt.date(2018, 7, 1)


def observe(world, code: str, day: dt.date, price: str, user: str = "admin") -> ReferencePrice:
    data = ReferencePriceInput(
        name="永兴土蜂蜜",
        specification="500克/瓶",
        unit="瓶",
        price=price,
        observed_on=day,
        source="农贸市场",
    )
    return reference_price_add(actor=world.users[user], region=world.region(code), data=data, today=JULY)


@pytest.fixture
def prices(world):
    observe(world, "510903000000", dt.date(2018, 5, 1), "40.00", user="chuanshan")
    observe(world, "510900000000", dt.date(2018, 5, 20), "30.00", user="city")
    observe(world, "510904000000", dt.date(2018, 5, 25), "20.00", user="anju")
    observe(world, "510000000000", dt.date(2018, 5, 28), "25.00")
    observe(world, "510903000000", dt.date(2018, 6, 15), "60.00", user="chuanshan")


def apply(world, **changes) -> Product:
    return cert.product_apply(
        actor=world.users["producer"],
        producer=world.producers["coop"],
        data=honey(world, **changes),
        today=APPLIED,
    )


# --- price check -------------------------------------------------------------------------------------------------


def test_the_reference_is_the_county_then_the_city_then_anywhere(world, prices):
    def ref(county: str) -> Decimal:
        found = reference_for("永兴土蜂蜜", "500克/瓶", "瓶", county, APPLIED)
        assert found is not None
        return found.price

    assert ref("510903000000") == Decimal("40.00")
    assert ref("510971000000") == Decimal("20.00")
    assert ref("110101000000") == Decimal("25.00")
    assert reference_for("永兴土蜂蜜", "1000克/瓶", "瓶", "510903000000", APPLIED) is None


def test_a_price_at_the_ceiling_is_not_flagged(world, prices):
    product = apply(world, price=Decimal("48.00"))

    assert (product.reference_price, product.price_flagged) == (Decimal("40.00"), False)


def test_a_price_above_the_ceiling_needs_an_explanation(world, prices):
    with pytest.raises(DomainError) as caught:
        apply(world, price=Decimal("48.01"))
    assert caught.value.message == (
        "输入有误：销售价格 48.01 元高于市场参考价 40.00 元的上浮上限 48.00 元，须填写价格说明"
    )
    assert Product.objects.count() == 0

    product = apply(world, price=Decimal("48.01"), price_explanation="有机认证，成本较高")

    assert (product.reference_price, product.price_flagged, product.price_explanation) == (
        Decimal("40.00"),
        True,
        "有机认证，成本较高",
    )


def test_the_margin_is_a_setting(world, prices, settings):
    settings.YIGOU_PRICE_MARGIN = "0.10"

    with pytest.raises(DomainError, match=r"上浮上限 44\.00 元"):
        apply(world, price=Decimal("45.00"))


def test_without_a_reference_nothing_is_flagged(world):
    product = apply(world, price=Decimal("999.00"))

    assert (product.reference_price, product.price_flagged) == (None, False)


def test_only_offices_enter_reference_prices_in_their_own_region(world):
    before = ReferencePrice.objects.count()
    with pytest.raises(PermissionDeniedError):
        observe(world, "510903000000", dt.date(2018, 5, 1), "40.00", user="producer")
    with pytest.raises(PermissionDeniedError):
        observe(world, "510904000000", dt.date(2018, 5, 1), "40.00", user="chuanshan")
    with pytest.raises(DomainError, match="晚于今天"):
        observe(world, "510903000000", dt.date(2018, 7, 2), "40.00", user="chuanshan")
    with pytest.raises(DomainError, match="市场价必须大于0"):
        observe(world, "510903000000", dt.date(2018, 5, 1), "0", user="chuanshan")
    assert ReferencePrice.objects.count() == before


# --- catalog -----------------------------------------------------------------------------------------------------


def names(rows) -> list[str]:
    return [f"{p.name} {p.specification}" for p in rows]


@pytest.mark.parametrize("q", ["蜂蜜", "yxtfm", "YX", "tufengmi", "tu feng mi"])
def test_the_catalog_finds_a_listed_product_by_name_or_pinyin(world, listed, q):
    assert names(catalog.catalog(catalog.CatalogFilter(q=q), today=JULY)) == ["永兴土蜂蜜 500克/瓶"]


@pytest.mark.parametrize(
    ("f", "found"),
    [
        (catalog.CatalogFilter(q="黑猪"), []),
        (catalog.CatalogFilter(category="processed"), ["永兴土蜂蜜 500克/瓶"]),
        (catalog.CatalogFilter(category="tea"), []),
        (catalog.CatalogFilter(region="510903000000"), ["永兴土蜂蜜 500克/瓶"]),
        (catalog.CatalogFilter(region="510903101000"), ["永兴土蜂蜜 500克/瓶"]),
        (catalog.CatalogFilter(region="510904000000"), []),
    ],
)
def test_the_catalog_filters_by_category_and_region(world, listed, f, found):
    assert names(catalog.catalog(f, today=JULY)) == found


def test_the_catalog_counts_linked_households(world, listed):
    row = catalog.catalog(today=JULY).get()

    assert (row.households, row.certificate_no, row.valid_until) == (
        1,
        "510903-2018-0001",
        dt.date(2019, 6, 7),
    )


@pytest.mark.parametrize(
    ("day", "found"),
    [
        (dt.date(2018, 6, 6), []),
        (LISTED, ["永兴土蜂蜜 500克/瓶"]),
        (dt.date(2019, 6, 7), ["永兴土蜂蜜 500克/瓶"]),
        (dt.date(2019, 6, 8), []),
    ],
)
def test_the_catalog_holds_only_products_within_validity(world, listed, day, found):
    assert names(catalog.catalog(today=day)) == found


def test_products_on_notice_pending_or_rejected_are_not_in_the_catalog(world, applied):
    assert names(catalog.catalog(today=JULY)) == []


def test_sorting_by_price_and_name(world, listed):
    other = apply(
        world,
        name="永兴菜籽油",
        category="grain_oil",
        specification="5升/桶",
        unit="桶",
        price=Decimal("120.00"),
    )
    cert.product_review(actor=world.users["yongxing"], product=other, passed=True)
    cert.product_decide(actor=world.users["chuanshan"], product=other, certify=True, today=APPLIED)
    cert.product_list(actor=world.users["chuanshan"], product=other, today=LISTED)

    by_price = catalog.catalog(catalog.CatalogFilter(sort="-price"), today=JULY)
    by_name = catalog.catalog(catalog.CatalogFilter(sort="name"), today=JULY)

    assert names(by_price) == ["永兴菜籽油 5升/桶", "永兴土蜂蜜 500克/瓶"]
    assert names(by_name) == [
        "永兴菜籽油 5升/桶",
        "永兴土蜂蜜 500克/瓶",
    ]  # yongxingcaiziyou < yongxingtufengmi
    assert names(catalog.catalog(catalog.CatalogFilter(sort="-name"), today=JULY))[0] == "永兴土蜂蜜 500克/瓶"


def test_revocation_removes_the_product_from_the_catalog(world, listed):
    cert.product_revoke(actor=world.users["chuanshan"], product=listed, reason="抽检不合格")

    assert names(catalog.catalog(today=JULY)) == []


def test_a_blacklisted_producer_has_nothing_in_the_catalog(world, listed):
    # Written directly, as an import or a back-dated record might: the catalog itself still holds the line.
    Blacklisting.objects.create(producer=world.producers["coop"], reason="虚报", since=JULY)

    assert names(catalog.catalog(today=dt.date(2018, 6, 30))) == ["永兴土蜂蜜 500克/瓶"]
    assert names(catalog.catalog(today=JULY)) == []


# --- staff lists ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("username", "visible"),
    [
        ("admin", 1),
        ("city", 1),
        ("chuanshan", 1),
        ("yongxing", 1),
        ("producer", 1),
        ("anju", 0),
        ("zone", 0),
        ("unit", 0),
    ],
)
def test_one_county_cannot_see_anothers_applications(world, applied, username, visible):
    assert catalog.products(world.users[username]).count() == visible


def test_work_lists_show_what_waits_for_each_level(world, applied):
    u = world.users

    def queue(user: str, name: str) -> int:
        return catalog.products(u[user], catalog.ProductFilter(queue=name)).count()

    assert (queue("yongxing", "review"), queue("chuanshan", "decide"), queue("producer", "mine")) == (1, 0, 1)
    cert.product_review(actor=u["yongxing"], product=applied, passed=True)
    assert (queue("yongxing", "review"), queue("yongxing", "decide"), queue("chuanshan", "decide")) == (
        0,
        0,
        1,
    )


# --- orders and lists after revocation -----------------------------------------------------------------------------


def presale(world, product: Product, day: dt.date):
    item = ItemInput(
        name="永兴土蜂蜜",
        category="processed",
        unit="瓶",
        unit_price=Decimal("45.00"),
        quantity=Decimal("100"),
        window_start=day,
        window_end=day + dt.timedelta(days=30),
        specification="500克/瓶",
        product=product,
        seller_producer=world.producers["coop"],
    )
    data = ListInput(
        title="永兴蜂蜜预售",
        opens_on=day,
        closes_on=day + dt.timedelta(days=30),
        contact_name="赵社长",
        contact_phone="13811112222",
    )
    return presale_publish(
        actor=world.users["producer"], data=data, items=[item], producer=world.producers["coop"], today=day
    )


def test_a_revoked_product_cannot_be_ordered_from_an_open_list(world, listed):
    owner = presale(world, listed, JULY)
    item = owner.items.get()
    cert.product_revoke(actor=world.users["chuanshan"], product=listed, reason="抽检不合格", today=JULY)
    orders = Order.objects.count()

    with pytest.raises(DomainError) as caught:
        order_place(actor=world.users["unit"], presale_list=owner, lines=[(item.pk, "2")], today=JULY)

    assert (caught.value.code, caught.value.message) == (
        "product_not_certified",
        "“永兴土蜂蜜”不在扶贫产品目录中或已过有效期，不能下单。",
    )
    assert Order.objects.count() == orders
    assert PreSaleItem.objects.get(pk=item.pk).reserved == Decimal("0")


def test_a_listed_product_can_be_ordered_until_it_is_revoked(world, listed):
    owner = presale(world, listed, JULY)
    order = order_place(
        actor=world.users["unit"], presale_list=owner, lines=[(owner.items.get().pk, "2")], today=JULY
    )

    assert order.total == Decimal("90.00")


def test_a_revoked_product_cannot_be_put_on_a_new_list(world, listed):
    cert.product_revoke(actor=world.users["chuanshan"], product=listed, reason="抽检不合格", today=JULY)
    listed.refresh_from_db()  # presale_publish checks the Product instance it is handed, not the row

    with pytest.raises(DomainError) as caught:
        presale(world, listed, JULY)

    assert caught.value.code == "product_not_certified"


# --- statistics ----------------------------------------------------------------------------------------------------


def sell(world, product: Product, day: dt.date, bottles: str):
    amount = Decimal(bottles) * Decimal("45.00")
    data = PurchaseInput(
        date=day,
        buyer_kind=BuyerKind.UNIT,
        buyer_unit=world.units["finance"],
        channel=Channel.ONSITE,
        seller_producer=world.producers["coop"],
        attribution=Attribution.ENTERED,
        beneficiaries=[(world.households["zhang"], amount)],
        lines=[
            LineInput(
                product="永兴土蜂蜜",
                quantity=Decimal(bottles),
                unit="瓶",
                unit_price=Decimal("45.00"),
                catalog_product=product,
            )
        ],
    )
    return purchase_record(actor=world.users["admin"], data=data)[0]


def test_certified_sales_count_only_within_validity(world, listed):
    """10 瓶 × 45.00 = 450.00 on 2018-07-01 (valid) and 2 瓶 × 45.00 = 90.00 on 2019-06-08 (one day after)."""
    sell(world, listed, JULY, "10")
    sell(world, listed, dt.date(2019, 6, 8), "2")
    chuanshan = world.region("510903000000")

    july = build_table(chuanshan, parse_period("2018-07")).total.values
    june = build_table(chuanshan, parse_period("2019-06")).total.values
    whole = build_table(chuanshan, parse_period("2018-07-01..2019-06-30")).total.values

    assert (july["amount_total"], july["amount_certified"]) == (Decimal("450.00"), Decimal("450.00"))
    assert (june["amount_total"], june["amount_certified"]) == (Decimal("90.00"), Decimal("0.00"))
    assert (whole["amount_total"], whole["amount_certified"]) == (Decimal("540.00"), Decimal("450.00"))


def test_after_revocation_only_sales_of_earlier_days_count_as_certified(world, listed):
    """Revoked 2018-09-01: 4 瓶 on 2018-08-31 = 180.00 counts, 6 瓶 on 2018-09-01 = 270.00 does not."""
    cert.product_revoke(
        actor=world.users["chuanshan"], product=listed, reason="抽检不合格", today=dt.date(2018, 9, 1)
    )
    listed.refresh_from_db()
    sell(world, listed, dt.date(2018, 8, 31), "4")
    sell(world, listed, dt.date(2018, 9, 1), "6")

    values = build_table(world.region("510903000000"), parse_period("2018-08..2018-09")).total.values

    assert (values["amount_total"], values["amount_certified"]) == (Decimal("450.00"), Decimal("180.00"))
