"""The income card of a household and year: components with their parts, the ledger's sales read live (a reversed
sale leaves by itself), corrections by offsetting entries, the household size, scope and refusals that write nothing."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.anomalies.conftest import sell
from yigou.core.errors import DomainError, NotFoundError, PermissionDeniedError
from yigou.core.models import AuditEntry
from yigou.income.models import IncomeEntry
from yigou.income.selectors import income_card, incomes
from yigou.income.services import income_correct, income_record
from yigou.ledger.services import purchase_reverse
from yigou.registry.models import Household, Member

from .conftest import enter, register

pytestmark = pytest.mark.django_db
D = Decimal


@pytest.fixture
def worked(world, family):
    """赵家 (4 people), 2020: a survey of every component, transfers from the annual import, and two sales in the
    ledger — 10 kg × 60 = 600 and 5 kg × 40 = 200."""
    enter(world, family, 2020, "wage", "18000.00")
    enter(world, family, 2020, "business", "3000.00")
    enter(world, family, 2020, "property", "500.00")
    enter(world, family, 2020, "transfer", "2400.00", source="import")
    enter(world, family, 2020, "cost", "1200.00")
    first = sell(world, family, "10", "60.00", day=dt.date(2020, 5, 10))
    second = sell(world, family, "5", "40.00", day=dt.date(2020, 9, 3), product="花椒")
    sell(world, family, "1", "99.00", day=dt.date(2019, 12, 31))  # another year: not on the 2020 card
    return family, first, second


def parts(card, component):
    return [(p.source, p.label, p.amount, p.count) for p in card.component(component).parts]


def test_card_adds_the_survey_and_the_ledger_and_divides_by_four(world, worked):
    family, _, _ = worked
    card = income_card(world.users["chuanshan"], family, 2020)
    assert [(c.component, c.label, c.amount) for c in card.components] == [
        ("wage", "工资性收入", D("18000.00")),
        ("business", "经营性收入", D("3800.00")),
        ("property", "财产性收入", D("500.00")),
        ("transfer", "转移性收入", D("2400.00")),
        ("cost", "生产经营性支出", D("1200.00")),
    ]
    assert parts(card, "business") == [
        ("ledger", "消费帮扶销售收入（台账）", D("800.00"), 2),
        ("survey", "入户调查", D("3000.00"), 1),
    ]
    assert parts(card, "transfer") == [("import", "年度导入", D("2400.00"), 1)]
    # (18000 + 3800 + 500 + 2400 − 1200) / 4
    assert (card.net_income, card.size, card.per_capita) == (D("23500.00"), 4, D("5875.00"))


def test_a_reversed_sale_takes_its_income_out_of_the_card(world, worked):
    family, _, second = worked
    purchase_reverse(actor=world.users["chuanshan"], purchase=second, reason="重复录入")
    card = income_card(world.users["chuanshan"], family, 2020)
    assert parts(card, "business") == [
        ("ledger", "消费帮扶销售收入（台账）", D("600.00"), 1),
        ("survey", "入户调查", D("3000.00"), 1),
    ]
    assert (card.net_income, card.per_capita) == (D("23300.00"), D("5825.00"))
    assert IncomeEntry.objects.count() == 5  # nothing was copied from the ledger


def test_the_set_based_totals_agree_with_the_card(world, worked):
    family, _, _ = worked
    income = incomes(2020, "510903")[family.pk]
    assert (income.number, income.size, income.purchases) == (family.number, 4, 2)
    assert income.amounts["business"] == D("3800.00")
    assert (income.net_income, income.per_capita) == (D("23500.00"), D("5875.00"))


def test_a_correction_offsets_the_entry_and_records_the_right_amount(world, family):
    wrong = enter(world, family, 2020, "wage", "1800.00")
    offset, right = income_correct(
        actor=world.users["village"], entry=wrong, reason="少录一位数", amount="18000.00"
    )
    assert (offset.amount, offset.corrects, offset.note) == (D("-1800.00"), wrong, "冲正：少录一位数")
    assert (right.amount, right.source, right.corrects) == (D("18000.00"), "survey", None)
    card = income_card(world.users["village"], family, 2020)
    assert card.component("wage").amount == D("18000.00")
    assert parts(card, "wage") == [("survey", "入户调查", D("18000.00"), 3)]
    assert card.per_capita == D("4500.00")
    actions = list(
        AuditEntry.objects.filter(action__startswith="income.").order_by("id").values_list("action", "note")
    )
    assert actions == [
        ("income.record", ""),
        ("income.correct", "少录一位数"),
        ("income.record", "少录一位数"),
    ]
    assert AuditEntry.objects.filter(action="income.correct").get().region_code == "510903101001"


def test_a_correction_is_refused_twice_and_for_a_correction_itself(world, family):
    wrong = enter(world, family, 2020, "wage", "1800.00")
    offset, _ = income_correct(actor=world.users["chuanshan"], entry=wrong, reason="录错")
    before = IncomeEntry.objects.count()
    with pytest.raises(DomainError, match="冲正，不能重复冲正"):
        income_correct(actor=world.users["chuanshan"], entry=wrong, reason="再冲一次")
    with pytest.raises(DomainError, match="冲正记录本身不能再冲正"):
        income_correct(actor=world.users["chuanshan"], entry=offset, reason="再冲一次")
    with pytest.raises(DomainError, match="请填写冲正原因"):
        income_correct(
            actor=world.users["chuanshan"], entry=enter(world, family, 2020, "wage", "5"), reason=" "
        )
    assert IncomeEntry.objects.count() == before + 1


def test_entries_are_append_only(world, family):
    entry = enter(world, family, 2020, "wage", "100.00")
    entry.amount = D("200.00")
    with pytest.raises(DomainError, match="收入台账只能追加"):
        entry.save()
    with pytest.raises(DomainError, match="收入台账只能追加"):
        entry.delete()
    assert IncomeEntry.objects.get().amount == D("100.00")


def test_an_entry_keeps_its_evidence_file(world, family):
    upload = SimpleUploadedFile("入户调查表.pdf", b"%PDF-1.4 test", content_type="application/pdf")
    entry = income_record(
        actor=world.users["village"],
        household=family,
        year=2020,
        component="wage",
        amount="100",
        note="务工收入证明",
        evidence=upload,
    )
    assert entry.evidence.name.startswith(f"income/510903/{family.pk}/2020/")
    assert (entry.recorded_by, entry.note) == (world.users["village"], "务工收入证明")


def test_the_members_count_when_the_size_is_zero_and_no_members_is_refused(world, family):
    enter(world, family, 2020, "wage", "1000.00")
    Household.objects.filter(pk=family.pk).update(size=0)
    assert income_card(world.users["chuanshan"], family.pk, 2020).per_capita == D("250.00")
    Member.objects.filter(household=family).delete()
    with pytest.raises(DomainError, match=f"农户{family.number}家庭人口为 0，无法计算人均纯收入"):
        income_card(world.users["chuanshan"], family.pk, 2020)


def test_another_county_cannot_read_the_card_and_units_hold_no_capability(world, worked):
    family, _, _ = worked
    with pytest.raises(NotFoundError, match="记录不存在或无权访问"):
        income_card(world.users["anju"], family, 2020)
    with pytest.raises(PermissionDeniedError):
        income_card(world.users["unit"], family, 2020)
    assert income_card(world.users["city"], family, 2020).per_capita == D("5875.00")
    assert income_card(world.users["auditor"], family, 2020).per_capita == D("5875.00")


def test_another_county_cannot_write_the_card_and_nothing_is_written(world, family):
    with pytest.raises(NotFoundError):
        enter(world, family, 2020, "wage", "100.00", actor="anju")
    with pytest.raises(PermissionDeniedError):
        enter(world, family, 2020, "wage", "100.00", actor="auditor")
    assert (IncomeEntry.objects.count(), AuditEntry.objects.filter(action__startswith="income.").count()) == (
        0,
        0,
    )


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"year": 2013}, "年度“2013”无效，应为 2014 至 2027 之间的四位年份"),
        ({"year": "20x0"}, "年度“20x0”无效"),
        ({"component": "salary"}, "收入构成“salary”不在可选范围内"),
        ({"source": "guess"}, "来源“guess”不在可选范围内"),
        ({"amount": "abc"}, "金额“abc”不是数字"),
        ({"amount": "-5"}, "金额须大于 0（更正已登记的金额请用冲正）"),
        ({"amount": "0"}, "金额须大于 0"),
        ({"amount": "1.005"}, "金额最多 2 位小数"),
    ],
)
def test_bad_input_is_refused_in_chinese_and_nothing_is_written(
    world, family, changes, message, time_machine
):
    time_machine.move_to(dt.datetime(2026, 6, 1, 12))
    fields = {"year": 2020, "component": "wage", "amount": "100", "source": "survey", **changes}
    with pytest.raises(DomainError) as refused:
        income_record(actor=world.users["chuanshan"], household=family, **fields)
    assert message in refused.value.message
    assert (IncomeEntry.objects.count(), AuditEntry.objects.filter(action__startswith="income.").count()) == (
        0,
        0,
    )


def test_a_card_of_a_bad_year_is_refused(world, family):
    with pytest.raises(DomainError, match="年度“1999”无效"):
        income_card(world.users["chuanshan"], family, 1999)


def test_a_household_without_entries_has_an_empty_card_and_no_totals(world):
    wang = register(world, "钱", 2)
    card = income_card(world.users["chuanshan"], wang, 2020)
    assert (card.net_income, card.per_capita, card.component("wage").parts) == (D("0.00"), D("0.00"), [])
    assert wang.pk not in incomes(2020, "510903")
