"""Forms of the household pages; they only shape input, the registry services decide what is allowed."""

from __future__ import annotations

from django import forms

from yigou.registry.enums import EventKind, Health, IdentificationStepKind, Labour, MonitorType, Relation
from yigou.registry.models import Household, Member
from yigou.registry.services import MemberInput

from .widgets import MultipleFileField, date_field


class EventForm(forms.Form):
    kind = forms.ChoiceField(label="事件", choices=EventKind.choices)
    date = date_field("日期")
    reason = forms.CharField(
        label="原因/依据", required=False, max_length=500, widget=forms.Textarea({"rows": 2})
    )
    monitor_type = forms.ChoiceField(
        label="监测类型", required=False, choices=MonitorType.choices, help_text="仅“纳入监测”时填写"
    )
    evidence = MultipleFileField(label="佐证材料")


class StepForm(forms.Form):
    step = forms.ChoiceField(label="程序步骤", choices=IdentificationStepKind.choices)
    date = date_field("日期")
    note = forms.CharField(label="说明", required=False, max_length=500, widget=forms.Textarea({"rows": 2}))
    evidence = MultipleFileField(label="佐证材料")


class HouseholdForm(forms.Form):
    village = forms.ChoiceField(label="所在村")
    number = forms.CharField(label="户编号", required=False, max_length=32, help_text="留空则自动编号")
    phone = forms.CharField(label="联系电话", required=False, max_length=20)
    address = forms.CharField(label="住址", required=False, max_length=200)

    def __init__(self, *args: object, villages: list[tuple[str, str]], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["village"].choices = [("", "请选择"), *villages]  # type: ignore[attr-defined]


class MemberRowForm(forms.Form):
    name = forms.CharField(label="姓名", max_length=60)
    id_number = forms.CharField(label="身份证号", max_length=18)
    relation = forms.ChoiceField(label="与户主关系", choices=[("", "请选择"), *Relation.choices])
    labour = forms.ChoiceField(label="劳动能力", choices=Labour.choices, initial=Labour.ORDINARY)
    health = forms.ChoiceField(label="健康状况", choices=Health.choices, initial=Health.HEALTHY)

    def as_input(self) -> MemberInput:
        d = self.cleaned_data
        return MemberInput(d["name"], d["id_number"], d["relation"], d["labour"], d["health"])


# Untouched spare rows are skipped, so a household of one needs no deleting of empty rows.
MemberRowFormSet = forms.formset_factory(MemberRowForm, extra=5, min_num=1, validate_min=True, max_num=20)


class HouseholdEditForm(forms.Form):
    # The full phone number is personal data (viewing it is audited), so it is never pre-filled.
    phone = forms.CharField(label="联系电话", required=False, max_length=20, help_text="留空则不修改")
    address = forms.CharField(label="住址", required=False, max_length=200)


class MemberAddForm(MemberRowForm):
    relation = forms.ChoiceField(
        label="与户主关系", choices=[("", "请选择"), *[c for c in Relation.choices if c[0] != Relation.HEAD]]
    )


class MemberChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Member) -> str:  # type: ignore[override]
        return f"{obj.name}（{obj.get_relation_display()}）"


class MemberRemoveForm(forms.Form):
    member = MemberChoiceField(label="减员成员", queryset=Member.objects.none(), empty_label="请选择")
    reason = forms.CharField(
        label="减员原因", max_length=500, widget=forms.Textarea({"rows": 2}), help_text="如死亡、出嫁、分户"
    )

    def __init__(self, *args: object, household: Household, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        # Only members of this household can be chosen; the service refuses the head.
        self.fields["member"].queryset = household.members.order_by("id")  # type: ignore[attr-defined]
