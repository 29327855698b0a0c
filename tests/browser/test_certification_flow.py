"""On a phone, through the pages only: the 永兴 cooperative applies for 永兴土蜂蜜 with its commitment letter and
two linked households, 永兴镇 reviews and passes it, 船山区 certifies it (the public notice starts), lists it once
the notice is over, an anonymous visitor finds it in the public catalog by its pinyin initials and sees the
certificate number and the QR code; then 船山区 revokes it and the catalog no longer shows it.

Worked example, with D the day the test runs: the first certificate of 船山区 in D's year is 510903-<year>-0001;
the notice (YIGOU_NOTICE_DAYS = 5, the default) runs D..D+5, so listing on D is refused and is done on D+6
(the clock is moved with time-machine: the server and the services keep deciding "today" themselves), valid
until D+6 one year later. Linked households: 张德明 (co-op member) and 王建国 (linked below) → 2 户.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import time
from decimal import Decimal
from pathlib import Path

import pytest
import segno
import time_machine

from tests.world import PASSWORD, build_world
from yigou.market.certification_rules import add_years
from yigou.market.models import Product
from yigou.registry import services as registry
from yigou.registry.enums import Mechanism

SCREENSHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"
PHONE_WIDTH = 390
LETTER = {"name": "承诺函.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4 commitment letter"}


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


def shot(page, name: str) -> None:
    assert fits_the_phone(page), name
    page.screenshot(path=str(SCREENSHOTS / f"cert-{name}.png"), full_page=True)


def status(page) -> str:
    return page.inner_text("h1 .badge").strip()


def fact(page, label: str) -> str:
    return page.inner_text(f"dl.facts dt:text-is('{label}') + dd").strip()


def timeline(page) -> list[str]:
    return page.locator("#timeline li strong").all_inner_texts()


def apply_as_producer(page, base: str, world) -> Product:
    sign_in(page, base, "producer", "/certification/apply/")
    households = world.households
    page.fill("#id_name", "永兴土蜂蜜")
    page.select_option("#id_category", "processed")
    page.fill("#id_specification", "500克/瓶")
    page.fill("#id_unit", "瓶")
    page.fill("#id_capacity", "2000")
    page.select_option("#id_capacity_period", "year")
    page.fill("#id_base", "永兴镇永兴村3组蜂场")
    page.fill("#id_price", "45.00")
    page.fill("#id_price_links", "https://example.com/honey/1")
    page.select_option("#id_mechanism", Mechanism.ORDER)
    page.fill("#id_mechanism_note", "订单收购社员蜂蜜")
    for key in ("zhang", "wang"):
        page.check(f"input[name='households'][value='{households[key].pk}']")
    page.set_input_files("#id_commitment", files=[LETTER])
    shot(page, "apply")
    page.click("button:has-text('提交申报')")
    page.wait_for_url(re.compile(r"/certification/\d+/$"))
    product = Product.objects.get()
    assert page.inner_text(".messages").strip() == "已申报“永兴土蜂蜜”，等待乡镇（行业部门）审核。"
    assert status(page) == "已申报"
    assert page.locator("#linked-households tbody tr").count() == 2
    assert page.inner_text("#files").strip() == "承诺函：承诺函.pdf"
    assert timeline(page) == ["申报"]
    assert page.locator("#review-form, #decide-form").count() == 0  # an applicant neither reviews nor decides
    sign_out(page)
    return product


def another_county_cannot_see(page, base: str, product: Product) -> None:
    """安居区 (a neighbouring county) gets no trace of 船山区's application, not even by its address."""
    sign_in(page, base, "anju", "/certification/")
    assert page.inner_text("#products tbody").strip() == "没有符合条件的申报。"
    response = page.goto(f"{base}/certification/{product.pk}/")
    assert response is not None and response.status == 404
    sign_out(page)


def review_as_township(page, base: str, product: Product) -> None:
    sign_in(page, base, "yongxing", f"/certification/{product.pk}/")
    page.select_option("#review-form select[name='verdict']", "pass")
    page.fill("#review-form input[name='reason']", "材料齐全，联结农户属实")
    page.click("#review-form button:has-text('提交审核意见')")
    page.wait_for_selector(".messages")
    assert page.inner_text(".messages").strip() == "已审核通过，报县级认定。"
    assert status(page) == "乡镇（行业部门）已审核"
    assert page.locator("#decide-form").count() == 0  # deciding is the county's
    sign_out(page)


def certify_as_county(page, base: str, product: Product, number: str, notice_end: dt.date) -> None:
    sign_in(page, base, "chuanshan", f"/certification/{product.pk}/")
    page.select_option("#decide-form select[name='verdict']", "certify")
    page.click("#decide-form button:has-text('提交认定结果')")
    page.wait_for_selector(".messages")
    assert page.inner_text(".messages").strip() == f"已认定，认定编号 {number}，公示至 {notice_end}。"
    assert status(page) == "公示中"
    assert fact(page, "认定编号") == number
    # The notice is still running: the county cannot list it yet, and nothing changes.
    page.click("#list-form button:has-text('列入扶贫产品目录')")
    page.wait_for_selector("div.error[role='alert']")
    assert (
        page.inner_text("div.error[role='alert']").strip()
        == f"输入有误：公示期至 {notice_end}，期满后才能列入目录"
    )
    assert Product.objects.get().status == "notice"
    shot(page, "notice")


def find_in_catalog(anon, base: str, number: str, valid: str) -> None:
    anon.goto(f"{base}/catalog/")
    anon.fill("input[name='q']", "yxtfm")
    anon.click("form.filters button:has-text('查询')")
    anon.wait_for_url(re.compile(r"/catalog/\?.*q=yxtfm"))
    rows = anon.locator("#catalog tbody tr")
    assert rows.count() == 1
    assert anon.inner_text("#catalog tbody td[data-label='认定编号']").strip() == number
    shot(anon, "catalog")
    anon.click("#catalog a:has-text('永兴土蜂蜜')")
    anon.wait_for_url(re.compile(r"/catalog/\d+/$"))
    assert anon.inner_text("h1 .badge").strip() == "已列入扶贫产品目录"
    assert anon.inner_text("#certificate").strip() == number
    assert anon.inner_text("#households").strip() == "2 户"
    assert anon.inner_text("#validity").strip() == valid
    assert (
        anon.inner_text("#product-facts dt:text-is('生产主体') + dd").strip()
        == "船山区永兴蔬菜专业合作社（农民专业合作社）"
    )
    qr = anon.locator("#qr svg")
    box = qr.bounding_box()
    assert box is not None and box["width"] >= 100 and box["height"] >= 100
    assert qr.locator("title").text_content() == "永兴土蜂蜜 扶贫产品目录页面"
    # The downloadable QR code is exactly the code of this page's address (segno is deterministic).
    svg = anon.request.get(f"{anon.url}qr.svg")
    assert svg.status == 200 and svg.headers["content-type"] == "image/svg+xml"
    expected = io.BytesIO()
    segno.make(anon.url, error="m").save(expected, kind="svg", scale=8, title="永兴土蜂蜜 扶贫产品目录页面")
    assert svg.body() == expected.getvalue()
    shot(anon, "catalog-product")


def revoke_as_county(page, base: str, product: Product) -> None:
    page.goto(f"{base}/certification/{product.pk}/")
    page.click("#revoke-form summary")
    page.fill("#revoke-form input[name='reason']", "抽检不合格")
    page.click("#revoke-form button:has-text('撤销认定')")
    page.wait_for_selector(".messages")
    assert page.inner_text(".messages").strip() == "已撤销认定。"
    assert status(page) == "已撤销"
    assert timeline(page) == ["申报", "审核通过", "县级认定，进入公示", "公示期满，列入目录", "撤销认定"]
    shot(page, "revoked")


@pytest.mark.browser
def test_a_product_is_applied_for_reviewed_certified_listed_found_by_pinyin_and_revoked(
    transactional_db, browser_page, live_server
):
    world = build_world()
    registry.linkage_add(
        actor=world.users["admin"],
        producer=world.producers["coop"],
        household=world.households["wang"],
        mechanism=Mechanism.ORDER,
        start=dt.date(2017, 3, 1),
        expected_income=Decimal("800.00"),
    )
    page, base = browser_page, live_server.url
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    today = dt.date.today()
    number, notice_end = f"510903-{today.year}-0001", today + dt.timedelta(days=5)

    product = apply_as_producer(page, base, world)
    another_county_cannot_see(page, base, product)
    review_as_township(page, base, product)
    certify_as_county(page, base, product, number, notice_end)

    listed_on = notice_end + dt.timedelta(days=1)
    valid_until = add_years(listed_on, 1)
    with time_machine.travel(time.time() + 6 * 86400):  # a timestamp: the time zone stays as it is
        assert dt.date.today() == listed_on
        page.goto(f"{base}/certification/{product.pk}/")
        page.click("#list-form button:has-text('列入扶贫产品目录')")
        page.wait_for_selector(".messages")
        assert page.inner_text(".messages").strip() == f"已列入扶贫产品目录，有效期至 {valid_until}。"
        assert status(page) == "已列入目录"
        assert fact(page, "列入目录") == f"{listed_on}，有效期至 {valid_until}"

        anon_context = page.context.browser.new_context(
            viewport={"width": PHONE_WIDTH, "height": 844}, locale="zh-CN"
        )
        anon = anon_context.new_page()
        anon.set_default_timeout(15000)
        find_in_catalog(anon, base, number, f"{listed_on} 至 {valid_until}")

        revoke_as_county(page, base, product)
        anon.goto(f"{base}/catalog/?q=yxtfm")
        assert anon.inner_text("#catalog tbody").strip() == "没有符合条件的产品。"
        gone = anon.goto(f"{base}/catalog/{product.pk}/")
        assert gone is not None and gone.status == 404
        anon_context.close()

    product.refresh_from_db()
    assert (product.status, product.certificate_no, product.revoked_on) == ("revoked", number, listed_on)
