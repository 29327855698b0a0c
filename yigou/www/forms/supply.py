"""The supply entry form: a phone page for village and producer staff."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms

from yigou.market.enums import ProductCategory
from yigou.supply.enums import MANUAL_CLOSE_REASONS, Storage
from yigou.supply.response import PublishInput
from yigou.supply.services import SupplyInput


class SupplyForm(forms.Form):
    village = forms.ChoiceField(label="所在村")
    household = forms.CharField(label="户编号（不填为整村）", required=False, max_length=30)
    name = forms.CharField(label="品名", max_length=100)
    category = forms.ChoiceField(label="品类", choices=ProductCategory.choices)
    unit = forms.CharField(label="单位", max_length=16, initial="公斤")
    quantity = forms.CharField(
        label="预计可售数量", max_length=20, widget=forms.TextInput(attrs={"inputmode": "decimal"})
    )
    available_from = forms.DateField(label="上市开始", widget=forms.DateInput(attrs={"type": "date"}))
    available_to = forms.DateField(label="上市结束", widget=forms.DateInput(attrs={"type": "date"}))
    keeps_days = forms.CharField(
        label="保鲜天数", max_length=6, widget=forms.TextInput(attrs={"inputmode": "numeric"})
    )
    expected_price = forms.CharField(
        label="预期单价（元）",
        required=False,
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
    )
    storage = forms.ChoiceField(label="储存方式", choices=Storage.choices, initial=Storage.AMBIENT)
    contact_name = forms.CharField(label="联系人", required=False, max_length=60)
    contact_phone = forms.CharField(label="联系电话", required=False, max_length=20)
    note = forms.CharField(label="说明", required=False, max_length=300)

    def __init__(self, *args: Any, villages: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["village"].choices = villages  # type: ignore[attr-defined]

    def to_input(self) -> SupplyInput:
        d = self.cleaned_data
        return SupplyInput(
            name=d["name"],
            category=d["category"],
            unit=d["unit"],
            quantity=d["quantity"],
            available_from=d["available_from"],
            available_to=d["available_to"],
            keeps_days=d["keeps_days"],
            expected_price=d["expected_price"] or None,
            storage=d["storage"],
            contact_name=d["contact_name"],
            contact_phone=d["contact_phone"],
            note=d["note"],
        )


class CasePublishForm(forms.Form):
    """Publish what a case has left as a pre-sale list and tell the buyers ticked below."""

    unit_price = forms.DecimalField(
        label="单价（元）", min_value=Decimal("0.01"), max_digits=12, decimal_places=2
    )
    closes_on = forms.DateField(
        label="截止接单", widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    contact_name = forms.CharField(label="联系人", max_length=60)
    contact_phone = forms.CharField(label="联系电话", max_length=20)
    buyers = forms.MultipleChoiceField(label="通知采购方", widget=forms.CheckboxSelectMultiple)
    note = forms.CharField(label="说明", required=False, max_length=300)

    def __init__(self, *args: Any, buyers: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["buyers"].choices = buyers  # type: ignore[attr-defined]

    def to_input(self) -> PublishInput:
        d = self.cleaned_data
        return PublishInput(
            unit_price=d["unit_price"],
            closes_on=d["closes_on"],
            contact_name=d["contact_name"],
            contact_phone=d["contact_phone"],
            buyers=list(d["buyers"]),
            note=d["note"],
        )


class CaseCloseForm(forms.Form):
    reason = forms.ChoiceField(label="结案方式", choices=[(r.value, r.label) for r in MANUAL_CLOSE_REASONS])
    note = forms.CharField(label="结案说明", max_length=500, widget=forms.Textarea(attrs={"rows": 2}))


class CaseAssignForm(forms.Form):
    handler = forms.ChoiceField(label="责任人")

    def __init__(self, *args: Any, people: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["handler"].choices = people  # type: ignore[attr-defined]
