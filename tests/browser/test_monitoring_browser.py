"""防止返贫监测 end to end on a phone: 李秀英 declares her husband's illness on the public form (no sign-in) and gets
the receipt; 永兴村's staff open the case from the declaration, do the home check with the signed consent and the
village review with its 公示; 永兴镇 reviews after the 公示, 船山区 approves and announces; the village adds a medical
measure and a follow-up visit; months later, with the year's income above the line, the same review steps clear
the risk and the household's monitoring tab shows 已消除风险.

The clock is moved (time_machine) so the procedure's dates — never in the future, the township review only after
the 公示 — can be walked in one test; each role signs in afresh after a move."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest

from tests.browser.test_order_flow import SCREENSHOTS, fits_the_phone, sign_in, sign_out
from tests.income.conftest import card_of
from tests.world import build_world, person
from yigou.income.models import Declaration, Measure, MonitoringCase, MonitoringLine

CONSENT = {"name": "授权承诺书.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4 signed"}


def do_step(page, date: str, label: str, *, files: list | None = None) -> None:
    form = page.locator("#step-form")
    form.locator("input[name=date]").fill(date)
    if files:
        form.locator("input[name=files]").set_input_files(files=files)
    form.locator("button[type=submit]").click()
    page.wait_for_selector(f".messages >> text=已办理：{label}")


@pytest.mark.browser
def test_a_declaration_is_reviewed_helped_and_cleared(
    transactional_db, browser_page, live_server, settings, tmp_path, time_machine
):
    settings.MEDIA_ROOT = tmp_path
    time_machine.move_to(dt.datetime(2026, 3, 2, 9, 0), tick=True)
    world = build_world()
    # A transactional test before this one flushed the lines the data migration wrote: the 2026 line as shipped.
    MonitoringLine.objects.get_or_create(
        year=2026, province_code="510000000000", defaults={"amount": Decimal("7600.00")}
    )
    zhang = world.households["zhang"]
    page, base = browser_page, live_server.url
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    # The public form: no sign-in, the receipt only.
    page.goto(f"{base}/public/monitoring/declare/")
    page.fill("#id_name", "李秀英")
    page.fill("#id_id_number", person("510903", 1962, 1))
    page.fill("#id_phone", "13800001111")
    page.select_option("#id_risk_type", "illness")
    page.fill("#id_description", "丈夫住院，医疗费用花了三万多元")
    assert fits_the_phone(page)
    page.click("button:has-text('提交申报')")
    page.wait_for_selector("#receipt")
    assert page.inner_text("#receipt-message") == "申报已收到，村干部将在7个工作日内入户核实。"
    assert "张德明" not in page.content() and zhang.number not in page.content()
    declaration = Declaration.objects.get()
    assert page.inner_text("#reference") == declaration.reference

    # 永兴村 opens the case and does the home check and the village review.
    time_machine.move_to(dt.datetime(2026, 3, 20, 9, 0), tick=True)
    sign_in(page, base, "village", "/monitoring/declarations/")
    card = page.locator(f"#declaration-{declaration.pk}")
    assert "李**" in card.inner_text()
    card.locator("summary:has-text('立为监测对象')").click()
    card.locator("select[name=group]").select_option("unstable")
    card.locator("button:has-text('立为监测对象')").click()
    page.wait_for_url(re.compile(r"/monitoring/cases/\d+/$"))
    case = MonitoringCase.objects.get()
    assert page.inner_text("#next-step") == "入户核查"
    do_step(page, "2026-03-03", "入户核查", files=[CONSENT])
    do_step(page, "2026-03-04", "村级民主评议并公示")
    assert "公示至 2026-03-08" in page.inner_text(f"#steps-{case.pk}")
    sign_out(page)

    # 永兴镇 before and after the 公示.
    sign_in(page, base, "yongxing", f"/monitoring/cases/{case.pk}/")
    page.locator("#step-form input[name=date]").fill("2026-03-08")
    page.locator("#step-form button[type=submit]").click()
    page.wait_for_selector("#case-error")
    assert "公示期满前不能办理乡镇审核，最早 2026-03-09" in page.inner_text("#case-error")
    do_step(page, "2026-03-09", "乡镇审核")
    sign_out(page)

    sign_in(page, base, "chuanshan", f"/monitoring/cases/{case.pk}/")
    do_step(page, "2026-03-10", "县级审批")
    do_step(page, "2026-03-11", "公告")
    assert page.inner_text("#case-status") == "监测帮扶中"
    sign_out(page)

    # The village adds a measure and records a visit.
    sign_in(page, base, "village", f"/monitoring/cases/{case.pk}/")
    page.click("#measure-form summary")
    form = page.locator("#measure-form")
    form.locator("select[name=kind]").select_option("medical")
    form.locator("textarea[name=description]").fill("协助办理大病医疗救助")
    form.locator("select[name=cadre]").select_option(str(world.cadres["sun"].pk))
    form.locator("input[name=started_on]").fill("2026-03-12")
    form.locator("input[name=deadline]").fill("2026-05-31")
    form.locator("button[type=submit]").click()
    page.wait_for_selector(".messages >> text=已添加帮扶措施。")
    measure = Measure.objects.get()
    follow = page.locator(f"#follow-{measure.pk}")
    follow.locator("summary").click()
    follow.locator("input[name=date]").fill("2026-03-20")
    follow.locator("textarea[name=note]").fill("已报销一万二")
    follow.locator("input[name=next_due]").fill("2026-04-20")
    follow.locator("button[type=submit]").click()
    page.wait_for_selector(".messages >> text=已登记走访。")
    assert "已报销一万二" in page.inner_text(f"#measure-{measure.pk}")
    assert fits_the_phone(page)
    sign_out(page)

    # Months later: the 2026 card is above the line, the same review steps clear the risk.
    card_of(world, zhang, 2026, wage="20000.00")
    time_machine.move_to(dt.datetime(2026, 7, 1, 9, 0), tick=True)
    sign_in(page, base, "village", f"/monitoring/cases/{case.pk}/")
    page.locator("#clearance-form input[name=date]").fill("2026-06-10")
    page.locator("#clearance-form button[type=submit]").click()
    page.wait_for_selector(".messages >> text=已启动风险消除")
    sign_out(page)
    sign_in(page, base, "yongxing", f"/monitoring/cases/{case.pk}/")
    do_step(page, "2026-06-15", "乡镇审核")
    sign_out(page)
    sign_in(page, base, "chuanshan", f"/monitoring/cases/{case.pk}/")
    do_step(page, "2026-06-16", "县级审批")
    do_step(page, "2026-06-17", "公告")
    assert page.inner_text("#case-status") == "已消除风险"
    page.screenshot(path=str(SCREENSHOTS / "monitoring-case-cleared.png"), full_page=True)
    page.goto(f"{base}/households/{zhang.pk}/income/?tab=monitoring&year=2026")
    assert "脱贫不稳定户 · 已消除风险" in page.inner_text("#monitoring-cases")
    case.refresh_from_db()
    assert (case.status, case.started_on, case.ended_on) == (
        "cleared",
        dt.date(2026, 3, 11),
        dt.date(2026, 6, 17),
    )


@pytest.mark.browser
def test_a_village_cadre_enters_a_survey_on_the_phone(transactional_db, browser_page, live_server):
    """入户调查 on a phone: the household found by typing its head's name (htmx), one income component entered,
    a wrong amount refused in Chinese, the card showing the entry."""
    world = build_world()
    zhang = world.households["zhang"]
    page, base = browser_page, live_server.url
    sign_in(page, base, "village", "/income/survey/")
    page.fill("input[name=q]", "张德明")
    page.click(f"#household-choices a[href$='?household={zhang.pk}']")
    page.wait_for_selector("#picked")
    assert fits_the_phone(page)
    form = page.locator("#survey-entry")
    form.locator("input[name=year]").fill("2026")
    form.locator("select[name=component]").select_option("wage")
    form.locator("input[name=amount]").fill("12.345")
    form.locator("button[type=submit]").click()
    page.wait_for_selector("#survey-entry .error")
    assert "金额最多 2 位小数" in page.inner_text("#survey-entry .error")
    form = page.locator("#survey-entry")
    form.locator("input[name=amount]").fill("12000")
    form.locator("textarea[name=note]").fill("在遂宁务工 10 个月")
    form.locator("button[type=submit]").click()
    page.wait_for_selector(".messages >> text=已登记：张德明户 2026年 工资性收入 12000元。")
    page.click("#picked a:has-text('查看收入台账')")
    page.wait_for_selector("#income-card")
    assert page.inner_text("#per-capita") == "6000.00"
