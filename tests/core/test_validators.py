import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from yigou.core.errors import DomainError
from yigou.core.validators import (
    id_check_char,
    uscc_check_char,
    validate_id_number,
    validate_phone,
    validate_uscc,
)
from yigou.demo.identity import fake_id_number, fake_uscc

# A published example from GB 11643-1999's annex: 11010519491231002X.
STANDARD_EXAMPLE = "11010519491231002X"


def test_accepts_the_standards_worked_example():
    assert validate_id_number(STANDARD_EXAMPLE) == STANDARD_EXAMPLE


def test_normalises_lowercase_x_and_spaces():
    assert validate_id_number(" 11010519491231002x ") == STANDARD_EXAMPLE


@pytest.mark.parametrize(
    ("number", "detail"),
    [
        ("1101051949123100", "应为18位，实际为16位"),
        ("11010519491231002Y", "前17位须为数字，末位为数字或X"),
        ("99010519491231002X", "省份代码99不存在"),
        ("110105194902301234", "出生日期19490230不是有效日期"),
        ("110105194912310021", "校验位不正确"),
    ],
)
def test_rejects_bad_id_numbers_with_the_reason(number, detail):
    with pytest.raises(DomainError) as err:
        validate_id_number(number)
    assert err.value.code == "id_number_invalid"
    assert err.value.message == f"身份证号码无效：{detail}"


def test_rejects_a_birth_date_in_the_future():
    number = fake_id_number("510903", dt.date(2030, 1, 1), 1, male=True)
    with pytest.raises(DomainError) as err:
        validate_id_number(number, today=dt.date(2026, 1, 1))
    assert "不合理" in err.value.message


@given(
    born=st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2020, 12, 31)),
    seq=st.integers(0, 499),
    male=st.booleans(),
)
def test_every_generated_id_number_validates_and_any_single_digit_change_is_caught(born, seq, male):
    number = fake_id_number("510903", born, seq, male=male)
    assert validate_id_number(number) == number
    position = seq % 17
    changed = number[:position] + str((int(number[position]) + 1) % 10) + number[position + 1 :]
    assert id_check_char(changed[:17]) != changed[17] or changed[:17] == number[:17]


def test_accepts_a_real_format_credit_code_and_its_check_character():
    # 91350100M000100Y43 is the example printed in GB 32100-2015.
    assert uscc_check_char("91350100M000100Y4") == "3"
    assert validate_uscc("91350100m000100y43") == "91350100M000100Y43"


@pytest.mark.parametrize(
    ("code", "detail"),
    [
        ("91350100M000100Y4", "应为18位，实际为17位"),
        ("91350100M000100I43", "含有不允许的字符I"),
        ("91350100M000100Y44", "校验位不正确"),
        ("91ABCDEFM000100Y43", "第3至8位应为登记管理机关行政区划码"),
    ],
)
def test_rejects_bad_credit_codes(code, detail):
    with pytest.raises(DomainError) as err:
        validate_uscc(code)
    assert err.value.message == f"统一社会信用代码无效：{detail}"


@given(serial=st.integers(0, 10**9))
def test_generated_credit_codes_validate(serial):
    code = fake_uscc("510903", serial)
    assert validate_uscc(code) == code


@pytest.mark.parametrize("phone", ["13800001111", "0825-2222333", "08252222333"])
def test_accepts_mobile_and_landline_numbers(phone):
    assert validate_phone(phone) == phone


@pytest.mark.parametrize("phone", ["12800001111", "1380000111", "abc", "0825-22"])
def test_rejects_malformed_phone_numbers(phone):
    with pytest.raises(DomainError) as err:
        validate_phone(phone)
    assert err.value.code == "phone_invalid"
