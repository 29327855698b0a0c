import re

from django.urls import reverse

from yigou.registry.models import Producer


def _names(html: str, table: str) -> list[str]:
    body = html[html.index(f'id="{table}"') :]
    body = body[: body.index("</table>")]
    return re.findall(r"<tr><td><a href=\"[^\"]+\">([^<]+)</a>", body)


def test_county_user_sees_own_producers_only(client_for):
    assert _names(client_for("anju").get(reverse("www:producers")).content.decode(), "producers") == [
        "安居区拦江黑猪养殖专业合作社"
    ]


def test_city_user_filters_by_kind_and_searches_initials(client_for):
    client = client_for("city")
    assert (
        _names(client.get(reverse("www:producers"), {"kind": "enterprise"}).content.decode(), "producers")
        == []
    )
    html = client.get(reverse("www:producers"), {"q": "cs"}).content.decode()
    assert _names(html, "producers") == ["船山区永兴蔬菜专业合作社"]


def test_detail_shows_members_with_shares_and_linkages(client_for, world):
    html = (
        client_for("chuanshan")
        .get(reverse("www:producer", args=[world.producers["coop"].pk]))
        .content.decode()
    )
    members = html[html.index('id="coop-members"') : html.index('id="linkages"')]
    assert (
        '<td>张德明</td><td>5109031010010001</td><td class="num">10.00</td><td class="num">100.00%</td>'
        in members
    )
    linkages = html[html.index('id="linkages"') :]
    assert (
        "5109031010010001</a></td><td>张德明</td><td>永兴村</td><td>订单收购</td><td>2017-03-01</td>"
        in linkages
    )


def test_other_county_producer_is_404(client_for, world):
    assert (
        client_for("anju").get(reverse("www:producer", args=[world.producers["coop"].pk])).status_code == 404
    )


def test_producer_user_sees_only_own_producer(client_for, world):
    client = client_for("producer")
    assert _names(client.get(reverse("www:producers")).content.decode(), "producers") == [
        "船山区永兴蔬菜专业合作社"
    ]
    assert client.get(reverse("www:producer", args=[world.producers["anju_coop"].pk])).status_code == 404


def test_registers_a_family_farm(client_for):
    data = {
        "kind": "family_farm",
        "name": "老池家庭农场",
        "region": "510903102000",
        "uscc": "",
        "household_number": "",
        "grade": "",
        "contact_name": "",
        "contact_phone": "",
        "address": "",
        "main_products": "柑橘",
    }
    response = client_for("chuanshan").post(reverse("www:producer_create"), data)
    assert response.status_code == 302
    producer = Producer.objects.get(name="老池家庭农场")
    assert (producer.kind, producer.region_id, producer.county_code) == (
        "family_farm",
        "510903102000",
        "510903000000",
    )


def test_cooperative_without_credit_code_is_refused(client_for):
    data = {"kind": "cooperative", "name": "无代码合作社", "region": "510903101000"}
    response = client_for("chuanshan").post(reverse("www:producer_create"), data)
    assert response.status_code == 400
    assert "统一社会信用代码无效：农民专业合作社必须填写统一社会信用代码" in response.content.decode()
    assert not Producer.objects.filter(name="无代码合作社").exists()


def test_household_seller_must_be_a_visible_household(client_for, world):
    data = {
        "kind": "household",
        "name": "刘家小卖",
        "region": "510903101000",
        "household_number": world.households["liu"].number,
    }
    response = client_for("chuanshan").post(reverse("www:producer_create"), data)
    assert response.status_code == 400
    assert f"未找到户编号为 {world.households['liu'].number} 的农户" in response.content.decode()
    assert not Producer.objects.filter(name="刘家小卖").exists()
