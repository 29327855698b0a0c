"""Rules and element bounds are maintained by administrators in the admin; every change is audited."""

from yigou.core.models import AuditEntry
from yigou.reporting.models import Rule


def test_administrator_changes_a_rule_and_the_change_is_audited(world, web_for):
    admin = world.users["admin"]
    admin.is_staff = True
    admin.save(update_fields=["is_staff"])
    rule = Rule.objects.get(code="R03")
    page = web_for("admin").get(f"/admin/reporting/rule/{rule.pk}/change/")
    assert page.status_code == 200
    data = {
        f: getattr(rule, f)
        for f in [
            "code",
            "description",
            "if_left",
            "if_operator",
            "if_right",
            "left",
            "operator",
            "right",
            "tolerance",
            "missing",
            "order",
        ]
    }
    data.update({"form": rule.form_id, "importance": "low", "blocking": "on", "is_active": "on"})
    response = web_for("admin").post(f"/admin/reporting/rule/{rule.pk}/change/", data)
    assert response.status_code == 302
    rule.refresh_from_db()
    assert rule.importance == "low"
    entry = AuditEntry.objects.get(action="rule.update")
    assert entry.changes == {"importance": ["medium", "low"]}


def test_offices_do_not_see_the_rules_in_the_admin(world, web_for):
    office = world.users["city"]
    office.is_staff = True
    office.save(update_fields=["is_staff"])
    assert web_for("city").get("/admin/reporting/rule/").status_code == 403
