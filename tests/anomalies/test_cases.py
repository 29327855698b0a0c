"""An investigation from finding to decision: opened by the city's auditor, assigned by the city office to the
county, explained with a file, then confirmed into a reversal of the duplicate copy only — or dismissed, after
which the next scan stays quiet. Refusals change nothing; one county never sees another's findings."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from yigou.accounts.scope import restrict
from yigou.anomalies import cases
from yigou.anomalies.models import Finding, Investigation
from yigou.anomalies.scan import scan
from yigou.core.errors import DomainError, NotFoundError, PermissionDeniedError
from yigou.core.models import AuditEntry
from yigou.core.periods import parse_period
from yigou.ledger.models import Purchase
from yigou.notices.models import Notice
from yigou.registry.enums import EventKind
from yigou.registry.services import household_record_event

from .conftest import sell

pytestmark = pytest.mark.django_db
YEAR = parse_period("2018")


@pytest.fixture
def duplicate(world):
    zhang = world.households["zhang"]
    first, copy = sell(world, zhang, external_id="A-1"), sell(world, zhang, external_id="B-7")
    result = scan(world.region("510903000000"), YEAR)
    assert [f.rule for f in result.findings] == ["duplicate"]
    return Finding.objects.get(), first, copy


def opened_and_explained(world, finding):
    case = cases.case_open(actor=world.users["auditor"], finding=finding)
    case = cases.case_assign(actor=world.users["city"], case=case, assignee=world.users["chuanshan"].pk)
    upload = SimpleUploadedFile("说明.pdf", b"%PDF-1.4 test", content_type="application/pdf")
    return cases.case_explain(
        actor=world.users["chuanshan"], case=case, text="经核实，B-7 为乡镇汇总时重复导入。", uploads=[upload]
    )


def test_confirming_reverses_the_copy_with_the_case_named(world, duplicate):
    finding, first, copy = duplicate
    case = opened_and_explained(world, finding)
    assert case.status == "explained" and case.files.get().name == "说明.pdf"
    assert Notice.objects.filter(recipient=world.users["chuanshan"], kind="investigation").count() == 1
    case = cases.case_confirm(actor=world.users["city"], case=case, reason="重复录入属实")
    assert (case.status, case.reversed_count, case.reversed_amount) == ("confirmed", 1, Decimal("600.00"))
    mirror = Purchase.objects.get(reverses=copy)
    assert mirror.note == f"核查案件 {case.number} 查实：重复录入属实" and mirror.total == Decimal("-600.00")
    assert not Purchase.objects.filter(reverses=first).exists()
    assert [e.kind for e in case.events.all()] == ["opened", "assigned", "explained", "confirmed"]
    assert AuditEntry.objects.filter(action__startswith="investigation.").count() == 4
    # The copy is reversed: the next scan no longer sees a duplicate.
    assert scan(world.region("510903000000"), YEAR).findings == []


def test_a_dismissed_finding_is_not_raised_again(world, duplicate):
    finding, _, _ = duplicate
    case = opened_and_explained(world, finding)
    cases.case_dismiss(actor=world.users["city"], case=case, reason="两笔为同日两次真实交易，有收据")
    again = scan(world.region("510903000000"), YEAR)
    assert (again.findings, again.suppressed) == ([], 1)
    assert Finding.objects.get().case.status == "dismissed"
    assert Purchase.objects.filter(reverses__isnull=False).count() == 0


def test_out_of_order_and_unauthorised_steps_change_nothing(world, duplicate):
    finding, _, _ = duplicate
    with pytest.raises(PermissionDeniedError):
        cases.case_open(actor=world.users["village"], finding=finding)  # village staff do not open cases
    case = cases.case_open(actor=world.users["auditor"], finding=finding)
    with pytest.raises(DomainError, match="该疑点已立案"):
        cases.case_open(actor=world.users["city"], finding=finding)
    with pytest.raises(DomainError, match="当前状态为“已立案”，不能执行“查实”"):
        cases.case_confirm(actor=world.users["city"], case=case, reason="属实")
    with pytest.raises(PermissionDeniedError):
        cases.case_assign(actor=world.users["village"], case=case, assignee=world.users["village"].pk)
    with pytest.raises(PermissionDeniedError):
        cases.case_assign(actor=world.users["auditor"], case=case, assignee=world.users["chuanshan"].pk)
    with pytest.raises(DomainError, match="不是本案所涉区划的工作人员"):
        cases.case_assign(actor=world.users["city"], case=case, assignee=world.users["anju"].pk)
    case.refresh_from_db()
    assert (case.status, case.assignee_id) == ("open", None)
    case = cases.case_assign(actor=world.users["city"], case=case, assignee=world.users["village"].pk)
    with pytest.raises(NotFoundError):  # another county: the case does not exist for it
        cases.case_explain(actor=world.users["anju"], case=case, text="与我县无关的说明文字")
    with pytest.raises(DomainError, match="请填写情况说明（至少 10 个字）"):
        cases.case_explain(actor=world.users["village"], case=case, text="属实")
    bad = SimpleUploadedFile("x.exe", b"MZ", content_type="application/octet-stream")
    with pytest.raises(DomainError, match=r"核查材料“x\.exe”格式不支持"):
        cases.case_explain(
            actor=world.users["village"], case=case, text="经核实为重复导入所致。", uploads=[bad]
        )
    case.refresh_from_db()
    assert (case.status, case.explanation, case.files.count()) == ("assigned", "", 0)
    with pytest.raises(DomainError, match="请填写排除理由"):
        cases.case_dismiss(actor=world.users["city"], case=case, reason=" ")
    assert Investigation.objects.get().status == "assigned"


def test_a_locked_month_refuses_the_whole_confirmation(world, monkeypatch):
    zhang = world.households["zhang"]
    july, august = sell(world, zhang, day=dt.date(2018, 7, 1)), sell(world, zhang, day=dt.date(2018, 8, 1))
    household_record_event(
        actor=world.users["admin"],
        household=zhang,
        kind=EventKind.EXITED,
        date=dt.date(2018, 6, 1),
        reason="退出",
    )
    scan(world.region("510903000000"), YEAR)
    finding = Finding.objects.get(rule="after_exit")
    assert finding.reversible == [july.pk, august.pk]
    case = opened_and_explained(world, finding)

    def august_locked(region_code, date):
        if date.month == 8:
            raise DomainError("invalid_input", detail="2018年8月已审核锁定")

    monkeypatch.setattr("yigou.ledger.services.ensure_unlocked", august_locked)
    with pytest.raises(DomainError, match="2018年8月已审核锁定"):
        cases.case_confirm(actor=world.users["city"], case=case, reason="退出后仍按贫困户统计")
    assert Purchase.objects.filter(reverses__isnull=False).count() == 0
    case.refresh_from_db()
    assert (case.status, case.reversed_count) == ("explained", 0)


def test_one_county_never_sees_another_countys_findings_or_cases(world, duplicate):
    finding, _, _ = duplicate
    cases.case_open(actor=world.users["auditor"], finding=finding)
    assert restrict(world.users["chuanshan"], Finding.objects.all()).count() == 1
    assert restrict(world.users["anju"], Finding.objects.all()).count() == 0
    assert restrict(world.users["anju"], Investigation.objects.all()).count() == 0
    assert restrict(world.users["city"], Investigation.objects.all()).count() == 1


def test_no_region_decides_on_its_own_figures(world):
    finding = Finding.objects.create(
        rule="forms", fingerprint="f" * 40, score=70, region=world.region("510903000000"),
        scope_code="510900000000", period_start=YEAR.start, period_end=YEAR.end, evidence="船山区报表多报",
        scanned_on=dt.date(2019, 1, 10),
    )  # fmt: skip
    case = cases.case_open(actor=world.users["chuanshan"], finding=finding)
    with pytest.raises(PermissionDeniedError, match="本案须由所涉区划的上级单位交办和处理"):
        cases.case_assign(actor=world.users["chuanshan"], case=case, assignee=world.users["yongxing"].pk)
    case = cases.case_assign(actor=world.users["city"], case=case, assignee=world.users["chuanshan"].pk)
    assert (case.status, case.assignee) == ("assigned", world.users["chuanshan"])
