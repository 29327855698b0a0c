"""Entering values: scope, audit of every change, guards, parsing refusals, stored results, comments, outliers."""

from decimal import Decimal

import pytest

from yigou.core.errors import DomainError, NotFoundError, PermissionDeniedError
from yigou.core.models import AuditEntry
from yigou.reporting import hooks, selectors
from yigou.reporting.models import FormValue, OutlierFlag, ValidationResult
from yigou.reporting.services import builtin_form, outlier_resolve, result_comment, values_save
from yigou.reporting.validation import ensure_submittable

D = Decimal
ANJU, CHUANSHAN, LANJIANG_VILLAGE = "510904000000", "510903000000", "510904101001"


def save(world, user, region, values, month=3):
    return values_save(actor=world.users[user], region_code=region, year=2018, month=month, values=values)


def test_a_county_office_enters_for_itself_and_its_villages(world):
    save(world, "anju", ANJU, {"amount_total": "100"})
    save(world, "anju", LANJIANG_VILLAGE, {"amount_total": "40"})
    assert sorted(FormValue.objects.values_list("region_id", "value")) == [
        (ANJU, D("100.00")),
        (LANJIANG_VILLAGE, D("40.00")),
    ]


@pytest.mark.parametrize("user", ["chuanshan", "village", "auditor", "unit", "producer"])
def test_no_one_else_may_enter_for_anju(world, user):
    with pytest.raises(PermissionDeniedError):
        save(world, user, ANJU, {"amount_total": "100"})
    assert FormValue.objects.count() == 0


def test_one_county_cannot_see_anothers_values(world):
    save(world, "anju", ANJU, {"amount_total": "100"})
    assert selectors.month_values(world.users["chuanshan"], world.region(ANJU), 2018, 3) == {}
    assert selectors.month_values(world.users["city"], world.region(ANJU), 2018, 3) == {
        "amount_total": D("100.00")
    }
    with pytest.raises(PermissionDeniedError):
        selectors.merged(world.users["chuanshan"], ANJU, "2018-03")


def test_every_change_is_audited_with_old_and_new(world):
    save(world, "anju", ANJU, {"amount_total": "100"})
    save(world, "anju", ANJU, {"amount_total": "120.5"})
    save(world, "anju", ANJU, {"amount_total": "120.50"})  # unchanged: no entry
    save(world, "anju", ANJU, {"amount_total": ""})
    entries = AuditEntry.objects.filter(target_type="reporting.formvalue").order_by("id")
    assert [(e.action, e.changes, e.region_code, e.actor_name) for e in entries] == [
        ("form_value.create", {"value": [None, "100.00"]}, ANJU, "anju"),
        ("form_value.update", {"value": ["100.00", "120.50"]}, ANJU, "anju"),
        ("form_value.clear", {"value": ["120.50", None]}, ANJU, "anju"),
    ]
    assert entries[0].target_label == "安居区 2018年3月 总额"
    assert FormValue.objects.count() == 0


def test_bad_values_are_refused_element_by_element_and_nothing_is_written(world):
    save(world, "anju", ANJU, {"amount_total": "100"})
    with pytest.raises(DomainError) as exc:
        save(
            world,
            "anju",
            ANJU,
            {
                "amount_total": "200",
                "poor_households": "2.5",
                "poor_income": "-1",
                "amount_own": "abc",
                "amount_coop": "1.234",
                "nonsense": "1",
            },
        )
    assert exc.value.errors == {
        "poor_households": "“户数”的数值“2.5”无效：须为整数（单位：户）",
        "poor_income": "“收入”的数值“-1”无效：不能为负数",
        "amount_own": "“其中农户自产”的数值“abc”无效：不是数字",
        "amount_coop": "“其中合作社产品”的数值“1.234”无效：最多保留两位小数",
        "nonsense": "报表“以购助扶成果统计表”中没有指标“nonsense”。",
    }
    assert list(FormValue.objects.values_list("value", flat=True)) == [D("100.00")]


def test_a_province_does_not_fill_the_county_form(world):
    with pytest.raises(DomainError) as exc:
        save(world, "admin", "510000000000", {"amount_total": "1"})
    assert (
        exc.value.message
        == "“四川省”是省级，不填报“以购助扶成果统计表”（填报层级：市级、县级、乡级、村级）。"
    )


def test_a_registered_guard_refuses_before_anything_is_written(world):
    def locked(region_code, year, month):
        if (region_code, year, month) == (ANJU, 2018, 3):
            raise DomainError("invalid_input", detail="2018年3月已审核锁定")

    hooks.ENTRY_GUARDS.append(locked)
    try:
        with pytest.raises(DomainError, match="已审核锁定"):
            save(world, "anju", ANJU, {"amount_total": "1"})
        save(world, "anju", ANJU, {"amount_total": "1"}, month=4)
    finally:
        hooks.ENTRY_GUARDS.remove(locked)
    assert list(FormValue.objects.values_list("month", flat=True)) == [4]
    assert AuditEntry.objects.filter(target_type="reporting.formvalue").count() == 1


def test_rules_run_at_entry_and_their_results_are_stored_and_cleared(world):
    result = save(
        world,
        "anju",
        ANJU,
        {"amount_total": "100", "amount_own": "50", "buyer_units": "3", "buyers_total": "2"},
    )
    assert [(v.rule.code, v.left, v.right) for v in result.violations] == [
        ("R01", D("100.00"), D("50.00")),
        ("R03", D("3"), D("2")),
    ]
    assert result.blocked
    assert sorted(ValidationResult.objects.values_list("rule__code", "blocking")) == [
        ("R01", True),
        ("R03", False),
    ]
    fixed = save(world, "anju", ANJU, {"amount_coop": "50"})
    assert not fixed.blocked
    assert list(ValidationResult.objects.values_list("rule__code", flat=True)) == ["R03"]


def test_submission_needs_blocking_rules_fixed_and_other_violations_explained(world):
    save(
        world,
        "anju",
        ANJU,
        {"amount_total": "100", "amount_own": "50", "buyer_units": "3", "buyers_total": "2"},
    )
    with pytest.raises(DomainError) as exc:
        ensure_submittable(ANJU, 2018, 3)
    assert exc.value.message == (
        "校验未通过，不能上报：R01 购买金额总额应等于农户自产与合作社产品之和；R03 须填写情况说明"
    )
    save(world, "anju", ANJU, {"amount_coop": "50"})
    r03 = ValidationResult.objects.get(rule__code="R03")
    with pytest.raises(NotFoundError):  # another county's result is not even shown to exist
        result_comment(actor=world.users["chuanshan"], result_id=r03.pk, comment="x")
    result_comment(actor=world.users["anju"], result_id=r03.pk, comment="两家单位由同一采购员代购")
    ensure_submittable(ANJU, 2018, 3)
    entry = AuditEntry.objects.get(action="validation.comment")
    assert entry.changes == {"comment": ["", "两家单位由同一采购员代购"]}


def test_a_high_rule_configured_non_blocking_only_needs_a_comment(world):
    form = builtin_form()
    form.rules.filter(code="R01").update(blocking=False)
    result = save(world, "anju", ANJU, {"amount_total": "100"})
    assert not result.blocked
    r01 = ValidationResult.objects.get(rule__code="R01")
    result_comment(actor=world.users["anju"], result_id=r01.pk, comment="合作社产品金额待补录")
    ensure_submittable(ANJU, 2018, 3)


def test_outliers_against_the_regions_own_history(world):
    for month, value in ((1, "100"), (2, "110"), (3, "90")):
        assert save(world, "anju", ANJU, {"amount_total": value}, month=month).outliers == []
    normal = save(world, "anju", ANJU, {"amount_total": "120"}, month=4)
    assert normal.outliers == []  # mean 100, σ 8.16…: 120 is within 3σ (24.49)
    far = save(world, "anju", ANJU, {"amount_total": "500"}, month=5)
    [flag] = far.outliers
    assert (flag.kind, flag.value, flag.expected, flag.spread) == (
        "stddev",
        D("500.00"),
        D("105.00"),
        D("11.18"),
    )
    assert flag.message == "总额 500 偏离本区域历史均值 105 超过 3 倍标准差（11.18）"
    stored = OutlierFlag.objects.get()
    assert (stored.month, stored.status) == (5, "open")
    outlier_resolve(actor=world.users["anju"], flag_id=stored.pk, note="5月举办大型展销会")
    stored.refresh_from_db()
    assert (stored.status, stored.note) == ("resolved", "5月举办大型展销会")


def test_two_earlier_values_are_not_enough_history(world):
    save(world, "anju", ANJU, {"amount_total": "100"}, month=1)
    save(world, "anju", ANJU, {"amount_total": "100"}, month=2)
    assert save(world, "anju", ANJU, {"amount_total": "9000"}, month=3).outliers == []


def test_values_outside_the_elements_bounds_are_flagged(world):
    builtin_form().elements.filter(code="poor_households").update(min_value=1, max_value=500)
    [flag] = save(world, "anju", ANJU, {"poor_households": "800"}).outliers
    assert flag.message == "户数 800 超出范围 1～500"
    save(world, "anju", ANJU, {"poor_households": "80"})
    assert OutlierFlag.objects.count() == 0


def test_outlier_lists_are_scoped(world):
    builtin_form().elements.filter(code="poor_households").update(max_value=5)
    save(world, "anju", ANJU, {"poor_households": "8"})
    assert selectors.outlier_flags(world.users["chuanshan"]).count() == 0
    assert selectors.outlier_flags(world.users["city"]).count() == 1
