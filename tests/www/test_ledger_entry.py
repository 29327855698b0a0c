"""The purchase entry page: a household's sale, a producer's sale with entered shares, and refused input."""

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.urls import reverse

from yigou.ledger.models import Beneficiary, Purchase, PurchaseLine


def line(n, product, quantity, unit, price, amount=""):
    return {
        f"line-{n}-product": product,
        f"line-{n}-quantity": quantity,
        f"line-{n}-unit": unit,
        f"line-{n}-unit_price": price,
        f"line-{n}-amount": amount,
    }


def post(world, *, lines, count=None, **fields):
    data = {
        "date": "2018-04-10",
        "buyer_kind": "cadre",
        "buyer_cadre": str(world.cadres["sun"].pk),
        "channel": "onsite",
        "seller_kind": "household",
        "seller_household": str(world.households["zhang"].pk),
        "line-TOTAL_FORMS": str(count or len(lines)),
        "line-INITIAL_FORMS": "0",
        "line-MIN_NUM_FORMS": "1",
        "line-MAX_NUM_FORMS": "50",
    }
    for n, row in enumerate(lines):
        data.update(line(n, *row))
    data.update(fields)
    return data


def errors(html):
    return re.findall(r'<div class="error" role="alert"><p>([^<]+)</p>', html)


def test_form_starts_with_today_and_one_line(client_for, world):
    html = client_for("chuanshan").get(reverse("www:purchase_create")).content.decode()
    assert f'name="date" value="{dt.date.today():%Y-%m-%d}"' in html
    assert 'name="line-TOTAL_FORMS" value="1"' in html
    assert "船山区农商银行" in html and "孙红（船山区农商银行）" in html
    # A city unit paired only with villages in 安居区 is still offered: it buys in every county.
    assert ">遂宁市财政局</option>" in html and "陈立（遂宁市财政局）" in html


def test_a_county_office_records_a_city_cadres_purchase(client_for, world):
    """The worked example's P1: cadre 陈立 of the city's 财政局 buys 10 公斤 腊肉 at 60 from 张德明 in 船山区."""
    data = post(
        world,
        lines=[("腊肉", "10", "公斤", "60", "")],
        date="2018-01-10",
        buyer_cadre=str(world.cadres["chen"].pk),
    )
    response = client_for("chuanshan").post(reverse("www:purchase_create"), data)
    assert response.status_code == 302
    purchase = Purchase.objects.get()
    assert (purchase.date, purchase.buyer_kind, purchase.buyer_cadre, purchase.buyer_unit) == (
        dt.date(2018, 1, 10),
        "cadre",
        world.cadres["chen"],
        None,
    )
    assert (purchase.total, purchase.seller_household, purchase.buyer_key) == (
        Decimal("600.00"),
        world.households["zhang"],
        f"cadre:{world.cadres['chen'].pk}",
    )
    assert [(x.product, x.quantity, x.unit, x.amount) for x in purchase.lines.all()] == [
        ("腊肉", Decimal("10"), "公斤", Decimal("600.00"))
    ]


def test_a_city_unit_may_be_named_as_the_buyer_by_a_county_office(client_for, world):
    data = post(
        world,
        lines=[("腊肉", "2", "公斤", "60", "")],
        buyer_kind="unit",
        buyer_cadre="",
        buyer_unit=str(world.units["finance"].pk),
    )
    assert client_for("chuanshan").post(reverse("www:purchase_create"), data).status_code == 302
    assert Purchase.objects.get().buyer_unit == world.units["finance"]


def test_a_forged_buyer_id_is_refused_and_nothing_is_written(client_for, world):
    data = post(world, lines=[("腊肉", "1", "公斤", "60", "")], buyer_cadre="999999")
    response = client_for("chuanshan").post(reverse("www:purchase_create"), data)
    assert response.status_code == 400
    assert "选择一个有效的选项" in response.content.decode()
    assert Purchase.objects.count() == 0


def test_records_a_household_sale_and_shows_it(client_for, world):
    client = client_for("chuanshan")
    data = post(
        world, lines=[("腊肉", "3", "公斤", "60", "180.00"), ("鸡蛋", "20", "个", "1.5", "")], total="210.00"
    )
    response = client.post(reverse("www:purchase_create"), data)
    purchase = Purchase.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("www:purchase", args=[purchase.pk])
    assert (purchase.total, purchase.buyer_cadre, purchase.channel) == (
        Decimal("210.00"),
        world.cadres["sun"],
        "onsite",
    )
    assert [(x.product, x.amount, x.source) for x in purchase.lines.order_by("pk")] == [
        ("腊肉", Decimal("180.00"), "own"),
        ("鸡蛋", Decimal("30.00"), "own"),
    ]
    assert [(b.household, b.amount, b.status) for b in purchase.beneficiaries.all()] == [
        (world.households["zhang"], Decimal("210.00"), "poor")
    ]
    html = client.get(response["Location"]).content.decode()
    assert "已登记购买记录：2018-04-10，210.00 元。" in html
    assert "建档立卡贫困户" in html and "孙红" in html


def test_lines_that_do_not_add_up_are_refused_and_nothing_is_written(client_for, world):
    data = post(world, lines=[("腊肉", "10", "公斤", "60", "500.00")])
    response = client_for("chuanshan").post(reverse("www:purchase_create"), data)
    assert response.status_code == 400
    assert errors(response.content.decode()) == ["金额不符：第1行金额 500.00 不等于数量×单价 600.00"]
    assert (Purchase.objects.count(), PurchaseLine.objects.count(), Beneficiary.objects.count()) == (0, 0, 0)


def test_a_total_that_differs_from_the_lines_is_refused(client_for, world):
    data = post(world, lines=[("腊肉", "10", "公斤", "60", "")], total="650.00")
    response = client_for("chuanshan").post(reverse("www:purchase_create"), data)
    assert errors(response.content.decode()) == ["金额不符：总金额 650.00 不等于明细合计 600.00"]
    assert Purchase.objects.count() == 0
    # The chosen household stays chosen on the re-shown form.
    assert (
        f'name="seller_household" value="{world.households["zhang"].pk}" checked' in response.content.decode()
    )


def test_a_producer_sale_with_entered_shares(client_for, world):
    zhang = world.households["zhang"]
    data = post(
        world,
        lines=[("蔬菜", "100", "公斤", "4", "")],
        seller_kind="producer",
        seller_household="",
        seller_producer=str(world.producers["coop"].pk),
        attribution="entered",
        buyer_kind="unit",
        buyer_unit=str(world.units["chuanshan_bank"].pk),
        buyer_cadre="",
        **{f"ben-{zhang.pk}": "120.00"},
    )
    response = client_for("chuanshan").post(reverse("www:purchase_create"), data)
    assert response.status_code == 302
    purchase = Purchase.objects.get()
    assert (purchase.seller_kind, purchase.attribution, purchase.total) == (
        "cooperative",
        "entered",
        Decimal("400.00"),
    )
    assert [(b.household, b.amount) for b in purchase.beneficiaries.all()] == [(zhang, Decimal("120.00"))]
    assert purchase.lines.get().source == "coop"


def test_shares_above_the_amount_are_refused(client_for, world):
    zhang = world.households["zhang"]
    data = post(
        world,
        lines=[("蔬菜", "10", "公斤", "4", "")],
        seller_kind="producer",
        seller_producer=str(world.producers["coop"].pk),
        attribution="entered",
        **{f"ben-{zhang.pk}": "50"},
    )
    response = client_for("chuanshan").post(reverse("www:purchase_create"), data)
    assert errors(response.content.decode()) == ["金额不符：受益农户收入合计 50.00 超过购买金额 40.00"]
    assert Purchase.objects.count() == 0
    assert f'name="ben-{zhang.pk}" value="50"' in response.content.decode()


def test_a_seller_outside_the_users_county_reads_as_missing(client_for, world):
    data = post(
        world,
        lines=[("腊肉", "1", "公斤", "60", "")],
        buyer_kind="individual",
        buyer_cadre="",
        buyer_name="甲",
    )
    response = client_for("anju").post(reverse("www:purchase_create"), data)
    assert response.status_code == 400
    zhang = world.households["zhang"].pk
    assert errors(response.content.decode()) == [f"输入有误：销售农户（编号 {zhang}）不存在或无权访问"]
    assert Purchase.objects.count() == 0


def test_a_missing_household_and_channel_are_asked_for(client_for, world):
    data = post(world, lines=[("腊肉", "1", "公斤", "60", "")], seller_household="", channel="")
    html = client_for("chuanshan").post(reverse("www:purchase_create"), data).content.decode()
    assert errors(html) == ["请查找并选择销售农户"]
    assert "请选择购买渠道或销售网点" in html
    assert Purchase.objects.count() == 0


def test_choosing_an_outlet_sets_the_channel(client_for, world):
    from tests.ledger.example import _market

    counter = _market(world)["counter"]
    data = post(
        world,
        lines=[("蜂蜜", "2", "斤", "50", "")],
        channel="",
        outlet=str(counter.pk),
        buyer_kind="individual",
        buyer_cadre="",
        buyer_name="王五",
    )
    assert client_for("chuanshan").post(reverse("www:purchase_create"), data).status_code == 302
    purchase = Purchase.objects.get()
    assert (purchase.channel, purchase.outlet, purchase.buyer_name) == ("outlet", counter, "王五")


@pytest.mark.parametrize(("user", "names"), [("chuanshan", ["张德明"]), ("anju", [])])
def test_household_search_is_scoped(client_for, world, user, names):
    html = client_for(user).get(reverse("www:purchase_household_search"), {"q": "张德明"}).content.decode()
    assert re.findall(r"<strong>([^<]+)</strong>", html) == names


def test_producer_households_lists_linked_and_member_households_once(client_for, world):
    url = reverse("www:purchase_producer_households")
    html = client_for("chuanshan").get(url, {"seller_producer": world.producers["coop"].pk}).content.decode()
    assert re.findall(r'name="(ben-\d+)"', html) == [f"ben-{world.households['zhang'].pk}"]


def test_auditor_may_not_record(client_for, world):
    assert client_for("auditor").get(reverse("www:purchase_create")).status_code == 403


@pytest.mark.parametrize(
    ("user", "offered"),
    [
        ("admin", True),
        ("chuanshan", True),
        ("village", True),
        ("auditor", True),
        ("unit", False),
        ("producer", False),
    ],
)
def test_menu_offers_statistics_only_where_the_pages_open(client_for, user, offered):
    client = client_for(user)
    html = client.get(reverse("www:purchases")).content.decode()
    links = [f'href="{reverse("www:stats")}"' in html, f'href="{reverse("www:stats_chart")}"' in html]
    assert links == [offered, offered]
    assert client.get(reverse("www:stats")).status_code == (200 if offered else 403)
