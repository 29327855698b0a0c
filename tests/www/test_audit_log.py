import re

from django.urls import reverse

from yigou.core import audit


def _rows(html: str) -> list[tuple[str, str, str]]:
    body = html[html.index('id="audit"') :]
    return re.findall(r"<td>([^<]*)</td><td>([^<]*)</td><td>([^<]*)</td>", body)


def test_auditor_sees_region_entries_filtered_by_action(client_for, world):
    hh = world.households["zhang"]
    client_for("chuanshan").post(
        reverse("www:member_reveal", args=[hh.pk, hh.members.first().pk]), HTTP_HX_REQUEST="true"
    )
    html = client_for("auditor").get(reverse("www:audit"), {"action": "reveal"}).content.decode()
    assert _rows(html) == [("chuanshan", "查看完整信息", "张德明")]


def test_status_events_show_readable_labels(client_for):
    html = client_for("anju").get(reverse("www:audit"), {"action": "event:"}).content.decode()
    assert _rows(html) == [("admin", "状态事件：识别纳入", "刘永福户（5109041010010001）")]


def test_county_does_not_see_other_county_entries(client_for, world):
    audit.record(actor=world.users["admin"], action="update", target=world.households["zhang"])
    html = (
        client_for("anju").get(reverse("www:audit"), {"target_type": "registry.household"}).content.decode()
    )
    labels = [row[2] for row in _rows(html)]
    assert labels == ["刘永福户（5109041010010001）", "刘永福户（5109041010010001）"]


def test_date_range_excludes_everything_before(client_for):
    html = client_for("auditor").get(reverse("www:audit"), {"until": "2000-01-01"}).content.decode()
    assert _rows(html) == []
    assert "没有符合条件的记录。" in html


def test_roles_without_audit_view_get_403(client_for):
    for user in ("village", "unit", "producer"):
        assert client_for(user).get(reverse("www:audit")).status_code == 403
