"""The supply pages: a village clerk enters a supply on the phone form; the list shows the entry's warning after
the scan; a refused entry comes back on the page with the Chinese message and writes nothing."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.test import Client

from yigou.supply.models import SupplyEntry

pytestmark = pytest.mark.django_db
TODAY = dt.date.today()


def client(world, key: str) -> Client:
    c = Client()
    c.force_login(world.users[key])
    return c


def form(world, **changes) -> dict:
    data = {
        "village": "510903101001",
        "household": world.households["zhang"].number,
        "name": "腊肉",
        "category": "meat_egg",
        "unit": "公斤",
        "quantity": "100",
        "available_from": str(TODAY - dt.timedelta(days=5)),
        "available_to": str(TODAY + dt.timedelta(days=1)),
        "keeps_days": "30",
        "storage": "ambient",
    }
    return {**data, **changes}


def test_a_village_clerk_enters_a_supply_and_sees_its_warning(world):
    c = client(world, "village")
    assert c.get("/supply/new/").status_code == 200
    response = c.post("/supply/new/", form(world))
    assert response.status_code == 302
    entry = SupplyEntry.objects.get()
    assert (entry.name, entry.household_id, entry.recorded_by_id) == (
        "腊肉",
        world.households["zhang"].pk,
        world.users["village"].pk,
    )
    call_command("warnings", "scan", "--format", "text", stdout=io.StringIO())
    page = c.get("/supply/?level=severe")
    assert [row.pk for row in page.context["page"].object_list] == [entry.pk]
    assert "剩余 100公斤（占预计 100%）" in page.content.decode()


def test_a_refused_entry_shows_the_message_and_writes_nothing(world):
    c = client(world, "village")
    response = c.post("/supply/new/", form(world, quantity="-1"))
    assert response.status_code == 400
    assert "输入有误：预计可售数量须大于 0" in response.content.decode()
    response = c.post("/supply/new/", form(world, household="9999"))
    assert "未找到户编号为 9999 的农户（或不在您的管辖范围内）。" in response.content.decode()
    assert not SupplyEntry.objects.exists()


def test_units_may_not_enter_and_other_counties_see_nothing(world):
    assert client(world, "unit").get("/supply/new/").status_code == 403
    client(world, "village").post("/supply/new/", form(world))
    assert [r.pk for r in client(world, "anju").get("/supply/").context["page"].object_list] == []
    assert len(client(world, "chuanshan").get("/supply/").context["page"].object_list) == 1
