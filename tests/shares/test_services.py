"""Filing, submission and review rules: every refusal is in Chinese and changes nothing."""

from decimal import Decimal

import pytest

from yigou.core.errors import DomainError, NotFoundError, PermissionDeniedError
from yigou.core.models import AuditEntry
from yigou.shares import services
from yigou.shares.enums import FilingStatus
from yigou.shares.floors import floor_for
from yigou.shares.models import ShareFiling, ShareFloor
from yigou.shares.services import FilingInput, floor_set


def state():
    rows = ShareFiling.objects.order_by("pk").values_list(
        "pk",
        "unit_id",
        "year",
        "mode",
        "status",
        "canteen_total",
        "ratio",
        "reserved_amount",
        "union_amount",
        "host_id",
        "review_note",
    )
    return list(rows), AuditEntry.objects.count(), list(ShareFloor.objects.values_list("pk", "ratio"))


def refused(call, exc=DomainError):
    before = state()
    with pytest.raises(exc) as info:
        call()
    assert state() == before
    return getattr(info.value, "message", "")


def save(ex, key, actor=None, year=None, **fields):
    return services.filing_save(
        actor=actor or ex.admin, unit=ex.units[key], year=year or ex.year + 1, data=FilingInput(**fields)
    )


def test_only_budget_units_file(ex):
    msg = refused(lambda: save(ex, "caterer", mode="own", canteen_total="1000", ratio="20"))
    assert msg == "输入有误：“遂宁味美餐饮有限公司”不是预算单位，无需填报预留份额"


def test_unit_staff_file_only_for_their_own_unit(ex):
    refused(lambda: save(ex, "C", actor=ex.users["a_staff"], mode="none"), PermissionDeniedError)
    refused(lambda: save(ex, "A", actor=ex.world.users["chuanshan"], mode="none"), PermissionDeniedError)
    filing = save(ex, "A", actor=ex.users["a_staff"], mode="own", canteen_total="400000", ratio="20")
    assert (filing.reserved_amount, filing.status) == (Decimal("80000.00"), FilingStatus.DRAFT)


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        (
            {"mode": "none", "canteen_total": "1000"},
            "无食堂单位不设食堂份额，食堂食材采购总额和预留比例须为 0",
        ),
        ({"mode": "own", "ratio": "20"}, "须填写食堂食材采购总额（大于 0）"),
        ({"mode": "own", "canteen_total": "1000"}, "须填写预留比例（大于 0）"),
        ({"mode": "own", "canteen_total": "1000", "ratio": "120"}, "预留比例须在 0 到 100 之间（单位：%）"),
        ({"mode": "own", "canteen_total": "-5", "ratio": "20"}, "食堂食材采购总额不能为负数"),
        ({"mode": "own", "canteen_total": "10.005", "ratio": "20"}, "食堂食材采购总额最多两位小数（元）"),
        ({"mode": "own", "canteen_total": "abc", "ratio": "20"}, "食堂食材采购总额“abc”不是有效金额"),
        ({"mode": "none", "union_staff": "x"}, "工会职工人数“x”须为整数"),
        (
            {"mode": "outsourced", "canteen_total": "1000", "ratio": "20"},
            "食堂委托经营须填写承包企业或承包方账号（二选一）",
        ),
        ({"mode": "merged"}, "食堂情况“merged”不在可选范围内"),
        (
            {"mode": "shared", "canteen_total": "1000", "ratio": "20"},
            "共用食堂须选择由本单位合并填报的其他预算单位",
        ),
    ],
)
def test_bad_input_is_refused_in_chinese(ex, fields, message):
    assert refused(lambda: save(ex, "G", **fields)) == f"输入有误：{message}"


def test_contractor_only_for_outsourced_and_must_be_a_buyer_account(ex):
    msg = refused(
        lambda: save(ex, "G", mode="own", canteen_total="1", ratio="20", contractor_unit=ex.units["caterer"])
    )
    assert msg == "输入有误：只有“食堂委托经营”才填写食堂承包方"
    msg = refused(
        lambda: save(
            ex, "G", mode="outsourced", canteen_total="1", ratio="20", contractor_user=ex.users["a_staff"]
        )
    )
    assert msg == "输入有误：承包方账号“a_staff”须为有效的个人/企业采购人账号"


def test_a_unit_or_contractor_counts_to_one_filing_a_year(ex):
    # This year: the caterer already serves D, B is merged into A, chef serves F.
    year = ex.year
    msg = refused(
        lambda: save(
            ex,
            "G",
            year=year,
            mode="outsourced",
            canteen_total="1",
            ratio="20",
            contractor_unit=ex.units["caterer"],
        )
    )
    assert (
        msg
        == "输入有误：所选单位或承包方已计入“船山区教育局”的"
        + f"{year}年预留份额，同一单位的采购只能计入一个填报"
    )
    msg = refused(
        lambda: save(
            ex, "G", year=year, mode="shared", canteen_total="1", ratio="20", covered_units=[ex.units["B"]]
        )
    )
    assert "已计入“船山区人民政府办公室”" in msg
    msg = refused(
        lambda: save(
            ex,
            "G",
            year=year,
            mode="outsourced",
            canteen_total="1",
            ratio="20",
            contractor_user=ex.users["chef"],
        )
    )
    assert "已计入“船山区卫生健康局”" in msg


def test_merged_unit_does_not_file_alone(ex):
    msg = refused(lambda: save(ex, "B", year=ex.year, mode="none"))
    assert msg == f"输入有误：本单位{ex.year}年由“船山区人民政府办公室”合并填报，无需单独填报"
    refused(lambda: services.filing_submit(actor=ex.admin, filing=ex.filings["B"]))


def test_covered_units_must_be_budget_units_of_the_same_county(ex):
    msg = refused(
        lambda: save(ex, "G", mode="shared", canteen_total="1", ratio="20", covered_units=[ex.units["union"]])
    )
    assert msg == "输入有误：“船山区人民政府办公室工会”不是预算单位"
    msg = refused(
        lambda: save(
            ex, "G", mode="shared", canteen_total="1", ratio="20", covered_units=[ex.world.units["finance"]]
        )
    )
    assert msg == "输入有误：“遂宁市财政局”与本单位不在同一区县，不能共用食堂"


def test_submitted_or_approved_filings_cannot_be_changed(ex):
    msg = refused(lambda: save(ex, "A", year=ex.year, mode="own", canteen_total="1", ratio="20"))
    assert msg == "该填报当前状态为“审核通过”，不能修改。"
    msg = refused(lambda: services.filing_submit(actor=ex.admin, filing=ex.filings["D"]))
    assert msg == "该填报当前状态为“已报送待审核”，不能报送。"


def test_below_floor_is_never_approved(ex):
    low = save(ex, "G", year=ex.year, mode="own", canteen_total="100000", ratio="15")
    low = services.filing_submit(actor=ex.admin, filing=low)
    assert (low.below_floor, low.floor_ratio) == (True, Decimal("20.00"))
    msg = refused(lambda: services.filing_approve(actor=ex.world.users["chuanshan"], filing=low, note="同意"))
    assert msg == f"预留比例 15.00% 低于船山区{ex.year}年的最低比例 20.00%，不能审核通过，请退回。"


def test_below_last_year_needs_a_reason_to_approve_and_can_be_refiled(ex):
    office, e = ex.world.users["chuanshan"], ex.filings["E"]
    refiled = save(
        ex, "E", year=ex.year, mode="own", canteen_total="150000", ratio="20", note="食堂就餐人数减少"
    )
    refiled = services.filing_submit(actor=ex.admin, filing=refiled)
    assert refiled.pk == e.pk and refiled.below_last_year
    msg = refused(lambda: services.filing_approve(actor=office, filing=refiled))
    assert msg == "预留金额 30000.00 元低于上年的 36000.00 元，审核通过须填写理由，否则请退回。"
    done = services.filing_approve(actor=office, filing=refiled, note="机构改革后就餐人数减少，同意")
    assert (done.status, done.review_note) == (FilingStatus.APPROVED, "机构改革后就餐人数减少，同意")


def test_return_needs_a_reason_and_only_offices_over_the_unit_review(ex):
    d = ex.filings["D"]
    assert refused(
        lambda: services.filing_return(actor=ex.world.users["chuanshan"], filing=d, reason=" ")
    ) == ("输入有误：退回须填写原因")
    refused(
        lambda: services.filing_approve(actor=ex.world.users["anju"], filing=d), NotFoundError
    )  # out of sight
    refused(lambda: services.filing_approve(actor=ex.users["a_staff"], filing=d), PermissionDeniedError)
    refused(lambda: services.filing_approve(actor=ex.world.users["auditor"], filing=d), PermissionDeniedError)
    approved = services.filing_approve(actor=ex.world.users["city"], filing=d)
    assert approved.status == FilingStatus.APPROVED


def test_shared_filing_moves_its_merged_units_along_and_drops_them_when_unticked(ex):
    host = save(
        ex, "A", mode="shared", canteen_total="1000", ratio="20", covered_units=[ex.units["B"], ex.units["C"]]
    )
    assert set(host.members.values_list("unit__name", "status")) == {
        ("船山区发展和改革局", "draft"),
        ("船山区档案馆", "draft"),
    }
    services.filing_submit(actor=ex.admin, filing=host)
    assert set(host.members.values_list("status", flat=True)) == {"submitted"}
    services.filing_return(actor=ex.world.users["chuanshan"], filing=host, reason="请补充")
    save(ex, "A", mode="shared", canteen_total="1000", ratio="20", covered_units=[ex.units["B"]])
    assert list(host.members.values_list("unit__name", "status")) == [("船山区发展和改革局", "returned")]
    assert not ShareFiling.objects.filter(unit=ex.units["C"], year=ex.year + 1).exists()


def test_every_change_is_audited(ex):
    actions = list(AuditEntry.objects.filter(action__startswith="share_").values_list("action", flat=True))
    assert actions.count("share_filing_save") == 6  # E last year, A, C, D, E, F
    assert actions.count("share_filing_submit") == 6
    assert actions.count("share_filing_approve") == 4  # E last year, A, C, F
    assert actions.count("share_filing_return") == 1
    assert actions.count("share_filing_merge") == 1
    assert actions.count("share_floor_set") == 2
    entry = AuditEntry.objects.get(action="share_filing_return")
    assert (entry.changes, entry.note, entry.region_code) == (
        {"status": ["submitted", "returned"]},
        "低于上年预留金额，请核实",
        "510903000000",
    )


def test_floors_are_set_in_scope_and_the_most_specific_applies(ex, world):
    anju, city = world.users["anju"], world.users["city"]
    refused(
        lambda: floor_set(actor=anju, region=world.regions["510903000000"], year=ex.year, ratio="30"),
        PermissionDeniedError,
    )
    refused(
        lambda: floor_set(
            actor=ex.users["a_staff"], region=world.regions["510903000000"], year=ex.year, ratio="30"
        ),
        PermissionDeniedError,
    )
    assert refused(
        lambda: floor_set(actor=city, region=world.regions["510900000000"], year=ex.year, ratio="0")
    ) == ("输入有误：最低预留比例须大于 0")
    floor = floor_for("510904101001", ex.year)
    assert (floor.ratio, floor.source) == (Decimal("15.00"), "遂宁市规定")
    floor_set(actor=anju, region=world.regions["510904000000"], year=ex.year, ratio="18")
    assert floor_for("510904101001", ex.year).ratio == Decimal("18.00")
    assert floor_for("510903000000", ex.year + 5).source == "全国最低标准"
    assert floor_for("510903000000", ex.year + 5).ratio == Decimal("10.00")


def test_submission_notes_its_flags_in_the_audit_log(ex):
    entry = AuditEntry.objects.filter(action="share_filing_submit", target_id=str(ex.filings["E"].pk)).last()
    assert (entry.note, entry.changes) == ("低于上年金额", {"status": ["draft", "submitted"]})
