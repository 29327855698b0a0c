"""The forms of the monitoring pages: the public self-declaration, opening a case, a procedure step, a measure, a
follow-up visit and closing a measure. They only read the request; the rules (order of steps, the 公示, dates,
who may act) are the income app's and come back as Chinese DomainErrors."""

from __future__ import annotations

from typing import Any

from django import forms

from yigou.income.enums import MeasureKind, MeasureStatus, RiskType
from yigou.registry.enums import MonitorType

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
GROUP_CHOICES = [c for c in MonitorType.choices if c[0]]


def _date(label: str, *, required: bool = True) -> forms.DateField:
    return forms.DateField(
        label=label,
        required=required,
        widget=DATE,
        error_messages={"required": f"请填写{label}", "invalid": f"{label}格式应为 2020-03-01"},
    )


def _text(label: str, *, required: bool = True, rows: int = 3, max_length: int = 2000) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=required,
        max_length=max_length,
        widget=forms.Textarea(attrs={"rows": rows}),
        error_messages={"required": f"请填写{label}", "max_length": f"{label}不能超过 {max_length} 个字"},
    )


class DeclareForm(forms.Form):
    """农户自主申报 (public, no login)."""

    name = forms.CharField(label="申报人姓名", max_length=60, error_messages={"required": "请填写申报人姓名"})
    id_number = forms.CharField(
        label="身份证号",
        max_length=18,
        error_messages={"required": "请填写身份证号"},
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "text"}),
    )
    phone = forms.CharField(
        label="联系电话",
        max_length=20,
        error_messages={"required": "请填写联系电话"},
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )
    risk_type = forms.ChoiceField(
        label="遇到的困难",
        choices=RiskType.choices,
        error_messages={"required": "请选择遇到的困难", "invalid_choice": "请选择遇到的困难"},
    )
    description = _text("困难情况", max_length=1000)


class RisksField(forms.MultipleChoiceField):
    widget = forms.CheckboxSelectMultiple

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(
            label="风险类型",
            choices=RiskType.choices,
            error_messages={"required": "请至少选择一项风险类型", "invalid_choice": "风险类型不在可选范围内"},
            **kwargs,
        )


class CaseOpenForm(forms.Form):
    """干部排查走访: a visit's finding on a household."""

    household = forms.IntegerField(widget=forms.HiddenInput, error_messages={"required": "请先选择农户"})
    group = forms.ChoiceField(
        label="监测类型", choices=GROUP_CHOICES, required=False, help_text="不选则按是否建档立卡自动确定"
    )
    risks = RisksField()
    visited_on = _date("走访日期")
    finding = _text("走访发现的情况")


class DeclarationCaseForm(forms.Form):
    group = forms.ChoiceField(
        label="监测类型", choices=GROUP_CHOICES, error_messages={"required": "请选择监测类型"}
    )
    risks = RisksField(required=False)
    note = _text("核实情况", required=False, rows=2)


class DismissForm(forms.Form):
    reason = _text("不予受理原因", rows=2, max_length=500)


class StepForm(forms.Form):
    """The case's next step; the evidence files (several may be chosen) are read from request.FILES."""

    date = _date("办理日期")
    approved = forms.TypedChoiceField(
        label="意见",
        choices=[("1", "通过"), ("0", "不予通过")],
        coerce=lambda v: v == "1",
        initial="1",
        widget=forms.RadioSelect,
        error_messages={"required": "请选择意见"},
    )
    note = _text("说明/意见", required=False, rows=2)


class ClearanceForm(forms.Form):
    date = _date("村级评议日期")
    note = _text("评议情况", required=False, rows=2)


class MeasureForm(forms.Form):
    kind = forms.ChoiceField(
        label="措施类型",
        choices=MeasureKind.choices,
        error_messages={"required": "请选择措施类型", "invalid_choice": "请选择措施类型"},
    )
    description = _text("措施内容", rows=2)
    cadre = forms.ChoiceField(
        label="责任干部", error_messages={"required": "请选择责任干部", "invalid_choice": "请选择责任干部"}
    )
    started_on = _date("开始日期")
    deadline = _date("完成期限")

    def __init__(self, *args: Any, cadres: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["cadre"].choices = [("", "请选择"), *cadres]  # type: ignore[attr-defined]


class FollowUpForm(forms.Form):
    date = _date("走访日期")
    note = _text("走访情况", rows=2)
    next_due = _date("下次走访日期", required=False)


class MeasureCloseForm(forms.Form):
    status = forms.ChoiceField(
        label="办结结果",
        choices=[(MeasureStatus.DONE.value, "已完成"), (MeasureStatus.CANCELLED.value, "已取消")],
        error_messages={"required": "请选择办结结果", "invalid_choice": "请选择办结结果"},
    )
    closed_on = _date("办结日期")
    result = _text("实施结果或取消原因", rows=2)
