"""Forms of the certification pages; the services decide what is allowed and check every value."""

from __future__ import annotations

from typing import Any

from django import forms

from yigou.market.enums import CapacityPeriod, ProductCategory
from yigou.registry.enums import Mechanism

from .widgets import MultipleFileField, date_field


class ApplyForm(forms.Form):
    name = forms.CharField(label="产品名称", max_length=100)
    category = forms.ChoiceField(label="品类", choices=ProductCategory.choices)
    specification = forms.CharField(label="规格", max_length=100, help_text="如：500克/瓶")
    unit = forms.CharField(label="计量单位", max_length=16, help_text="如：瓶、公斤")
    capacity = forms.DecimalField(label="供应能力", max_digits=14, decimal_places=3, min_value=0)
    capacity_period = forms.ChoiceField(label="供应周期", choices=CapacityPeriod.choices)
    base = forms.CharField(label="生产基地", max_length=200)
    price = forms.DecimalField(label="销售价格（元）", max_digits=12, decimal_places=2)
    price_links = forms.CharField(
        label="同类产品比价链接",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="每行一个网址（http:// 或 https://）",
    )
    price_explanation = forms.CharField(
        label="价格说明",
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="价格高于市场参考价超过允许幅度时必填",
    )
    mechanism = forms.ChoiceField(label="带贫机制", choices=Mechanism.choices)
    mechanism_note = forms.CharField(label="带贫机制说明", required=False, max_length=500)
    households = forms.MultipleChoiceField(
        label="联结农户", widget=forms.CheckboxSelectMultiple, help_text="只能选择与本主体有带贫联结的农户"
    )
    commitment = MultipleFileField(label="承诺函", help_text="必须上传；PDF、图片、Word 或 Excel")
    price_evidence = MultipleFileField(label="价格依据（发票/合同）")
    inspection = MultipleFileField(label="检验检测报告")
    certificate = MultipleFileField(label="合格证")
    other = MultipleFileField(label="其他材料")

    FILE_KINDS = ("commitment", "price_evidence", "inspection", "certificate", "other")

    def __init__(self, *args: Any, households: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["households"].choices = households  # type: ignore[attr-defined]

    def uploads(self) -> list[tuple[str, Any]]:
        return [(kind, f) for kind in self.FILE_KINDS for f in self.cleaned_data.get(kind) or []]


class ProducerPickForm(forms.Form):
    producer = forms.ChoiceField(label="申报主体")

    def __init__(self, *args: Any, producers: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["producer"].choices = [("", "请选择"), *producers]  # type: ignore[attr-defined]


class ReviewForm(forms.Form):
    verdict = forms.ChoiceField(label="审核意见", choices=[("pass", "审核通过"), ("return", "退回补正")])
    reason = forms.CharField(label="意见/理由", required=False, max_length=500, help_text="退回时必填")


class DecideForm(forms.Form):
    verdict = forms.ChoiceField(
        label="认定结果", choices=[("certify", "予以认定，进入公示"), ("reject", "不予认定")]
    )
    reason = forms.CharField(label="意见/理由", required=False, max_length=500, help_text="不予认定时必填")


class ObjectionForm(forms.Form):
    raised_by = forms.CharField(label="异议人", max_length=100)
    contact = forms.CharField(label="联系方式", required=False, max_length=60)
    content = forms.CharField(label="异议内容", max_length=1000, widget=forms.Textarea(attrs={"rows": 3}))


class ResolveForm(forms.Form):
    objection = forms.IntegerField(widget=forms.HiddenInput)
    upheld = forms.ChoiceField(
        label="处理结论", choices=[("no", "异议不成立"), ("yes", "异议成立（不予认定）")]
    )
    resolution = forms.CharField(label="处理结果", max_length=1000)


class ReasonForm(forms.Form):
    reason = forms.CharField(label="理由", max_length=500)


class NoteForm(forms.Form):
    note = forms.CharField(label="复核意见", required=False, max_length=500)


class ReferencePriceForm(forms.Form):
    name = forms.CharField(label="产品名称", max_length=100)
    specification = forms.CharField(label="规格", max_length=100)
    unit = forms.CharField(label="计量单位", max_length=16)
    price = forms.DecimalField(label="市场价（元）", max_digits=12, decimal_places=2)
    region = forms.ChoiceField(label="采价区划")
    observed_on = date_field("采价日期")
    source = forms.CharField(
        label="来源", required=False, max_length=200, help_text="如：某农贸市场、某电商平台"
    )

    def __init__(self, *args: Any, regions: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["region"].choices = [("", "请选择"), *regions]  # type: ignore[attr-defined]


class BlacklistForm(forms.Form):
    producer = forms.ChoiceField(label="经营主体")
    reason = forms.CharField(label="原因", max_length=500)

    def __init__(self, *args: Any, producers: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["producer"].choices = [("", "请选择"), *producers]  # type: ignore[attr-defined]
