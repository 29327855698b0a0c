"""The plans API: the same scope and rules as the pages — plans, the ledger, an import refused as a whole, a split
that does not add up (400, nothing written), a report, a finding closed, the ranking; another county gets 404."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.plans.example import build, make_plan
from yigou.core.xlsx import Sheet, write_workbook
from yigou.plans import services
from yigou.plans.models import Plan, Target, Task

pytestmark = pytest.mark.django_db


@pytest.fixture
def example(world):
    return build(world)


def test_create_a_plan_and_import_tasks_all_or_nothing(world, client_for):
    api = client_for("city")
    created = api.post(
        "/api/v1/plans/plans/",
        {"region": "510900000000", "title": "方案", "starts_on": "2018-01-01", "ends_on": "2018-12-31"},
        format="json",
    )
    assert created.status_code == 201
    pk = created.json()["id"]
    headers = ["序号", "任务内容", "牵头单位", "配合单位", "完成时限"]

    def file(rows):
        data = write_workbook([Sheet(name="任务清单", headers=headers, rows=rows)])
        return SimpleUploadedFile("t.xlsx", data)

    bad = api.post(
        f"/api/v1/plans/plans/{pk}/import/",
        {"file": file([["1", "a", "b", "", "2018-01-01"], ["1", "c", "d", "", "长期"]])},
    )
    assert bad.status_code == 400
    assert bad.json()["errors"] == [{"row": 3, "column": "序号", "message": "序号 1 与第 2 行重复"}]
    assert not Task.objects.exists()
    ok = api.post(
        f"/api/v1/plans/plans/{pk}/import/", {"file": file([["1", "a", "b", "c、d", "2018-06-30"]])}
    )
    assert ok.json()["written"] == 1
    tasks = api.get(f"/api/v1/plans/plans/{pk}/tasks/").json()["results"]
    assert [(t["number"], t["co_units"], t["status"]) for t in tasks] == [("1", ["c", "d"], "late")]
    assert client_for("anju").get(f"/api/v1/plans/plans/{pk}/").status_code == 404


def test_a_split_that_does_not_add_up_is_a_400_and_writes_nothing(world, client_for, example):
    api = client_for("chuanshan")
    share = example.parts["chain_chuanshan"]
    response = api.post(
        f"/api/v1/plans/targets/{share.pk}/split/",
        {"parts": [{"region": "510903101000", "value": "5"}, {"region": "510903102000", "value": "0.99"}]},
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["code"] == "plan_split_mismatch"
    assert not Target.objects.filter(parent=share).exists()
    assert client_for("anju").get(f"/api/v1/plans/targets/{share.pk}/").status_code == 404


def test_the_target_tree_and_the_ranking(world, client_for, example):
    api = client_for("city")
    tree = api.get(f"/api/v1/plans/targets/{example.chain.pk}/", {"as_of": "2018-12-31"}).json()
    assert [(r["region_name"], r["value"], r["done"], r["rate"]) for r in tree] == [
        ("遂宁市", "10.00", "7.00", "70.00"),
        ("船山区", "6.00", "3.00", "50.00"),
        ("安居区", "4.00", "4.00", "100.00"),
    ]
    ranking = api.get(f"/api/v1/plans/schemes/{example.scheme.pk}/", {"as_of": "2018-12-31"}).json()
    assert [(r["rank"], r["name"], r["total"]) for r in ranking["rows"]] == [
        (1, "船山区", "69.00"),
        (2, "安居区", "52.00"),
    ]


def test_a_report_and_a_finding_closed(world, client_for):
    plan = make_plan(world)
    task = services.task_add(
        actor=world.users["city"],
        plan=plan,
        data=services.TaskInput("1", "任务", "市商务局", due_on=dt.date(2018, 6, 30)),
    )
    api = client_for("city")
    report = api.post(
        f"/api/v1/plans/tasks/{task.pk}/report/",
        {"reported_on": "2018-06-30", "progress": "100", "text": "完成"},
        format="json",
    )
    assert report.json()["status"] == "done"
    finding = api.post(
        "/api/v1/plans/findings/",
        {
            "plan": plan.pk,
            "region": "510903000000",
            "problem": "台账不全",
            "found_on": "2018-06-01",
            "rectify_by": "2018-06-30",
        },
        format="json",
    )
    assert finding.status_code == 201
    closed = api.post(
        f"/api/v1/plans/findings/{finding.json()['id']}/close/",
        {"closed_on": "2018-06-20", "note": "已补"},
        format="json",
    )
    assert closed.json()["status"] == "closed"
    assert Plan.objects.count() == 1


def test_network_sites_and_trusteeship_are_registered_and_counted_by_scope(world, client_for):
    api = client_for("chuanshan")
    site = api.post(
        "/api/v1/plans/network-sites/",
        {"kind": "chain_store", "name": "永兴便民店", "region": "510903101001", "opened_on": "2018-03-01"},
        format="json",
    )
    assert site.status_code == 201 and site.json()["kind_label"] == "连锁超市/便民店"
    outside = api.post(
        "/api/v1/plans/network-sites/",
        {"kind": "chain_store", "name": "拦江便民店", "region": "510904101001", "opened_on": "2018-03-01"},
        format="json",
    )
    assert (outside.status_code, outside.json()["code"]) == (403, "out_of_scope")
    contract = {
        "number": "TG-1", "village": "510903101001", "provider": "船山区供销社", "year": 2018, "mu": "120.50",
        "households": 12, "poor_households": 4, "signed_on": "2018-04-01",
    }  # fmt: skip
    assert api.post("/api/v1/plans/trusteeship/", contract, format="json").status_code == 201
    assert (
        api.post("/api/v1/plans/trusteeship/", contract, format="json").json()["message"]
        == "输入有误：合同编号 TG-1 已登记"
    )
    assert [r["name"] for r in api.get("/api/v1/plans/network-sites/").json()["results"]] == ["永兴便民店"]
    assert client_for("anju").get("/api/v1/plans/trusteeship/").json()["results"] == []
    assert (
        client_for("village")
        .post("/api/v1/plans/trusteeship/", {**contract, "number": "TG-2"}, format="json")
        .status_code
        == 403
    )
