"""The benefit pages by role: the cooperative plans and approves on its page, the township approves, publishes and
pays, the statement shows what the household was paid; another county gets 404s; refusals are told in Chinese and
change nothing; the book imports all-or-nothing; lists export as XLSX."""

from __future__ import annotations

import io
import re
from decimal import Decimal

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.benefits.conftest import build_coop
from yigou.benefits.models import BookEntry, Distribution
from yigou.income.models import IncomeEntry

pytestmark = pytest.mark.django_db


@pytest.fixture
def coop(world):
    return build_coop(world)


def plan_form(**overrides):
    return {"year": "2018", "surplus": "123456.78", "reserve_rate": "10", "trading_rate": "60", **overrides}


def test_the_cooperative_plans_and_the_township_pays(client_for, world, coop, settings):
    settings.YIGOU_BENEFITS_NOTICE_DAYS = 0
    producer = client_for("producer")
    response = producer.post("/benefits/new/surplus/", plan_form(producer=str(coop.producer.pk)))
    row = Distribution.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/benefits/{row.pk}/"
    producer.post(f"/benefits/{row.pk}/step/compute/")
    page = producer.get(f"/benefits/{row.pk}/").content.decode()
    assert "111,111.10" in page and "24588.42" in page and 'id="approve-holder"' in page
    assert 'id="approve-township"' not in page
    producer.post(f"/benefits/{row.pk}/step/holder/", {"note": "社员大会通过"})
    township = client_for("yongxing")
    for step in ("township", "publish", "pay"):
        assert township.post(f"/benefits/{row.pk}/step/{step}/").status_code == 302
    row.refresh_from_db()
    assert row.status == "paid" and IncomeEntry.objects.count() == 6
    statement = township.get(f"/benefits/households/{world.households['zhang'].pk}/").content.decode()
    assert re.search(r'id="statement-total">21414.71<', statement)  # 20,000.00 + 800.00 + 122.94 + 491.77
    assert f'href="/households/{world.households["zhang"].pk}/income/"' in statement
    card = township.get(f"/households/{world.households['zhang'].pk}/income/?year=2018")
    assert card.status_code == 200 and "收益分配" in card.content.decode()


def test_returns_below_sixty_percent_are_told_in_chinese_and_nothing_is_written(client_for, coop):
    response = client_for("producer").post(
        "/benefits/new/surplus/", plan_form(producer=str(coop.producer.pk), trading_rate="50")
    )
    assert response.status_code == 400 and "低于法定的 60%" in response.content.decode()
    assert not Distribution.objects.exists()


def test_another_county_sees_nothing(client_for, coop):
    client_for("producer").post("/benefits/new/surplus/", plan_form(producer=str(coop.producer.pk)))
    row = Distribution.objects.get()
    anju = client_for("anju")
    assert anju.get(f"/benefits/{row.pk}/").status_code == 404
    assert anju.get(f"/benefits/coops/{coop.producer.pk}/").status_code == 404
    assert "没有符合条件的分配" in anju.get("/benefits/").content.decode()
    assert anju.post(f"/benefits/{row.pk}/step/compute/").status_code == 404
    row.refresh_from_db()
    assert row.status == "draft"


def test_the_list_exports_as_xlsx(client_for, coop):
    client_for("producer").post("/benefits/new/surplus/", plan_form(producer=str(coop.producer.pk)))
    response = client_for("chuanshan").get("/benefits/?export=xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    assert [
        "船山区永兴蔬菜专业合作社2018年度盈余分配",
        "合作社盈余分配",
        2018,
        "永兴镇",
        "草拟",
        "0.00",
        None,
    ] in values


def upload(text: str) -> SimpleUploadedFile:
    return SimpleUploadedFile("book.csv", text.encode("utf-8"), content_type="text/csv")


def test_the_book_imports_all_or_nothing_with_a_chinese_report(client_for, coop):
    client = client_for("producer")
    before = BookEntry.objects.count()
    bad = "社员姓名,交易日期,产品,交易额（元）\n王建国,2018-07-01,蔬菜,100.00\n无此人,2018-07-02,蔬菜,50\n"
    response = client.post(f"/benefits/coops/{coop.producer.pk}/import/", {"file": upload(bad)})
    body = response.content.decode()
    assert response.status_code == 400 and "本社没有名为“无此人”的社员" in body and "全部数据均未导入" in body
    assert BookEntry.objects.count() == before
    good = "社员姓名,交易日期,产品,交易额（元）\n王建国,2018-07-01,蔬菜,100.00\n"
    response = client.post(f"/benefits/coops/{coop.producer.pk}/import/", {"file": upload(good)})
    assert response.status_code == 302 and BookEntry.objects.count() == before + 1
    template = client.get(f"/benefits/coops/{coop.producer.pk}/import/")
    assert openpyxl.load_workbook(io.BytesIO(template.content)).sheetnames == ["社员交易记录", "填写说明"]


def test_a_paid_distribution_shows_no_steps_and_a_bad_correction_changes_nothing(
    client_for, world, coop, settings
):
    settings.YIGOU_BENEFITS_NOTICE_DAYS = 0
    producer, township = client_for("producer"), client_for("yongxing")
    producer.post("/benefits/new/surplus/", plan_form(producer=str(coop.producer.pk)))
    row = Distribution.objects.get()
    producer.post(f"/benefits/{row.pk}/step/compute/")
    producer.post(f"/benefits/{row.pk}/step/holder/")
    for step in ("township", "publish", "pay"):
        township.post(f"/benefits/{row.pk}/step/{step}/")
    line = row.allocations.get(name="王建国", part="trading")
    response = producer.post(f"/benefits/{row.pk}/correct/", {f"amount_{line.pk}": "1.00", "reason": "试改"})
    assert response.status_code == 400 and "增减须相抵" in response.content.decode()
    assert Distribution.objects.count() == 1
    response = producer.post(f"/benefits/{row.pk}/step/compute/")
    assert response.status_code == 400 and "已兑付并锁定" in response.content.decode()
    assert township.post(f"/benefits/{row.pk}/step/pay/").status_code == 302
    assert IncomeEntry.objects.count() == 6


def test_station_pages_show_the_plan_form_and_refuse_handouts(client_for, world):
    from tests.benefits.test_pv_assets_piecework import station

    row = station(world)
    client = client_for("yongxing")
    csv = "年度,月份,发电量（千瓦时）,结算金额（元）\n2018,1,10000,3333.33\n2018,2,10000,3333.33\n"
    response = client.post(
        f"/benefits/pv/{row.pk}/import/", {"file": SimpleUploadedFile("pv.csv", csv.encode()), "year": "2018"}
    )
    assert response.status_code == 302 and row.months.count() == 2
    response = client.post(
        f"/benefits/pv/{row.pk}/plan/",
        {"year": "2018", "use_510903101001_handout": "3999.99", "use_510903101002_works": "2666.67"},
    )
    assert response.status_code == 400 and "不得简单发钱、平均分配" in response.content.decode()
    assert not Distribution.objects.exists()
    page = client.get("/benefits/pv/?year=2018").content.decode()
    assert "永兴村光伏电站" in page and "200.00" in page


@pytest.mark.parametrize("username", ["admin", "yongxing", "village", "producer", "auditor", "anju"])
def test_every_benefit_page_opens_for_every_role_that_may_see_it(client_for, world, coop, username):
    from tests.benefits.test_pv_assets_piecework import station

    row = station(world)
    client = client_for(username)
    for url in ("/benefits/", "/benefits/coops/", "/benefits/pv/?year=2018", "/benefits/funds/"):
        assert client.get(url).status_code == 200, url
    if username in ("admin", "yongxing", "village", "producer"):
        assert client.get("/benefits/new/surplus/").status_code == 200
        assert client.get("/benefits/new/piecework/").status_code == 200
    expected = 404 if username in ("anju", "producer") else 200
    assert client.get(f"/benefits/pv/{row.pk}/?year=2018").status_code == expected
    assert client.get(f"/benefits/households/{world.households['zhang'].pk}/").status_code == (
        404 if username == "anju" else 200
    )


def test_an_asset_fund_is_registered_on_its_page_and_a_bad_household_changes_nothing(client_for, world):
    from yigou.benefits.models import AssetFund

    client = client_for("yongxing")
    form = {
        "name": "永兴镇产业扶贫资金入股", "region": "510903101000", "holder": str(world.producers["coop"].pk),
        "principal": "100000.00", "mode": "minimum", "rate": "6", "rule": "size", "start_year": "2018",
        "households": f"{world.households['zhang'].number}\n{world.households['liu'].number}",
    }  # fmt: skip
    response = client.post("/benefits/funds/new/", form)
    assert response.status_code == 400 and "不存在或不在您的管辖范围内" in response.content.decode()
    assert not AssetFund.objects.exists()
    form["households"] = f"{world.households['zhang'].number}\n{world.households['wang'].number} 2"
    assert client.post("/benefits/funds/new/", form).status_code == 302
    fund = AssetFund.objects.get()
    assert sorted(fund.households.values_list("weight", flat=True)) == [1, 2]
    response = client.post(f"/benefits/funds/{fund.pk}/plan/", {"year": "2018", "actual": "5000"})
    row = Distribution.objects.get()
    assert response["Location"] == f"/benefits/{row.pk}/" and row.kind == "asset"


def test_the_stations_export_as_xlsx_with_their_output(client_for, world):
    from tests.benefits.test_pv_assets_piecework import station
    from yigou.benefits import pv

    row = station(world)
    pv.month_record(
        actor=world.users["yongxing"], station=row, year=2018, month_=1, kwh="12000", revenue="4000"
    )
    response = client_for("chuanshan").get("/benefits/pv/?year=2018&export=xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    values = [[c.value for c in r] for r in sheet.iter_rows()]
    assert [
        "永兴村光伏电站",
        "永兴镇",
        "100.00",
        "2017-06-30",
        "永兴村、石佛村村集体",
        "12000.00",
        "120.00",
        None,
        None,
    ] in values


def test_the_lists_read_a_fixed_number_of_queries(client_for, world, coop):
    from yigou.benefits.plans import surplus_plan

    client = client_for("chuanshan")

    def count_for_list() -> int:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as seen:
            assert client.get("/benefits/").status_code == 200
            assert client.get(f"/benefits/coops/{coop.producer.pk}/?year=2018").status_code == 200
        return len(seen)

    surplus_plan(
        actor=world.users["producer"],
        producer=coop.producer,
        year=2016,
        surplus="100",
        reserve_rate="10",
        trading_rate="60",
    )
    one = count_for_list()
    for year in (2017, 2018):
        surplus_plan(
            actor=world.users["producer"],
            producer=coop.producer,
            year=year,
            surplus="100",
            reserve_rate="10",
            trading_rate="60",
        )
    assert count_for_list() == one


def test_units_and_buyers_may_not_open_the_benefit_pages(client_for):
    client = client_for("unit")
    for url in (
        "/benefits/",
        "/benefits/coops/",
        "/benefits/pv/",
        "/benefits/funds/",
        "/benefits/new/surplus/",
    ):
        assert client.get(url).status_code == 403, url


def test_a_correction_is_entered_on_the_paid_page_and_goes_through_the_same_steps(
    client_for, world, coop, settings
):
    settings.YIGOU_BENEFITS_NOTICE_DAYS = 0
    producer, township = client_for("producer"), client_for("yongxing")
    producer.post("/benefits/new/surplus/", plan_form(producer=str(coop.producer.pk)))
    row = Distribution.objects.get()
    for client, step in (
        (producer, "compute"),
        (producer, "holder"),
        (township, "township"),
        (township, "publish"),
        (township, "pay"),
    ):
        client.post(f"/benefits/{row.pk}/step/{step}/")
    wang = row.allocations.get(name="王建国", part="trading")
    zhang = row.allocations.get(name="张德明", part="trading")
    response = producer.post(
        f"/benefits/{row.pk}/correct/",
        {f"amount_{wang.pk}": "33000.00", f"amount_{zhang.pk}": "20333.33", "reason": "一笔交易记错社员"},
    )
    fix = Distribution.objects.get(corrects=row)
    assert response["Location"] == f"/benefits/{fix.pk}/"
    page = producer.get(f"/benefits/{fix.pk}/").content.decode()
    assert "33,333.33 → 33,000.00" in page and 'id="approve-holder"' in page
    for client, step in (
        (producer, "holder"),
        (township, "township"),
        (township, "publish"),
        (township, "pay"),
    ):
        client.post(f"/benefits/{fix.pk}/step/{step}/")
    statement = township.get(f"/benefits/households/{world.households['wang'].pk}/").content.decode()
    assert (
        'id="statement-total">51441.31<' in statement
    )  # 33,000.00 + 18,441.31; the replaced line struck through
    assert "<s>33333.33</s>（已更正）" in statement


def test_a_month_is_corrected_on_the_station_page_with_a_reason(client_for, world):
    from tests.benefits.test_pv_assets_piecework import station
    from yigou.benefits import pv
    from yigou.core.models import AuditEntry

    row = station(world)
    month, _ = pv.month_record(
        actor=world.users["yongxing"], station=row, year=2018, month_=1, kwh="100", revenue="85"
    )
    client = client_for("yongxing")
    url = f"/benefits/pv/{row.pk}/months/{month.pk}/correct/"
    response = client.post(url, {"kwh": "120", "revenue": "102.00", "reason": ""})
    assert response.status_code == 400 and "请填写更正原因" in response.content.decode()
    month.refresh_from_db()
    assert month.revenue == Decimal("85.00")
    assert (
        client.post(url, {"kwh": "120", "revenue": "102.00", "reason": "电网结算单更正"}).status_code == 302
    )
    month.refresh_from_db()
    assert (month.kwh, month.revenue) == (Decimal("120.00"), Decimal("102.00"))
    entry = AuditEntry.objects.get(action="benefits.pv_month_correct")
    assert entry.changes["revenue"] == ["85.00", "102.00"] and entry.note == "电网结算单更正"
    assert client_for("anju").post(url, {"kwh": "1", "revenue": "1", "reason": "试试"}).status_code == 404


def test_the_station_page_shows_posts_with_their_attendance_and_ends_one(client_for, world):
    import datetime as dt

    from tests.benefits.test_pv_assets_piecework import station
    from yigou.benefits import pv

    row = station(world)
    member = world.households["zhang"].members.get(name="李秀英")
    post = pv.post_create(
        actor=world.users["village"], station=row, village=world.regions["510903101001"], title="保洁员",
        member=member, monthly_pay="500.00", start=dt.date(2018, 1, 1),
    )  # fmt: skip
    pv.attendance_record(
        actor=world.users["village"], post=post, year=2018, month_=1, days_worked=20, days_required=22
    )
    client = client_for("village")
    page = client.get(f"/benefits/pv/{row.pk}/?year=2018").content.decode()
    assert "1月 20/22天 454.55元" in page and "454.55" in page
    response = client.post(
        f"/benefits/pv/{row.pk}/posts/{post.pk}/end/", {"end": "2018-06-30", "reason": "外出务工"}
    )
    assert response.status_code == 302
    post.refresh_from_db()
    assert post.end == dt.date(2018, 6, 30)
    assert "2018-06-30 离岗" in client.get(f"/benefits/pv/{row.pk}/?year=2018").content.decode()
