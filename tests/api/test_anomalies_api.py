"""Fake-figure detection over the API: findings of a region and period with the scan's fixed fields, a re-scan,
the case walk open → assign → explain (with a file) → confirm into a reversal of the copy, a dismissal that later
scans respect, the dashboard by region; another county sees nothing, bad input is refused with a code and changes
nothing."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.anomalies.conftest import sell
from yigou.anomalies.models import Finding, Investigation
from yigou.anomalies.scan import scan
from yigou.core.periods import parse_period
from yigou.ledger.models import Purchase

pytestmark = pytest.mark.django_db
FINDINGS = "/api/v1/anomalies/findings/"
CASES = "/api/v1/anomalies/cases/"


@pytest.fixture
def duplicate(world):
    zhang = world.households["zhang"]
    first, copy = sell(world, zhang, external_id="A-1"), sell(world, zhang, external_id="B-7")
    scan(world.region("510903000000"), parse_period("2018"))
    return Finding.objects.get(), first, copy


def test_the_county_lists_its_finding_with_the_scans_fields(client_for, world, duplicate):
    finding, first, copy = duplicate
    body = client_for("chuanshan").get(FINDINGS, {"period": "2018"}).json()
    assert body["count"] == 1
    row = body["results"][0]
    assert (row["id"], row["rule"], row["rule_label"], row["score"], row["region_code"]) == (
        finding.pk,
        "duplicate",
        "重复录入",
        90,
        "510903101001",
    )
    assert row["purchases"] == [{"id": first.pk, "external_id": "A-1"}, {"id": copy.pk, "external_id": "B-7"}]
    assert row["households"] == [world.households["zhang"].number]
    assert (row["amount"], row["case"], row["state"]) == (
        "600.00",
        None,
        "未立案",
    )  # the copy, what a confirmation takes out
    assert row["evidence"] == finding.evidence
    assert client_for("chuanshan").get(FINDINGS, {"period": "2018", "rule": "price"}).json()["count"] == 0


def test_another_county_sees_nothing_and_cannot_reach_the_finding(client_for, duplicate):
    finding, _, _ = duplicate
    anju = client_for("anju")
    assert anju.get(FINDINGS, {"period": "2018"}).json()["count"] == 0
    assert anju.get(f"{FINDINGS}{finding.pk}/").status_code == 404
    assert anju.post(f"{FINDINGS}{finding.pk}/open/", {}, format="json").status_code == 404
    refused = anju.get(FINDINGS, {"period": "2018", "region": "510903000000"})
    assert refused.status_code == 400 and "不在本账号的管辖范围内" in refused.json()["message"]
    assert Investigation.objects.count() == 0


def test_a_missing_or_bad_period_is_refused_in_chinese(client_for, duplicate):
    county = client_for("chuanshan")
    missing = county.get(FINDINGS)
    assert missing.status_code == 400 and missing.json()["code"] == "invalid_input"
    assert "请指定统计期间" in missing.json()["message"]
    assert county.post(f"{FINDINGS}scan/", {"period": "2018-13"}, format="json").status_code == 400
    assert Finding.objects.count() == 1


def test_a_rescan_answers_the_fixed_fields_and_a_village_may_not_scan(client_for, world, duplicate):
    _, first, copy = duplicate
    answer = client_for("chuanshan").post(f"{FINDINGS}scan/", {"period": "2018"}, format="json")
    assert answer.status_code == 200
    body = answer.json()
    assert (body["region_code"], body["created"], body["updated"], body["dropped"], body["suppressed"]) == (
        "510903000000",
        0,
        1,
        0,
        0,
    )
    (raised,) = body["findings"]
    assert set(raised) == {"rule", "score", "region_code", "purchases", "households", "evidence"}
    assert raised["purchases"] == [
        {"id": first.pk, "external_id": "A-1"},
        {"id": copy.pk, "external_id": "B-7"},
    ]
    refused = client_for("village").post(f"{FINDINGS}scan/", {"period": "2018"}, format="json")
    assert refused.status_code == 403 and refused.json()["code"] == "forbidden"


def test_a_case_goes_from_open_to_a_confirmed_reversal(client_for, world, duplicate, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    finding, first, copy = duplicate
    opened = client_for("auditor").post(f"{FINDINGS}{finding.pk}/open/", {"note": "请核实"}, format="json")
    assert opened.status_code == 201
    case = opened.json()
    assert (case["status"], case["finding"]["id"], case["region_code"]) == (
        "open",
        finding.pk,
        "510903101001",
    )
    again = client_for("auditor").post(f"{FINDINGS}{finding.pk}/open/", {}, format="json")
    assert again.status_code == 400 and "不能重复立案" in again.json()["message"]

    city, chuanshan = client_for("city"), client_for("chuanshan")
    url = f"{CASES}{case['id']}/"
    stranger = city.post(f"{url}assign/", {"assignee": world.users["anju"].pk}, format="json")
    assert stranger.status_code == 400 and "不是本案所涉区划的工作人员" in stranger.json()["message"]
    assert Investigation.objects.get().status == "open"
    village = client_for("village")
    assert (
        village.post(f"{url}assign/", {"assignee": world.users["chuanshan"].pk}, format="json").status_code
        == 403
    )
    assigned = city.post(f"{url}assign/", {"assignee": world.users["chuanshan"].pk}, format="json")
    assert assigned.status_code == 200 and assigned.json()["status"] == "assigned"

    short = chuanshan.post(f"{url}explain/", {"text": "属实"}, format="json")
    assert short.status_code == 400 and Investigation.objects.get().status == "assigned"
    upload = SimpleUploadedFile("说明.pdf", b"%PDF-1.4 test", content_type="application/pdf")
    explained = chuanshan.post(
        f"{url}explain/",
        {"text": "经核实，B-7 为乡镇汇总时重复导入。", "files": [upload]},
        format="multipart",
    )
    assert explained.status_code == 200
    detail = explained.json()
    assert detail["status"] == "explained" and [f["name"] for f in detail["files"]] == ["说明.pdf"]
    assert [e["kind"] for e in detail["events"]] == ["opened", "assigned", "explained"]

    assert client_for("anju").get(url).status_code == 404
    assert village.post(f"{url}confirm/", {"reason": "重复录入属实"}, format="json").status_code == 403
    confirmed = city.post(f"{url}confirm/", {"reason": "重复录入属实"}, format="json")
    assert confirmed.status_code == 200
    done = confirmed.json()
    assert (done["status"], done["reversed_count"], done["reversed_amount"]) == ("confirmed", 1, "600.00")
    assert (
        Purchase.objects.filter(reverses=copy).exists()
        and not Purchase.objects.filter(reverses=first).exists()
    )
    assert city.post(f"{url}dismiss/", {"reason": "再排除一次"}, format="json").status_code == 400


def test_a_dismissed_finding_is_not_raised_again_and_the_dashboard_counts_it(client_for, world, duplicate):
    finding, _, _ = duplicate
    case = client_for("auditor").post(f"{FINDINGS}{finding.pk}/open/", {}, format="json").json()
    city = client_for("city")
    city.post(f"{CASES}{case['id']}/assign/", {"assignee": world.users["chuanshan"].pk}, format="json")
    dismissed = city.post(
        f"{CASES}{case['id']}/dismiss/", {"reason": "两笔为同一天的两次送货"}, format="json"
    )
    assert dismissed.status_code == 200 and dismissed.json()["status"] == "dismissed"
    rescan = client_for("chuanshan").post(f"{FINDINGS}scan/", {"period": "2018"}, format="json").json()
    assert (rescan["findings"], rescan["suppressed"]) == ([], 1)

    board = city.get(f"{CASES}dashboard/").json()
    assert board["region_code"] == "510900000000"
    assert board["total"] == {
        "region_code": "510900000000",
        "region_name": world.region("510900000000").name,
        "open": 0,
        "confirmed": 0,
        "dismissed": 1,
        "total": 1,
    }
    by_code = {r["region_code"]: (r["open"], r["dismissed"]) for r in board["rows"]}
    assert by_code["510903000000"] == (0, 1) and by_code["510904000000"] == (0, 0)
    listed = city.get(CASES, {"status": "closed"}).json()
    assert [r["number"] for r in listed["results"]] == [case["number"]]
    assert client_for("anju").get(CASES).json()["count"] == 0
