"""The income pages by role: the household's card (components, entries with source, evidence and recorder,
ledger sales linked to their purchases, corrections) and its monitoring tab (三保障 gaps highlighted, the line,
the scan); the 入户调查 phone page; who sees what, another county gets 404, roles without the capability 403, and
bad input is told in Chinese and writes nothing."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.anomalies.conftest import sell
from tests.income.conftest import enter
from yigou.core.models import AuditEntry
from yigou.income.models import IncomeEntry, SecurityCheck
from yigou.income.services import security_check_record
from yigou.ledger.services import purchase_reverse

pytestmark = pytest.mark.django_db
D = Decimal


@pytest.fixture
def zhang(world):
    """张德明户 (2 people), 2020: wages 6000, a survey of business 1000, costs 400, and a ledger sale of 600."""
    hh = world.households["zhang"]
    enter(world, hh, 2020, "wage", "6000.00", note="在遂宁务工")
    enter(world, hh, 2020, "business", "1000.00", actor="village")
    enter(world, hh, 2020, "cost", "400.00")
    purchase = sell(world, hh, "10", "60.00", day=dt.date(2020, 5, 10))
    return hh, purchase


def cell(page: str, element_id: str) -> str:
    found = re.search(rf'id="{element_id}">([^<]*)<', page)
    assert found, element_id
    return found.group(1)


def test_the_county_office_sees_the_card_with_its_entries_and_sales(client_for, zhang):
    hh, purchase = zhang
    page = client_for("chuanshan").get(f"/households/{hh.pk}/income/?year=2020").content.decode()
    # (6000 + 1000 + 600 − 400) / 2
    assert cell(page, "net-income") == "7200.00" and cell(page, "per-capita") == "3600.00"
    assert "消费帮扶销售收入（台账） 600.00元（1笔购买）；入户调查 1000.00元（1条记录）" in page
    assert f'href="/purchases/{purchase.pk}/"' in page
    assert "在遂宁务工" in page and ">chuanshan<" in page and ">village<" in page
    assert page.count("确认冲正") == 3


def test_a_reversed_sale_leaves_the_card_page(client_for, world, zhang):
    hh, purchase = zhang
    purchase_reverse(actor=world.users["chuanshan"], purchase=purchase, reason="重复录入")
    page = client_for("chuanshan").get(f"/households/{hh.pk}/income/?year=2020").content.decode()
    assert cell(page, "net-income") == "6600.00" and cell(page, "per-capita") == "3300.00"
    assert "冲销" in page


def test_the_year_defaults_to_the_latest_with_entries(client_for, zhang):
    hh, _ = zhang
    page = client_for("village").get(f"/households/{hh.pk}/income/").content.decode()
    assert "2020年收入构成" in page and cell(page, "per-capita") == "3600.00"


def test_the_household_page_offers_the_tabs_to_income_readers(client_for, zhang):
    hh, _ = zhang
    page = client_for("village").get(f"/households/{hh.pk}/").content.decode()
    assert f'href="/households/{hh.pk}/income/?tab=monitoring"' in page


def test_an_auditor_reads_but_may_not_correct_or_enter(client_for, zhang):
    hh, _ = zhang
    auditor = client_for("auditor")
    page = auditor.get(f"/households/{hh.pk}/income/?year=2020").content.decode()
    assert cell(page, "per-capita") == "3600.00" and "确认冲正" not in page
    entry = IncomeEntry.objects.first()
    assert auditor.post(f"/income/entries/{entry.pk}/correct/", {"reason": "录错了"}).status_code == 403
    form = {"household": hh.pk, "year": "2020", "component": "wage", "amount": "1"}
    assert auditor.post("/income/survey/", form).status_code == 403
    assert IncomeEntry.objects.count() == 3


def test_another_county_and_another_village_get_404(client_for, world, zhang):
    hh, _ = zhang
    entry = IncomeEntry.objects.first()
    anju = client_for("anju")
    assert anju.get(f"/households/{hh.pk}/income/").status_code == 404
    assert anju.get(f"/households/{hh.pk}/income/?tab=monitoring").status_code == 404
    assert anju.post(f"/income/entries/{entry.pk}/correct/", {"reason": "录错了"}).status_code == 404
    wang = world.households["wang"]
    assert client_for("village").get(f"/households/{wang.pk}/income/").status_code == 404
    assert not IncomeEntry.objects.filter(corrects__isnull=False).exists()


def test_units_and_producers_are_refused(client_for, zhang):
    hh, _ = zhang
    for user in ("unit", "producer"):
        assert client_for(user).get(f"/households/{hh.pk}/income/").status_code == 403
        assert client_for(user).get("/income/survey/").status_code == 403


def test_a_correction_offsets_the_entry_and_records_the_right_amount(client_for, zhang):
    wage = IncomeEntry.objects.get(component="wage")
    client = client_for("chuanshan")
    response = client.post(f"/income/entries/{wage.pk}/correct/", {"reason": "月数算错", "amount": "5500"})
    assert response.status_code == 302
    rows = list(IncomeEntry.objects.filter(component="wage").order_by("id").values_list("amount", "note"))
    assert rows == [
        (D("6000.00"), "在遂宁务工"),
        (D("-6000.00"), "冲正：月数算错"),
        (D("5500.00"), "更正：月数算错"),
    ]
    page = client.get(response["Location"]).content.decode()
    assert "已冲正 6000元，并登记更正后金额 5500元。" in page and "已冲正</small>" in page
    assert f"冲正第 {wage.pk} 号记录" in page and cell(page, "per-capita") == "3350.00"


def test_a_correction_without_a_reason_or_twice_writes_nothing(client_for, zhang):
    wage = IncomeEntry.objects.get(component="wage")
    client = client_for("chuanshan")
    page = client.post(f"/income/entries/{wage.pk}/correct/", {"reason": ""}, follow=True).content.decode()
    assert "请填写冲正原因" in page and IncomeEntry.objects.count() == 3
    client.post(f"/income/entries/{wage.pk}/correct/", {"reason": "录错了"})
    page = client.post(
        f"/income/entries/{wage.pk}/correct/", {"reason": "再冲"}, follow=True
    ).content.decode()
    assert "不能重复冲正" in page and IncomeEntry.objects.count() == 4


def survey_form(hh, **overrides):
    return {
        "household": str(hh.pk),
        "year": "2020",
        "component": "transfer",
        "amount": "1200.50",
        **overrides,
    }


def test_the_survey_page_records_an_entry_with_its_evidence(client_for, world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    hh = world.households["zhang"]
    client = client_for("village")
    photo = SimpleUploadedFile("低保证明.pdf", b"%PDF-1.4 test", content_type="application/pdf")
    response = client.post("/income/survey/", survey_form(hh, note="低保金", evidence=photo))
    assert (
        response.status_code == 302 and response["Location"] == f"/income/survey/?household={hh.pk}&year=2020"
    )
    row = IncomeEntry.objects.get()
    assert (row.component, row.amount, row.source, row.note, row.recorded_by.username) == (
        "transfer",
        D("1200.50"),
        "survey",
        "低保金",
        "village",
    )
    page = client.get(response["Location"]).content.decode()
    assert "已登记：张德明户 2020年 转移性收入 1200.50元。" in page
    card = client.get(f"/households/{hh.pk}/income/?year=2020").content.decode()
    assert f'href="/income/entries/{row.pk}/evidence/"' in card
    download = client.get(f"/income/entries/{row.pk}/evidence/")
    assert download.status_code == 200 and b"".join(download.streaming_content) == b"%PDF-1.4 test"
    assert client_for("anju").get(f"/income/entries/{row.pk}/evidence/").status_code == 404


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"amount": "-5"}, "金额须大于 0（更正已登记的金额请用冲正）"),
        ({"amount": "12.345"}, "金额最多 2 位小数"),
        ({"amount": "abc"}, "金额“abc”不是数字"),
        ({"year": "2009"}, "年度“2009”无效"),
        ({"amount": ""}, "请填写此项"),
        ({"component": "bonus"}, "请选择收入构成"),
        ({"household": ""}, "请先搜索并选择农户"),
    ],
)
def test_bad_survey_input_is_told_in_chinese_and_writes_nothing(client_for, world, overrides, message):
    response = client_for("village").post(
        "/income/survey/", survey_form(world.households["zhang"], **overrides)
    )
    assert response.status_code == 400 and message in response.content.decode()
    assert not IncomeEntry.objects.exists() and not AuditEntry.objects.filter(action="income.record").exists()


def test_a_household_of_another_village_cannot_be_surveyed(client_for, world):
    wang = world.households["wang"]
    response = client_for("village").post("/income/survey/", survey_form(wang))
    assert (
        response.status_code == 400 and f"农户（编号 {wang.pk}）不存在或无权访问" in response.content.decode()
    )
    assert not IncomeEntry.objects.exists()


def test_the_household_search_finds_only_visible_households(client_for, world):
    village = client_for("village")
    page = village.get("/income/survey/households/?q=张德明").content.decode()
    assert f"?household={world.households['zhang'].pk}" in page
    page = client_for("anju").get("/income/survey/?q=张德明").content.decode()
    assert "没有找到“张德明”" in page


def check_form(hh, **overrides):
    return {
        "household": str(hh.pk),
        "year": "2020",
        "item": "housing",
        "ok": "0",
        "checked_on": "2020-06-30",
        "evidence": "C级危房",
        **overrides,
    }


def test_the_survey_page_records_a_check_and_the_tab_highlights_the_gap(client_for, world):
    hh = world.households["zhang"]
    client = client_for("village")
    response = client.post("/income/survey/check/", check_form(hh))
    assert response.status_code == 302
    check = SecurityCheck.objects.get()
    assert (check.item, check.ok, check.evidence, check.checked_on) == (
        "housing",
        False,
        "C级危房",
        dt.date(2020, 6, 30),
    )
    page = client.get(f"/households/{hh.pk}/income/?tab=monitoring&year=2020").content.decode()
    assert "1 项未达标" in page and 'data-item="housing" class="level-severe"' in page
    assert cell(page, "line").startswith("4000.00 元/人·年")
    assert "建议纳入脱贫不稳定户" in page
    assert "住房安全有保障（鉴定）未达标（2020-06-30 核查：C级危房）" in page


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"evidence": ""}, "核查未达标时须写明核查依据"),
        ({"checked_on": "2019-06-30"}, "核查日期须在 2020 年内"),
        ({"checked_on": "30/06"}, "核查日期格式应为 2019-06-30"),
        ({"ok": ""}, "请选择核查结果"),
    ],
)
def test_bad_check_input_is_told_in_chinese_and_writes_nothing(client_for, world, overrides, message):
    response = client_for("village").post(
        "/income/survey/check/", check_form(world.households["zhang"], **overrides)
    )
    assert response.status_code == 400 and message in response.content.decode()
    assert not SecurityCheck.objects.exists()


def test_the_monitoring_tab_without_gaps_or_flags(client_for, world):
    hh = world.households["zhang"]
    security_check_record(
        actor=world.users["village"],
        household=hh,
        year=2020,
        item="water",
        ok=True,
        checked_on=dt.date(2020, 3, 1),
    )
    page = (
        client_for("chuanshan").get(f"/households/{hh.pk}/income/?tab=monitoring&year=2020").content.decode()
    )
    assert "未达标</small>" not in page and cell(page, "scan-result") == "未触发预警"
    assert "未核查" in page


def test_a_bad_year_is_told_in_chinese(client_for, world):
    hh = world.households["zhang"]
    response = client_for("chuanshan").get(f"/households/{hh.pk}/income/?year=abcd")
    assert response.status_code == 400 and "年度“abcd”无效" in response.content.decode()
