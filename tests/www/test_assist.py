import re

from django.urls import reverse

from yigou.assist.models import AssistingUnit, Cadre, CadreHouseholdPairing, UnitVillagePairing


def _rows(html: str, table: str) -> list[str]:
    body = html[html.index(f'id="{table}"') :]
    body = body[: body.index("</table>")]
    return re.findall(r"<tr><td><a href=\"[^\"]+\">([^<]+)</a>", body)


def test_unit_lists_by_scope(client_for):
    assert _rows(client_for("anju").get(reverse("www:units")).content.decode(), "units") == ["遂宁市财政局"]
    assert _rows(client_for("chuanshan").get(reverse("www:units")).content.decode(), "units") == [
        "船山区农商银行"
    ]
    assert _rows(client_for("unit").get(reverse("www:units")).content.decode(), "units") == ["遂宁市财政局"]


def test_unit_detail_shows_cadres_and_villages(client_for, world):
    html = client_for("city").get(reverse("www:unit", args=[world.units["finance"].pk])).content.decode()
    assert _rows(html, "cadres") == ["陈立"]
    assert "<td>拦江村</td><td>拦江镇</td><td>2016-01-01</td><td>—</td>" in html


def test_unit_of_other_county_is_404(client_for, world):
    assert (
        client_for("anju").get(reverse("www:unit", args=[world.units["chuanshan_bank"].pk])).status_code
        == 404
    )


def test_cadre_list_and_detail(client_for, world):
    client = client_for("chuanshan")
    assert _rows(client.get(reverse("www:cadres")).content.decode(), "cadres") == ["孙红"]
    html = client.get(reverse("www:cadre", args=[world.cadres["sun"].pk])).content.decode()
    assert _rows(html, "household-pairings") == ["5109031010010001"]
    assert client.get(reverse("www:cadre", args=[world.cadres["chen"].pk])).status_code == 404


def test_registers_unit_and_cadre(client_for):
    client = client_for("chuanshan")
    response = client.post(
        reverse("www:unit_create"),
        {"name": "船山区教育局", "kind": "government", "region": "510903000000", "is_budget_unit": "on"},
    )
    assert response.status_code == 302
    unit = AssistingUnit.objects.get(name="船山区教育局")
    assert (unit.region_id, unit.is_budget_unit, unit.staff_count) == ("510903000000", True, 0)
    response = client.post(
        reverse("www:cadre_create"), {"unit": str(unit.pk), "name": "周明", "position": "副局长"}
    )
    assert response.status_code == 302
    assert list(Cadre.objects.filter(unit=unit).values_list("name", "position")) == [("周明", "副局长")]


def test_canteen_without_budget_unit_is_refused(client_for):
    response = client_for("chuanshan").post(
        reverse("www:unit_create"),
        {"name": "某企业", "kind": "private", "region": "510903000000", "has_canteen": "on"},
    )
    assert response.status_code == 400
    assert "输入有误：只有预算单位登记机关食堂和工会" in response.content.decode()
    assert not AssistingUnit.objects.filter(name="某企业").exists()


def test_pairing_page_filters_active_and_ended(client_for):
    client = client_for("city")
    active = client.get(reverse("www:pairings"), {"side": "village", "state": "active"}).content.decode()
    assert _rows(active, "pairings") == ["船山区农商银行", "遂宁市财政局"]
    ended = client.get(reverse("www:pairings"), {"side": "village", "state": "ended"}).content.decode()
    assert _rows(ended, "pairings") == []
    cadres = client.get(reverse("www:pairings"), {"side": "household"}).content.decode()
    assert _rows(cadres, "pairings") == ["孙红", "陈立"]


def test_pairs_unit_with_village_and_refuses_a_duplicate(client_for, world):
    client = client_for("chuanshan")
    data = {
        "which": "village",
        "unit": str(world.units["chuanshan_bank"].pk),
        "village": "510903102001",
        "start": "2020-01-01",
        "end": "",
        "note": "",
    }
    assert client.post(reverse("www:pairing_create"), data).status_code == 302
    count = UnitVillagePairing.objects.count()
    again = client.post(reverse("www:pairing_create"), data)
    assert again.status_code == 400
    assert "该结对在 2020-01-01 起已存在，不能重复结对。" in again.content.decode()
    assert UnitVillagePairing.objects.count() == count


def test_pairs_cadre_with_household_by_number(client_for, world):
    data = {
        "which": "household",
        "cadre": str(world.cadres["sun"].pk),
        "household_number": world.households["wang"].number,
        "start": "2020-05-01",
    }
    response = client_for("chuanshan").post(reverse("www:pairing_create"), data)
    assert response.status_code == 302
    pairing = CadreHouseholdPairing.objects.get(household=world.households["wang"])
    assert (pairing.cadre_id, str(pairing.start)) == (world.cadres["sun"].pk, "2020-05-01")


def test_end_before_start_is_refused(client_for, world):
    data = {
        "which": "household",
        "cadre": str(world.cadres["sun"].pk),
        "household_number": world.households["wang"].number,
        "start": "2020-05-01",
        "end": "2020-01-01",
    }
    response = client_for("chuanshan").post(reverse("www:pairing_create"), data)
    assert response.status_code == 400
    assert "结束日期 2020-01-01 不能早于开始日期 2020-05-01。" in response.content.decode()
    assert not CadreHouseholdPairing.objects.filter(household=world.households["wang"]).exists()


def test_village_user_may_not_pair(client_for):
    assert client_for("village").get(reverse("www:pairing_create")).status_code == 403
