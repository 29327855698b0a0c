"""A county official at a village market records a purchase on a phone, then sees it in the statistics table."""

import re
from pathlib import Path

import pytest

from tests.world import PASSWORD, build_world
from yigou.ledger.models import Purchase

SCREENSHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"


def sign_in(page, base, next_path):
    page.goto(f"{base}{next_path}")
    page.fill("#id_username", "chuanshan")
    page.fill("#id_password", PASSWORD)
    page.click("button:has-text('登录')")
    page.wait_for_url(f"{base}{next_path}")


@pytest.mark.browser
def test_official_records_a_purchase_and_finds_it_in_the_table(transactional_db, browser_page, live_server):
    world = build_world()
    page, base = browser_page, live_server.url
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    sign_in(page, base, "/purchases/new/")

    page.select_option("#id_buyer_kind", "individual")
    assert page.is_hidden("#id_buyer_cadre") and page.is_visible("#id_buyer_name")
    page.fill("#id_buyer_name", "李四")
    page.select_option("#id_channel", "onsite")
    page.fill("#household-q", "张德明")
    choice = page.locator("#household-choices label", has_text="张德明")
    choice.wait_for()
    choice.locator("input").check()
    page.fill("#id_line-0-product", "腊肉")
    page.fill("#id_line-0-quantity", "3")
    page.fill("#id_line-0-unit", "公斤")
    page.fill("#id_line-0-unit_price", "60")
    page.click("#add-line")
    page.fill("#id_line-1-product", "土鸡蛋")
    page.fill("#id_line-1-quantity", "20")
    page.fill("#id_line-1-unit", "个")
    page.fill("#id_line-1-unit_price", "1.5")
    assert page.input_value("#id_line-1-amount") == "30.00"
    assert page.inner_text("#sum") == "210.00"
    assert page.evaluate("document.documentElement.scrollWidth") <= 390 + 1

    # What the phone shows (a full-page capture would leave the sticky submit bar unclickable in Chromium).
    page.screenshot(path=str(SCREENSHOTS / "purchase-entry.png"))
    page.click("button:has-text('保存购买记录')")
    page.wait_for_url(re.compile(r"/purchases/\d+/$"))
    assert page.url == f"{base}/purchases/{Purchase.objects.get().pk}/"
    assert "已登记购买记录" in page.inner_text(".messages")
    assert page.locator("#beneficiaries td[data-label=农户]").all_inner_texts() == ["张德明"]
    page.screenshot(path=str(SCREENSHOTS / "purchase-detail.png"), full_page=True)

    page.click("nav.menu a:has-text('统计表')")
    page.wait_for_url(f"{base}/stats/")
    assert "船山区" in page.inner_text("#stats-title")
    amount_column = 14  # name, activities, 5 outlets, fees, 2 villages, 4 households/income, then 总额
    yongxing = page.locator("tr[data-region='510903101000'] td").all_inner_texts()
    assert (yongxing[0], yongxing[amount_column]) == ("永兴镇", "210.00")
    total = page.locator("tr.total td").all_inner_texts()
    assert (total[0], total[amount_column], total[8], total[10]) == ("合计", "210.00", "1", "1")
    page.screenshot(path=str(SCREENSHOTS / "stats-table.png"), full_page=True)
    assert (
        page.evaluate("document.documentElement.scrollWidth") <= 390 + 1
    )  # the wide table scrolls in its box
    assert world.households["zhang"].sales.count() == 1
