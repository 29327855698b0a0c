"""The reserved-share API: filings with completion, review actions, floors, the dashboard, and scope."""

from decimal import Decimal

from yigou.accounts.enums import OrgKind, Role
from yigou.accounts.services import organisation_create, system_actor, user_create
from yigou.core.models import AuditEntry
from yigou.shares.models import ShareFiling


def test_filing_detail_carries_completion(ex, api_as):
    r = api_as(ex.world.users["chuanshan"]).get(f"/api/v1/share-filings/{ex.filings['A'].pk}/")
    assert r.status_code == 200
    body = r.json()
    assert (body["reserved_amount"], body["union_amount"], body["target"], body["status"]) == (
        "100000.00",
        "30000.00",
        "130000.00",
        "approved",
    )
    assert body["completion"]["done"] == "35000.00" and body["completion"]["rate"] == "26.92"
    assert body["completion"]["by_source"] == {
        "unit": "20000.00",
        "staff": "3000.00",
        "merged": "6000.00",
        "union": "6000.00",
        "contractor": "0.00",
    }


def test_unit_files_submits_and_office_approves_through_the_api(ex, api_as):
    staff, office, year = api_as(ex.users["a_staff"]), api_as(ex.world.users["chuanshan"]), ex.year + 1
    r = staff.post(
        "/api/v1/share-filings/",
        {
            "year": year,
            "mode": "shared",
            "canteen_total": "600000.00",
            "ratio": "20",
            "union_per_head": "300",
            "union_staff": 100,
            "union_unit": ex.units["union"].pk,
            "covered_units": [ex.units["B"].pk],
        },
        format="json",
    )
    assert r.status_code == 201, r.json()
    pk = r.json()["id"]
    assert (r.json()["reserved_amount"], r.json()["target"]) == ("120000.00", "150000.00")
    assert staff.post(f"/api/v1/share-filings/{pk}/submit/").json()["status"] == "submitted"
    r = office.post(f"/api/v1/share-filings/{pk}/approve/", {"note": ""}, format="json")
    assert r.status_code == 200 and r.json()["status"] == "approved"
    assert ShareFiling.objects.get(unit=ex.units["B"], year=year).status == "approved"


def test_api_errors_are_chinese_and_change_nothing(ex, api_as):
    before = (ShareFiling.objects.count(), AuditEntry.objects.count())
    staff = api_as(ex.users["a_staff"])
    r = staff.post(
        "/api/v1/share-filings/",
        {
            "year": ex.year + 1,
            "mode": "outsourced",
            "canteen_total": "1",
            "ratio": "20",
            "contractor_unit": ex.world.units["finance"].pk,
        },
        format="json",
    )
    assert r.status_code == 400
    assert r.json()["message"] == f"输入有误：单位编号 {ex.world.units['finance'].pk} 不存在或不在本县（市）"
    r = api_as(ex.world.users["chuanshan"]).post(
        f"/api/v1/share-filings/{ex.filings['D'].pk}/return/", {}, format="json"
    )
    assert (r.status_code, r.json()["message"]) == (400, "输入有误：退回须填写原因")
    r = api_as(ex.world.users["anju"]).post(
        f"/api/v1/share-filings/{ex.filings['D'].pk}/approve/", {}, format="json"
    )
    assert r.status_code == 404
    assert before == (ShareFiling.objects.count(), AuditEntry.objects.count())


def test_dashboard_endpoint(ex, api_as):
    r = api_as(ex.world.users["chuanshan"]).get(f"/api/v1/shares/dashboard/?year={ex.year}")
    body = r.json()
    assert (body["region"], body["registered"], body["filed"], body["not_filed"]) == ("510903000000", 7, 5, 2)
    assert (body["reserved_total"], body["completed_total"], body["rate"]) == (
        "219000.00",
        "89000.00",
        "40.64",
    )
    assert [row["unit_name"] for row in body["never_bought"]] == ["船山区统计局"]
    assert [row["rate"] for row in body["top"]] == ["75.00", "60.00", "60.00", "26.92"]
    assert api_as(ex.users["a_staff"]).get("/api/v1/shares/dashboard/").status_code == 403
    r = api_as(ex.world.users["chuanshan"]).get("/api/v1/shares/dashboard/?year=99999")
    assert r.status_code == 400


def test_floors_endpoint(ex, api_as):
    office = api_as(ex.world.users["chuanshan"])
    r = office.post(
        "/api/v1/share-floors/", {"region": "510903101000", "year": ex.year, "ratio": "25"}, format="json"
    )
    assert r.status_code == 201 and r.json()["ratio"] == "25.00"
    listed = office.get(f"/api/v1/share-floors/?year={ex.year}").json()["results"]
    assert sorted(f["region"] for f in listed) == ["510903000000", "510903101000"]
    r = api_as(ex.world.users["anju"]).post(
        "/api/v1/share-floors/", {"region": "510903000000", "year": ex.year, "ratio": "25"}, format="json"
    )
    assert r.status_code == 403


def test_scope_of_filings_by_user(ex, api_as):
    def visible(user):
        rows = api_as(user).get(f"/api/v1/share-filings/?year={ex.year}&merged=1").json()["results"]
        return sorted(row["unit_name"] for row in rows)

    chuanshan = sorted(
        [
            "船山区人民政府办公室",
            "船山区发展和改革局",
            "船山区档案馆",
            "船山区教育局",
            "船山区农业农村局",
            "船山区卫生健康局",
        ]
    )
    users = ex.world.users
    assert visible(users["chuanshan"]) == chuanshan and visible(users["city"]) == chuanshan
    assert visible(users["auditor"]) == chuanshan
    assert visible(users["anju"]) == [] and visible(users["zone"]) == [] and visible(users["yongxing"]) == []
    assert visible(users["unit"]) == [] and visible(ex.users["chef"]) == []
    assert visible(ex.users["a_staff"]) == ["船山区人民政府办公室"]
    org = organisation_create(
        actor=None, name="发改局", kind=OrgKind.UNIT, region=ex.units["B"].region, unit=ex.units["B"]
    )
    b_staff = user_create(
        actor=system_actor(),
        username="b_staff",
        password="x",
        role=Role.UNIT,
        organisation=org,
        check_password=False,
    )
    # A merged unit's staff see their own note and the filing their purchases count to.
    assert visible(b_staff) == ["船山区人民政府办公室", "船山区发展和改革局"]
    assert Decimal(
        api_as(b_staff).get(f"/api/v1/share-filings/{ex.filings['A'].pk}/").json()["completion"]["done"]
    ) == (Decimal("35000.00"))
