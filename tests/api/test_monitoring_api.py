"""Monitoring over the API: flag a household, walk the steps (with the consent file in multipart), refusals with a
code and Chinese message that change nothing, measures and follow-ups, the dashboard, and another county seeing
nothing."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from yigou.income.models import MonitoringCase

pytestmark = pytest.mark.django_db
CASES = "/api/v1/monitoring/cases/"
MEASURES = "/api/v1/monitoring/measures/"


def flag(client, world, **extra):
    body = {
        "household": world.households["zhang"].pk,
        "group": "unstable",
        "risks": ["illness"],
        "channel": "visit",
        "discovered_on": "2026-03-02",
        "note": "户主住院",
        **extra,
    }
    return client.post(CASES, body, content_type="application/json")


def test_a_case_walks_its_steps_over_the_api(client_for, world):
    village = client_for("village")
    created = flag(village, world)
    assert created.status_code == 201
    case = created.json()
    assert (case["status"], case["next_step"], case["group_label"], case["risk_labels"]) == (
        "identifying",
        "home_check",
        "脱贫不稳定户",
        ["因病"],
    )
    url = f"{CASES}{case['id']}/step/"
    consent = SimpleUploadedFile("授权承诺书.pdf", b"%PDF-1.4", content_type="application/pdf")
    done = village.post(url, {"step": "home_check", "date": "2026-03-03", "files": [consent]})
    assert done.status_code == 200, done.json()
    assert done.json()["steps"][1]["files"] == ["授权承诺书.pdf"]
    village.post(url, {"step": "village_review", "date": "2026-03-04"}, content_type="application/json")
    early = client_for("yongxing").post(
        url, {"step": "township_review", "date": "2026-03-08"}, content_type="application/json"
    )
    assert early.status_code == 400
    assert early.json()["code"] == "invalid_input"
    assert "村级公示须满 5 天" in early.json()["message"]
    assert (
        client_for("yongxing")
        .post(url, {"step": "township_review", "date": "2026-03-09"}, content_type="application/json")
        .status_code
        == 200
    )
    county = client_for("chuanshan")
    county.post(url, {"step": "county_approval", "date": "2026-03-10"}, content_type="application/json")
    final = county.post(url, {"step": "announcement", "date": "2026-03-11"}, content_type="application/json")
    assert (final.json()["status"], final.json()["started_on"]) == ("monitored", "2026-03-11")
    world.households["zhang"].refresh_from_db()
    assert world.households["zhang"].monitor_type == "unstable"

    measure = village.post(
        f"{CASES}{case['id']}/measures/",
        {"kind": "medical", "description": "落实医疗救助", "cadre": world.cadres["sun"].pk,
         "started_on": "2026-03-12", "deadline": "2026-04-30"},
        content_type="application/json",
    )  # fmt: skip
    assert measure.status_code == 201
    assert (measure.json()["cadre_name"], measure.json()["overdue"]) == ("孙红", True)
    visit = village.post(
        f"{MEASURES}{measure.json()['id']}/follow-ups/",
        {"date": "2026-04-01", "note": "已申请救助", "next_due": "2026-04-15"},
        content_type="application/json",
    )
    assert visit.status_code == 201 and visit.json()["next_visit_due"] == "2026-04-15"
    closed = village.post(
        f"{MEASURES}{measure.json()['id']}/close/",
        {"status": "done", "closed_on": "2026-04-20", "result": "救助到位"},
        content_type="application/json",
    )
    assert (closed.json()["status"], closed.json()["overdue"]) == ("done", False)
    board = county.get(f"{CASES}dashboard/").json()
    assert board["open_cases"] == 1
    assert board["median_days_to_first_measure"] == "10"
    assert {t["code"]: t["count"] for t in board["by_group"]}["unstable"] == 1


def test_an_out_of_order_step_is_refused_and_changes_nothing(client_for, world):
    village = client_for("village")
    case = flag(village, world).json()
    answer = village.post(
        f"{CASES}{case['id']}/step/",
        {"step": "village_review", "date": "2026-03-04"},
        content_type="application/json",
    )
    assert answer.status_code == 400
    assert (
        answer.json()["message"]
        == "输入有误：识别纳入程序须按顺序办理：下一步应为“入户核查”，不能办理“村级民主评议并公示”"
    )
    assert MonitoringCase.objects.get().steps.count() == 1


def test_another_county_sees_nothing_and_cannot_act(client_for, world):
    case = flag(client_for("village"), world).json()
    anju = client_for("anju")
    assert anju.get(CASES).json()["count"] == 0
    assert anju.get(f"{CASES}{case['id']}/").status_code == 404
    assert (
        anju.post(
            f"{CASES}{case['id']}/step/",
            {"step": "home_check", "date": "2026-03-03"},
            content_type="application/json",
        ).status_code
        == 404
    )
    refused = flag(anju, world, discovered_on="2026-03-05")
    assert refused.status_code == 400
    assert refused.json()["field"] == "household"
    assert client_for("chuanshan").get(CASES).json()["count"] == 1
    assert client_for("unit").get(CASES).status_code == 403
