import re

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.world import person
from yigou.core.masking import mask_id_number
from yigou.registry import services


def _heads(html: str) -> list[str]:
    return re.findall(r'<td class="head-name"><a href="[^"]+">([^<]+)</a>', html)


def _total(html: str) -> int:
    return int(re.search(r'<strong class="total">(\d+)</strong>', html).group(1))


def test_county_user_sees_only_own_county(client_for):
    html = client_for("anju").get(reverse("www:households")).content.decode()
    assert _heads(html) == ["刘永福"]
    assert _total(html) == 1


def test_county_user_gets_404_on_other_county_household(client_for, world):
    response = client_for("anju").get(reverse("www:household", args=[world.households["zhang"].pk]))
    assert response.status_code == 404
    assert "张德明" not in response.content.decode()


def test_city_user_sees_all_three_sorted_by_number(client_for):
    html = client_for("city").get(reverse("www:households")).content.decode()
    assert _heads(html) == ["张德明", "王建国", "刘永福"]


def test_sorting_by_header_reverses(client_for):
    client = client_for("city")
    html = client.get(reverse("www:households"), {"sort": "-number"}).content.decode()
    assert _heads(html) == ["刘永福", "王建国", "张德明"]
    assert 'href="?sort=number"' in html


def test_search_by_pinyin_initials(client_for):
    html = client_for("chuanshan").get(reverse("www:households"), {"q": "zdm"}).content.decode()
    assert _heads(html) == ["张德明"]


def test_search_by_member_name_finds_household(client_for):
    html = client_for("chuanshan").get(reverse("www:households"), {"q": "李秀英"}).content.decode()
    assert _heads(html) == ["张德明"]


def test_search_by_last_id_digits(client_for, world):
    tail = world.households["wang"].members.get().id_number[-4:]
    html = client_for("chuanshan").get(reverse("www:households"), {"q": tail}).content.decode()
    assert _heads(html) == ["王建国"]


def test_search_cannot_reach_other_county(client_for):
    html = client_for("anju").get(reverse("www:households"), {"q": "zdm"}).content.decode()
    assert _heads(html) == []
    assert "没有符合条件的农户。" in html


def test_filters_by_status_and_region(client_for):
    client = client_for("chuanshan")
    assert _heads(client.get(reverse("www:households"), {"status": "poor"}).content.decode()) == ["张德明"]
    assert _heads(client.get(reverse("www:households"), {"region": "510903101002"}).content.decode()) == [
        "王建国"
    ]


def test_region_filter_offers_my_townships_and_villages(client_for):
    html = client_for("chuanshan").get(reverse("www:households")).content.decode()
    options = re.findall(r'<option value="(5109\d{8})"', html)
    assert options == ["510903101000", "510903101001", "510903101002", "510903102000", "510903102001"]


def test_list_never_shows_id_numbers(client_for, world):
    html = client_for("chuanshan").get(reverse("www:households")).content.decode()
    for member in world.households["zhang"].members.all():
        assert member.id_number not in html


def test_pagination_50_per_page(client_for, world):
    admin, village = world.users["admin"], world.region("510903102001")
    for seq in range(10, 62):
        services.household_register(
            actor=admin,
            village=village,
            members=[services.MemberInput(f"测试{seq}", person("510903", 1980, seq))],
        )
    client = client_for("chuanshan")
    first = client.get(reverse("www:households")).content.decode()
    second = client.get(reverse("www:households"), {"page": 2}).content.decode()
    assert _total(first) == 54
    assert len(_heads(first)) == 50
    assert len(_heads(second)) == 4
    assert "第 2/2 页" in second


def test_detail_masks_ids_and_health(client_for, world):
    hh = world.households["zhang"]
    html = client_for("chuanshan").get(reverse("www:household", args=[hh.pk])).content.decode()
    spouse = hh.members.get(name="李秀英")
    assert mask_id_number(spouse.id_number) in html
    assert spouse.id_number not in html
    # The add-member form lists every health option, so the masking is checked on the members table itself.
    members_table = html.split('id="members"')[1].split("</table>")[0]
    assert "长期慢性病" not in members_table
    assert "******" in members_table
    assert html.count("查看完整信息</button>") == 2


def test_detail_shows_history_linkage_and_pairing(client_for, world):
    html = (
        client_for("chuanshan")
        .get(reverse("www:household", args=[world.households["zhang"].pk]))
        .content.decode()
    )
    timeline = html[html.index('id="timeline"') : html.index("</ol>")]
    assert "2014-10-01" in timeline
    assert "识别纳入" in timeline
    assert "2014年建档立卡" in timeline
    assert "船山区永兴蔬菜专业合作社" in html
    assert "订单收购" in html
    assert "孙红" in html
    assert "船山区农商银行" in html
    assert 'id="event-form"' in html
    assert 'id="step-form"' not in html


def test_reveal_button_hidden_without_permission(client_for, world):
    html = (
        client_for("anju").get(reverse("www:household", args=[world.households["liu"].pk])).content.decode()
    )
    assert "查看完整信息" not in html


def _queries(client, url: str, **params) -> int:

    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url, params).status_code == 200
    return len(ctx.captured_queries)


def test_list_and_detail_queries_do_not_grow_with_rows(client_for, world):

    client = client_for("chuanshan")
    few_list = _queries(client, reverse("www:households"))
    detail_url = reverse("www:household", args=[world.households["wang"].pk])
    few_detail = _queries(client, detail_url)
    admin, village = world.users["admin"], world.region("510903102001")
    for seq in range(10, 40):
        services.household_register(
            actor=admin,
            village=village,
            members=[services.MemberInput(f"测试{seq}", person("510903", 1981, seq))],
        )
    services.member_add(
        actor=admin,
        household=world.households["wang"],
        member=services.MemberInput("王小军", person("510903", 2000, 90), relation="child"),
    )
    assert _queries(client, reverse("www:households")) == few_list
    assert _queries(client, detail_url) == few_detail
