"""The assessment ranking inside the 以购助扶工作简报: chosen by scheme, as it stands on the bulletin's date."""

import io

import pytest
from django.test import Client
from docx import Document

from tests.plans.example import AS_OF, build
from yigou.approval.bulletin import bulletin_for, render_docx
from yigou.core.errors import NotFoundError

RANKING = [None, ["1", "船山区", "69.00", "5.00"], ["2", "安居区", "52.00", "8.00"]]


@pytest.fixture
def example(world):
    return build(world)


def test_the_bulletin_carries_the_ranking_of_the_chosen_scheme(world, example):
    b = bulletin_for(world.users["city"], "510900000000", "2018", date=AS_OF, scheme=example.scheme.pk)
    assert b.assessment.heading == "2018年度消费扶贫工作考核排名"
    assert b.assessment.rows == RANKING[1:]
    doc = Document(io.BytesIO(render_docx(b)))
    paragraphs = [p.text for p in doc.paragraphs]
    assert paragraphs.index("2018年度消费扶贫工作考核排名") < paragraphs.index("三、数据校验提示")
    tables = [[[c.text for c in row.cells] for row in table.rows] for table in doc.tables]
    assert [t for t in tables if t[1:] == RANKING[1:]] == [
        [["名次", "县（区）", "总分", "扣分"], *RANKING[1:]]
    ]


def test_without_a_scheme_the_bulletin_has_no_assessment(world, example):
    b = bulletin_for(world.users["city"], "510900000000", "2018", date=AS_OF)
    assert b.assessment is None
    paragraphs = [p.text for p in Document(io.BytesIO(render_docx(b))).paragraphs]
    assert "2018年度消费扶贫工作考核排名" not in paragraphs


def test_a_village_may_not_attach_a_scheme_it_cannot_see(world, example):
    with pytest.raises(NotFoundError):
        bulletin_for(world.users["village"], "510903101001", "2018", date=AS_OF, scheme=example.scheme.pk)


def test_the_bulletin_page_offers_the_schemes_and_shows_the_ranking(world, example):
    client = Client()
    client.force_login(world.users["city"])
    query = {"region": "510900000000", "period": "2018", "date": "2018-12-31", "scheme": example.scheme.pk}
    page = client.get("/approval/bulletin/", query).content.decode()
    assert "2018年度消费扶贫工作考核排名" in page and "船山区得分最高（69.00分）" in page
    assert f'<option value="{example.scheme.pk}" selected>' in page
    assert f"scheme={example.scheme.pk}" in page  # the downloads carry the scheme
    refused = client.get("/approval/bulletin/", {**query, "scheme": "x1"}).content.decode()
    assert "考核方案“x1”无效" in refused
