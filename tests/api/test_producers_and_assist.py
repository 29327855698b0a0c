"""Producers, assisting units, cadres and pairings written over the API through the services."""

from __future__ import annotations

from collections.abc import Callable

from yigou.assist.models import AssistingUnit, Cadre, CadreHouseholdPairing, UnitVillagePairing
from yigou.demo.identity import fake_uscc
from yigou.registry.models import Producer

# --- producers ---------------------------------------------------------------------------------------------


def test_producer_detail_nests_members_and_linkages(world, client_for: Callable):
    body = client_for("chuanshan").get(f"/api/v1/producers/{world.producers['coop'].pk}/").json()

    assert [(m["name"], m["shares"], m["capital"], m["joined_on"]) for m in body["members"]] == [
        ("张德明", "10.00", "2000.00", "2017-03-01"),
    ]
    assert [
        (lk["head_name"], lk["mechanism_label"], lk["start"], lk["end"], lk["expected_income"])
        for lk in body["linkages"]
    ] == [("张德明", "订单收购", "2017-03-01", None, "1500.00")]


def test_producer_list_counts_linked_households(world, client_for: Callable):
    rows = client_for("city").get("/api/v1/producers/").json()["results"]

    assert {r["name"]: r["linked_households"] for r in rows} == {
        "船山区永兴蔬菜专业合作社": 1,
        "安居区拦江黑猪养殖专业合作社": 0,
    }


def test_registers_and_updates_a_producer(world, client_for: Callable):
    client = client_for("chuanshan")
    payload = {
        "kind": "enterprise",
        "name": "船山区永兴食品有限公司",
        "region": "510903101000",
        "uscc": fake_uscc("510903", 7, kind="enterprise"),
        "grade": "county",
    }

    created = client.post("/api/v1/producers/", payload, format="json")
    updated = client.patch(
        f"/api/v1/producers/{created.json()['id']}/", {"main_products": "泡菜"}, format="json"
    )

    assert created.status_code == 201
    assert (created.json()["kind_label"], created.json()["grade_label"], created.json()["county_code"]) == (
        "龙头企业",
        "县级",
        "510903000000",
    )
    assert updated.status_code == 200
    assert Producer.objects.get(pk=created.json()["id"]).main_products == "泡菜"


def test_producer_without_uscc_is_refused_and_nothing_is_written(world, client_for: Callable):
    count = Producer.objects.count()

    response = client_for("chuanshan").post(
        "/api/v1/producers/",
        {"kind": "cooperative", "name": "无码合作社", "region": "510903101000"},
        format="json",
    )

    assert response.status_code == 400
    assert response.json() == {
        "code": "uscc_invalid",
        "message": "统一社会信用代码无效：农民专业合作社必须填写统一社会信用代码",
    }
    assert Producer.objects.count() == count


def test_updating_another_countys_producer_is_not_found_and_changes_nothing(world, client_for: Callable):
    coop = world.producers["coop"]

    response = client_for("anju").patch(f"/api/v1/producers/{coop.pk}/", {"name": "改名"}, format="json")

    assert response.status_code == 404
    coop.refresh_from_db()
    assert coop.name == "船山区永兴蔬菜专业合作社"


def test_producer_user_cannot_edit_its_own_producer(world, client_for: Callable):
    coop = world.producers["coop"]

    response = client_for("producer").patch(f"/api/v1/producers/{coop.pk}/", {"name": "改名"}, format="json")

    assert response.status_code == 403
    coop.refresh_from_db()
    assert coop.name == "船山区永兴蔬菜专业合作社"


# --- units and cadres --------------------------------------------------------------------------------------


def test_office_registers_a_unit_in_its_region(world, client_for: Callable):
    response = client_for("chuanshan").post(
        "/api/v1/units/",
        {
            "name": "船山区教育局",
            "kind": "government",
            "region": "510903000000",
            "is_budget_unit": True,
            "has_canteen": True,
        },
        format="json",
    )

    assert response.status_code == 201
    body = response.json()
    assert (body["name"], body["kind_label"], body["cadre_count"], body["village_count"]) == (
        "船山区教育局",
        "党政机关",
        0,
        0,
    )
    assert AssistingUnit.objects.filter(name="船山区教育局", region_id="510903000000").count() == 1


def test_unit_staff_add_cadres_to_their_own_unit_only(world, client_for: Callable):
    client = client_for("unit")
    cadres = Cadre.objects.count()

    own = client.post(
        "/api/v1/cadres/",
        {"unit": world.units["finance"].pk, "name": "周敏", "phone": "13700004444"},
        format="json",
    )
    other = client.post(
        "/api/v1/cadres/", {"unit": world.units["chuanshan_bank"].pk, "name": "吴刚"}, format="json"
    )

    assert own.status_code == 201
    assert (own.json()["unit_name"], own.json()["phone"]) == ("遂宁市财政局", "137****4444")
    assert other.status_code == 404
    assert Cadre.objects.count() == cadres + 1


def test_unit_staff_update_their_unit(world, client_for: Callable):
    finance = world.units["finance"]

    response = client_for("unit").patch(f"/api/v1/units/{finance.pk}/", {"staff_count": 130}, format="json")

    assert response.status_code == 200
    assert response.json()["staff_count"] == 130
    finance.refresh_from_db()
    assert finance.staff_count == 130


def test_cadre_list_filters_by_unit(world, client_for: Callable):
    response = client_for("city").get(f"/api/v1/cadres/?unit={world.units['chuanshan_bank'].pk}")

    assert [(r["name"], r["household_count"]) for r in response.json()["results"]] == [("孙红", 1)]


# --- pairings ----------------------------------------------------------------------------------------------


def test_pairs_a_unit_with_a_village_then_ends_it(world, client_for: Callable):
    client = client_for("chuanshan")
    bank = world.units["chuanshan_bank"]

    created = client.post(
        "/api/v1/unit-village-pairings/",
        {"unit": bank.pk, "village": "510903101002", "start": "2018-01-01"},
        format="json",
    )
    pk = created.json()["id"]
    ended = client.post(f"/api/v1/unit-village-pairings/{pk}/end/", {"end": "2020-12-31"}, format="json")
    again = client.post(f"/api/v1/unit-village-pairings/{pk}/end/", {"end": "2021-01-31"}, format="json")
    active = client.get("/api/v1/unit-village-pairings/?active=true").json()

    assert created.status_code == 201
    assert (created.json()["village_name"], created.json()["is_active"]) == ("石佛村", True)
    assert (ended.status_code, ended.json()["end"], ended.json()["is_active"]) == (200, "2020-12-31", False)
    assert again.status_code == 400
    assert again.json() == {"code": "invalid_input", "message": "输入有误：该结对已结束"}
    assert UnitVillagePairing.objects.get(pk=pk).end.isoformat() == "2020-12-31"
    assert [r["village"] for r in active["results"]] == ["510903101001"]


def test_duplicate_open_pairing_is_refused(world, client_for: Callable):
    count = UnitVillagePairing.objects.count()

    response = client_for("chuanshan").post(
        "/api/v1/unit-village-pairings/",
        {"unit": world.units["chuanshan_bank"].pk, "village": "510903101001", "start": "2018-01-01"},
        format="json",
    )

    assert response.status_code == 400
    assert response.json() == {
        "code": "pairing_overlap",
        "message": "该结对在 2016-01-01 起已存在，不能重复结对。",
    }
    assert UnitVillagePairing.objects.count() == count


def test_pairs_a_cadre_with_a_household(world, client_for: Callable):
    response = client_for("city").post(
        "/api/v1/cadre-household-pairings/",
        {"cadre": world.cadres["sun"].pk, "household": world.households["wang"].pk, "start": "2018-05-01"},
        format="json",
    )

    assert response.status_code == 201
    body = response.json()
    assert (body["cadre_name"], body["unit_name"], body["head_name"], body["village_name"]) == (
        "孙红",
        "船山区农商银行",
        "王建国",
        "石佛村",
    )


def test_units_cannot_assign_pairings(world, client_for: Callable):
    count = CadreHouseholdPairing.objects.count()

    response = client_for("unit").post(
        "/api/v1/cadre-household-pairings/",
        {"cadre": world.cadres["chen"].pk, "household": world.households["liu"].pk, "start": "2019-05-01"},
        format="json",
    )

    assert response.status_code == 403
    assert response.json()["code"] == "forbidden"
    assert CadreHouseholdPairing.objects.count() == count


def test_ending_a_pairing_outside_scope_is_not_found(world, client_for: Callable):
    pairing = CadreHouseholdPairing.objects.get(cadre=world.cadres["sun"])

    response = client_for("anju").post(
        f"/api/v1/cadre-household-pairings/{pairing.pk}/end/", {"end": "2020-01-01"}, format="json"
    )

    assert response.status_code == 404
    pairing.refresh_from_db()
    assert pairing.end is None
