"""The reporting API: scoped reads, entry with inline results, validation, reconciliation, import, comments."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.reporting.example import ANJU, CITY, build
from yigou.reporting.models import FormValue, ValidationResult

pytestmark = pytest.mark.usefixtures("world")


def test_form_lists_23_elements_and_the_five_rules(api_for):
    data = api_for("anju").get("/api/v1/reporting/form/").json()
    assert (data["name"], len(data["elements"]), [r["code"] for r in data["rules"]]) == (
        "以购助扶成果统计表",
        23,
        ["R01", "R02", "R03", "R04", "R05"],
    )
    assert data["elements"][13] == {
        "code": "amount_total",
        "name": "总额",
        "unit": "元",
        "value_type": "decimal",
        "aggregation": "sum",
        "period_aggregation": "sum",
        "section": "购买金额",
    }
    assert data["rules"][4]["condition"] == "poor_income > 0"


def test_entry_returns_the_violations_at_once(api_for):
    response = api_for("anju").post(
        "/api/v1/reporting/values/",
        {"region": ANJU, "period": "2018-03", "values": {"amount_total": "100", "amount_own": "60"}},
        format="json",
    )
    assert response.status_code == 200
    assert response.json() == {
        "changed": 2,
        "blocked": True,
        "outliers": [],
        "violations": [
            {
                "rule": "R01",
                "description": "购买金额总额应等于农户自产与合作社产品之和",
                "left": 100,
                "right": 60,
                "importance": "high",
                "blocking": True,
                "message": "购买金额总额应等于农户自产与合作社产品之和：购买金额·总额 = 100，购买金额·其中农户自产 + 购买金额·其中合作社产品 = 60",
            }
        ],
    }
    values = api_for("anju").get(f"/api/v1/reporting/values/?region={ANJU}&period=2018-03").json()["values"]
    assert (values["amount_total"], values["amount_own"], values["amount_coop"]) == (100, 60, None)


def test_bad_values_are_a_400_naming_each_field_and_nothing_is_written(api_for):
    response = api_for("anju").post(
        "/api/v1/reporting/values/",
        {"region": ANJU, "period": "2018-03", "values": {"amount_total": "100", "poor_households": "x"}},
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["fields"] == {"poor_households": "“户数”的数值“x”无效：不是数字"}
    assert FormValue.objects.count() == 0


def test_one_county_can_neither_enter_nor_read_anothers_values(api_for):
    client = api_for("chuanshan")
    response = client.post(
        "/api/v1/reporting/values/",
        {"region": ANJU, "period": "2018-03", "values": {"amount_total": "1"}},
        format="json",
    )
    assert (response.status_code, response.json()["code"]) == (403, "out_of_scope")
    assert client.get(f"/api/v1/reporting/values/?region={ANJU}&period=2018-03").status_code == 403
    assert client.get(f"/api/v1/reporting/reconciliation/?region={ANJU}&period=2018-03").status_code == 403
    assert FormValue.objects.count() == 0


def test_validate_reconcile_list_and_comment(world, api_for):
    build(world)
    city = api_for("city")
    found = city.post(
        "/api/v1/reporting/validate/", {"region": CITY, "period": "2018-03"}, format="json"
    ).json()
    assert [(v["region_name"], v["rule"]) for v in found] == [
        ("安居区", "R01"),
        ("遂宁经济技术开发区", "R02"),
        ("遂宁市", "R01"),
    ]
    differences = city.get(f"/api/v1/reporting/reconciliation/?region={CITY}&period=2018-03").json()
    assert [(d["element"], d["ledger"], d["reported"], d["difference"]) for d in differences] == [
        ("amount_total", 1600, 1700, 100),
        ("amount_own", 600, 700, 100),
    ]
    listed = api_for("anju").get("/api/v1/reporting/results/").json()
    assert [(r["region"], r["rule"]) for r in listed["results"]] == [(ANJU, "R01")]
    assert api_for("chuanshan").get("/api/v1/reporting/results/").json()["results"] == []
    result = ValidationResult.objects.get(region_id=ANJU)
    response = api_for("anju").post(
        f"/api/v1/reporting/results/{result.pk}/comment/", {"text": "说明"}, format="json"
    )
    assert (response.status_code, response.json()["message"]) == (
        400,
        "输入有误：重要性为“高”的规则须改正数据，不能仅作说明",
    )


def test_import_through_the_api_is_all_or_nothing(api_for):
    client = api_for("anju")
    bad = SimpleUploadedFile("f.csv", b"region,amount_total\n510904000000,abc\n510904000000,5\n")
    response = client.post(
        "/api/v1/reporting/import/", {"file": bad, "period": "2018-03"}, format="multipart"
    )
    assert response.status_code == 400
    assert response.json()["errors"][0] == {
        "row": 2,
        "column": "amount_total",
        "message": "“总额”的数值“abc”无效：不是数字",
    }
    good = SimpleUploadedFile("f.csv", b"region,amount_total\n510904000000,5\n")
    response = client.post(
        "/api/v1/reporting/import/", {"file": good, "period": "2018-03"}, format="multipart"
    )
    assert (response.status_code, response.json()["written"]) == (200, 1)
    assert list(FormValue.objects.values_list("value", flat=True)) == [5]


def test_results_list_takes_a_fixed_number_of_queries(world, api_for, django_assert_num_queries):
    build(world)
    client = api_for("city")
    client.post("/api/v1/reporting/validate/", {"region": CITY, "period": "2018-03"}, format="json")
    with django_assert_num_queries(2):  # count, then the page with rule and region joined
        response = client.get("/api/v1/reporting/results/")
    assert response.json()["count"] == 3
