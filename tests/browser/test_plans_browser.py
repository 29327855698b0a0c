"""A plan end to end on a phone: the city imports its task list (a bad file first, refused in Chinese with nothing
written), reports a task done with evidence, adds a target and splits it to the two counties, sets up an
assessment and reads the ranking — 船山区 first with the network's figures."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from tests.browser.test_order_flow import SCREENSHOTS, fits_the_phone, sign_in
from tests.world import build_world
from yigou.core.xlsx import Sheet, write_workbook
from yigou.plans import schemes, services
from yigou.plans.enums import SiteKind
from yigou.plans.models import Plan, Target, Task

HEADERS = ["序号", "任务内容", "牵头单位", "配合单位", "完成时限"]


def xlsx(rows) -> bytes:
    return write_workbook([Sheet(name="任务清单", headers=HEADERS, rows=rows)])


def _sites(world) -> None:
    for code, count in (("510903101001", 3), ("510904101001", 1)):
        for n in range(count):
            schemes.site_register(
                actor=world.users["admin"],
                kind=SiteKind.CHAIN_STORE,
                name=f"便民店{code[-3:]}{n}",
                region=world.region(code),
                opened_on=dt.date(2018, 3, 1),
            )


@pytest.mark.browser
def test_from_the_task_list_import_to_a_report_to_the_ranking(
    transactional_db, browser_page, live_server, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    world = build_world()
    _sites(world)
    plan = services.plan_create(
        actor=world.users["city"],
        region=world.region("510900000000"),
        data=services.PlanInput("遂宁市消费扶贫实施方案", dt.date(2018, 1, 1), dt.date(2018, 12, 31)),
    )
    page, base = browser_page, live_server.url
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    sign_in(page, base, "city", f"/plans/{plan.pk}/")
    page.click("#import-link")
    page.set_input_files(
        "#import-form input[name=file]",
        files=[
            {
                "name": "bad.xlsx",
                "mimeType": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                "buffer": xlsx([["1", "建立台账", "", "", "明年"]]),
            }
        ],
    )
    page.click("#import-form button")
    page.wait_for_selector("#import-report")
    assert "全部数据均未导入" in page.inner_text("#import-report")
    assert "不能为空" in page.inner_text("#import-report") and "“明年”不是日期" in page.inner_text(
        "#import-report"
    )
    assert not Task.objects.exists()
    rows = [
        ["1", "建立消费扶贫台账", "市扶贫开发局", "各县（区）扶贫办", "2018-06-30"],
        ["2", "发展农村连锁店", "市供销社", "", "长期"],
    ]
    page.set_input_files(
        "#import-form input[name=file]",
        files=[
            {
                "name": "任务清单.xlsx",
                "mimeType": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                "buffer": xlsx(rows),
            }
        ],
    )
    page.click("#import-form button")
    page.wait_for_selector("#import-summary")
    assert "已导入 2 项任务" in page.inner_text("#import-summary")

    page.goto(f"{base}/plans/{plan.pk}/")
    assert fits_the_phone(page)
    page.click("#ledger a:has-text('建立消费扶贫台账')")
    page.wait_for_url(re.compile(r"/plans/tasks/\d+/$"))
    page.fill("#report-form input[name=reported_on]", "2018-06-28")
    page.fill("#report-form input[name=progress]", "100")
    page.fill("#report-form textarea[name=text]", "台账已建立并按月更新")
    page.set_input_files(
        "#report-form input[name=evidence]",
        files=[{"name": "台账.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4"}],
    )
    page.click("#report-form button")
    page.wait_for_selector(".messages")
    assert page.inner_text("#task-status") == "已完成"
    assert Task.objects.get(number="1").completed_on == dt.date(2018, 6, 28)

    page.goto(f"{base}/plans/{plan.pk}/")
    page.click("details:has(#target-form) summary")
    page.fill("#target-form input[name=name]", "农村连锁店")
    page.select_option("#target-form select[name=indicator]", "chain_stores")
    page.select_option("#target-form select[name=region]", "510900000000")
    page.fill("#target-form input[name=value]", "10")
    page.click("#target-form button")
    page.click("#targets a:has-text('农村连锁店')")
    page.fill("#split-form textarea", "510903000000 6\n510904000000 3")
    page.click("#split-form button")
    page.wait_for_selector(".messages")
    assert "分解合计 9.00 不等于目标值 10.00（相差 -1.00），未分解。" in page.inner_text(".messages")
    page.fill("#split-form textarea", "510903000000 6\n510904000000 4")
    page.click("#split-form button")
    page.wait_for_selector("text=目标已分解下达")
    assert Target.objects.filter(parent__isnull=False).count() == 2

    page.goto(f"{base}/plans/{plan.pk}/schemes/new/")
    page.fill("#scheme-form input[name=name]", "2018年度考核")
    page.fill("#scheme-form input[name=item_name_0]", "农村连锁店")
    page.select_option("#scheme-form select[name=item_indicator_0]", "chain_stores")
    page.fill("#scheme-form input[name=item_weight_0]", "100")
    page.click("#scheme-form button")
    page.wait_for_url(re.compile(r"/plans/schemes/\d+/$"))
    page.fill("input[name=as_of]", "2018-12-31")
    page.click("form.filters button")
    page.wait_for_selector("#ranking tr[data-subject]")
    subjects = page.locator("#ranking tr[data-subject]")
    assert [subjects.nth(i).get_attribute("data-subject") for i in range(subjects.count())] == [
        "船山区",
        "安居区",
    ]
    assert page.inner_text("#ranking tr[data-subject='船山区'] td.total") == "50.00"  # 3 of 6
    assert page.inner_text("#ranking tr[data-subject='安居区'] td.total") == "25.00"  # 1 of 4
    assert "船山区得分最高（50.00分）" in page.inner_text("#bulletin-section")
    page.screenshot(path=str(SCREENSHOTS / "plans-ranking.png"), full_page=True)
    assert Plan.objects.count() == 1
