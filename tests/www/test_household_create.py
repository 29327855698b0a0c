import re

from django.urls import reverse

from tests.world import person
from yigou.registry.models import Household, Member


def _form(village: str, rows: list[dict[str, str]]) -> dict[str, str]:
    data = {
        "village": village,
        "number": "",
        "phone": "",
        "address": "",
        "m-TOTAL_FORMS": "6",
        "m-INITIAL_FORMS": "1",
        "m-MIN_NUM_FORMS": "1",
        "m-MAX_NUM_FORMS": "20",
    }
    for i in range(6):
        row = rows[i] if i < len(rows) else {}
        data.update(
            {
                f"m-{i}-name": row.get("name", ""),
                f"m-{i}-id_number": row.get("id_number", ""),
                f"m-{i}-relation": row.get("relation", ""),
                f"m-{i}-labour": "ordinary",
                f"m-{i}-health": "healthy",
            }
        )
    return data


def test_village_select_is_limited_to_my_scope(client_for):
    html = client_for("yongxing").get(reverse("www:household_create")).content.decode()
    assert re.findall(r'<option value="(\d{12})"', html) == ["510903101001", "510903101002"]


def test_registers_a_household_with_two_members(client_for):
    rows = [
        {"name": "赵大山", "id_number": person("510903", 1975, 40), "relation": "head"},
        {"name": "钱小花", "id_number": person("510903", 1977, 41, male=False), "relation": "spouse"},
    ]
    response = client_for("yongxing").post(reverse("www:household_create"), _form("510903101002", rows))
    assert response.status_code == 302
    hh = Household.objects.get(head_name="赵大山")
    assert response["Location"] == reverse("www:household", args=[hh.pk])
    assert (hh.village_id, hh.number, hh.size) == ("510903101002", "5109031010020002", 2)
    assert sorted(Member.objects.filter(household=hh).values_list("name", flat=True)) == ["赵大山", "钱小花"]


def test_duplicate_id_is_refused_and_nothing_written(client_for, world):
    existing = world.households["zhang"].members.get(name="张德明").id_number
    count = Household.objects.count()
    rows = [{"name": "冒名", "id_number": existing, "relation": "head"}]
    response = client_for("chuanshan").post(reverse("www:household_create"), _form("510903101002", rows))
    assert response.status_code == 400
    assert "已登记（张德明户（5109031010010001）），同一人不能重复登记。" in response.content.decode()
    assert Household.objects.count() == count


def test_village_outside_scope_is_not_offered(client_for):
    rows = [{"name": "某人", "id_number": person("510904", 1980, 42), "relation": "head"}]
    response = client_for("chuanshan").post(reverse("www:household_create"), _form("510904101001", rows))
    assert response.status_code == 400
    assert "选择一个有效的选项" in response.content.decode()
    assert not Household.objects.filter(head_name="某人").exists()


def test_auditor_may_not_open_the_form(client_for):
    assert client_for("auditor").get(reverse("www:household_create")).status_code == 403
