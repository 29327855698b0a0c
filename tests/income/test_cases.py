"""Opening cases: the checks every channel shares, no second open case, the cadre visit flag, and the scan's
suggestions turned into cases in one call."""

from __future__ import annotations

import pytest

from yigou.core.errors import DomainError, NotFoundError, PermissionDeniedError
from yigou.income.cases import case_open, flags_from_scan, visit_flag
from yigou.income.models import MonitoringCase

from .cases_world import D, open_case
from .conftest import card_of, register

pytestmark = pytest.mark.django_db


def test_a_visit_flag_opens_a_case_with_the_group_of_its_registration(world):
    zhang = visit_flag(actor=world.users["village"], household=world.households["zhang"], risks=["illness", "disability"],
                       visited_on=D(2026, 3, 2), finding="户主脑梗住院")  # fmt: skip
    wang = visit_flag(actor=world.users["chuanshan"], household=world.households["wang"], risks=["unemployment"],
                      visited_on=D(2026, 3, 2), finding="返乡失业")  # fmt: skip
    assert (zhang.group, zhang.channel, zhang.risks, zhang.note) == (
        "unstable",
        "visit",
        ["illness", "disability"],
        "户主脑梗住院",
    )
    assert wang.group == "marginal"
    assert list(zhang.steps.values_list("step", "date")) == [("flag", D(2026, 3, 2))]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"risks": []}, "请至少选择一项风险类型"),
        ({"risks": ["flood"]}, "风险类型“flood”不在可选范围内"),
        ({"group": ""}, "监测类型“”不在可选范围内"),
        ({"channel": "phone"}, "发现渠道“phone”不在可选范围内"),
    ],
)
def test_bad_input_is_refused_and_stores_nothing(world, change, message):
    data = {"group": "marginal", "risks": ["illness"], "channel": "visit", "discovered_on": D(2026, 3, 2)}
    with pytest.raises(DomainError, match=message):
        case_open(actor=world.users["village"], household=world.households["zhang"], **{**data, **change})
    assert not MonitoringCase.objects.exists()


def test_a_household_has_one_open_case(world):
    open_case(world, world.households["zhang"])
    with pytest.raises(DomainError, match="已是监测对象（识别中，2026-03-02 发现），不能重复登记"):
        open_case(world, world.households["zhang"], on=D(2026, 4, 1))
    assert MonitoringCase.objects.count() == 1


def test_who_may_flag(world):
    with pytest.raises(NotFoundError):
        open_case(world, world.households["liu"])  # 安居区 is not 永兴村
    with pytest.raises(PermissionDeniedError):
        case_open(actor=world.users["auditor"], household=world.households["zhang"], group="marginal",
                  risks=["illness"], channel="visit", discovered_on=D(2026, 3, 2))  # fmt: skip


def test_the_scans_suggestions_become_cases_once(world):
    low = register(world, "甲", 1)
    card_of(world, low, 2026, wage="5000.00")
    fine = register(world, "乙", 1)
    card_of(world, fine, 2026, wage="50000.00")
    opened = flags_from_scan(
        actor=world.users["chuanshan"], region_code="510903000000", year=2026, discovered_on=D(2026, 3, 2)
    )
    assert [(c.household, c.channel, c.group, c.risks) for c in opened] == [
        (low, "scan", "marginal", ["other"])
    ]
    assert opened[0].note == "2026年人均纯收入 5000元，低于监测线 7600元 的 1.5 倍（11400元）"
    assert flags_from_scan(actor=world.users["chuanshan"], region_code="510903000000", year=2026) == []
    with pytest.raises(DomainError, match=f"农户{fine.number}不在本次监测排查的建议名单中"):
        flags_from_scan(
            actor=world.users["chuanshan"], region_code="510903000000", year=2026, households=[fine.number]
        )
    with pytest.raises(DomainError, match="不在本账号的管辖范围内"):
        flags_from_scan(actor=world.users["anju"], region_code="510903000000", year=2026)
