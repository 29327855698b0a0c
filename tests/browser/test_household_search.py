"""A county official signs in on a phone, finds a household by name, and reads its history."""

from pathlib import Path

import pytest

from tests.world import PASSWORD, build_world

SCREENSHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"


@pytest.mark.browser
def test_official_finds_household_and_sees_its_history(transactional_db, browser_page, live_server):
    world = build_world()
    page = browser_page
    page.goto(f"{live_server.url}/households/")
    assert page.url == f"{live_server.url}/login/?next=/households/"

    page.fill("#id_username", "chuanshan")
    page.fill("#id_password", PASSWORD)
    page.click("button:has-text('登录')")
    page.wait_for_url(f"{live_server.url}/households/")

    page.fill("input[name=q]", "张德明")
    page.click("button:has-text('查询')")
    page.wait_for_url("**/households/?q=*")
    heads = page.locator("#households td.head-name").all_inner_texts()
    assert heads == ["张德明"]
    assert page.locator(".pager .total").inner_text() == "1"
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "households.png"))

    page.click("#households td.head-name a")
    page.wait_for_url(f"{live_server.url}/households/{world.households['zhang'].pk}/")
    assert page.locator("h1").inner_text().startswith("张德明户")
    history = page.locator("#timeline li").all_inner_texts()
    assert len(history) == 1
    assert "2014-10-01" in history[0]
    assert "识别纳入" in history[0]

    spouse = world.households["zhang"].members.get(name="李秀英")
    page.click(f"#member-{spouse.pk} button")
    revealed = page.locator(".revealed-data").first
    revealed.wait_for()
    assert "长期慢性病" in revealed.inner_text()

    page.screenshot(path=str(SCREENSHOTS / "household.png"), full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390 + 1
