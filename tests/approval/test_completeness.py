"""The completeness and timeliness table: which children submitted, when, by the deadline (the 5th of the next
month), and which are approved — as data, page, XLSX and API, scoped to the user's region."""

from __future__ import annotations

import io

import openpyxl
import pytest

from tests.approval.conftest import at
from yigou.approval import selectors, services
from yigou.core.errors import PermissionDeniedError


class Clock:
    def __init__(self) -> None:
        self.now_value = at("2018-05-01 08:00")

    def now(self):
        return self.now_value


@pytest.fixture
def april(world, chain, monkeypatch):
    """船山区 submits on the deadline day (23:59) and is approved on the 6th; 安居区 submits on the 7th (late);
    the zone has not submitted."""
    clock = Clock()
    monkeypatch.setattr(services, "timezone", clock)
    c = chain("2018-04")
    clock.now_value = at("2018-05-05 23:59")
    for code in ("510903101000", "510903102000"):
        c.approve_up(code)
    c.submit("510903000000")
    clock.now_value = at("2018-05-06 10:00")
    c.approve("510903000000")
    clock.now_value = at("2018-05-07 08:00")
    c.submit("510904000000")
    return c


def rows(table):
    return [
        (
            r.region.code,
            r.region.name,
            r.state,
            r.submitted,
            f"{r.first_submitted_at:%Y-%m-%d %H:%M}" if r.first_submitted_at else None,
            r.on_time,
            r.approved,
            f"{r.decided_at:%Y-%m-%d %H:%M}" if r.decided_at else None,
        )
        for r in table.rows
    ]


EXPECTED = [
    ("510903000000", "船山区", "approved", True, "2018-05-05 23:59", True, True, "2018-05-06 10:00"),
    ("510904000000", "安居区", "submitted", True, "2018-05-07 08:00", False, False, None),
    ("510971000000", "遂宁经济技术开发区", "draft", False, None, False, False, None),
]


def test_the_city_sees_each_county_submitted_when_on_time_and_approved(world, april):
    table = selectors.completeness(world.users["city"], "510900000000", 2018, 4)

    assert f"{table.deadline:%Y-%m-%d}" == "2018-05-05"
    assert rows(table) == EXPECTED
    assert table.counts == {"children": 3, "submitted": 2, "on_time": 1, "approved": 1}
    assert [r.timeliness for r in table.rows] == ["按时", "逾期", "未上报"]


def test_the_deadline_day_is_a_setting(world, april, settings):
    settings.YIGOU_APPROVAL_DEADLINE_DAY = 8

    table = selectors.completeness(world.users["city"], "510900000000", 2018, 4)

    assert [r.on_time for r in table.rows] == [True, True, False]


def test_the_xlsx_lists_the_same_rows_with_a_total(world, april, page_for):
    response = page_for("city").get("/approval/completeness/export/?region=510900000000&month=2018-04")

    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    values = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert values[0][0] == "遂宁市2018年4月上报及时性与完整性"
    assert values[1] == [
        "区划代码",
        "区域",
        "状态",
        "是否上报",
        "首次上报时间",
        "截止日期",
        "是否按时",
        "是否审核通过",
        "审核时间",
    ]
    assert values[2:] == [
        [
            "510903000000",
            "船山区",
            "已审核",
            "是",
            "2018-05-05 23:59",
            "2018-05-05",
            "按时",
            "是",
            "2018-05-06 10:00",
        ],
        ["510904000000", "安居区", "已上报", "是", "2018-05-07 08:00", "2018-05-05", "逾期", "否", None],
        ["510971000000", "遂宁经济技术开发区", "未上报", "否", None, "2018-05-05", "未上报", "否", None],
        [None, "合计", None, "2/3", None, None, "按时 1", "1/3", None],
    ]


def test_the_page_shows_the_table_and_another_county_is_refused(world, april, page_for):
    page = page_for("city").get("/approval/completeness/?region=510900000000&month=2018-04")
    refused = page_for("anju").get("/approval/completeness/?region=510900000000&month=2018-04")
    unit = page_for("unit").get("/approval/completeness/?region=510900000000&month=2018-04")

    assert page.status_code == 200
    text = page.content.decode()
    assert "应报 3 个，已报 2 个，按时 1 个，审核通过 1 个。" in text
    assert '<tr data-region="510904000000"><td><a href="/approval/' in text
    assert (refused.status_code, unit.status_code) == (403, 403)
    with pytest.raises(PermissionDeniedError):
        selectors.completeness(world.users["anju"], "510903000000", 2018, 4)


def test_the_api_gives_the_table(world, april, api_for):
    body = api_for("city").get("/api/v1/approval/completeness/?region=510900000000&month=2018-04").json()
    refused = api_for("chuanshan").get("/api/v1/approval/completeness/?region=510900000000&month=2018-04")

    assert (body["deadline"], body["counts"]) == (
        "2018-05-05",
        {"children": 3, "submitted": 2, "on_time": 1, "approved": 1},
    )
    assert [(r["region_name"], r["state"], r["first_submitted_at"], r["on_time"]) for r in body["rows"]] == [
        ("船山区", "approved", "2018-05-05T23:59:00+08:00", True),
        ("安居区", "submitted", "2018-05-07T08:00:00+08:00", False),
        ("遂宁经济技术开发区", "draft", None, False),
    ]
    assert refused.status_code == 403


def test_a_month_range_is_refused_for_approval(world, api_for):
    response = api_for("city").get(
        "/api/v1/approval/completeness/?region=510900000000&month=2018-01..2018-04"
    )

    assert response.status_code == 400
    assert (
        response.json()["message"]
        == "输入有误：审核按月进行，请指定一个月份，如 2018-04（收到“2018-01..2018-04”）"
    )
