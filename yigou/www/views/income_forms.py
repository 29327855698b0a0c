"""The forms of the income pages: a survey entry, a 三保障 check, a correction. They only read the request; the
checks that matter (year, amount, dates, the evidence a failed check needs) are the income services', told in
Chinese from there."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms

from yigou.income.enums import Component, SecurityItem

REQUIRED = {"required": "请填写此项"}


def this_year() -> int:
    return dt.date.today().year


class SurveyForm(forms.Form):
    household = forms.IntegerField(
        label="农户",
        widget=forms.HiddenInput,
        error_messages={"required": "请先搜索并选择农户", "invalid": "请先搜索并选择农户"},
    )
    year = forms.CharField(label="年度", max_length=4, error_messages=REQUIRED)
    component = forms.ChoiceField(
        label="收入构成",
        choices=Component.choices,
        error_messages={"required": "请选择收入构成", "invalid_choice": "请选择收入构成"},
    )
    amount = forms.CharField(
        label="金额（元）",
        max_length=20,
        error_messages=REQUIRED,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
    )
    note = forms.CharField(
        label="说明/依据", required=False, max_length=1000, widget=forms.Textarea(attrs={"rows": 2})
    )
    evidence = forms.FileField(label="佐证材料（照片或扫描件）", required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["year"].initial = this_year()
        self.fields["year"].widget.attrs["inputmode"] = "numeric"


class CheckForm(forms.Form):
    household = forms.IntegerField(
        widget=forms.HiddenInput,
        error_messages={"required": "请先搜索并选择农户", "invalid": "请先搜索并选择农户"},
    )
    year = forms.CharField(label="年度", max_length=4, error_messages=REQUIRED)
    item = forms.ChoiceField(
        label="保障事项",
        choices=SecurityItem.choices,
        error_messages={"required": "请选择保障事项", "invalid_choice": "请选择保障事项"},
    )
    ok = forms.TypedChoiceField(
        label="核查结果",
        choices=[("1", "达标"), ("0", "未达标")],
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
        error_messages={"required": "请选择核查结果", "invalid_choice": "请选择核查结果"},
    )
    checked_on = forms.DateField(
        label="核查日期",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"required": "请填写核查日期", "invalid": "核查日期格式应为 2019-06-30"},
    )
    evidence = forms.CharField(
        label="核查依据",
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="未达标时必填，如危房鉴定等级、辍学或未参保情况。",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["year"].initial = this_year()


class CorrectForm(forms.Form):
    reason = forms.CharField(label="冲正原因", max_length=300, error_messages={"required": "请填写冲正原因"})
    amount = forms.CharField(label="更正后金额（元，不填则只冲正）", required=False, max_length=20)


def first_error(form: forms.Form) -> str:
    """The first field error in Chinese, for the message above the form."""
    for errors in form.errors.values():
        if errors:
            return str(errors[0])
    return "输入有误"
