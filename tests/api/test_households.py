"""Households over the API: masked personal data, audited reveal, registration and status history."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from tests.world import World, person
from yigou.core.models import AuditEntry
from yigou.registry import services as registry
from yigou.registry.models import Household, IdentificationStep, Member, StatusEvent


def head_id(world: World, key: str) -> str:
    return world.households[key].members.get(relation="head").id_number


def masked(id_number: str) -> str:
    return id_number[:6] + "********" + id_number[-4:]


# --- masking -----------------------------------------------------------------------------------------------


def test_detail_shows_members_with_masked_id_numbers_only(world, client_for: Callable):
    zhang = world.households["zhang"]
    plain = [m.id_number for m in zhang.members.order_by("id")]

    response = client_for("chuanshan").get(f"/api/v1/households/{zhang.pk}/")

    body = response.json()
    assert [m["id_number"] for m in body["members"]] == [masked(p) for p in plain]
    assert body["members"][0]["id_number"] == f"{plain[0][:6]}********{plain[0][-4:]}"
    assert body["phone"] == "138****1111"
    assert [m["health"] for m in body["members"]] == ["******", "******"]
    for secret in [*plain, "13800001111", "chronic", "长期慢性病"]:
        assert secret not in response.content.decode()


def test_list_shows_the_heads_masked_id_and_never_a_plaintext_one(world, client_for: Callable):
    plain = {key: head_id(world, key) for key in ("zhang", "wang")}

    response = client_for("chuanshan").get("/api/v1/households/")

    by_head = {row["head_name"]: row["head_id_number"] for row in response.json()["results"]}
    assert by_head == {"张德明": masked(plain["zhang"]), "王建国": masked(plain["wang"])}
    content = response.content.decode()
    assert all(p not in content for p in plain.values())
    assert "13800001111" not in content


def test_cadre_and_producer_phones_are_masked(world, client_for: Callable):
    client = client_for("city")

    cadre = client.get(f"/api/v1/cadres/{world.cadres['chen'].pk}/").json()
    producer = client.get(f"/api/v1/producers/{world.producers['coop'].pk}/").json()

    assert cadre["phone"] == "137****3333"
    assert producer["contact_phone"] == "138****2222"


# --- reveal ------------------------------------------------------------------------------------------------


def member_of(world: World, key: str) -> Member:
    return world.households[key].members.get(relation="head")


def test_reveal_gives_the_plaintext_and_writes_exactly_one_audit_entry(world, client_for: Callable):
    member = member_of(world, "zhang")
    before = AuditEntry.objects.filter(action="reveal").count()

    response = client_for("chuanshan").post(f"/api/v1/members/{member.pk}/reveal/")

    assert response.status_code == 200
    assert response.json() == {"id_number": member.id_number, "phone": "13800001111", "health": "健康"}
    assert before == 0
    entries = list(AuditEntry.objects.filter(action="reveal"))
    assert len(entries) == 1
    assert (entries[0].actor, entries[0].target_type, entries[0].target_id, entries[0].region_code) == (
        world.users["chuanshan"],
        "registry.member",
        str(member.pk),
        "510903101001",
    )


def test_reveal_outside_scope_is_not_found_and_not_audited(world, client_for: Callable):
    member = member_of(world, "zhang")

    response = client_for("anju").post(f"/api/v1/members/{member.pk}/reveal/")

    assert response.status_code == 404
    assert response.json()["code"] == "not_found"
    assert AuditEntry.objects.filter(action="reveal").count() == 0


def test_reveal_without_the_permission_is_forbidden_and_not_audited(world, client_for: Callable):
    member = member_of(world, "zhang")

    response = client_for("city").post(f"/api/v1/members/{member.pk}/reveal/")

    assert response.status_code == 403
    assert response.json() == {"code": "forbidden", "message": "无权执行此操作。"}
    assert AuditEntry.objects.filter(action="reveal").count() == 0


def test_reveal_is_post_only(world, client_for: Callable):
    member = member_of(world, "zhang")

    response = client_for("chuanshan").get(f"/api/v1/members/{member.pk}/reveal/")

    assert response.status_code == 405
    assert response.json()["code"] == "method_not_allowed"
    assert AuditEntry.objects.filter(action="reveal").count() == 0


# --- registration ------------------------------------------------------------------------------------------


def new_household(id_number: str, village: str = "510903101002") -> dict:
    return {
        "village": village,
        "phone": "13812345678",
        "address": "石佛村1组",
        "members": [{"name": "赵大山", "id_number": id_number}],
    }


def test_registers_a_household_through_the_service(world, client_for: Callable):
    id_number = person("510903", 1980, 20)

    response = client_for("chuanshan").post("/api/v1/households/", new_household(id_number), format="json")

    assert response.status_code == 201
    body = response.json()
    assert (body["number"], body["head_name"], body["size"], body["status"]) == (
        "5109031010020002",
        "赵大山",
        1,
        "non_poor",
    )
    assert body["members"][0]["id_number"] == masked(id_number)
    assert id_number not in response.content.decode()
    row = Household.objects.get(pk=body["id"])
    assert row.members.get().id_number == id_number
    assert (
        AuditEntry.objects.filter(
            action="create", target_type="registry.household", target_id=str(row.pk)
        ).count()
        == 1
    )


def test_bad_id_checksum_is_refused_and_nothing_is_written(world, client_for: Callable):
    good = person("510903", 1980, 21)
    bad = good[:17] + ("0" if good[17] != "0" else "1")
    households, members = Household.objects.count(), Member.objects.count()

    response = client_for("chuanshan").post("/api/v1/households/", new_household(bad), format="json")

    assert response.status_code == 400
    assert response.json() == {"code": "id_number_invalid", "message": "身份证号码无效：校验位不正确"}
    assert (Household.objects.count(), Member.objects.count()) == (households, members)


def test_registering_in_another_county_is_forbidden_and_nothing_is_written(world, client_for: Callable):
    households = Household.objects.count()

    response = client_for("anju").post(
        "/api/v1/households/", new_household(person("510903", 1980, 22)), format="json"
    )

    assert response.status_code == 403
    assert response.json() == {"code": "out_of_scope", "message": "该记录不在您的管辖区域内。"}
    assert Household.objects.count() == households


def test_unknown_village_and_missing_members_are_input_errors(world, client_for: Callable):
    client = client_for("chuanshan")
    households = Household.objects.count()

    unknown = client.post(
        "/api/v1/households/", new_household(person("510903", 1980, 23), "510903999999"), format="json"
    )
    empty = client.post("/api/v1/households/", {"village": "510903101002", "members": []}, format="json")

    assert unknown.status_code == 400
    assert unknown.json() == {
        "code": "region_invalid",
        "message": "行政区划无效：区划代码“510903999999”不存在",
        "field": "village",
    }
    assert empty.status_code == 400
    assert empty.json()["code"] == "invalid_input"
    assert list(empty.json()["fields"]) == ["members"]
    assert Household.objects.count() == households


def test_updates_phone_and_address(world, client_for: Callable):
    wang = world.households["wang"]

    response = client_for("chuanshan").patch(
        f"/api/v1/households/{wang.pk}/", {"address": "石佛村2组"}, format="json"
    )

    assert response.status_code == 200
    assert response.json()["address"] == "石佛村2组"
    wang.refresh_from_db()
    assert wang.address == "石佛村2组"


# --- status history ----------------------------------------------------------------------------------------


def test_records_an_exit_event_and_shows_it_on_the_timeline(world, client_for: Callable):
    zhang = world.households["zhang"]
    client = client_for("chuanshan")

    response = client.post(
        f"/api/v1/households/{zhang.pk}/events/",
        {"kind": "exited", "date": "2019-12-01", "reason": "人均纯收入稳定超过标准"},
        format="json",
    )
    timeline = client.get(f"/api/v1/households/{zhang.pk}/timeline/").json()

    assert response.status_code == 201
    assert (response.json()["kind"], response.json()["kind_label"]) == ("exited", "脱贫退出")
    zhang.refresh_from_db()
    assert zhang.status == "exited"
    assert timeline["count"] == 2
    assert [(i["date"], i["label"], i["recorded_by"]) for i in timeline["results"]] == [
        ("2014-10-01", "识别纳入", "admin"),
        ("2019-12-01", "脱贫退出", "chuanshan"),
    ]


def test_illegal_transition_is_refused_and_nothing_is_appended(world, client_for: Callable):
    wang = world.households["wang"]
    events = StatusEvent.objects.count()

    response = client_for("chuanshan").post(
        f"/api/v1/households/{wang.pk}/events/",
        {"kind": "exited", "date": "2019-12-01", "reason": "测试"},
        format="json",
    )

    assert response.status_code == 400
    assert response.json() == {
        "code": "status_transition_illegal",
        "message": "当前状态为“一般农户”，不能执行“脱贫退出”。",
    }
    assert StatusEvent.objects.count() == events
    wang.refresh_from_db()
    assert wang.status == "non_poor"


def test_identification_steps_go_in_order(world, client_for: Callable):
    wang = world.households["wang"]
    client = client_for("chuanshan")

    first = client.post(
        f"/api/v1/households/{wang.pk}/steps/", {"step": "application", "date": "2020-03-01"}, format="json"
    )
    skipped = client.post(
        f"/api/v1/households/{wang.pk}/steps/", {"step": "county_check", "date": "2020-03-02"}, format="json"
    )

    assert first.status_code == 201
    assert first.json()["step_label"] == "农户申请"
    assert skipped.status_code == 400
    assert skipped.json() == {
        "code": "identification_step_order",
        "message": "识别程序须按顺序进行：下一步应为“村民代表大会评议”，不能记录“县级审定”。",
    }
    assert list(IdentificationStep.objects.filter(household=wang).values_list("step", flat=True)) == [
        "application"
    ]
    wang.refresh_from_db()
    assert wang.status == "identifying"


def test_writing_outside_scope_is_not_found(world, client_for: Callable):
    zhang = world.households["zhang"]
    events = StatusEvent.objects.count()

    response = client_for("anju").post(
        f"/api/v1/households/{zhang.pk}/events/",
        {"kind": "exited", "date": "2019-12-01", "reason": "测试"},
        format="json",
    )

    assert response.status_code == 404
    assert StatusEvent.objects.count() == events


def test_a_unit_user_may_read_but_not_record_events(world, client_for: Callable):
    liu = world.households["liu"]
    events = StatusEvent.objects.count()

    response = client_for("unit").post(
        f"/api/v1/households/{liu.pk}/events/",
        {"kind": "exited", "date": "2019-12-01", "reason": "测试"},
        format="json",
    )

    assert response.status_code == 403
    assert response.json()["code"] == "forbidden"
    assert StatusEvent.objects.count() == events


# --- filters, pagination, queries --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ("status=poor", ["zhang", "liu"]),
        ("region=510904000000", ["liu"]),
        ("region=510903101000&sort=-number", ["wang", "zhang"]),
        ("q=张", ["zhang"]),
        ("q=lxy", ["zhang"]),  # 李秀英, a member, by pinyin initials
        ("status=non_poor", ["wang"]),
        ("monitor_type=unstable", []),
    ],
)
def test_list_filters(world, client_for: Callable, params, expected):
    response = client_for("city").get(f"/api/v1/households/?{params}")

    numbers = [row["number"] for row in response.json()["results"]]
    assert numbers == [world.households[key].number for key in expected]


def test_list_is_paginated(world, client_for: Callable):
    body = client_for("city").get("/api/v1/households/?page_size=2").json()

    assert body["count"] == 3
    assert len(body["results"]) == 2
    assert body["next"] == "http://testserver/api/v1/households/?page=2&page_size=2"
    assert body["previous"] is None


def test_household_list_does_not_grow_queries_with_rows(
    world, client_for: Callable, django_assert_max_num_queries
):
    admin = world.users["admin"]
    village = world.regions["510903101002"]
    for seq in range(30, 50):
        registry.household_register(
            actor=admin,
            village=village,
            members=[
                registry.MemberInput(f"测试{seq}", person("510903", 1975, seq)),
                registry.MemberInput(
                    f"家属{seq}", person("510903", 1976, seq, male=False), relation="spouse"
                ),
            ],
        )
    client = client_for("chuanshan")

    with django_assert_max_num_queries(3):
        response = client.get("/api/v1/households/")

    assert response.json()["count"] == 22
    assert all(row["head_id_number"].count("*") == 8 for row in response.json()["results"])
