"""The scoring of the worked example in tests/plans/example.py, figure by figure."""

import datetime as dt
from decimal import Decimal

import pytest

from tests.plans.example import AS_OF, build
from yigou.plans.scoring import ranking_section, score
from yigou.plans.targets import progress_of

D = Decimal


@pytest.fixture
def example(world):
    return build(world)


def test_the_parents_progress_is_the_sum_of_its_parts(world, example):
    chain = progress_of(example.chain, AS_OF)
    assert [(p.target.region.name, p.done, p.rate) for p in chain.parts] == [
        ("船山区", D("3"), D("50.00")),
        ("安居区", D("4"), D("100.00")),
    ]
    assert (chain.done, chain.rate) == (D("7"), D("70.00"))
    training = progress_of(example.training, AS_OF)
    assert [p.done for p in training.parts] == [D("66.00"), D("20.00")]
    assert (training.done, training.rate) == (D("86.00"), D("86.00"))


def test_a_closed_site_counts_until_its_closing_day(world, example):
    june = progress_of(example.parts["chain_chuanshan"], dt.date(2018, 6, 29))
    assert june.done == D("4")
    assert progress_of(example.parts["chain_chuanshan"], AS_OF).done == D("3")


def test_scores_by_region_with_threshold_cap_and_capped_deductions(world, example):
    ranking = score(example.scheme, AS_OF)
    rows = [
        (s.rank, s.name, [(i.rate, i.score) for i in s.items], s.overdue, s.deduction, s.total)
        for s in ranking.rows
    ]
    assert rows == [
        (1, "船山区", [(D("50.00"), D("30.00")), (D("110.00"), D("44.00"))], 1, D("5.00"), D("69.00")),
        (2, "安居区", [(D("100.00"), D("60.00")), (D("50.00"), D("0"))], 2, D("8.00"), D("52.00")),
    ]


def test_the_bulletin_section_names_the_first_and_the_last(world, example):
    section = ranking_section(score(example.scheme, AS_OF))
    assert section.heading == "2018年度消费扶贫工作考核排名"
    assert section.paragraphs == [
        "按照《2018年度消费扶贫工作考核》，截至2018年12月31日，船山区得分最高（69.00分），安居区得分最低（52.00分）。",
        "督查发现问题整改逾期共3项，已按每项5分扣减。",
    ]
    assert section.rows == [["1", "船山区", "69.00", "5.00"], ["2", "安居区", "52.00", "8.00"]]
