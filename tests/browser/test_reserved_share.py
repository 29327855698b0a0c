"""A budget unit's staff file this year's reserved share on a phone, the unit buys against it, and the page's
completion rate moves: nothing while the order is unpaid, 10.00% once it is paid.

The order is placed and paid through the market services in the test (the order pages are another area's
work); the browser files, submits and watches the completion.
"""

import datetime as dt
import re
from pathlib import Path

import pytest

from tests.shares.example import Example, add_presale, add_units, buy
from tests.world import PASSWORD, build_world
from yigou.ledger.enums import BuyerKind
from yigou.market import ordering
from yigou.shares.models import ShareFiling

SCREENSHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"


def completion(page):
    return page.inner_text("#done"), page.inner_text("#rate").split()[0]


@pytest.mark.browser
def test_unit_files_a_reserved_share_buys_against_it_and_sees_the_rate_change(
    transactional_db, browser_page, live_server
):
    today = dt.date.today()
    ex = Example(world=build_world(), year=today.year, today=today)
    add_units(ex)
    add_presale(ex)
    page, base = browser_page, live_server.url
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    page.goto(f"{base}/shares/")
    page.fill("#id_username", "a_staff")
    page.fill("#id_password", PASSWORD)
    page.click("button:has-text('登录')")
    page.wait_for_url(f"{base}/shares/mine/")
    assert page.inner_text("#filing-status") == "未填报"

    page.click("#file-link")
    page.wait_for_url(re.compile(r"/shares/file/"))
    assert page.inner_text("#floor") == "10.00%"  # no floor set for 船山区 this year: the national minimum
    page.select_option("#id_mode", "own")
    page.fill("#id_canteen_total", "20000")
    page.fill("#id_ratio", "20")
    page.fill("#id_union_per_head", "0")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390 + 1
    page.click("#save-filing")
    filing = ShareFiling.objects.get(unit=ex.units["A"], year=ex.year)
    page.wait_for_url(f"{base}/shares/filings/{filing.pk}/")
    assert page.inner_text("#reserved") == "4000.00 元"
    page.click("#submit-filing")
    page.wait_for_url(f"{base}/shares/filings/{filing.pk}/")
    assert "已报送" in page.inner_text(".messages")
    assert page.inner_text("#status") == "已报送待审核"

    page.goto(f"{base}/shares/mine/")
    assert page.inner_text("#target") == "4000.00"
    assert completion(page) == ("0.00", "0.00%")

    order = buy(ex, "canteen", "大米", "80", unit=ex.units["A"], kind=BuyerKind.CANTEEN, pay=False)
    page.reload()
    assert completion(page) == ("0.00", "0.00%")  # received, not yet paid: does not count

    ordering.order_pay(actor=ex.admin, order=order, paid_on=today, today=today)
    page.reload()
    assert completion(page) == ("400.00", "10.00%")  # 80 公斤 × 5.00 元 of 4,000.00 元
    assert page.locator("#purchases tbody tr").count() == 1
    page.screenshot(path=str(SCREENSHOTS / "reserved-share.png"), full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390 + 1
