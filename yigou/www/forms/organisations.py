"""Forms for producers, assisting units, cadres and pairings; the services decide what is allowed."""

from __future__ import annotations

from django import forms

from yigou.assist.enums import UnitKind
from yigou.registry.enums import EnterpriseGrade, ProducerKind

from .widgets import date_field


class _RegionChoiceForm(forms.Form):
    region = forms.ChoiceField(label="所在区划")

    def __init__(self, *args: object, regions: list[tuple[str, str]], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["region"].choices = [("", "请选择"), *regions]  # type: ignore[attr-defined]


class ProducerForm(_RegionChoiceForm):
    kind = forms.ChoiceField(label="主体类型", choices=ProducerKind.choices)
    name = forms.CharField(label="名称", max_length=200)
    uscc = forms.CharField(
        label="统一社会信用代码", required=False, max_length=18, help_text="合作社、企业必填"
    )
    household_number = forms.CharField(
        label="对应农户户编号", required=False, max_length=32, help_text="仅“农户（个体销售）”填写"
    )
    grade = forms.ChoiceField(label="龙头企业级别", required=False, choices=EnterpriseGrade.choices)
    contact_name = forms.CharField(label="联系人", required=False, max_length=60)
    contact_phone = forms.CharField(label="联系电话", required=False, max_length=20)
    address = forms.CharField(label="地址", required=False, max_length=200)
    main_products = forms.CharField(label="主营产品", required=False, max_length=300)

    field_order = ["kind", "name", "region", "uscc", "household_number", "grade"]


class UnitForm(_RegionChoiceForm):
    name = forms.CharField(label="单位名称", max_length=200)
    kind = forms.ChoiceField(label="单位类型", choices=UnitKind.choices)
    uscc = forms.CharField(label="统一社会信用代码", required=False, max_length=18)
    is_budget_unit = forms.BooleanField(label="预算单位", required=False)
    has_canteen = forms.BooleanField(label="有机关食堂", required=False)
    has_union = forms.BooleanField(label="有工会", required=False)
    staff_count = forms.IntegerField(label="职工人数", required=False, min_value=0, initial=0)
    contact_name = forms.CharField(label="联系人", required=False, max_length=60)
    contact_phone = forms.CharField(label="联系电话", required=False, max_length=20)
    address = forms.CharField(label="地址", required=False, max_length=200)

    field_order = ["name", "kind", "region"]


class CadreForm(forms.Form):
    unit = forms.ChoiceField(label="所在单位")
    name = forms.CharField(label="姓名", max_length=60)
    position = forms.CharField(label="职务", required=False, max_length=100)
    phone = forms.CharField(label="联系电话", required=False, max_length=20)
    is_first_secretary = forms.BooleanField(label="驻村第一书记", required=False)

    def __init__(self, *args: object, units: list[tuple[str, str]], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["unit"].choices = [("", "请选择"), *units]  # type: ignore[attr-defined]


class UnitVillagePairingForm(forms.Form):
    unit = forms.ChoiceField(label="帮扶单位")
    village = forms.ChoiceField(label="结对村")
    start = date_field("开始日期")
    end = date_field("结束日期", required=False)
    note = forms.CharField(label="说明", required=False, max_length=300)

    def __init__(
        self, *args: object, units: list[tuple[str, str]], villages: list[tuple[str, str]], **kwargs: object
    ) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["unit"].choices = [("", "请选择"), *units]  # type: ignore[attr-defined]
        self.fields["village"].choices = [("", "请选择"), *villages]  # type: ignore[attr-defined]


class CadreHouseholdPairingForm(forms.Form):
    cadre = forms.ChoiceField(label="帮扶干部")
    household_number = forms.CharField(label="结对农户户编号", max_length=32)
    start = date_field("开始日期")
    end = date_field("结束日期", required=False)

    def __init__(self, *args: object, cadres: list[tuple[str, str]], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["cadre"].choices = [("", "请选择"), *cadres]  # type: ignore[attr-defined]
