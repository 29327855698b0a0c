"""The notices pages: the user's own list (未读/全部), the badge in the top bar, marking read and the phone form."""

from __future__ import annotations

import pytest
from django.test import Client

from yigou.notices import selectors, services
from yigou.notices.models import Notice

pytestmark = pytest.mark.django_db


def client(world, key: str) -> Client:
    c = Client()
    c.force_login(world.users[key])
    return c


def tell(user, title: str, link: str = "/supply/cases/7/") -> Notice:
    return services.notify([user], kind="supply_case", title=title, body="白菜 500公斤", link=link)[0]


def test_the_list_shows_the_users_own_notices_newest_first_and_filters_unread(world):
    a = world.users["chuanshan"]
    first, second = tell(a, "一"), tell(a, "二")
    tell(world.users["anju"], "别人的")
    services.mark_read(a, [first.pk])
    c = client(world, "chuanshan")

    page = c.get("/notices/")
    assert [n.pk for n in page.context["page"].object_list] == [second.pk, first.pk]
    html = page.content.decode()
    assert "别人的" not in html and "标为已读并查看" in html
    unread = c.get("/notices/?show=unread")
    assert [n.pk for n in unread.context["page"].object_list] == [second.pk]


def test_the_top_bar_shows_the_unread_count_and_links_to_the_list(world):
    a = world.users["chuanshan"]
    c = client(world, "chuanshan")
    assert '<a class="inbox" href="/notices/">消息</a>' in c.get("/").content.decode()
    tell(a, "一")
    tell(a, "二")
    tell(world.users["anju"], "别人的")
    html = c.get("/").content.decode()
    assert '<a class="inbox" href="/notices/">消息 <span class="badge unread">2</span></a>' in html


def test_marking_one_read_goes_to_its_link(world):
    a = world.users["chuanshan"]
    notice, plain = tell(a, "一"), tell(a, "二", link="")
    c = client(world, "chuanshan")

    response = c.post(f"/notices/{notice.pk}/read/")
    assert (response.status_code, response["Location"]) == (302, "/supply/cases/7/")
    notice.refresh_from_db()
    assert notice.read_at is not None
    response = c.post(f"/notices/{plain.pk}/read/")
    assert (response.status_code, response["Location"]) == (302, "/notices/")
    assert c.get(f"/notices/{plain.pk}/read/").status_code == 405
    assert selectors.unread_count(a) == 0


def test_another_users_notice_cannot_be_marked_or_seen(world):
    theirs = tell(world.users["anju"], "别人的")
    c = client(world, "admin")

    assert c.post(f"/notices/{theirs.pk}/read/").status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None
    assert list(c.get("/notices/").context["page"].object_list) == []


def test_mark_all_read(world):
    a = world.users["chuanshan"]
    tell(a, "一")
    tell(a, "二")
    other = tell(world.users["anju"], "别人的")
    c = client(world, "chuanshan")

    response = c.post("/notices/read/", follow=True)
    assert "已将 2 条消息标为已读。" in response.content.decode()
    assert selectors.unread_count(a) == 0
    other.refresh_from_db()
    assert other.read_at is None


def test_the_phone_form_sets_and_clears_the_number_shown_masked(world):
    c = client(world, "chuanshan")
    response = c.post("/notices/phone/", {"phone": "13812345678"}, follow=True)
    html = response.content.decode()
    assert "消息将同时以短信发送至 138****5678。" in html and "消息同时以短信发送至 138****5678。" in html
    assert selectors.phone_on_file(world.users["chuanshan"]) == "13812345678"

    response = c.post("/notices/phone/", {"phone": "abc"}, follow=True)
    assert "电话号码格式不正确：abc" in response.content.decode()
    assert selectors.phone_on_file(world.users["chuanshan"]) == "13812345678"

    response = c.post("/notices/phone/", {"phone": ""}, follow=True)
    assert "已停止短信提醒。" in response.content.decode()
    assert selectors.phone_on_file(world.users["chuanshan"]) == ""


def test_signed_out_visitors_are_sent_to_sign_in(world):
    response = Client().get("/notices/")
    assert (response.status_code, response["Location"]) == (302, "/login/?next=/notices/")
