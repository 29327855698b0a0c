"""Unsold produce, end to end on a phone: the 永兴村 clerk enters 张德明's 腊肉 (100 公斤, 2 days left, nothing
sold); the scan raises 严重 and opens a case for 船山区; the county office publishes what is left and notifies
遂宁市财政局 (paired with 永兴村 for this test); the unit sees the notice, orders all 100 公斤 at 58.00 元, the
village confirms and ships, the unit accepts and pays — and the case closes by itself with 100 公斤 and
5800.00 元 rescued.
"""

import datetime as dt
import io
import re

import pytest
from django.core.management import call_command

from tests.browser.test_order_flow import SCREENSHOTS, fits_the_phone, sign_in, sign_out
from tests.world import build_world
from yigou.assist.models import AssistingUnit
from yigou.assist.services import pair_unit_village
from yigou.market.models import Order
from yigou.supply.models import Case

TODAY = dt.date.today()


def enter_the_supply(page, base: str, world) -> None:
    sign_in(page, base, "village", "/supply/new/")
    page.select_option("#id_village", "510903101001")
    page.fill("#id_household", world.households["zhang"].number)
    page.fill("#id_name", "腊肉")
    page.select_option("#id_category", "meat_egg")
    page.fill("#id_unit", "公斤")
    page.fill("#id_quantity", "100")
    page.fill("#id_available_from", str(TODAY - dt.timedelta(days=20)))
    page.fill("#id_available_to", str(TODAY + dt.timedelta(days=2)))
    page.fill("#id_keeps_days", "60")
    page.fill("#id_expected_price", "60.00")
    assert fits_the_phone(page)
    page.click("#save-supply")
    page.wait_for_url(f"{base}/supply/")
    assert "已登记供给：腊肉 100公斤" in page.inner_text(".messages")
    sign_out(page)


def publish_from_the_case(page, base: str) -> Case:
    sign_in(page, base, "chuanshan", "/supply/cases/")
    case = Case.objects.get()
    assert page.locator("#cases tbody tr").count() == 1
    page.click(f"#cases a:has-text('{case.number}')")
    page.wait_for_url(f"{base}/supply/cases/{case.pk}/")
    assert page.inner_text("#case-level") == "严重"
    assert page.inner_text("#case-office") == "船山区"
    assert "遂宁市财政局" in page.inner_text("#buyers")
    page.fill("#id_unit_price", "58.00")
    page.fill("#id_contact_name", "张德明")
    page.fill("#id_contact_phone", "13800001111")
    finance = AssistingUnit.objects.get(name="遂宁市财政局")
    assert page.is_checked(f"input[name='buyers'][value='unit:{finance.pk}']")  # paired: ticked by default
    assert fits_the_phone(page)
    page.click("#publish")
    page.wait_for_url(f"{base}/supply/cases/{case.pk}/")
    assert "已发布预售清单" in page.inner_text(".messages")
    page.screenshot(path=str(SCREENSHOTS / "unsold-case-published.png"), full_page=True)
    sign_out(page)
    case.refresh_from_db()
    return case


def the_unit_orders(page, base: str, case: Case) -> Order:
    sign_in(page, base, "unit", "/")
    assert page.inner_text("a.inbox .unread") == "1"
    page.click("a.inbox")
    page.wait_for_url(f"{base}/notices/")
    notice = page.locator("#notices li", has_text="急需帮销：永兴村腊肉 100公斤")
    notice.locator("button").click()
    page.wait_for_url(f"{base}/market/{case.presale_list_id}/")
    item = case.presale_list.items.get()
    page.fill(f"#qty-{item.pk}", "100")
    page.fill("#id_delivery_address", "遂宁市财政局机关食堂")
    page.click("#place-order")
    page.wait_for_url(re.compile(r"/orders/\d+/$"))
    order = Order.objects.get()
    assert page.inner_text("#order-total") == "5800.00 元"
    sign_out(page)
    return order


@pytest.mark.browser
def test_a_village_supply_goes_severe_and_the_county_has_it_sold_to_a_paired_unit(
    transactional_db, browser_page, live_server
):
    world = build_world()
    pair_unit_village(
        actor=world.users["admin"],
        unit=world.units["finance"],
        village=world.region("510903101001"),
        start=TODAY,
    )
    page, base = browser_page, live_server.url
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    enter_the_supply(page, base, world)
    call_command("warnings", "scan", stdout=io.StringIO())
    case = publish_from_the_case(page, base)
    order = the_unit_orders(page, base, case)

    sign_in(page, base, "village", f"/orders/{order.pk}/")
    page.click("#step-confirm")
    page.wait_for_selector("text=已确认订单")
    page.fill("#ship-note", "村委会门口自提")
    page.click("#step-ship")
    page.wait_for_selector("text=已发货/备货完成")
    sign_out(page)

    sign_in(page, base, "unit", f"/orders/{order.pk}/")
    page.click("#step-receive")
    page.wait_for_selector("text=已验收")
    page.fill("#id_payment_ref", "财政局转账 2026-118")
    page.click("#step-pay")
    page.wait_for_selector("text=已登记付款（5800.00 元）")
    sign_out(page)

    sign_in(page, base, "chuanshan", f"/supply/cases/{case.pk}/")
    assert page.inner_text("#case-status") == "已结案（已售完）"
    assert page.inner_text("#case-rescued") == "100公斤，5800.00 元"
    assert "已售完：帮销 100公斤，5800.00 元" in page.inner_text("#case-events")
    page.screenshot(path=str(SCREENSHOTS / "unsold-case-closed.png"), full_page=True)
