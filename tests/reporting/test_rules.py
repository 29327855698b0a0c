"""The expression parser, each operator with its tolerance, the compulsory pair, conditions and missing values."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from yigou.core.errors import DomainError
from yigou.reporting.expressions import parse
from yigou.reporting.models import Rule
from yigou.reporting.rules import check, holds

D = Decimal


def test_parses_codes_numbers_and_both_minus_signs():
    e = parse("amount_total − amount_own - 0.5 + amount_coop")
    assert e.codes == ["amount_total", "amount_own", "amount_coop"]
    values = {"amount_total": D("100"), "amount_own": D("30"), "amount_coop": D("5")}
    assert e.evaluate(values, missing_as_zero=False) == D("74.5")


def test_a_leading_minus_negates_the_first_term():
    assert parse("-a + 3").evaluate({"a": D("1")}, missing_as_zero=False) == D("2")


def test_a_missing_element_is_none_unless_counted_as_zero():
    e = parse("a + b")
    assert e.evaluate({"a": D("1")}, missing_as_zero=False) is None
    assert e.evaluate({"a": D("1")}, missing_as_zero=True) == D("1")


@pytest.mark.parametrize(
    ("text", "detail"),
    [
        ("", "表达式为空"),
        ("a +", "表达式以运算符结尾"),
        ("a b", "“b”前缺少运算符"),
        ("a + * b", "第 5 个字符“*”无法识别"),
        ("a + + b", "运算符“+”位置不对"),
        ("__import__('os')", "第 11 个字符“(”无法识别"),
    ],
)
def test_refuses_malformed_expressions_in_chinese(text, detail):
    with pytest.raises(DomainError) as exc:
        parse(text)
    assert exc.value.message == f"校验规则表达式“{text}”有误：{detail}"


def test_refuses_unknown_element_codes():
    with pytest.raises(DomainError) as exc:
        parse("amount_total + amount_typo", known=["amount_total"])
    assert exc.value.message == "校验规则表达式“amount_total + amount_typo”有误：未知的指标代码 amount_typo"


@given(st.lists(st.tuples(st.sampled_from("+-"), st.integers(0, 10**6)), min_size=1, max_size=8))
def test_sums_of_numbers_evaluate_like_arithmetic(parts):
    text = " ".join(f"{sign} {n}" for sign, n in parts)
    expected = sum(n if sign == "+" else -n for sign, n in parts)
    assert parse(text).evaluate({}, missing_as_zero=False) == expected


@pytest.mark.parametrize(
    ("operator", "left", "right", "tolerance", "expected"),
    [
        ("eq", "100", "100.4", "0.5", True),
        ("eq", "100", "100.6", "0.5", False),
        ("eq", "1", "1", "0", True),
        ("ne", "100", "100.4", "0.5", False),
        ("ne", "100", "101", "0.5", True),
        ("lt", "1", "2", "0", True),
        ("lt", "2", "2", "0", False),
        ("lt", "2.1", "2", "0.5", True),
        ("le", "2", "2", "0", True),
        ("le", "3", "2", "0", False),
        ("le", "2.4", "2", "0.5", True),
        ("gt", "3", "2", "0", True),
        ("gt", "2", "2", "0", False),
        ("gt", "1.9", "2", "0.5", True),
        ("ge", "2", "2", "0", True),
        ("ge", "1", "2", "0", False),
        ("ge", "1.6", "2", "0.5", True),
    ],
)
def test_each_operator_with_its_tolerance(operator, left, right, tolerance, expected):
    assert holds(operator, D(left), D(right), D(tolerance)) is expected


def rule(**fields):
    base = {
        "code": "T",
        "description": "测试规则",
        "left": "a",
        "operator": "le",
        "right": "b",
        "tolerance": D(0),
        "importance": "high",
        "missing": "skip",
    }
    return Rule(**{**base, **fields})


def test_skip_does_not_check_a_rule_with_a_missing_element():
    assert check(rule(missing="skip"), {"a": D("5"), "b": None}) is None


def test_zero_counts_a_missing_element_as_zero():
    violation = check(rule(missing="zero"), {"a": D("5"), "b": None})
    assert (violation.left, violation.right, violation.message) == (D("5"), D("0"), "测试规则：a = 5，b = 0")


def test_violation_if_missing_reports_the_missing_elements():
    violation = check(rule(missing="violation", right="b + c"), {"a": D("1"), "b": None, "c": None})
    assert (violation.left, violation.right, violation.message) == (D("1"), None, "测试规则：缺少 b、c")


def test_a_satisfied_rule_has_no_violation():
    assert check(rule(), {"a": D("1"), "b": D("2")}) is None


def test_compulsory_pair_needs_both_sides_once_one_is_filled():
    pair = rule(operator="pair", left="poor_households", right="poor_income")
    assert check(pair, {"poor_households": None, "poor_income": None}) is None
    assert check(pair, {"poor_households": D("2"), "poor_income": D("10")}) is None
    violation = check(pair, {"poor_households": D("2"), "poor_income": None})
    assert violation.message == "测试规则：poor_households 与 poor_income 须同时填报"
    assert check(pair, {"poor_households": None, "poor_income": D("10")}) is not None


def test_an_implication_is_checked_only_when_its_condition_holds():
    implies = rule(
        if_left="poor_income",
        if_operator="gt",
        if_right="0",
        left="poor_households",
        operator="gt",
        right="0",
        missing="zero",
    )
    assert check(implies, {"poor_income": D("0"), "poor_households": D("0")}) is None
    assert check(implies, {"poor_income": None, "poor_households": None}) is None
    assert check(implies, {"poor_income": D("500"), "poor_households": D("2")}) is None
    violation = check(implies, {"poor_income": D("500"), "poor_households": None})
    assert (violation.left, violation.right) == (D("0"), D("0"))


def test_a_rule_is_checked_against_its_forms_elements_before_it_is_saved(db):
    from django.core.exceptions import ValidationError

    from yigou.reporting.services import builtin_form

    bad = rule(
        form=builtin_form(), left="amount_total + amount_typo", if_left="poor_income", tolerance=D("-1")
    )
    with pytest.raises(ValidationError) as exc:
        bad.clean()
    assert exc.value.message_dict == {
        "left": ["校验规则表达式“amount_total + amount_typo”有误：未知的指标代码 amount_typo"],
        "right": ["校验规则表达式“b”有误：未知的指标代码 b"],
        "if_operator": ["填写了条件表达式时须选择条件运算符"],
        "tolerance": ["容差不能为负数"],
    }
