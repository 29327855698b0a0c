"""The supply entry form: a phone page for village and producer staff."""

from __future__ import annotations

from typing import Any

from django import forms

from yigou.market.enums import ProductCategory
from yigou.supply.enums import Storage
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
