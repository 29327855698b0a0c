"""On a phone: 遂宁市财政局 orders from the 永兴村 pre-sale list, the village confirms and ships, the unit accepts and
marks it paid, and the 船山区 office finds the purchase in the statistics table.

Worked example: 腊肉 2 × 60.00 + 土鸡蛋 30 × 1.50 + 柑橘 7 × 4.31 = 120.00 + 45.00 + 30.17 = 195.17 元, all sold in
永兴镇 (永兴村 households and the 永兴镇 fruit company), so the 永兴镇 row and the 船山区 total both show 195.17.
"""

import re
from pathlib import Path

import pytest

from tests.market.presale_world import build_market
from tests.world import PASSWORD, build_world
from yigou.ledger.columns import CODES
from yigou.ledger.models import Purchase
from yigou.market.models import Order

SCREENSHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"
PHONE_WIDTH = 390


def sign_in(page, base: str, username: str, next_path: str) -> None:
    page.goto(f"{base}{next_path}")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("button:has-text('登录')")
    page.wait_for_url(f"{base}{next_path}")


def sign_out(page) -> None:
    page.click("form.logout button")
    page.wait_for_url(re.compile(r"/login/"))


def fits_the_phone(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth") <= PHONE_WIDTH + 1


def order_and_confirm(page, base: str, market) -> Order:
    sign_in(page, base, "unit", "/market/")
    page.click("#open-lists a:has-text('永兴村秋季农产品预售')")
    page.wait_for_url(f"{base}/market/{market.lists['village'].pk}/")
    for name, quantity in (("腊肉", "2"), ("土鸡蛋", "30"), ("柑橘", "7")):
        page.fill(f"#qty-{market.items[name].pk}", quantity)
    page.fill("#id_delivery_address", "遂宁市财政局机关食堂")
    assert fits_the_phone(page)
    page.screenshot(path=str(SCREENSHOTS / "order-list-page.png"), full_page=True)
    page.click("#place-order")
    page.wait_for_url(re.compile(r"/orders/\d+/$"))
    order = Order.objects.get()
    assert "已下单" in page.inner_text(".messages") and page.inner_text("#order-total") == "195.17 元"
    sign_out(page)

    sign_in(page, base, "village", "/orders/")
    assert page.inner_text("#todo-total") == "1"
    page.click(f"#orders tr[data-order='{order.pk}'] a")
    page.click("#step-confirm")
    page.wait_for_selector("text=已确认订单")
    page.fill("#ship-note", "村委会门口自提")
    page.click("#step-ship")
    page.wait_for_selector("text=已发货/备货完成")
    assert page.inner_text("#order-status") == "已发货/待提货"
    sign_out(page)
    return order


@pytest.mark.browser
def test_a_unit_orders_the_village_ships_and_the_paid_order_reaches_the_table(
    transactional_db, browser_page, live_server
):
    market = build_market(build_world())
    page, base = browser_page, live_server.url
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    order = order_and_confirm(page, base, market)

    sign_in(page, base, "unit", f"/orders/{order.pk}/")
    page.click("#step-receive")
    page.wait_for_selector("text=已验收：合格 3 项，拒收 0 项。")
    page.fill("#id_payment_ref", "财政局转账 2026-001")
    page.click("#step-pay")
    page.wait_for_selector("text=已登记付款（195.17 元），购买记录已写入台账。")
    assert page.inner_text("#order-status") == "已付款"
    actions = page.locator("#timeline li").evaluate_all("els => els.map(e => e.dataset.action)")
    assert actions == ["place", "confirm", "ship", "receive", "pay"]
    assert fits_the_phone(page)
    page.screenshot(path=str(SCREENSHOTS / "order-paid.png"), full_page=True)
    assert sorted(str(p.total) for p in Purchase.objects.filter(order=order)) == ["165.00", "30.17"]
    sign_out(page)

    sign_in(page, base, "chuanshan", "/")
    page.click("nav.menu a:has-text('统计表')")
    page.wait_for_url(f"{base}/stats/")
    amount_column = 1 + CODES.index("amount_total")  # after the region name, in the official column order
    yongxing = page.locator("tr[data-region='510903101000'] td").all_inner_texts()
    total = page.locator("tr.total td").all_inner_texts()
    assert (yongxing[0], yongxing[amount_column]) == ("永兴镇", "195.17")
    assert (total[0], total[amount_column]) == ("合计", "195.17")
    page.locator("tr.total td").nth(
        amount_column
    ).scroll_into_view_if_needed()  # the wide table scrolls in its box
    page.screenshot(path=str(SCREENSHOTS / "order-stats-table.png"))
