"""The approval chain village → township → county → city: exact states, history and audit; the order of
approval; who may do what."""

from __future__ import annotations

import pytest

from yigou.approval import selectors, services
from yigou.approval.models import Lock, Step, Submission
from yigou.core.errors import DomainError, NotFoundError, PermissionDeniedError
from yigou.core.models import AuditEntry


def snapshot():
    return (
        list(Submission.objects.order_by("pk").values_list("region_id", "state", "reason")),
        Step.objects.count(),
        Lock.objects.count(),
        AuditEntry.objects.count(),
    )


def test_a_village_report_goes_submitted_returned_resubmitted_approved(world, chain):
    c = chain("2018-04")

    submitted = c.submit("510903101001")
    returned = services.submission_return(
        actor=world.users["yongxing"], submission=submitted, reason="贫困户收入与台账不符，请核实"
    )
    resubmitted = c.submit("510903101001")
    approved = c.approve("510903101001")

    assert (submitted.state, returned.state, resubmitted.state, approved.state) == (
        "submitted",
        "returned",
        "resubmitted",
        "approved",
    )
    steps = list(approved.steps.values_list("action", "from_state", "to_state", "reason", "actor__username"))
    assert steps == [
        ("submit", "draft", "submitted", "", "village"),
        ("return", "submitted", "returned", "贫困户收入与台账不符，请核实", "yongxing"),
        ("submit", "returned", "resubmitted", "", "village"),
        ("approve", "resubmitted", "approved", "", "yongxing"),
    ]
    audit = AuditEntry.objects.filter(target_type="approval.submission", target_id=str(approved.pk)).order_by(
        "pk"
    )
    assert [(a.action, a.actor_name, a.region_code, a.changes["state"]) for a in audit] == [
        ("approval_submit", "village", "510903101001", ["draft", "submitted"]),
        ("approval_return", "yongxing", "510903101001", ["submitted", "returned"]),
        ("approval_submit", "village", "510903101001", ["returned", "resubmitted"]),
        ("approval_approve", "yongxing", "510903101001", ["resubmitted", "approved"]),
    ]
    assert list(Lock.objects.values_list("region_code", "year", "month")) == [("510903101001", 2018, 4)]
    assert approved.decided_by == world.users["yongxing"]
    assert approved.first_submitted_at < approved.submitted_at


def test_a_parent_is_approved_only_after_all_its_children(world, chain):
    c = chain("2018-04")
    c.submit("510903101000")  # 永兴镇 submits before its villages are approved
    c.submit("510903101001")
    c.approve("510903101001")  # 永兴村 approved, 石佛村 not yet
    before = snapshot()

    with pytest.raises(DomainError) as refused:
        c.approve("510903101000")

    assert refused.value.code == "approval_children_pending"
    assert refused.value.message == "永兴镇的下级区域尚未全部审核通过（未通过：石佛村），暂不能审核。"
    assert snapshot() == before
    c.submit("510903101002")
    c.approve("510903101002")
    assert c.approve("510903101000").state == "approved"


def test_the_whole_city_is_approved_bottom_up(world, chain):
    c = chain("2018-04")
    c.approve_up("510903000000")
    c.approve_up("510904000000")
    c.approve_up("510971000000")

    with pytest.raises(PermissionDeniedError) as refused:  # 遂宁 reports to 四川省, which has no office here
        services.submission_approve(actor=world.users["city"], submission=c.submit("510900000000"))

    assert refused.value.message == "遂宁市的上报只能由上级区域（四川省）的扶贫办审核、退回或解锁。"
    approved = services.submission_approve(
        actor=world.users["admin"], submission=c.submission("510900000000")
    )
    assert approved.state == "approved"
    assert (
        Submission.objects.filter(state="approved").count() == 13
    )  # the city, 3 counties, 4 towns, 5 villages
    assert Lock.objects.count() == 13


def test_illegal_moves_are_refused_in_chinese_and_change_nothing(world, chain):
    c = chain("2018-04")
    c.submit("510903101001")
    before = snapshot()

    with pytest.raises(DomainError) as twice:
        c.submit("510903101001")
    with pytest.raises(DomainError) as unlock_unapproved:
        services.submission_unlock(
            actor=world.users["yongxing"], submission=c.submission("510903101001"), reason="更正"
        )
    with pytest.raises(DomainError) as no_reason:
        services.submission_return(
            actor=world.users["yongxing"], submission=c.submission("510903101001"), reason="  "
        )

    assert twice.value.message == "上报当前状态为“已上报”，不能上报。"
    assert unlock_unapproved.value.message == "上报当前状态为“已上报”，不能解锁。"
    assert no_reason.value.message == "输入有误：退回必须填写原因"
    assert snapshot() == before


def test_only_the_parent_office_decides_and_only_own_staff_submit(world, chain):
    c = chain("2018-04")
    c.approve_up("510903101000")
    c.approve_up("510903102000")
    chuanshan = c.submit("510903000000")
    before = snapshot()

    with pytest.raises(PermissionDeniedError) as anju:
        services.submission_approve(actor=world.users["anju"], submission=chuanshan)
    with pytest.raises(PermissionDeniedError) as itself:
        services.submission_approve(actor=world.users["chuanshan"], submission=chuanshan)
    with pytest.raises(PermissionDeniedError) as auditor:
        services.submission_approve(actor=world.users["auditor"], submission=chuanshan)
    with pytest.raises(PermissionDeniedError) as other_region:
        services.submission_submit(
            actor=world.users["chuanshan"], region=world.regions["510904000000"], year=2018, month=4
        )
    with pytest.raises(PermissionDeniedError) as unit:
        services.submission_submit(
            actor=world.users["unit"], region=world.regions["510900000000"], year=2018, month=4
        )

    assert anju.value.message == "船山区的上报只能由上级区域（遂宁市）的扶贫办审核、退回或解锁。"
    assert itself.value.code == "approval_decide_scope"
    assert auditor.value.code == "forbidden"
    assert other_region.value.message == "只有安居区的工作人员可以上报本区域的数据。"
    assert unit.value.code == "forbidden"
    assert snapshot() == before
    assert services.submission_approve(actor=world.users["city"], submission=chuanshan).state == "approved"


def test_one_county_cannot_see_another_countys_submissions(world, chain):
    c = chain("2018-04")
    c.submit("510903101001")
    c.submit("510904101001")
    yongxing_village = c.submission("510903101001")

    assert [s.region_id for s in selectors.submissions(world.users["anju"])] == ["510904101001"]
    assert [s.region_id for s in selectors.submissions(world.users["city"], sort="region")] == [
        "510903101001",
        "510904101001",
    ]
    with pytest.raises(NotFoundError):
        selectors.submission(world.users["anju"], yongxing_village.pk)
    with pytest.raises(PermissionDeniedError):
        selectors.submissions(world.users["unit"])


def test_a_report_that_breaks_a_blocking_rule_cannot_be_submitted(world, chain):
    from yigou.reporting.models import ValidationResult
    from yigou.reporting.services import values_save

    values_save(
        actor=world.users["zone"],
        region_code="510971000000",
        year=2018,
        month=4,
        values={"amount_total": "500", "amount_own": "300", "amount_coop": "100"},
    )
    before = snapshot()

    with pytest.raises(DomainError) as refused:
        chain("2018-04").submit("510971000000")

    assert refused.value.message == "校验未通过，不能上报：R01 购买金额总额应等于农户自产与合作社产品之和"
    assert snapshot() == before
    assert list(ValidationResult.objects.values_list("region_id", "rule__code")) == [("510971000000", "R01")]
