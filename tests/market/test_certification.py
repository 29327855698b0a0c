"""The certification workflow by role: application, review, decision, notice, objections, listing, re-check,
revocation and blacklisting; wrong roles, levels and states are refused with nothing changed."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.management import call_command

from tests.market.conftest import APPLIED, LISTED, certify, honey, letter
from yigou.core.errors import DomainError, PermissionDeniedError
from yigou.core.models import AuditEntry
from yigou.market import certification as cert
from yigou.market.models import Blacklisting, Objection, Product, ProductFile, ProductHousehold, ProductStep


def counts() -> tuple[int, ...]:
    return (
        Product.objects.count(),
        ProductStep.objects.count(),
        AuditEntry.objects.count(),
        Objection.objects.count(),
        ProductHousehold.objects.count(),
        ProductFile.objects.count(),
        Blacklisting.objects.count(),
    )


def state(product: Product) -> tuple:
    product.refresh_from_db()
    return (
        product.status,
        product.certificate_no,
        product.notice_end,
        product.listed_on,
        product.valid_until,
    )


def test_the_producer_applies_with_households_files_and_pinyin(world, applied):
    assert (applied.status, applied.region_id, applied.county_code) == (
        "submitted",
        "510903101000",
        "510903000000",
    )
    assert (applied.name_initials, applied.name_pinyin) == ("yxtfm", "yongxingtufengmi")
    assert [h.household_id for h in applied.linked.all()] == [world.households["zhang"].pk]
    assert [f.kind for f in applied.files.all()] == ["commitment"]
    assert (applied.price_flagged, applied.reference_price, applied.submitted_by) == (
        False,
        None,
        world.users["producer"],
    )
    step = applied.steps.get()
    assert (step.action, step.from_status, step.to_status, step.actor_org) == (
        "submit",
        "",
        "submitted",
        "永兴蔬菜合作社",
    )
    assert AuditEntry.objects.filter(action="product_submit", target_id=str(applied.pk)).count() == 1


def test_the_whole_workflow_by_role_ends_in_the_catalog(world, applied):
    u = world.users
    cert.product_review(actor=u["yongxing"], product=applied, passed=True, reason="材料齐全")
    cert.product_decide(actor=u["chuanshan"], product=applied, certify=True, today=APPLIED)
    assert state(applied) == ("notice", "510903-2018-0001", dt.date(2018, 6, 6), None, None)
    assert applied.notice_start == APPLIED

    objection = cert.objection_record(
        actor=u["yongxing"],
        product=applied,
        raised_by="村民甲",
        content="蜂蜜掺糖",
        contact="13800009999",
        today=dt.date(2018, 6, 3),
    )
    with pytest.raises(DomainError, match="异议尚未处理完毕"):
        cert.product_list(actor=u["chuanshan"], product=applied, today=LISTED)
    cert.objection_resolve(actor=u["chuanshan"], objection=objection, upheld=False, resolution="抽检合格")
    cert.product_list(actor=u["chuanshan"], product=applied, today=LISTED)

    assert state(applied) == ("listed", "510903-2018-0001", dt.date(2018, 6, 6), LISTED, dt.date(2019, 6, 7))
    steps = list(applied.steps.values_list("action", "from_status", "to_status", "actor_org"))
    assert steps == [
        ("submit", "", "submitted", "永兴蔬菜合作社"),
        ("review_pass", "submitted", "reviewed", "永兴镇扶贫办"),
        ("certify", "reviewed", "notice", "船山区扶贫办"),
        ("objection", "notice", "notice", "永兴镇扶贫办"),
        ("resolve", "notice", "notice", "船山区扶贫办"),
        ("list", "notice", "listed", "船山区扶贫办"),
    ]
    actions = AuditEntry.objects.filter(target_id=str(applied.pk), target_type="market.product")
    assert actions.count() == 6
    assert applied.certified_on(LISTED) and applied.certified_on(dt.date(2019, 6, 7))
    assert not applied.certified_on(dt.date(2019, 6, 8))


def test_the_county_office_may_review_as_the_sector(world, applied):
    cert.product_review(actor=world.users["chuanshan"], product=applied, passed=True)

    assert state(applied)[0] == "reviewed"
    assert applied.steps.last().actor_org == "船山区扶贫办"


def test_certificate_numbers_count_up_within_county_and_year(world, applied):
    other = cert.product_apply(
        actor=world.users["chuanshan"],
        producer=world.producers["coop"],
        data=honey(world, specification="1000克/瓶"),
        today=APPLIED,
    )
    certify(world, applied)
    certify(world, other)

    assert [state(applied)[1], state(other)[1]] == ["510903-2018-0001", "510903-2018-0002"]


@pytest.mark.parametrize(
    ("username", "step"),
    [
        ("city", "review"),
        ("anju", "review"),
        ("zone", "review"),
        ("village", "review"),
        ("producer", "review"),
        ("unit", "review"),
        ("auditor", "review"),
        ("yongxing", "decide"),
        ("city", "decide"),
        ("anju", "decide"),
        ("producer", "decide"),
    ],
)
def test_wrong_role_or_level_is_refused_and_nothing_changes(world, applied, username, step):
    if step == "decide":
        cert.product_review(actor=world.users["yongxing"], product=applied, passed=True)
    before, was = counts(), state(applied)

    with pytest.raises(DomainError) as caught:
        if step == "review":
            cert.product_review(actor=world.users[username], product=applied, passed=True)
        else:
            cert.product_decide(actor=world.users[username], product=applied, certify=True, today=APPLIED)

    assert caught.value.code == "certification_level"
    assert (counts(), state(applied)) == (before, was)


def test_the_level_message_names_who_should_act(world, applied):
    with pytest.raises(DomainError) as caught:
        cert.product_review(actor=world.users["anju"], product=applied, passed=True)

    assert caught.value.message == "审核须由产品所在乡镇或船山区行业部门的工作人员办理。"


def test_a_step_out_of_order_is_refused_and_nothing_changes(world, applied):
    before, was = counts(), state(applied)

    with pytest.raises(DomainError) as caught:
        cert.product_decide(actor=world.users["chuanshan"], product=applied, certify=True, today=APPLIED)

    assert (caught.value.code, caught.value.message) == (
        "certification_step_illegal",
        "产品当前状态为“已申报”，不能认定。",
    )
    assert (counts(), state(applied)) == (before, was)


def test_listing_before_the_notice_ends_is_refused(world, applied):
    certify(world, applied)
    before = counts()

    with pytest.raises(DomainError, match="公示期至 2018-06-06"):
        cert.product_list(actor=world.users["chuanshan"], product=applied, today=dt.date(2018, 6, 6))

    assert counts() == before


def test_return_needs_a_reason_and_the_corrected_application_goes_round_again(world, applied):
    with pytest.raises(DomainError, match="退回必须填写理由"):
        cert.product_review(actor=world.users["yongxing"], product=applied, passed=False, reason=" ")
    cert.product_review(actor=world.users["yongxing"], product=applied, passed=False, reason="缺检测报告")
    assert state(applied)[0] == "returned"

    report = ("inspection", letter("检测报告.pdf"))
    cert.product_resubmit(
        actor=world.users["producer"],
        product=applied,
        data=honey(world, files=[report], price=Decimal("44.00")),
        today=APPLIED,
    )

    applied.refresh_from_db()
    assert (applied.status, applied.price) == ("submitted", Decimal("44.00"))
    assert sorted(applied.files.values_list("kind", flat=True)) == ["commitment", "inspection"]
    assert list(applied.steps.values_list("action", flat=True)) == ["submit", "review_return", "resubmit"]


def test_the_county_rejects_with_a_reason(world, applied):
    cert.product_review(actor=world.users["yongxing"], product=applied, passed=True)
    cert.product_decide(actor=world.users["chuanshan"], product=applied, certify=False, reason="带贫户数不实")

    assert state(applied) == ("rejected", None, None, None, None)
    assert applied.steps.last().reason == "带贫户数不实"


def test_an_upheld_objection_rejects_the_product(world, applied):
    certify(world, applied)
    objection = cert.objection_record(
        actor=world.users["chuanshan"],
        product=applied,
        raised_by="张某",
        content="并未收购农户蜂蜜",
        today=dt.date(2018, 6, 2),
    )
    cert.objection_resolve(
        actor=world.users["chuanshan"], objection=objection, upheld=True, resolution="核实属实"
    )

    objection.refresh_from_db()
    assert (objection.upheld, objection.resolution) == (True, "核实属实")
    assert state(applied)[0] == "rejected"
    assert applied.steps.last().reason == "异议成立：核实属实"


def test_objections_after_the_notice_and_resolutions_by_the_township_are_refused(world, applied):
    certify(world, applied)
    with pytest.raises(DomainError, match="公示期已于 2018-06-06 结束"):
        cert.objection_record(
            actor=world.users["yongxing"],
            product=applied,
            raised_by="甲",
            content="乙",
            today=dt.date(2018, 6, 7),
        )
    objection = cert.objection_record(
        actor=world.users["yongxing"], product=applied, raised_by="甲", content="乙", today=APPLIED
    )
    before = counts()

    with pytest.raises(DomainError) as caught:
        cert.objection_resolve(
            actor=world.users["yongxing"], objection=objection, upheld=True, resolution="成立"
        )

    assert caught.value.code == "certification_level"
    assert counts() == before and state(applied)[0] == "notice"


def test_the_command_lists_due_products_once(world, applied, capsys):
    certify(world, applied)
    call_command("market-list-due", "--date", "2018-06-06")
    assert state(applied)[0] == "notice"

    call_command("market-list-due", "--date", "2018-06-07")
    call_command("market-list-due", "--date", "2018-06-08")

    out = capsys.readouterr().out
    assert "510903-2018-0001\t永兴土蜂蜜（500克/瓶）\t有效期至 2019-06-07" in out
    assert out.count("共 1 个产品列入目录。") == 1 and out.count("共 0 个产品列入目录。") == 2
    assert state(applied)[3:] == (LISTED, dt.date(2019, 6, 7))
    assert applied.steps.filter(action="list").count() == 1


def test_the_command_skips_products_with_open_objections(world, applied):
    certify(world, applied)
    cert.objection_record(
        actor=world.users["yongxing"], product=applied, raised_by="甲", content="乙", today=APPLIED
    )

    call_command("market-list-due", "--date", "2018-06-10")

    assert state(applied)[0] == "notice"


def test_the_yearly_recheck_extends_validity_by_a_year(world, listed):
    cert.product_recheck(
        actor=world.users["chuanshan"], product=listed, note="复核合格", today=dt.date(2019, 5, 20)
    )

    assert state(listed)[4] == dt.date(2020, 6, 7)
    assert listed.rechecked_on == dt.date(2019, 5, 20)


def test_a_lapsed_product_rechecked_reenters_the_catalog_from_the_recheck(world, listed):
    cert.product_recheck(actor=world.users["chuanshan"], product=listed, today=dt.date(2019, 7, 1))

    assert state(listed)[3:] == (dt.date(2019, 7, 1), dt.date(2020, 7, 1))
    assert not listed.certified_on(dt.date(2019, 6, 20))  # the lapsed days stay uncertified
    assert listed.certified_on(dt.date(2019, 7, 1))


def test_revocation_needs_a_reason_and_the_county(world, listed):
    before = counts()
    with pytest.raises(DomainError, match="撤销认定必须填写理由"):
        cert.product_revoke(actor=world.users["chuanshan"], product=listed, reason="")
    with pytest.raises(DomainError) as caught:
        cert.product_revoke(actor=world.users["anju"], product=listed, reason="质量问题")
    assert caught.value.code == "certification_level" and counts() == before

    cert.product_revoke(actor=world.users["chuanshan"], product=listed, reason="抽检不合格")

    assert state(listed)[0] == "revoked"
    assert listed.revoked_on == dt.date.today()
    assert not listed.certified_on(dt.date.today())
    with pytest.raises(DomainError) as again:
        cert.product_revoke(actor=world.users["chuanshan"], product=listed, reason="再次")
    assert again.value.code == "certification_step_illegal"


def test_blacklisting_revokes_listed_and_notice_products_but_not_pending_ones(world, listed):
    u, coop = world.users, world.producers["coop"]
    on_notice = cert.product_apply(
        actor=u["producer"], producer=coop, data=honey(world, specification="250克/瓶"), today=APPLIED
    )
    certify(world, on_notice)
    pending = cert.product_apply(
        actor=u["producer"], producer=coop, data=honey(world, specification="1000克/瓶"), today=APPLIED
    )

    row = cert.producer_blacklist(
        actor=u["chuanshan"], producer=coop, reason="虚报带贫户", today=dt.date(2018, 7, 1)
    )

    assert (state(listed)[0], state(on_notice)[0], state(pending)[0]) == ("revoked", "revoked", "submitted")
    assert listed.steps.last().reason == "主体列入黑名单：虚报带贫户"
    assert row.since == dt.date(2018, 7, 1)
    with pytest.raises(DomainError) as caught:
        cert.product_apply(
            actor=u["producer"],
            producer=coop,
            data=honey(world, specification="2斤/瓶"),
            today=dt.date(2018, 7, 2),
        )
    assert (
        caught.value.message
        == "“船山区永兴蔬菜专业合作社”自 2018-07-01 起列入黑名单（虚报带贫户），不能申报扶贫产品。"
    )


def test_blacklisting_belongs_to_the_producers_county_and_can_be_lifted(world, listed):
    u, coop = world.users, world.producers["coop"]
    before = counts()
    with pytest.raises(DomainError) as caught:
        cert.producer_blacklist(actor=u["yongxing"], producer=coop, reason="x", today=dt.date(2018, 7, 1))
    assert caught.value.code == "certification_level" and counts() == before

    row = cert.producer_blacklist(actor=u["admin"], producer=coop, reason="虚报", today=dt.date(2018, 7, 1))
    with pytest.raises(DomainError, match="已在黑名单中"):
        cert.producer_blacklist(actor=u["chuanshan"], producer=coop, reason="再次", today=dt.date(2018, 7, 2))
    cert.blacklist_lift(actor=u["chuanshan"], blacklisting=row, reason="整改完成", today=dt.date(2018, 9, 1))

    row.refresh_from_db()
    assert row.lifted_on == dt.date(2018, 9, 1)
    assert state(listed)[0] == "revoked"
    again = cert.product_apply(
        actor=u["producer"],
        producer=coop,
        data=honey(world, specification="2斤/瓶"),
        today=dt.date(2018, 9, 2),
    )
    assert again.status == "submitted"


# --- application checks ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"files": []}, "须上传承诺函"),
        ({"files": [("inspection", letter("检测.pdf"))]}, "须上传承诺函"),
        ({"files": [("commitment", letter("承诺.exe"))]}, "格式不支持"),
        ({"households": []}, "至少一户"),
        ({"name": " "}, "须填写产品名称"),
        ({"category": "cars"}, "品类“cars”不在可选范围内"),
        ({"mechanism": "charity"}, "带贫机制“charity”不在可选范围内"),
        ({"capacity": "0"}, "供应能力必须大于0"),
        ({"price": "45.001"}, "最多两位小数"),
        ({"price": "abc"}, "不是有效金额"),
        ({"price_links": "ftp://x"}, "须以 http:// 或 https:// 开头"),
    ],
)
def test_a_bad_application_is_refused_and_nothing_is_written(world, changes, message):
    before = counts()

    with pytest.raises(DomainError, match=message):
        cert.product_apply(
            actor=world.users["producer"],
            producer=world.producers["coop"],
            data=honey(world, **changes),
            today=APPLIED,
        )

    assert counts() == before


def test_households_must_be_linked_to_the_producer(world):
    before = counts()

    with pytest.raises(DomainError) as caught:
        cert.product_apply(
            actor=world.users["producer"],
            producer=world.producers["coop"],
            data=honey(world, households=[world.households["wang"]]),
            today=APPLIED,
        )

    assert caught.value.code == "beneficiary_not_linked"
    assert counts() == before


def test_the_same_product_cannot_be_applied_for_twice(world, applied):
    with pytest.raises(DomainError, match="本主体已申报“永兴土蜂蜜（500克/瓶）”"):
        cert.product_apply(
            actor=world.users["producer"], producer=world.producers["coop"], data=honey(world), today=APPLIED
        )


def test_who_may_apply(world):
    u, anju_coop = world.users, world.producers["anju_coop"]
    with pytest.raises(PermissionDeniedError):
        cert.product_apply(actor=u["producer"], producer=anju_coop, data=honey(world), today=APPLIED)
    with pytest.raises(PermissionDeniedError):
        cert.product_apply(actor=u["chuanshan"], producer=anju_coop, data=honey(world), today=APPLIED)
    with pytest.raises(DomainError) as caught:
        cert.product_apply(
            actor=u["unit"], producer=world.producers["coop"], data=honey(world), today=APPLIED
        )
    assert caught.value.code == "certification_level"
    assert Product.objects.count() == 0


def test_the_notice_period_and_validity_are_settings(world, applied, settings):
    settings.YIGOU_NOTICE_DAYS = 7
    settings.YIGOU_CERT_VALIDITY_YEARS = 2
    certify(world, applied)
    assert state(applied)[2] == dt.date(2018, 6, 8)

    cert.product_list(actor=world.users["chuanshan"], product=applied, today=dt.date(2018, 6, 9))

    assert state(applied)[3:] == (dt.date(2018, 6, 9), dt.date(2020, 6, 9))


def test_a_revocation_keeps_earlier_sales_certified_but_not_later_ones(world, listed):
    cert.product_revoke(
        actor=world.users["chuanshan"], product=listed, reason="抽检不合格", today=dt.date(2018, 9, 1)
    )

    listed.refresh_from_db()
    assert (listed.certified_on(dt.date(2018, 8, 31)), listed.certified_on(dt.date(2018, 9, 1))) == (
        True,
        False,
    )
    assert listed.steps.last().action == "revoke"
