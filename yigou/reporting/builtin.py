"""The built-in 以购助扶成果统计表 form and its rules, loaded idempotently (data migration and on first use).

Element codes, names, groups and units are exactly those of `yigou.ledger.columns.COLUMNS`, so a reported
value and a ledger figure of the same code mean the same thing and can be merged and reconciled.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from yigou.ledger.columns import COLUMNS, Column

BUILTIN_CODE = "yigou-results"
BUILTIN_NAME = "以购助扶成果统计表"
BUILTIN_LEVELS = [2, 3, 4, 5]  # city, county (or zone), township, village

# Stocks (outlets open, fees they waived) take the period's last month; flows and counts add up over months.
STOCKS = {
    "outlets_counter",
    "outlets_online_shop",
    "outlets_service_store",
    "outlets_temp_market",
    "outlets_ecommerce",
    "fees_waived_wan",
}

# code, description, (if_left, if_op, if_right), left, operator, right, tolerance, importance, missing
RULES: list[tuple[str, str, tuple[str, str, str], str, str, str, str, str, str]] = [
    (
        "R01",
        "购买金额总额应等于农户自产与合作社产品之和",
        ("", "", ""),
        "amount_total",
        "eq",
        "amount_own + amount_coop",
        "0.5",
        "high",
        "zero",
    ),
    (
        "R02",
        "贫困与非贫困群众收入之和不应超过购买金额总额",
        ("", "", ""),
        "poor_income + nonpoor_income",
        "le",
        "amount_total",
        "0",
        "high",
        "zero",
    ),
    (
        "R03",
        "参与购买的帮扶单位数不应超过参与购买总人数",
        ("", "", ""),
        "buyer_units",
        "le",
        "buyers_total",
        "0",
        "medium",
        "skip",
    ),
    (
        "R04",
        "参与购买的帮扶干部数不应超过参与购买总人数",
        ("", "", ""),
        "buyer_cadres",
        "le",
        "buyers_total",
        "0",
        "medium",
        "skip",
    ),
    (
        "R05",
        "贫困群众有收入时，贫困群众参与户数应大于零",
        ("poor_income", "gt", "0"),
        "poor_households",
        "gt",
        "0",
        "0",
        "high",
        "zero",
    ),
]


def element_fields(column: Column, order: int) -> dict[str, Any]:
    return {
        "name": column.label,
        "unit": column.unit,
        "value_type": "decimal" if column.kind in ("money", "wan") else "integer",
        "aggregation": "sum",
        "period_aggregation": "last" if column.code in STOCKS else "sum",
        "distinct": column.kind == "distinct",
        "order": order,
    }


def load(Form: Any, Section: Any, DataElement: Any, Rule: Any) -> Any:
    """Create what is missing; leave what an administrator changed (bounds, importance) as it is."""
    form, _ = Form.objects.get_or_create(
        code=BUILTIN_CODE,
        defaults={
            "name": BUILTIN_NAME,
            "period_type": "monthly",
            "levels": BUILTIN_LEVELS,
            "is_builtin": True,
        },
    )
    sections: dict[str, Any] = {}
    for order, column in enumerate(COLUMNS, start=1):
        if column.group not in sections:
            sections[column.group], _ = Section.objects.get_or_create(
                form=form, title=column.group, defaults={"order": len(sections) + 1}
            )
        DataElement.objects.get_or_create(
            form=form,
            code=column.code,
            defaults={**element_fields(column, order), "section": sections[column.group]},
        )
    for order, (code, text, condition, left, op, right, tolerance, importance, missing) in enumerate(
        RULES, 1
    ):
        Rule.objects.get_or_create(
            form=form,
            code=code,
            defaults={
                "description": text,
                "if_left": condition[0],
                "if_operator": condition[1],
                "if_right": condition[2],
                "left": left,
                "operator": op,
                "right": right,
                "tolerance": Decimal(tolerance),
                "importance": importance,
                "missing": missing,
                "order": order,
            },
        )
    return form


def ensure_builtin_form() -> Any:
    from .models import DataElement, Form, Rule, Section

    form = Form.objects.filter(code=BUILTIN_CODE).first()
    if form is not None and form.elements.exists():
        return form
    return load(Form, Section, DataElement, Rule)
