"""The built-in form has exactly the statistics table's columns, and loading it again changes nothing."""

from yigou.ledger.columns import COLUMNS
from yigou.reporting.builtin import BUILTIN_CODE, ensure_builtin_form, load
from yigou.reporting.models import DataElement, Form, Rule, Section


def test_elements_are_the_23_statistics_columns_with_their_units(db):
    form = ensure_builtin_form()
    elements = list(form.elements.order_by("order").values_list("code", "name", "unit", "section__title"))
    assert elements == [(c.code, c.label, c.unit, c.group) for c in COLUMNS]
    assert len(elements) == 23 and elements[16][0] == "amount_certified"
    assert (form.code, form.name, form.levels) == (BUILTIN_CODE, "以购助扶成果统计表", [2, 3, 4, 5])


def test_element_types_and_aggregations(db):
    form = ensure_builtin_form()
    kinds = {
        e.code: (e.value_type, e.aggregation, e.period_aggregation, e.distinct) for e in form.elements.all()
    }
    assert kinds["amount_total"] == ("decimal", "sum", "sum", False)
    assert kinds["fees_waived_wan"] == ("decimal", "sum", "last", False)
    assert kinds["outlets_counter"] == ("integer", "sum", "last", False)
    assert kinds["poor_households"] == ("integer", "sum", "sum", True)


def test_the_five_rules_ship_as_data(db):
    rules = list(
        ensure_builtin_form().rules.values_list(
            "code",
            "if_left",
            "if_operator",
            "if_right",
            "left",
            "operator",
            "right",
            "tolerance",
            "importance",
            "missing",
        )
    )
    assert [r[:7] for r in rules] == [
        ("R01", "", "", "", "amount_total", "eq", "amount_own + amount_coop"),
        ("R02", "", "", "", "poor_income + nonpoor_income", "le", "amount_total"),
        ("R03", "", "", "", "buyer_units", "le", "buyers_total"),
        ("R04", "", "", "", "buyer_cadres", "le", "buyers_total"),
        ("R05", "poor_income", "gt", "0", "poor_households", "gt", "0"),
    ]
    assert str(rules[0][7]) == "0.50"


def test_loading_again_keeps_what_an_administrator_changed(db):
    form = ensure_builtin_form()
    form.rules.filter(code="R03").update(importance="low")
    counts = (
        Form.objects.count(),
        Section.objects.count(),
        DataElement.objects.count(),
        Rule.objects.count(),
    )
    load(Form, Section, DataElement, Rule)
    assert (
        Form.objects.count(),
        Section.objects.count(),
        DataElement.objects.count(),
        Rule.objects.count(),
    ) == counts
    assert counts == (1, 8, 23, 5)  # sections are the 8 upper headers of the paper form
    assert form.rules.get(code="R03").importance == "low"
