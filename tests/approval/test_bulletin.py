"""The bulletin (简报) of the worked example (遂宁市, 2018-01..2018-04): its text exactly, the rankings, the
validation warnings of a county reporting by form, and the document rendered to PDF and PNG."""

from __future__ import annotations

import datetime as dt
import io
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from docx import Document

from tests.ledger.example import build_example
from yigou.approval.bulletin import compose, render_docx
from yigou.approval.office import docx_to_pdf
from yigou.core.periods import parse_period
from yigou.reporting.services import values_save

SUMMARY = (
    "2018年1—4月，全市共开展以购助扶活动2次，累计开办社区超市专柜1个、QQ/微信超市1个，免收费用0.80万元，"
    "覆盖贫困村2个、非贫困村1个，参与购买的帮扶单位1个、帮扶干部1人，购买金额共计3650.00元，"
    "带动贫困户2户增收2750.00元。"
)
CHILDREN = (
    "分地区看，船山区开展以购助扶活动1次，参与购买的帮扶单位1个、帮扶干部1人，购买金额2050.00元，"
    "带动贫困户1户增收1150.00元。安居区开展以购助扶活动1次，参与购买的帮扶单位1个，购买金额1600.00元，"
    "带动贫困户1户增收1600.00元。遂宁经济技术开发区本期暂无以购助扶购买记录。"
)
QUERY = "region=510900000000&period=2018-01..2018-04&issue=3&date=2018-05-04"


@pytest.fixture
def example(world):
    return build_example(world)


def city_bulletin(world):
    return compose(
        world.region("510900000000"), parse_period("2018-01..2018-04"), issue=3, date=dt.date(2018, 5, 4)
    )


def ranks(rows):
    return [(r.rank, r.name, *r.figures) for r in rows]


def test_the_bulletin_text_of_the_worked_example(world, example):
    b = city_bulletin(world)

    assert b.title == "遂宁市2018年1—4月以购助扶工作进展情况"
    assert (b.office, b.issue) == ("遂宁市扶贫开发领导小组办公室", 3)
    assert b.text == [SUMMARY, CHILDREN]
    assert ranks(b.by_amount) == [
        (1, "船山区", "2050.00", "1150.00"),
        (2, "安居区", "1600.00", "1600.00"),
        (3, "遂宁经济技术开发区", "0.00", "0.00"),
    ]
    assert ranks(b.by_households) == [
        (1, "安居区", "1", "1600.00"),
        (1, "船山区", "1", "1150.00"),
        (3, "遂宁经济技术开发区", "0", "0.00"),
    ]
    assert b.warnings == []
    assert b.filename("docx") == "以购助扶工作简报第3期（遂宁市2018年1—4月）.docx"


def test_a_zone_reporting_by_form_enters_the_text_the_ranking_and_the_warnings(world, example):
    # The zone has no ledger: it reports April on the form, with a total that is not own + cooperative (R01)
    # and household income above the amount bought (R02).
    values_save(
        actor=world.users["zone"],
        region_code="510971000000",
        year=2018,
        month=4,
        values={
            "activities": "1",
            "amount_total": "500",
            "amount_own": "300",
            "amount_coop": "100",
            "poor_households": "2",
            "poor_income": "600",
            "buyer_units": "1",
            "buyers_total": "1",
        },
    )

    b = city_bulletin(world)

    assert b.text == [
        "2018年1—4月，全市共开展以购助扶活动3次，累计开办社区超市专柜1个、QQ/微信超市1个，免收费用0.80万元，"
        "覆盖贫困村2个、非贫困村1个，参与购买的帮扶单位2个、帮扶干部1人，购买金额共计4150.00元，"
        "带动贫困户4户增收3350.00元。",
        CHILDREN.replace(
            "遂宁经济技术开发区本期暂无以购助扶购买记录。",
            "遂宁经济技术开发区开展以购助扶活动1次，参与购买的帮扶单位1个，购买金额500.00元，"
            "带动贫困户2户增收600.00元。",
        ),
    ]
    assert ranks(b.by_households)[0] == (1, "遂宁经济技术开发区", "2", "600.00")
    assert b.warnings == [
        "遂宁经济技术开发区2018年4月：购买金额总额应等于农户自产与合作社产品之和：购买金额·总额 = 500，"
        "购买金额·其中农户自产 + 购买金额·其中合作社产品 = 400［重要性：高］",
        "遂宁经济技术开发区2018年4月：贫困与非贫困群众收入之和不应超过购买金额总额：贫困群众参与·收入 + "
        "非贫困群众参与·收入 = 600，购买金额·总额 = 500［重要性：高］",
    ]


def test_the_docx_has_the_title_block_the_text_and_the_landscape_attachment(world, example):
    doc = Document(io.BytesIO(render_docx(city_bulletin(world))))

    paragraphs = [p.text for p in doc.paragraphs]
    assert paragraphs[:4] == [
        "以购助扶工作简报",
        "第3期",
        "遂宁市扶贫开发领导小组办公室\t2018年5月4日",
        "遂宁市2018年1—4月以购助扶工作进展情况",
    ]
    assert SUMMARY in paragraphs and CHILDREN in paragraphs
    assert "经校验，本期数据未发现需要核实的问题。" in paragraphs
    assert [s.page_width > s.page_height for s in doc.sections] == [False, True]
    ranking, _, attachment = doc.tables
    assert [c.text for c in ranking.rows[1].cells] == ["1", "船山区", "2050.00", "1150.00"]
    header = [c.text for c in attachment.rows[0].cells]
    assert header[:3] == ["县(区)", "开展以购助扶活动次数(次)", "累计开办(个)"]
    assert [c.text for c in attachment.rows[1].cells][2:4] == ["社区超市专柜", "QQ/微信超市"]
    assert [c.text for c in attachment.rows[-1].cells][:2] == ["合计", "2"]
    assert [c.text for c in attachment.rows[-1].cells][14] == "3650.00"


def _require_office() -> None:
    if shutil.which("soffice") and shutil.which("pdftoppm") and shutil.which("pdftotext"):
        return
    if os.environ.get("YIGOU_REQUIRE_BROWSER") == "1":  # CI installs LibreOffice and poppler with Chromium
        pytest.fail("LibreOffice and poppler-utils are required in CI but missing")
    pytest.skip(
        "LibreOffice or poppler-utils not installed: apt-get install -y libreoffice-writer-nogui poppler-utils"
    )


def _flat(text: str) -> str:
    return re.sub(r"\s+", "", text)


def test_the_bulletin_renders_to_pdf_and_to_an_image_with_the_chinese_text(world, example, tmp_path: Path):
    _require_office()
    pdf = tmp_path / "bulletin.pdf"
    pdf.write_bytes(docx_to_pdf(render_docx(city_bulletin(world))))

    subprocess.run(
        ["pdftoppm", "-r", "60", "-png", str(pdf), str(tmp_path / "page")], check=True, timeout=120
    )
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, check=True, timeout=60
    ).stdout.decode("utf-8")

    pages = sorted(tmp_path.glob("page-*.png"))
    assert len(pages) >= 2
    assert pages[0].stat().st_size > 20_000  # a page with text on it, not a blank one
    assert _flat(SUMMARY) in _flat(text)
    assert "遂宁市2018年1—4月以购助扶成果统计表" in _flat(text)


def test_the_command_writes_the_docx(world, example, tmp_path: Path):
    out = tmp_path / "简报.docx"

    call_command(
        "bulletin",
        region="510900000000",
        period="2018-01..2018-04",
        out=str(out),
        issue=3,
        office="遂宁市扶贫开发局",
        date="2018-05-04",
    )

    paragraphs = [p.text for p in Document(str(out)).paragraphs]
    assert paragraphs[2] == "遂宁市扶贫开发局\t2018年5月4日"
    assert SUMMARY in paragraphs


def test_the_command_refuses_bad_input_in_chinese(world, tmp_path: Path):
    with pytest.raises(CommandError) as region:
        call_command("bulletin", region="519999000000", period="2018-04", out=str(tmp_path / "a.docx"))
    with pytest.raises(CommandError) as suffix:
        call_command("bulletin", region="510900000000", period="2018-04", out=str(tmp_path / "a.txt"))

    assert str(region.value) == "行政区划无效：区划代码“519999000000”不存在"
    assert str(suffix.value) == "--out 须以 .docx 或 .pdf 结尾"
    assert list(tmp_path.iterdir()) == []


def test_the_page_previews_and_downloads_within_scope(world, example, page_for):
    city = page_for("city")

    page = city.get(f"/approval/bulletin/?{QUERY}")
    docx = city.get(f"/approval/bulletin/docx/?{QUERY}")
    other_county = page_for("anju").get(f"/approval/bulletin/?{QUERY}")
    unit = page_for("unit").get(f"/approval/bulletin/docx/?{QUERY}")
    bad_issue = city.get("/approval/bulletin/?region=510900000000&period=2018-04&issue=x")

    assert page.status_code == 200 and SUMMARY in page.content.decode()
    assert docx.status_code == 200
    assert docx["Content-Type"] == "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    assert SUMMARY in [p.text for p in Document(io.BytesIO(docx.content)).paragraphs]
    assert (other_county.status_code, unit.status_code) == (403, 403)
    assert bad_issue.status_code == 400 and "期号“x”必须是正整数" in bad_issue.content.decode()


def test_the_api_gives_the_text(world, example, api_for):
    body = api_for("city").get(f"/api/v1/approval/bulletin/?{QUERY}").json()
    refused = api_for("anju").get(f"/api/v1/approval/bulletin/?{QUERY}")

    assert body["paragraphs"] == [SUMMARY, CHILDREN]
    assert body["by_amount"][0] == {"rank": 1, "name": "船山区", "figures": ["2050.00", "1150.00"]}
    assert (body["issue"], body["date"]) == (3, "2018-05-04")
    assert refused.status_code == 403


def test_a_first_visit_shows_the_form_and_errors_without_a_period_are_answered(world, page_for):
    admin = page_for("admin")

    first = admin.get("/approval/bulletin/")
    bad = admin.get("/approval/bulletin/?region=510900000000&issue=x")

    assert first.status_code == 200 and 'name="period"' in first.content.decode()
    assert "请选择区域" not in first.content.decode()
    assert bad.status_code == 400 and "期号“x”必须是正整数" in bad.content.decode()
