from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from tests.world import PASSWORD


def test_sign_in_page_is_chinese(db):
    response = Client().get(reverse("www:login"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "用户名" in html
    assert "密码" in html


def test_pages_require_sign_in(db):
    response = Client().get(reverse("www:households"))
    assert response.status_code == 302
    assert response["Location"] == "/login/?next=/households/"


def test_signs_in_through_the_form_and_lands_on_home(world):
    client = Client()
    response = client.post(reverse("www:login"), {"username": "anju", "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert client.get("/").status_code == 200


def test_wrong_password_shows_chinese_error(world):
    cache.clear()
    response = Client().post(reverse("www:login"), {"username": "anju", "password": "wrong"})
    assert response.status_code == 200
    assert "用户名或密码不正确。" in response.content.decode()


def test_locks_after_five_failures_even_with_the_right_password(world):
    cache.clear()
    client = Client()
    for _ in range(5):
        client.post(reverse("www:login"), {"username": "city", "password": "wrong"})
    response = client.post(reverse("www:login"), {"username": "city", "password": PASSWORD})
    assert response.status_code == 200
    assert "登录失败次数过多，请 15 分钟后再试。" in response.content.decode()
    assert "_auth_user_id" not in client.session
    cache.clear()


def test_logout_needs_post(world):
    client = Client()
    client.force_login(world.users["anju"])
    assert client.get(reverse("www:logout")).status_code == 405
    response = client.post(reverse("www:logout"))
    assert response.status_code == 302
    assert response["Location"] == "/login/"
    assert "_auth_user_id" not in client.session
