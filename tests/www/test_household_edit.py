from django.test import Client
from django.urls import reverse

from tests.world import person
from yigou.core.masking import mask_id_number
from yigou.core.models import AuditEntry
from yigou.registry.models import Household, Member


def _client(world, username="chuanshan") -> Client:
    client = Client()
    client.force_login(world.users[username])
    return client


def test_edit_phone_and_address_is_saved_and_audited(world):
    hh = world.households["zhang"]
    client = _client(world)
    response = client.post(
        reverse("www:household_edit", args=[hh.pk]), {"phone": "13912345678", "address": "永兴村5组12号"}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("www:household", args=[hh.pk])
    hh.refresh_from_db()
    assert (hh.phone, hh.address) == ("13912345678", "永兴村5组12号")
    entry = AuditEntry.objects.filter(action="update", target_id=str(hh.pk)).get()
    assert entry.changes == {"address": ["永兴村3组", "永兴村5组12号"], "phone": ["***", "***(已修改)"]}
    page = client.get(reverse("www:household", args=[hh.pk])).content.decode()
    assert "已更新联系电话和住址。" in page


def test_edit_with_invalid_phone_shows_error_and_writes_nothing(world):
    hh = world.households["zhang"]
    before = AuditEntry.objects.count()
    response = _client(world).post(
        reverse("www:household_edit", args=[hh.pk]), {"phone": "12345", "address": "别处"}
    )
    assert response.status_code == 400
    assert 'class="error" role="alert"' in response.content.decode()
    hh.refresh_from_db()
    assert (hh.phone, hh.address) == ("13800001111", "永兴村3组")
    assert AuditEntry.objects.count() == before


def test_adding_a_member_with_a_registered_id_number_is_refused(world):
    hh = world.households["zhang"]
    existing = world.households["wang"].members.get()
    before = Member.objects.count(), AuditEntry.objects.count()
    response = _client(world).post(
        reverse("www:member_add", args=[hh.pk]),
        {
            "name": "张小明",
            "id_number": existing.id_number,
            "relation": "child",
            "labour": "ordinary",
            "health": "healthy",
        },
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert f"身份证号码 {mask_id_number(existing.id_number)} 已登记（{world.households['wang']}）" in html
    assert (Member.objects.count(), AuditEntry.objects.count()) == before
    assert Household.objects.get(pk=hh.pk).size == 2


def test_adding_a_valid_member_increases_the_household_size(world):
    hh = world.households["zhang"]
    client = _client(world)
    response = client.post(
        reverse("www:member_add", args=[hh.pk]),
        {
            "name": "张小明",
            "id_number": person("510903", 2001, 9),
            "relation": "child",
            "labour": "ordinary",
            "health": "healthy",
        },
    )
    assert response.status_code == 302
    assert Household.objects.get(pk=hh.pk).size == 3
    assert hh.members.filter(name="张小明", relation="child").count() == 1
    assert AuditEntry.objects.filter(action="member_add", target_id=str(hh.pk)).count() == 1
    assert "已添加家庭成员“张小明”。" in client.get(reverse("www:household", args=[hh.pk])).content.decode()


def test_head_is_not_offered_as_relation_of_a_new_member(world):
    hh = world.households["zhang"]
    response = _client(world).post(
        reverse("www:member_add", args=[hh.pk]),
        {
            "name": "张二",
            "id_number": person("510903", 2001, 9),
            "relation": "head",
            "labour": "ordinary",
            "health": "healthy",
        },
    )
    assert response.status_code == 400
    assert Household.objects.get(pk=hh.pk).size == 2


def test_removing_the_head_is_refused(world):
    hh = world.households["zhang"]
    head = hh.members.get(name="张德明")
    before = AuditEntry.objects.count()
    response = _client(world).post(
        reverse("www:member_remove", args=[hh.pk]), {"member": head.pk, "reason": "分户"}
    )
    assert response.status_code == 400
    assert "每户必须有且只有一名户主。" in response.content.decode()
    assert Member.objects.filter(pk=head.pk).exists()
    assert AuditEntry.objects.count() == before
    assert Household.objects.get(pk=hh.pk).size == 2


def test_removing_needs_a_reason(world):
    hh = world.households["zhang"]
    spouse = hh.members.get(name="李秀英")
    response = _client(world).post(
        reverse("www:member_remove", args=[hh.pk]), {"member": spouse.pk, "reason": ""}
    )
    assert response.status_code == 400
    assert Member.objects.filter(pk=spouse.pk).exists()


def test_removing_the_spouse_with_a_reason_works_and_is_audited(world):
    hh = world.households["zhang"]
    spouse = hh.members.get(name="李秀英")
    client = _client(world)
    response = client.post(
        reverse("www:member_remove", args=[hh.pk]), {"member": spouse.pk, "reason": "死亡"}
    )
    assert response.status_code == 302
    assert not Member.objects.filter(pk=spouse.pk).exists()
    assert Household.objects.get(pk=hh.pk).size == 1
    entry = AuditEntry.objects.get(action="member_remove")
    assert (entry.target_id, entry.changes, entry.note) == (str(hh.pk), {"member": "李秀英"}, "死亡")
    assert "已将“李秀英”减员。" in client.get(reverse("www:household", args=[hh.pk])).content.decode()


def test_member_of_another_household_cannot_be_removed(world):
    hh = world.households["zhang"]
    other = world.households["liu"].members.get()
    response = _client(world).post(
        reverse("www:member_remove", args=[hh.pk]), {"member": other.pk, "reason": "x"}
    )
    assert response.status_code == 400
    assert Member.objects.filter(pk=other.pk).exists()


def test_other_county_household_is_404(world):
    hh = world.households["zhang"]
    spouse = hh.members.get(name="李秀英")
    client = _client(world, "anju")
    before = AuditEntry.objects.count(), Member.objects.count()
    posts = [
        ("www:household_edit", {"phone": "13912345678", "address": "x"}),
        (
            "www:member_add",
            {
                "name": "甲",
                "id_number": person("510903", 2001, 9),
                "relation": "child",
                "labour": "ordinary",
                "health": "healthy",
            },
        ),
        ("www:member_remove", {"member": spouse.pk, "reason": "死亡"}),
    ]
    for name, data in posts:
        assert client.post(reverse(name, args=[hh.pk]), data).status_code == 404
    assert (AuditEntry.objects.count(), Member.objects.count()) == before


def test_auditor_gets_403(world):
    hh = world.households["zhang"]
    spouse = hh.members.get(name="李秀英")
    client = _client(world, "auditor")
    for name, data in [
        ("www:household_edit", {"address": "x"}),
        ("www:member_add", {"name": "甲"}),
        ("www:member_remove", {"member": spouse.pk, "reason": "死亡"}),
    ]:
        assert client.post(reverse(name, args=[hh.pk]), data).status_code == 403
    assert Member.objects.filter(pk=spouse.pk).exists()


def test_edit_forms_are_shown_only_to_users_who_may_change(world):
    hh = world.households["zhang"]
    own = _client(world).get(reverse("www:household", args=[hh.pk])).content.decode()
    assert reverse("www:household_edit", args=[hh.pk]) in own
    assert reverse("www:member_add", args=[hh.pk]) in own
    assert reverse("www:member_remove", args=[hh.pk]) in own
    seen = _client(world, "auditor").get(reverse("www:household", args=[hh.pk])).content.decode()
    assert reverse("www:member_remove", args=[hh.pk]) not in seen


def test_edit_needs_post(world):
    hh = world.households["zhang"]
    assert _client(world).get(reverse("www:household_edit", args=[hh.pk])).status_code == 405
