"""Forms of the pre-sale list and order pages. They shape input; the services in yigou.market decide what is allowed."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms

from yigou.ledger.enums import BuyerKind
from yigou.market.enums import AfterSaleKind, Delivery, ProductCategory
from yigou.market.presale import ItemInput, ListInput

from .widgets import date_field

Choices = list[tuple[str, str]]
BUYER_KINDS = [
    (k, BuyerKind(k).label)
    for k in (BuyerKind.UNIT, BuyerKind.CANTEEN, BuyerKind.CADRE, BuyerKind.ENTERPRISE, BuyerKind.SOCIAL_ORG)
]


def _money(label: str, *, required: bool = True) -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        required=required,
        max_digits=12,
        decimal_places=2,
        min_value=0,
        widget=forms.NumberInput({"step": "0.01", "inputmode": "decimal"}),
    )


def _quantity(label: str, *, required: bool = True) -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        required=required,
        max_digits=14,
        decimal_places=3,
        min_value=0,
        widget=forms.NumberInput({"step": "any", "inputmode": "decimal"}),
    )


class ListForm(forms.Form):
    title = forms.CharField(label="清单名称", max_length=200)
    opens_on = date_field("开始接单")
    closes_on = date_field("截止接单")
    delivery = forms.ChoiceField(label="交付方式", choices=Delivery.choices, initial=Delivery.BOTH)
    contact_name = forms.CharField(label="联系人", max_length=60)
    contact_phone = forms.CharField(label="联系电话", max_length=20)
    note = forms.CharField(
        label="说明（产地、包装、提货地点等）",
        required=False,
        max_length=500,
        widget=forms.Textarea({"rows": 2}),
    )

    def to_input(self) -> ListInput:
        d = self.cleaned_data
        return ListInput(
            title=d["title"],
            opens_on=d["opens_on"],
            closes_on=d["closes_on"],
            delivery=d["delivery"],
            contact_name=d["contact_name"],
            contact_phone=d["contact_phone"],
            note=d["note"],
        )

    @classmethod
    def initial_for(cls, today: dt.date) -> dict[str, Any]:
        return {"opens_on": today, "closes_on": today + dt.timedelta(days=14), "delivery": Delivery.BOTH}


class ItemForm(forms.Form):
    name = forms.CharField(label="品名", max_length=100)
    category = forms.ChoiceField(label="品类", choices=[("", "请选择"), *ProductCategory.choices])
    specification = forms.CharField(label="规格", required=False, max_length=100)
    unit = forms.CharField(label="单位", max_length=16)
    unit_price = _money("单价（元）")
    quantity = _quantity("可售数量")
    window_start = date_field("交付开始")
    window_end = date_field("交付结束")
    seller = forms.ChoiceField(label="销售方（农户或经营主体）", choices=[])

    def __init__(self, *args: Any, sellers: Choices | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["seller"].choices = [("", "请选择"), *(sellers or [])]  # type: ignore[attr-defined]

    def to_input(self, resolve: Any) -> ItemInput:
        d = self.cleaned_data
        household, producer = resolve(d["seller"])
        return ItemInput(
            name=d["name"],
            category=d["category"],
            unit=d["unit"],
            unit_price=d["unit_price"],
            quantity=d["quantity"],
            window_start=d["window_start"],
            window_end=d["window_end"],
            specification=d["specification"],
            seller_household=household,
            seller_producer=producer,
        )


class BaseItemFormSet(forms.BaseFormSet):  # type: ignore[type-arg]
    def __init__(self, *args: Any, sellers: Choices | None = None, **kwargs: Any) -> None:
        self.sellers = sellers or []
        super().__init__(*args, **kwargs)

    def get_form_kwargs(self, index: int | None) -> dict[str, Any]:
        return {**super().get_form_kwargs(index), "sellers": self.sellers}


ItemFormSet = forms.formset_factory(
    ItemForm, formset=BaseItemFormSet, extra=1, min_num=1, validate_min=True, max_num=50
)


class ItemChangeForm(forms.Form):
    quantity = _quantity("可售数量")
    unit_price = _money("单价（元，仅对新订单有效）")
    window_start = date_field("交付开始")
    window_end = date_field("交付结束")


class ReasonForm(forms.Form):
    reason = forms.CharField(label="原因", max_length=300, widget=forms.Textarea({"rows": 2}))


class OrderForm(forms.Form):
    """Quantities come as `qty-<item id>` fields of the list page; this form holds the rest."""

    unit = forms.ChoiceField(label="代哪个帮扶单位下单", required=False, choices=[])
    buyer_kind = forms.ChoiceField(
        label="以谁的名义购买", required=False, choices=BUYER_KINDS, initial=BuyerKind.UNIT
    )
    cadre = forms.ChoiceField(label="帮扶干部（以干部名义购买时）", required=False, choices=[])
    delivery_address = forms.CharField(label="收货地址/提货说明", required=False, max_length=300)
    note = forms.CharField(label="备注", required=False, max_length=500)

    def __init__(
        self, *args: Any, cadres: Choices | None = None, units: Choices | None = None, **kwargs: Any
    ) -> None:
        """`units` only for administrators, who have no unit of their own and must name the one they order for."""
        super().__init__(*args, **kwargs)
        self.fields["cadre"].choices = [("", "请选择"), *(cadres or [])]  # type: ignore[attr-defined]
        if not units:  # buyers order in their own name: a posted `unit` is not theirs to choose, so not read
            del self.fields["unit"]
            return
        self.fields["unit"].choices = [("", "请选择"), *units]  # type: ignore[attr-defined]
        self.fields["unit"].required = True
        self.fields["unit"].error_messages["required"] = "请选择代为下单的帮扶单位。"


class PayForm(forms.Form):
    paid_on = date_field("付款日期")
    payment_ref = forms.CharField(label="付款凭证号（转账流水号等）", required=False, max_length=100)


class RateForm(forms.Form):
    rating = forms.TypedChoiceField(
        label="评分", coerce=int, choices=[(n, f"{n}星") for n in range(5, 0, -1)], initial=5
    )
    comment = forms.CharField(label="评价", required=False, max_length=500)


class AfterSaleForm(forms.Form):
    kind = forms.ChoiceField(label="售后类型", choices=AfterSaleKind.choices)
    reason = forms.CharField(label="原因", max_length=500, widget=forms.Textarea({"rows": 2}))


class ResolveForm(forms.Form):
    decision = forms.ChoiceField(
        label="处理结果", choices=[("approve", "同意（冲销台账记录，订单改为已退款）"), ("decline", "拒绝")]
    )
    resolution = forms.CharField(label="处理意见", max_length=500, widget=forms.Textarea({"rows": 2}))
