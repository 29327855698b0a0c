"""A county official fills the monthly form on a phone with the keyboard and sees the rule result at once."""

from pathlib import Path

import pytest

from tests.world import PASSWORD, build_world
from yigou.reporting.models import FormValue

SCREENSHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"
ENTRY = "/reporting/entry/?region=510904000000&month=2018-03"


@pytest.mark.browser
def test_official_tabs_through_the_form_and_sees_the_violation(transactional_db, browser_page, live_server):
    build_world()
    page, base = browser_page, live_server.url
    page.goto(f"{base}{ENTRY}")
    page.fill("#id_username", "anju")
    page.fill("#id_password", PASSWORD)
    page.click("button:has-text('登录')")
    page.wait_for_url(f"{base}{ENTRY}")
    assert page.locator("h2", has_text="安居区2018年3月以购助扶成果统计表").is_visible()
    page.click("#v_amount_total")
    page.keyboard.type("2000")
    page.keyboard.press("Tab")  # the paper form's order: 总额 → 其中农户自产 → 其中合作社产品
    page.keyboard.type("1200")
    page.keyboard.press("Tab")
    page.keyboard.type("600")
    assert page.evaluate("document.activeElement.id") == "v_amount_coop"
    assert page.evaluate("getComputedStyle(document.querySelector('#v_amount_total')).textAlign") == "right"
    page.click("button:has-text('保存并校验')")
    page.locator("#violations").wait_for()
    assert "购买金额·总额 = 2000，购买金额·其中农户自产 + 购买金额·其中合作社产品 = 1800" in page.inner_text(
        "#violations"
    )
    assert page.inner_text("#blocked") == "有重要性为“高”的规则未通过：改正前不能上报。"
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "reporting-entry.png"), full_page=True)
    assert sorted(FormValue.objects.values_list("element__code", "value")) == [
        ("amount_coop", 600),
        ("amount_own", 1200),
        ("amount_total", 2000),
    ]
