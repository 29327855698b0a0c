"""Purchase list, detail and reversal pages; outlet and activity pages."""

import re
from decimal import Decimal

import pytest
from django.urls import reverse

from tests.ledger.example import build_example
from yigou.core.periods import parse_period
from yigou.ledger.models import Purchase
from yigou.ledger.table import build_table
from yigou.market.models import Activity, Outlet


@pytest.fixture
def example(world):
    return build_example(world)


def amounts(html):
    return re.findall(r'<td class="num amount">([^<]+)</td>', html)


def sellers(html):
    return [s.split("<br>")[0] for s in re.findall(r'<td class="seller">(.*?)</td>', html)]


def listing(client, **params):
    return client.get(reverse("www:purchases"), params).content.decode()


def test_list_is_scoped_to_the_users_county(client_for, example):
    assert sellers(listing(client_for("anju"))) == ["刘永福"]
    assert amounts(listing(client_for("city"))) == [
        "-100.00",
        "100.00",
        "250.00",
        "1600.00",
        "200.00",
        "1000.00",
        "600.00",
    ]


def test_filters_by_period_channel_buyer_kind_region_and_search(client_for, example):
    client = client_for("city")
    assert amounts(listing(client, period="2018-03")) == ["250.00", "1600.00"]
    assert amounts(listing(client, channel="outlet")) == ["250.00"]
    assert amounts(listing(client, buyer_kind="canteen")) == ["200.00"]
    assert amounts(listing(client, region="510904000000")) == ["1600.00"]
    assert amounts(listing(client, q="蔬菜")) == ["1000.00"]
    assert sellers(listing(client, q="王建国")) == ["王建国"]


def test_sorts_by_date_ascending_and_explains_a_bad_period(client_for, example):
    client = client_for("city")
    assert amounts(listing(client, sort="date"))[:2] == ["600.00", "1000.00"]
    response = client.get(reverse("www:purchases"), {"period": "2018-1-40"})
    assert response.status_code == 400
    assert "输入有误：日期“2018-1-40”无效" in response.content.decode()


def test_list_paginates(client_for, example):
    client = client_for("city")
    html = client.get(reverse("www:purchases"), {"page": 1}).content.decode()
    assert '<strong class="total">7</strong>' in html


def test_detail_shows_lines_beneficiaries_and_their_status_at_sale(client_for, example):
    p2 = example.purchases["P2"]
    html = client_for("chuanshan").get(reverse("www:purchase", args=[p2.pk])).content.decode()
    assert "蔬菜" in html and "1000.00" in html and "逐户录入" in html
    row = re.search(
        r'<table class="grid stack" id="beneficiaries">.*?<tbody>(.*?)</tbody>', html, re.S
    ).group(1)
    cells = [re.sub(r"<[^>]+>", "", c) for c in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]
    assert cells == ["张德明", "永兴村（贫困村）", "建档立卡贫困户", "300.00"]


def test_detail_links_a_purchase_and_its_reversal_both_ways(client_for, example):
    client = client_for("chuanshan")
    p6, p6r = example.purchases["P6"], example.purchases["P6R"]
    html = client.get(reverse("www:purchase", args=[p6.pk])).content.decode()
    assert f'href="{reverse("www:purchase", args=[p6r.pk])}" id="reversal-link"' in html
    assert 'id="reverse-form"' not in html
    html = client.get(reverse("www:purchase", args=[p6r.pk])).content.decode()
    assert f'href="{reverse("www:purchase", args=[p6.pk])}" id="reverses-link"' in html
    assert "录入错误：该笔为重复登记" in html


def test_other_county_purchase_is_not_found(client_for, example):
    response = client_for("anju").get(reverse("www:purchase", args=[example.purchases["P1"].pk]))
    assert response.status_code == 404


def test_reversal_through_the_page(client_for, world, example):
    client = client_for("chuanshan")
    p5 = example.purchases["P5"]
    url = reverse("www:purchase_reverse", args=[p5.pk])
    refused = client.post(url, {"reason": ""})
    assert refused.status_code == 400
    assert "冲销必须填写原因" in refused.content.decode()
    assert Purchase.objects.count() == 7
    response = client.post(url, {"reason": "重复登记"})
    mirror = Purchase.objects.get(reverses=p5)
    assert response["Location"] == reverse("www:purchase", args=[mirror.pk])
    assert (mirror.total, mirror.note) == (Decimal("-250.00"), "重复登记")
    march = build_table(world.region("510903000000"), parse_period("2018-03")).total.values
    assert march["amount_total"] == Decimal("0.00")
    again = client.post(url, {"reason": "再次"})
    assert again.status_code == 400
    assert Purchase.objects.count() == 8


def test_reversing_needs_the_capability(client_for, example):
    p1 = example.purchases["P1"]
    html = client_for("village").get(reverse("www:purchase", args=[p1.pk])).content.decode()
    assert 'id="reverse-form"' not in html
    response = client_for("village").post(reverse("www:purchase_reverse", args=[p1.pk]), {"reason": "x"})
    assert response.status_code == 403
    assert Purchase.objects.count() == 7


def test_outlet_list_create_and_close(client_for, world, example):
    client = client_for("chuanshan")
    html = client.get(reverse("www:outlets")).content.decode()
    assert "永兴村超市扶贫专柜" in html and "拦江村QQ超市" not in html
    response = client.post(
        reverse("www:outlet_create"),
        {
            "region": "510903101002",
            "name": "石佛村便民服务店",
            "kind": "service_store",
            "opened_on": "2018-02-01",
            "fees_waived": "800",
        },
    )
    assert response.status_code == 302
    outlet = Outlet.objects.get(name="石佛村便民服务店")
    assert (outlet.region_id, outlet.fees_waived) == ("510903101002", Decimal("800.00"))
    bad = client.post(reverse("www:outlet_close", args=[outlet.pk]), {"closed_on": "2018-01-01"})
    assert bad.status_code == 302
    outlet.refresh_from_db()
    assert outlet.closed_on is None
    client.post(reverse("www:outlet_close", args=[outlet.pk]), {"closed_on": "2018-05-01"})
    outlet.refresh_from_db()
    assert str(outlet.closed_on) == "2018-05-01"


def test_outlet_outside_scope_is_refused_and_not_written(client_for, world):
    response = client_for("anju").post(
        reverse("www:outlet_create"),
        {"region": "510903101002", "name": "越界", "kind": "counter", "opened_on": "2018-02-01"},
    )
    assert response.status_code == 400
    # The region is not even offered to a user of another county.
    assert (
        '<div class="field has-error">\n  <label for="id_region">所在区划</label>'
        in response.content.decode()
    )
    assert Outlet.objects.count() == 0


def test_activity_list_and_create(client_for, world, example):
    client = client_for("chuanshan")
    html = client.get(reverse("www:activities")).content.decode()
    assert "永兴镇以购助扶采购节" in html and "拦江村现场采购" not in html
    response = client.post(
        reverse("www:activity_create"),
        {
            "region": "510903102000",
            "title": "老池镇产销对接会",
            "kind": "matching",
            "date": "2018-04-20",
            "organiser": str(world.units["chuanshan_bank"].pk),
        },
    )
    assert response.status_code == 302
    activity = Activity.objects.get(title="老池镇产销对接会")
    assert (activity.region_id, activity.organiser) == ("510903102000", world.units["chuanshan_bank"])
    assert client_for("auditor").get(reverse("www:activity_create")).status_code == 403
