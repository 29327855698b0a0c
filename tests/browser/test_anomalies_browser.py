"""A duplicate purchase, end to end on a phone: 张德明's 腊肉 entered twice (A-1, B-7) and scanned; the city's auditor
opens a case from the findings page; the city office assigns it to 船山区; the county explains with a file; the city
confirms — the copy B-7 is reversed (never the first) and the case page shows 已查实.
"""

from __future__ import annotations

import re

import pytest

from tests.anomalies.conftest import sell
from tests.browser.test_order_flow import SCREENSHOTS, fits_the_phone, sign_in, sign_out
from tests.world import build_world
from yigou.anomalies.models import Finding, Investigation
from yigou.anomalies.scan import scan
from yigou.core.periods import parse_period
from yigou.ledger.models import Purchase


@pytest.mark.browser
def test_a_duplicate_is_opened_assigned_explained_and_confirmed_into_a_reversal(
    transactional_db, browser_page, live_server, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    world = build_world()
    zhang = world.households["zhang"]
    first, copy = sell(world, zhang, external_id="A-1"), sell(world, zhang, external_id="B-7")
    scan(world.region("510900000000"), parse_period("2018"))
    finding = Finding.objects.get()
    page, base = browser_page, live_server.url
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    sign_in(page, base, "auditor", "/anomalies/?period=2018")
    row = page.locator(f"#findings tr[data-finding='{finding.pk}']")
    assert "重复录入" in row.inner_text() and "A-1、B-7" in row.inner_text()
    assert fits_the_phone(page)
    row.locator("button.open-case").click()
    page.wait_for_url(re.compile(r"/anomalies/cases/\d+/$"))
    case = Investigation.objects.get()
    assert f"已立案：{case.number}。" in page.inner_text(".messages")
    assert page.locator("#assign-form").count() == 0 and page.locator("#confirm-form").count() == 0
    sign_out(page)

    sign_in(page, base, "city", f"/anomalies/cases/{case.pk}/")
    page.select_option("#id_assignee", str(world.users["chuanshan"].pk))
    page.click("#assign")
    page.wait_for_selector("text=已交办")
    assert page.inner_text("#case-status") == "已交办"
    sign_out(page)

    sign_in(page, base, "chuanshan", "/anomalies/cases/")
    page.wait_for_selector("#case-chart canvas")  # the dashboard's bars drew
    page.click(f"#cases a:has-text('{case.number}')")
    page.wait_for_url(f"{base}/anomalies/cases/{case.pk}/")
    page.fill("#id_text", "经核实，B-7 为乡镇汇总时重复导入。")
    page.set_input_files(
        "#id_files", files=[{"name": "说明.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4 test"}]
    )
    page.click("#explain")
    page.wait_for_selector("text=情况说明已提交。")
    assert page.inner_text("#case-status") == "已说明" and "说明.pdf" in page.inner_text("#case-files")
    sign_out(page)

    sign_in(page, base, "city", f"/anomalies/cases/{case.pk}/")
    page.fill("#confirm_reason", "重复录入属实")
    page.click("#confirm")
    page.wait_for_selector("text=已查实：冲销 1 笔，金额 600.00 元。")
    assert "已查实" in page.inner_text("#case-status")
    assert page.inner_text("#case-reversed") == "1 笔，600.00 元"
    assert "查实并冲销" in page.inner_text("#case-events")
    page.screenshot(path=str(SCREENSHOTS / "anomaly-case-confirmed.png"), full_page=True)
    assert Purchase.objects.filter(reverses=copy).exists()
    assert not Purchase.objects.filter(reverses=first).exists()
