"""The 扶贫产品 menu link: unit staff and individual buyers (whose staff product list is always empty) go to the
public catalog; those who certify or sell products go to the staff list."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from yigou.accounts.enums import Role
from yigou.accounts.services import system_actor, user_create


def products_link(client) -> list[str]:
    html = client.get(reverse("www:home")).content.decode()
    nav = html[html.index('<nav class="menu">') : html.index("</nav>")]
    return re.findall(r'<a href="([^"]+)">扶贫产品</a>', nav)


@pytest.fixture
def person(world):
    world.users["person"] = user_create(
        actor=system_actor(),
        username="person",
        password="x",
        role=Role.BUYER,
        organisation=None,
        check_password=False,
    )
    return world.users["person"]


@pytest.mark.parametrize("username", ["unit", "person"])
def test_buyers_are_sent_to_the_public_catalog(world, person, client_for, username):
    assert products_link(client_for(username)) == ["/catalog/"]


@pytest.mark.parametrize(
    "username", ["admin", "city", "chuanshan", "yongxing", "village", "producer", "auditor"]
)
def test_staff_who_certify_or_sell_keep_the_product_list(world, client_for, username):
    assert products_link(client_for(username)) == [reverse("www:certifications")]
