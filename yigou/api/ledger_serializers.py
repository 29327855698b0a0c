"""Serializers of the purchase ledger and the statistics table. Households appear only by number, head and village."""

from __future__ import annotations

from django.core.exceptions import ObjectDoesNotExist
from rest_framework import serializers

from yigou.ledger.enums import Attribution, BuyerKind, Channel, LineSource, Source
from yigou.ledger.models import Beneficiary, Purchase, PurchaseLine
from yigou.registry.enums import HouseholdStatus

from .common import choices_help


def money(label: str, *, optional: bool = False) -> serializers.DecimalField:
    if optional:
        return serializers.DecimalField(
            label=label, max_digits=14, decimal_places=2, required=False, allow_null=True, default=None
        )
    return serializers.DecimalField(label=label, max_digits=14, decimal_places=2)


def optional_id(label: str) -> serializers.IntegerField:
    return serializers.IntegerField(label=label, required=False, allow_null=True, default=None)


# --- input ---------------------------------------------------------------------------------------------------


class LineInputSerializer(serializers.Serializer):
    product = serializers.CharField(label="产品", max_length=100)
    category = serializers.CharField(
        label="品类", max_length=50, required=False, allow_blank=True, default=""
    )
    quantity = serializers.DecimalField(label="数量", max_digits=14, decimal_places=3)
    unit = serializers.CharField(label="单位", max_length=16)
    unit_price = serializers.DecimalField(label="单价（元）", max_digits=12, decimal_places=2)
    amount = money("金额（元，须等于数量×单价）", optional=True)
    source = serializers.CharField(  # type: ignore[assignment]
        label="产品来源（留空按销售方推定）",
        required=False,
        allow_blank=True,
        default="",
        help_text=choices_help(LineSource),
    )
    reference_price = serializers.DecimalField(
        label="市场参考价（元）",
        max_digits=12,
        decimal_places=2,
        required=False,
        allow_null=True,
        default=None,
    )


class BeneficiaryInputSerializer(serializers.Serializer):
    household = serializers.IntegerField(label="受益农户")
    amount = money("收入（元）")


class PurchaseCreateSerializer(serializers.Serializer):
    """Shapes only; the ledger service checks every rule (buyer, channel, sums, attribution) with its own codes."""

    date = serializers.DateField(label="购买日期")
    buyer_kind = serializers.ChoiceField(label="购买方类型", choices=BuyerKind.choices)
    buyer_unit = optional_id("购买单位（单位、食堂、企业、社会组织）")
    buyer_cadre = optional_id("购买干部")
    buyer_name = serializers.CharField(
        label="购买人姓名（个人）", max_length=100, required=False, allow_blank=True, default=""
    )
    channel = serializers.ChoiceField(label="渠道", choices=Channel.choices)
    outlet = optional_id("销售网点（渠道为销售网点时）")
    activity = optional_id("所属活动")
    seller_household = optional_id("销售农户")
    seller_producer = optional_id("销售主体（合作社、企业等）")
    lines = LineInputSerializer(label="购买明细", many=True, allow_empty=False)
    attribution = serializers.ChoiceField(
        label="受益分配方式", choices=Attribution.choices, required=False, allow_blank=True, default=""
    )
    beneficiaries = BeneficiaryInputSerializer(
        label="受益农户（逐户录入时）", many=True, required=False, default=list
    )
    distributed = money("按规则分配的金额（默认全额）", optional=True)
    total = money("总金额（元，须等于明细合计）", optional=True)
    external_id = serializers.CharField(
        label="外部编号（同一编号只登记一次）", max_length=64, required=False, allow_blank=True, default=""
    )
    note = serializers.CharField(label="备注", max_length=300, required=False, allow_blank=True, default="")


class ReverseInputSerializer(serializers.Serializer):
    reason = serializers.CharField(label="冲销原因", max_length=300)


# --- output --------------------------------------------------------------------------------------------------


class PurchaseListSerializer(serializers.ModelSerializer):
    region_name = serializers.CharField(source="region.name", read_only=True)
    buyer_kind_label = serializers.CharField(source="get_buyer_kind_display", read_only=True)
    buyer = serializers.SerializerMethodField(label="购买方名称")
    channel_label = serializers.CharField(source="get_channel_display", read_only=True)
    outlet_name = serializers.CharField(source="outlet.name", read_only=True, default="")
    activity_title = serializers.CharField(source="activity.title", read_only=True, default="")
    seller_kind_label = serializers.CharField(source="get_seller_kind_display", read_only=True)
    seller = serializers.SerializerMethodField(label="销售方名称")
    attribution_label = serializers.CharField(source="get_attribution_display", read_only=True)
    source = serializers.CharField(read_only=True, help_text=choices_help(Source))  # type: ignore[assignment]
    is_reversal = serializers.BooleanField(read_only=True, label="冲销记录")

    class Meta:
        model = Purchase
        fields = [
            "id",
            "external_id",
            "date",
            "region",
            "region_name",
            "county_code",
            "buyer_kind",
            "buyer_kind_label",
            "buyer_unit",
            "buyer_cadre",
            "buyer_name",
            "buyer",
            "channel",
            "channel_label",
            "outlet",
            "outlet_name",
            "activity",
            "activity_title",
            "seller_kind",
            "seller_kind_label",
            "seller_household",
            "seller_producer",
            "seller",
            "total",
            "attribution",
            "attribution_label",
            "reverses",
            "is_reversal",
            "source",
            "note",
            "recorded_at",
        ]
        read_only_fields = fields

    def get_buyer(self, obj: Purchase) -> str:
        if obj.buyer_cadre_id:
            return obj.buyer_cadre.name  # type: ignore[union-attr]
        if obj.buyer_unit_id:
            return obj.buyer_unit.name  # type: ignore[union-attr]
        return obj.buyer_name

    def get_seller(self, obj: Purchase) -> str:
        if obj.seller_household_id:
            return obj.seller_household.head_name  # type: ignore[union-attr]
        return obj.seller_producer.name if obj.seller_producer_id else ""  # type: ignore[union-attr]


class PurchaseLineSerializer(serializers.ModelSerializer):
    source = serializers.CharField(read_only=True, help_text=choices_help(LineSource))  # type: ignore[assignment]
    source_label = serializers.CharField(source="get_source_display", read_only=True)

    class Meta:
        model = PurchaseLine
        fields = [
            "id",
            "product",
            "category",
            "quantity",
            "unit",
            "unit_price",
            "amount",
            "reference_price",
            "source",
            "source_label",
        ]
        read_only_fields = fields


class BeneficiarySerializer(serializers.ModelSerializer):
    """A household as the households API lists it, without any personal number; status as it was that day."""

    household_number = serializers.CharField(source="household.number", read_only=True)
    head_name = serializers.CharField(source="household.head_name", read_only=True)
    village_name = serializers.CharField(source="village.name", read_only=True)
    status = serializers.CharField(
        read_only=True, label="销售时状态", help_text=choices_help(HouseholdStatus)
    )
    status_label = serializers.SerializerMethodField(label="销售时状态")

    class Meta:
        model = Beneficiary
        fields = [
            "id",
            "household",
            "household_number",
            "head_name",
            "village",
            "village_name",
            "amount",
            "status",
            "status_label",
            "registered",
            "village_poor",
        ]
        read_only_fields = fields

    def get_status_label(self, obj: Beneficiary) -> str:
        return HouseholdStatus(obj.status).label if obj.status in HouseholdStatus.values else obj.status


class PurchaseDetailSerializer(PurchaseListSerializer):
    lines = PurchaseLineSerializer(many=True, read_only=True)
    beneficiaries = BeneficiarySerializer(many=True, read_only=True)
    reversed_by = serializers.SerializerMethodField(label="冲销记录")
    recorded_by_name = serializers.CharField(source="recorded_by.display_name", read_only=True, default="")

    class Meta(PurchaseListSerializer.Meta):
        fields = [
            *PurchaseListSerializer.Meta.fields,
            "reversed_by",
            "recorded_by_name",
            "lines",
            "beneficiaries",
        ]
        read_only_fields = fields

    def get_reversed_by(self, obj: Purchase) -> int | None:
        try:
            return obj.reversal.pk  # type: ignore[attr-defined,no-any-return]
        except ObjectDoesNotExist:
            return None


# --- statistics ----------------------------------------------------------------------------------------------


class ColumnSerializer(serializers.Serializer):
    code = serializers.CharField()
    label = serializers.CharField()  # type: ignore[assignment]
    group = serializers.CharField(help_text="合并表头；单独成列时与 label 相同")
    unit = serializers.CharField()
    kind = serializers.CharField(help_text="count=次数/个数；distinct=去重计数；money=元；wan=万元")


def _values_schema() -> serializers.DictField:
    return serializers.DictField(
        child=serializers.DecimalField(max_digits=16, decimal_places=2, coerce_to_string=False),
        help_text="列代码 → 数值：金额为两位小数的数字，计数为整数",
    )


class StatsRowSerializer(serializers.Serializer):
    region_code = serializers.CharField()
    region_name = serializers.CharField()
    values = _values_schema()


class StatsTotalSerializer(serializers.Serializer):
    values = _values_schema()


class StatsTableSerializer(serializers.Serializer):
    """Documents the table's JSON; the body itself is written by yigou.ledger.render.render_json."""

    region = serializers.CharField()
    region_name = serializers.CharField()
    period = serializers.CharField(help_text="2018-04、2018-01..2018-04 或 2018-01-05..2018-03-20")
    period_label = serializers.CharField()
    title = serializers.CharField()
    rows = StatsRowSerializer(many=True)
    total = StatsTotalSerializer()
    footnotes = serializers.ListField(child=serializers.CharField())
