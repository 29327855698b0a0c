import pytest
from django.urls import reverse

USERS = ["admin", "city", "chuanshan", "anju", "zone", "yongxing", "village", "auditor", "unit", "producer"]
PAGES = ["home", "households", "producers", "units", "cadres", "pairings"]


@pytest.mark.parametrize("user", USERS)
def test_every_list_page_renders_for_every_role(client_for, user):
    client = client_for(user)
    statuses = {page: client.get(reverse(f"www:{page}")).status_code for page in PAGES}
    assert statuses == dict.fromkeys(PAGES, 200)


@pytest.mark.parametrize(
    ("user", "expected"),
    [
        ("admin", 200),
        ("city", 200),
        ("chuanshan", 200),
        ("auditor", 200),
        ("village", 403),
        ("unit", 403),
        ("producer", 403),
    ],
)
def test_audit_page_by_role(client_for, user, expected):
    assert client_for(user).get(reverse("www:audit")).status_code == expected


@pytest.mark.parametrize(
    ("user", "visible"),
    [
        ("admin", {"zhang", "wang", "liu"}),
        ("city", {"zhang", "wang", "liu"}),
        ("chuanshan", {"zhang", "wang"}),
        ("anju", {"liu"}),
        ("zone", set()),
        ("yongxing", {"zhang", "wang"}),
        ("village", {"zhang"}),
        ("auditor", {"zhang", "wang", "liu"}),
        ("unit", {"liu"}),
        ("producer", {"zhang"}),
    ],
)
def test_household_detail_is_visible_exactly_in_scope(client_for, world, user, visible):
    client = client_for(user)
    statuses = {
        key: client.get(reverse("www:household", args=[hh.pk])).status_code
        for key, hh in world.households.items()
    }
    assert statuses == {key: 200 if key in visible else 404 for key in world.households}


def test_menu_shows_audit_link_only_when_allowed(client_for):
    assert 'href="/audit/"' in client_for("auditor").get("/").content.decode()
    assert 'href="/audit/"' not in client_for("village").get("/").content.decode()
