"""A cooperative surplus from plan to payment on a phone: 永兴蔬菜专业合作社 plans its 2018 (the worked example),
computes and approves it; 永兴镇 approves and publishes it; the village clerk raises an objection during the 公示;
the township answers it and pays; 张德明's statement shows what his household was paid."""

from __future__ import annotations

import re

import pytest

from tests.benefits.conftest import build_coop
from tests.browser.test_order_flow import SCREENSHOTS, fits_the_phone, sign_in, sign_out
from tests.world import build_world
from yigou.benefits.models import Distribution
from yigou.income.models import IncomeEntry


@pytest.mark.browser
def test_a_surplus_goes_from_plan_to_publication_to_payment(
    transactional_db, browser_page, live_server, settings
):
    settings.YIGOU_BENEFITS_NOTICE_DAYS = 0
    world = build_world()
    coop = build_coop(world)
    page, base = browser_page, live_server.url
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    sign_in(page, base, "producer", "/benefits/new/surplus/")
    page.select_option("#id_producer", str(coop.producer.pk))
    page.fill("#id_year", "2018")
    page.fill("#id_surplus", "123456.78")
    page.fill("#id_reserve_rate", "10")
    page.fill("#id_trading_rate", "59")
    page.click("#submit")
    page.wait_for_selector("#form-error")
    assert "低于法定的 60%" in page.inner_text("#form-error") and not Distribution.objects.exists()
    page.fill("#id_trading_rate", "60")
    page.click("#submit")
    page.wait_for_url(re.compile(r"/benefits/\d+/$"))
    row = Distribution.objects.get()
    page.click("#compute")
    page.wait_for_selector("text=测算完成。")
    assert "111,111.10" in page.inner_text("#working") and "800.00" in page.inner_text("#working")
    assert fits_the_phone(page)
    page.click("#approve-holder")
    page.wait_for_selector("text=经营主体审核通过。")
    assert page.inner_text("#status") == "经营主体已审核"
    sign_out(page)

    sign_in(page, base, "yongxing", f"/benefits/{row.pk}/")
    page.click("#approve-township")
    page.wait_for_selector("text=乡镇审核通过。")
    page.click("#publish")
    page.wait_for_selector("text=已公示。")
    assert page.inner_text("#status") == "公示中"
    sign_out(page)

    sign_in(page, base, "village", f"/benefits/{row.pk}/")
    page.select_option("#object-form select[name=household]", str(world.households["zhang"].pk))
    page.fill("#object-form input[name=text]", "张德明户交易额是否含台账销售？")
    page.click("#object")
    page.wait_for_selector("text=异议已登记，待乡镇答复。")
    assert page.locator("#pay").count() == 0
    sign_out(page)

    sign_in(page, base, "yongxing", f"/benefits/{row.pk}/")
    page.click("#pay")
    page.wait_for_selector("#step-error")
    assert "尚有未答复的异议" in page.inner_text("#step-error") and IncomeEntry.objects.count() == 0
    page.fill("#objections input[name=answer]", "已含台账销售 600.00 元，交易额 30,000.00 元无误")
    page.click("#objections button.answer")
    page.wait_for_selector("text=已答复：异议不成立。")
    page.click("#pay")
    page.wait_for_selector("text=已兑付 111111.10 元，收入已记入农户收入台账。")
    assert page.inner_text("#status") == "已兑付" and page.locator("#steps button").count() == 0
    page.screenshot(path=str(SCREENSHOTS / "benefits-paid.png"), full_page=True)
    page.click("#allocations a:has-text('张德明') >> nth=0")
    page.wait_for_url(f"{base}/benefits/households/{world.households['zhang'].pk}/")
    assert page.inner_text("#statement-total") == "21414.71"
    assert fits_the_phone(page)
    assert IncomeEntry.objects.filter(source="distribution").count() == 6
