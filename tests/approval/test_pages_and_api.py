"""The approval pages and API: a village submits, its township returns and approves, the county cannot decide
for another county; lists are scoped, searchable, sortable and exported."""

from __future__ import annotations

import io

import openpyxl

from yigou.approval.models import Lock, Submission
from yigou.core.models import AuditEntry


def test_a_village_submits_on_the_page_and_the_township_returns_then_approves(world, staff, page_for):
    village, township = page_for("village"), page_for("yongxing")

    submitted = village.post("/approval/submit/", {"region": "510903101001", "month": "2018-04"})
    pk = Submission.objects.get(region_id="510903101001").pk
    no_reason = township.post(f"/approval/{pk}/decide/", {"action": "return", "reason": ""}, follow=True)
    returned = township.post(f"/approval/{pk}/decide/", {"action": "return", "reason": "请补充石佛村数据"})
    resubmitted = village.post("/approval/submit/", {"region": "510903101001", "month": "2018-04"})
    approved = township.post(f"/approval/{pk}/decide/", {"action": "approve"}, follow=True)

    assert (submitted.status_code, returned.status_code, resubmitted.status_code) == (302, 302, 302)
    assert "输入有误：退回必须填写原因" in no_reason.content.decode()
    assert approved.status_code == 200
    assert '<small class="badge status-exited" id="state">已审核</small>' in approved.content.decode()
    assert list(Submission.objects.values_list("state", flat=True)) == ["approved"]
    assert Lock.objects.filter(region_code="510903101001", year=2018, month=4).exists()


def test_a_county_cannot_decide_for_another_county_on_the_page(world, staff, page_for, chain):
    c = chain("2018-04")
    c.approve_up("510903101000")
    c.approve_up("510903102000")
    pk = c.submit("510903000000").pk
    audit = AuditEntry.objects.count()

    refused = page_for("anju").post(f"/approval/{pk}/decide/", {"action": "approve"})
    hidden = page_for("anju").get(f"/approval/{pk}/")

    assert (refused.status_code, hidden.status_code) == (404, 404)  # out of scope looks like missing
    assert Submission.objects.get(pk=pk).state == "submitted"
    assert AuditEntry.objects.count() == audit
    detail = page_for("city").get(f"/approval/{pk}/").content.decode()
    assert 'id="decide"' in detail and "审核通过并锁定" in detail


def test_the_list_is_scoped_filtered_sorted_and_exported(world, staff, page_for, chain):
    c = chain("2018-04")
    for code in ("510903101001", "510903101002", "510904101001"):
        c.submit(code)
    c.approve("510903101001")

    city = page_for("city")
    everything = city.get("/approval/?sort=region").content.decode()
    approved = city.get("/approval/?state=approved&month=2018-04").content.decode()
    searched = city.get("/approval/?q=拦江").content.decode()
    anju = page_for("anju").get("/approval/").content.decode()
    export = city.get("/approval/?sort=region&export=xlsx")

    def regions(html: str) -> list[str]:
        return [part.split('"')[0] for part in html.split('<tr data-region="')[1:]]

    assert regions(everything) == ["510903101001", "510903101002", "510904101001"]
    assert regions(approved) == ["510903101001"]
    assert regions(searched) == ["510904101001"]
    assert regions(anju) == ["510904101001"]
    sheet = openpyxl.load_workbook(io.BytesIO(export.content)).active
    assert [row[:4] for row in sheet.iter_rows(min_row=3, values_only=True)] == [
        ("510903101001", "永兴村", "2018年4月", "已审核"),
        ("510903101002", "石佛村", "2018年4月", "已上报"),
        ("510904101001", "拦江村", "2018年4月", "已上报"),
    ]
    assert page_for("unit").get("/approval/").status_code == 403


def test_the_own_region_card_offers_to_submit(world, staff, page_for):
    html = page_for("yongxing").get("/approval/?month=2018-04").content.decode()

    assert "<h2>本区域上报：永兴镇</h2>" in html
    assert '<strong id="own-state">未上报</strong>' in html
    assert "本区域上报" not in page_for("auditor").get("/approval/").content.decode()


def test_the_api_chain_with_errors_as_code_and_message(world, staff, api_for, chain):
    village, township = api_for("village"), api_for("yongxing")

    created = village.post(
        "/api/v1/approval/submissions/submit/", {"region": "510903101001", "month": "2018-04"}, format="json"
    )
    pk = created.json()["id"]
    other = api_for("anju").post(f"/api/v1/approval/submissions/{pk}/approve/")
    returned = township.post(
        f"/api/v1/approval/submissions/{pk}/return/", {"reason": "数据有误"}, format="json"
    )
    again = village.post(
        "/api/v1/approval/submissions/submit/", {"region": "510903101001", "month": "2018-04"}, format="json"
    )
    approved = township.post(f"/api/v1/approval/submissions/{pk}/approve/")
    unlocked = township.post(f"/api/v1/approval/submissions/{pk}/unlock/", {"reason": ""}, format="json")

    assert (created.status_code, created.json()["state"]) == (201, "submitted")
    assert other.status_code == 404
    assert returned.json()["state"] == "returned"
    assert again.json()["state"] == "resubmitted"
    assert (approved.json()["state"], approved.json()["locked"]) == ("approved", True)
    assert [s["action"] for s in approved.json()["steps"]] == ["submit", "return", "submit", "approve"]
    assert unlocked.status_code == 400 and unlocked.json()["code"] == "invalid_input"
    listed = api_for("city").get("/api/v1/approval/submissions/?month=2018-04&state=approved").json()
    assert [r["region"] for r in listed["results"]] == ["510903101001"]
    assert api_for("anju").get("/api/v1/approval/submissions/").json()["results"] == []


def test_list_and_completeness_queries_do_not_grow_with_the_rows(
    world, staff, api_for, chain, django_assert_max_num_queries
):
    c = chain("2018-04")
    client = api_for("city")
    c.submit("510903000000")
    with django_assert_max_num_queries(50) as few:
        client.get("/api/v1/approval/submissions/")
        client.get("/api/v1/approval/completeness/?region=510900000000&month=2018-04")
    for code in ("510904000000", "510971000000", "510903101001", "510903101002", "510904101001"):
        c.submit(code)

    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get("/api/v1/approval/submissions/")
        client.get("/api/v1/approval/completeness/?region=510900000000&month=2018-04")


def test_a_refused_submission_goes_back_only_to_an_approval_page(world, staff, page_for):
    client = page_for("village")

    outside = client.post(
        "/approval/submit/", {"region": "510903101001", "month": "2018-13", "back": "https://example.com/"}
    )
    inside = client.post(
        "/approval/submit/", {"region": "510903101001", "month": "2018-13", "back": "/approval/7/"}
    )

    assert (outside["Location"], inside["Location"]) == ("/approval/", "/approval/7/")
    assert not Submission.objects.exists()


def test_the_admin_shows_submissions_read_only_within_scope(world, staff, page_for, chain):
    c = chain("2018-04")
    c.submit("510903101001")
    c.submit("510904101001")
    anju = page_for("anju")

    listed = anju.get("/admin/approval/submission/")
    other = anju.get(f"/admin/approval/submission/{c.submission('510903101001').pk}/change/")
    own = anju.get(f"/admin/approval/submission/{c.submission('510904101001').pk}/change/")

    assert [s.region_id for s in listed.context["cl"].result_list] == ["510904101001"]
    assert other.status_code == 302  # outside the scope: back to the admin index
    assert own.status_code == 200 and not own.context["has_change_permission"]
