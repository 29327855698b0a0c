"""Forms of the contract, pre-order and buy-back pages. They shape input; the services decide what is allowed."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Any

from django import forms

from yigou.contracts.enums import PreOrderStatus, PriceRule
from yigou.market.enums import ProductCategory

from .widgets import date_field

Choices = list[tuple[Any, str]]
SEPARATORS = re.compile(r"[,，;；\s]+")


def _decimal(
    label: str, places: int = 2, *, required: bool = True, initial: Any = None
) -> forms.DecimalField:
    step = "0.01" if places == 2 else "0.001"
    return forms.DecimalField(
        label=label,
        required=required,
        max_digits=14,
        decimal_places=places,
        initial=initial,
        widget=forms.NumberInput({"step": step, "inputmode": "decimal"}),
    )


def _many(label: str) -> forms.MultipleChoiceField:
    return forms.MultipleChoiceField(
        label=label, required=False, choices=[], widget=forms.SelectMultiple({"size": 4})
    )


def numbers_list(text: str) -> list[str]:
    """Household numbers typed one after another, separated by commas, spaces or new lines."""
    return [part for part in SEPARATORS.split(text.strip()) if part]


def parse_schedule(text: str) -> list[tuple[dt.date, str]]:
    """'2018-05-31:40，2018-08-31:30' → [(date, '40'), (date, '30')], refused in Chinese when malformed."""
    rows = []
    for part in numbers_list(text):
        day, sep, qty = part.replace("：", ":").partition(":")
        try:
            rows.append((dt.date.fromisoformat(day), qty))
        except ValueError:
            raise forms.ValidationError(f"交付计划“{part}”格式应为 日期:数量，如 2018-05-31:40") from None
        if not sep or not qty:
            raise forms.ValidationError(f"交付计划“{part}”缺少数量")
    return rows


class ChoicesMixin:
    """Fills the empty choice lists from keyword arguments named after the fields."""

    def set_choices(self, choices: dict[str, Choices]) -> None:
        for name, options in choices.items():
            self.fields[name].choices = options  # type: ignore[attr-defined]


class ContractForm(ChoicesMixin, forms.Form):
    number = forms.CharField(label="合同编号", max_length=40)
    title = forms.CharField(label="合同名称", max_length=200)
    signed_on = date_field("签订日期")
    period_start = date_field("履行期开始")
    period_end = date_field("履行期结束")
    price_tolerance = _decimal("价格允许偏差（%）", initial=Decimal("5"))
    allow_over = forms.BooleanField(label="允许超过约定数量", required=False)
    buyer_units = _many("购买方：帮扶单位")
    buyer_cadres = _many("购买方：帮扶干部")
    seller_villages = _many("销售方：村")
    seller_households = forms.CharField(label="销售方：农户（户编号，多个用逗号分隔）", required=False)
    seller_producers = _many("销售方：经营主体")
    note = forms.CharField(label="备注", required=False, max_length=500)

    def __init__(self, *args: Any, choices: dict[str, Choices], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.set_choices(choices)


class ItemForm(ChoicesMixin, forms.Form):
    name = forms.CharField(label="品名", max_length=100)
    # Initial values equal what a browser posts for an untouched row, so empty extra rows stay unchanged.
    category = forms.ChoiceField(
        label="品类", choices=ProductCategory.choices, initial=ProductCategory.GRAIN_OIL
    )
    unit = forms.CharField(label="单位", max_length=16)
    quantity = _decimal("约定数量", 3)
    price_rule = forms.ChoiceField(label="定价方式", choices=PriceRule.choices, initial=PriceRule.FIXED)
    price = _decimal("固定单价（元）", required=False)
    markup_percent = _decimal("上浮比例（%）", required=False)
    reference = forms.ChoiceField(label="市场参考价", required=False, choices=[])
    schedule = forms.CharField(label="交付计划（日期:数量，多个用逗号分隔）", required=False)

    def __init__(self, *args: Any, references: Choices, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.set_choices({"reference": [("", "—"), *references]})

    def clean_schedule(self) -> list[tuple[dt.date, str]]:
        return parse_schedule(self.cleaned_data.get("schedule", ""))


ItemFormSet = forms.formset_factory(ItemForm, extra=3, max_num=20)


class DrawForm(forms.Form):
    kind = forms.ChoiceField(label="计入来源", choices=[("order", "平台订单"), ("purchase", "台账购买记录")])
    number = forms.IntegerField(label="订单号或购买记录号", min_value=1)


class ReasonForm(forms.Form):
    action = forms.CharField(widget=forms.HiddenInput)
    reason = forms.CharField(label="说明/原因", required=False, max_length=300)


class PreOrderForm(ChoicesMixin, forms.Form):
    number = forms.CharField(label="预购编号", max_length=40)
    buyer_unit = forms.ChoiceField(label="购买单位", required=False, choices=[])
    buyer_cadre = forms.ChoiceField(label="或：购买干部", required=False, choices=[])
    seller_household = forms.CharField(label="销售农户（户编号）", required=False, max_length=32)
    seller_producer = forms.ChoiceField(label="或：销售主体", required=False, choices=[])
    name = forms.CharField(label="品名", max_length=100)
    category = forms.ChoiceField(label="品类", choices=ProductCategory.choices)
    unit = forms.CharField(label="单位", max_length=16)
    quantity = _decimal("预购数量", 3)
    price = _decimal("约定单价（元）")
    signed_on = date_field("签订日期")
    harvest_start = date_field("采收开始")
    harvest_end = date_field("采收结束")
    deposit = _decimal("定金（元）", required=False, initial=Decimal("0"))
    deposit_paid_on = date_field("定金支付日期", required=False)
    price_tolerance = _decimal("价格允许偏差（%）", initial=Decimal("5"))
    allow_over = forms.BooleanField(label="允许超过预购数量", required=False)
    note = forms.CharField(label="备注", required=False, max_length=500)

    def __init__(self, *args: Any, choices: dict[str, Choices], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.set_choices({name: [("", "—"), *options] for name, options in choices.items()})


class PreOrderEndForm(forms.Form):
    status = forms.ChoiceField(
        label="操作", choices=[(PreOrderStatus.CLOSED, "结清"), (PreOrderStatus.CANCELLED, "取消")]
    )
    reason = forms.CharField(label="说明", max_length=300)


class BuyBackForm(ChoicesMixin, forms.Form):
    title = forms.CharField(label="回购项目名称", max_length=200)
    enterprise = forms.ChoiceField(label="回购企业（经营主体）", choices=[])
    buyer_unit = forms.ChoiceField(
        label="企业登记的帮扶单位（民营企业；选择后交售记入购买台账）", required=False, choices=[]
    )
    villages = _many("回购村")
    name = forms.CharField(label="回购产品", max_length=100)
    category = forms.ChoiceField(label="品类", choices=ProductCategory.choices)
    unit = forms.CharField(label="单位", max_length=16)
    floor_price = _decimal("保底收购价（元）")
    season = forms.CharField(label="产季", max_length=60)
    season_start = date_field("收购开始")
    season_end = date_field("收购结束")
    support = forms.CharField(label="提供的种苗/技术", widget=forms.Textarea({"rows": 3}))

    def __init__(self, *args: Any, choices: dict[str, Choices], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.set_choices(choices)


class EnrolForm(forms.Form):
    household = forms.CharField(label="农户（户编号）", max_length=32)
    enrolled_on = date_field("加入日期")
    note = forms.CharField(label="说明（种植面积等）", required=False, max_length=200)


class DeliveryForm(ChoicesMixin, forms.Form):
    household = forms.ChoiceField(label="交售农户", choices=[])
    day = date_field("交售日期")
    quantity = _decimal("数量", 3)
    unit_price = _decimal("收购价（元）")
    note = forms.CharField(label="备注", required=False, max_length=300)

    def __init__(self, *args: Any, households: Choices, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.set_choices({"household": households})


class DepositForm(forms.Form):
    paid_on = date_field("定金支付日期")


class ReverseDeliveryForm(forms.Form):
    delivery = forms.IntegerField(widget=forms.HiddenInput)
    reason = forms.CharField(label="冲销原因", max_length=300)
