"""Forms of the purchase, outlet and activity pages. They shape input; the services decide what is allowed."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django import forms

from yigou.ledger.enums import Attribution, BuyerKind, Channel, LineSource
from yigou.ledger.services import LineInput
from yigou.market.enums import ActivityKind, OutletKind

from .widgets import date_field

Choices = list[tuple[Any, str]]
SELLER_KINDS = [("household", "农户（按姓名查找）"), ("producer", "经营主体（合作社、企业、家庭农场）")]
# A producer's sale is shared out by one of these; a household seller is always its own beneficiary.
PRODUCER_RULES = [(v, label) for v, label in Attribution.choices if v != Attribution.SELF]


def _money(label: str, *, required: bool = True) -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        required=required,
        max_digits=14,
        decimal_places=2,
        widget=forms.NumberInput({"step": "0.01", "inputmode": "decimal"}),
    )


def _choice(label: str, *, required: bool = False) -> forms.ChoiceField:
    return forms.ChoiceField(label=label, required=required, choices=[])


class PurchaseForm(forms.Form):
    date = date_field("购买日期")
    buyer_kind = forms.ChoiceField(label="购买方类型", choices=[("", "请选择"), *BuyerKind.choices])
    buyer_unit = _choice("购买单位", required=False)
    buyer_cadre = _choice("帮扶干部")
    buyer_name = forms.CharField(label="购买人姓名", required=False, max_length=100)
    channel = forms.ChoiceField(label="购买渠道", required=False, choices=[("", "请选择"), *Channel.choices])
    outlet = _choice("销售网点")
    activity = _choice("所属活动")
    seller_kind = forms.ChoiceField(
        label="销售方", choices=SELLER_KINDS, initial="household", widget=forms.RadioSelect
    )
    seller_household = forms.IntegerField(label="销售农户", required=False, widget=forms.HiddenInput)
    seller_producer = _choice("经营主体")
    attribution = forms.ChoiceField(
        label="受益分配方式", required=False, choices=PRODUCER_RULES, initial=Attribution.ENTERED
    )
    total = _money("合计金额（元）", required=False)
    note = forms.CharField(label="备注", required=False, max_length=300)

    def __init__(self, *args: Any, options: dict[str, Choices], **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"date": dt.date.today(), "seller_kind": "household"})
        super().__init__(*args, **kwargs)
        for name, choices in options.items():
            self.fields[name].choices = [("", "请选择"), *choices]  # type: ignore[attr-defined]
        self.fields["total"].help_text = "由明细自动合计；手工填写时须与明细合计相等"

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("outlet") and not data.get("channel"):
            data["channel"] = Channel.OUTLET  # choosing an outlet says the channel
        if not data.get("channel"):
            self.add_error("channel", "请选择购买渠道或销售网点")
        if data.get("seller_kind") == "household" and not data.get("seller_household"):
            self.add_error(None, "请查找并选择销售农户")
        if data.get("seller_kind") == "producer" and not data.get("seller_producer"):
            self.add_error("seller_producer", "请选择经营主体")
        return data


class LineForm(forms.Form):
    product = forms.CharField(label="产品", max_length=100)
    category = forms.CharField(label="品类", required=False, max_length=50)
    quantity = forms.DecimalField(
        label="数量",
        max_digits=14,
        decimal_places=3,
        widget=forms.NumberInput({"step": "any", "inputmode": "decimal"}),
    )
    unit = forms.CharField(label="单位", max_length=16)
    unit_price = _money("单价（元）")
    amount = _money("金额（元）", required=False)
    source = forms.ChoiceField(
        label="产品来源", required=False, choices=[("", "按销售方"), *LineSource.choices]
    )

    def as_input(self) -> LineInput:
        d = self.cleaned_data
        return LineInput(
            product=d["product"],
            category=d["category"],
            quantity=d["quantity"],
            unit=d["unit"],
            unit_price=d["unit_price"],
            amount=d["amount"],
            source=d["source"],
        )


# Untouched extra rows are skipped; rows are added in the page with a little script (see entry.html).
LineFormSet = forms.formset_factory(LineForm, extra=0, min_num=1, validate_min=True, max_num=50)


def beneficiary_amounts(post: Any) -> tuple[dict[int, Decimal], list[str]]:
    """Posted ben-<household id> amounts: the ones filled in, and a Chinese error for each that is not a number."""
    amounts: dict[int, Decimal] = {}
    errors = []
    for key, value in post.items():
        if not key.startswith("ben-") or not key[4:].isdigit() or not str(value).strip():
            continue
        try:
            amounts[int(key[4:])] = Decimal(str(value).strip())
        except ArithmeticError:
            errors.append(f"受益农户收入“{value}”不是有效金额")
    return amounts, errors


class ReverseForm(forms.Form):
    reason = forms.CharField(
        label="冲销原因",
        max_length=300,
        widget=forms.Textarea({"rows": 2}),
        error_messages={"required": "冲销必须填写原因"},
    )


class OutletForm(forms.Form):
    region = forms.ChoiceField(label="所在区划")
    name = forms.CharField(label="网点名称", max_length=200)
    kind = forms.ChoiceField(label="网点类型", choices=OutletKind.choices)
    opened_on = date_field("开办日期")
    fees_waived = _money("免收费用（元）", required=False)
    note = forms.CharField(label="说明", required=False, max_length=300)

    def __init__(self, *args: Any, regions: Choices, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["region"].choices = [("", "请选择"), *regions]  # type: ignore[attr-defined]


class OutletCloseForm(forms.Form):
    closed_on = date_field("关闭日期")


class ActivityForm(forms.Form):
    region = forms.ChoiceField(label="举办地")
    title = forms.CharField(label="活动名称", max_length=200)
    kind = forms.ChoiceField(label="活动类型", choices=ActivityKind.choices)
    date = date_field("日期")
    organiser = _choice("组织单位")
    organiser_name = forms.CharField(label="组织单位（未登记）", required=False, max_length=200)
    note = forms.CharField(label="说明", required=False, max_length=300)

    def __init__(self, *args: Any, regions: Choices, units: Choices, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["region"].choices = [("", "请选择"), *regions]  # type: ignore[attr-defined]
        self.fields["organiser"].choices = [("", "无"), *units]  # type: ignore[attr-defined]
