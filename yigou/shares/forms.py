"""Forms of the reserved-share pages (Chinese labels); the services decide what is allowed."""

from __future__ import annotations

from typing import Any

from django import forms

from yigou.accounts.models import User
from yigou.assist.models import AssistingUnit

from .enums import CanteenMode
from .models import ShareFiling
from .services import FilingInput

MODES = [(value, label) for value, label in CanteenMode.choices if value != CanteenMode.MERGED]


def neighbours(unit: AssistingUnit) -> list[AssistingUnit]:
    """Units a filing may name (shared canteen, union, contractor): registered in the same county or city."""
    qs = AssistingUnit.objects.filter(region__code__startswith=unit.region_id[:6]).exclude(pk=unit.pk)
    return list(qs.order_by("name_initials", "pk"))


class FilingForm(forms.Form):
    mode = forms.ChoiceField(label="食堂情况", choices=MODES)
    canteen_total = forms.DecimalField(
        label="本年度食堂食材采购总额（元）",
        required=False,
        min_value=0,
        decimal_places=2,
        max_digits=14,
        help_text="无食堂单位不填",
    )
    ratio = forms.DecimalField(
        label="预留比例（%）", required=False, min_value=0, max_value=100, decimal_places=2, max_digits=5
    )
    union_per_head = forms.DecimalField(
        label="工会采购人均额度（元）", required=False, min_value=0, decimal_places=2, max_digits=10
    )
    union_staff = forms.IntegerField(label="工会职工人数", required=False, min_value=0)
    union_unit = forms.ChoiceField(label="工会（已单独登记为单位时选择）", required=False)
    covered_units = forms.MultipleChoiceField(
        label="由本单位合并填报的单位（共用食堂）", required=False, widget=forms.CheckboxSelectMultiple
    )
    contractor_unit = forms.ChoiceField(label="食堂承包企业（委托经营时）", required=False)
    contractor_username = forms.CharField(
        label="或：食堂承包方账号（用户名）", required=False, max_length=150
    )
    note = forms.CharField(
        label="填报说明", required=False, max_length=500, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, unit: AssistingUnit, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.units = {str(u.pk): u for u in neighbours(unit)}
        options = [("", "（无）"), *((pk, u.name) for pk, u in self.units.items())]
        self.fields["union_unit"].choices = options  # type: ignore[attr-defined]
        self.fields["contractor_unit"].choices = options  # type: ignore[attr-defined]
        self.fields["covered_units"].choices = [  # type: ignore[attr-defined]
            (pk, u.name) for pk, u in self.units.items() if u.is_budget_unit
        ]

    def to_input(self) -> FilingInput | None:
        """The service's input, or None (with the error on the form) when the contractor account is unknown."""
        d = self.cleaned_data
        username = d["contractor_username"].strip()
        user = User.objects.filter(username=username).first() if username else None
        if username and user is None:
            self.add_error("contractor_username", f"账号“{username}”不存在")
            return None
        return FilingInput(
            mode=d["mode"],
            canteen_total=d["canteen_total"] or 0,
            ratio=d["ratio"] or 0,
            union_per_head=d["union_per_head"] or 0,
            union_staff=d["union_staff"] or 0,
            union_unit=self.units.get(d["union_unit"]),
            contractor_unit=self.units.get(d["contractor_unit"]),
            contractor_user=user,
            covered_units=[self.units[pk] for pk in d["covered_units"]],
            note=d["note"],
        )


def initial_from(filing: ShareFiling | None, unit: AssistingUnit) -> dict[str, Any]:
    if filing is None:
        return {
            "mode": CanteenMode.OWN if unit.has_canteen else CanteenMode.NONE,
            "union_staff": unit.staff_count,
        }
    return {
        "mode": filing.mode,
        "canteen_total": filing.canteen_total,
        "ratio": filing.ratio,
        "union_per_head": filing.union_per_head,
        "union_staff": filing.union_staff,
        "union_unit": str(filing.union_unit_id or ""),
        "contractor_unit": str(filing.contractor_unit_id or ""),
        "contractor_username": filing.contractor_user.username if filing.contractor_user else "",
        "covered_units": [str(pk) for pk in filing.members.values_list("unit_id", flat=True)],
        "note": filing.note,
    }


class ApproveForm(forms.Form):
    note = forms.CharField(label="审核意见（低于上年金额时必填）", required=False, max_length=500)


class ReturnForm(forms.Form):
    reason = forms.CharField(label="退回原因", max_length=500)


class FloorForm(forms.Form):
    region = forms.ChoiceField(label="区划")
    year = forms.IntegerField(label="年度", min_value=2015, max_value=2100)
    ratio = forms.DecimalField(
        label="最低预留比例（%）", min_value=0, max_value=100, decimal_places=2, max_digits=5
    )
    note = forms.CharField(label="依据（文件名称、文号）", required=False, max_length=300)

    def __init__(self, *args: Any, regions: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["region"].choices = [("", "请选择"), *regions]  # type: ignore[attr-defined]
