"""Serializers of pre-sale lists and orders. Inputs only shape the body; the market services check every rule."""

from __future__ import annotations

import datetime as dt

from rest_framework import serializers

from yigou.ledger.enums import BuyerKind
from yigou.market.enums import (
    AfterSaleKind,
    AfterSaleStatus,
    Delivery,
    Inspection,
    OrderStatus,
    ProductCategory,
)
from yigou.market.models import AfterSale, Order, OrderEvent, OrderLine, PreSaleItem, PreSaleList
from yigou.market.order_ledger import accepted_total
from yigou.market.selectors import list_state

from .common import choices_help


def optional_id(label: str) -> serializers.IntegerField:
    return serializers.IntegerField(label=label, required=False, allow_null=True, default=None)


def optional_text(label: str, max_length: int) -> serializers.CharField:
    return serializers.CharField(
        label=label, max_length=max_length, required=False, allow_blank=True, default=""
    )


# --- pre-sale lists ------------------------------------------------------------------------------------------


class PresaleItemSerializer(serializers.ModelSerializer):
    category_label = serializers.CharField(source="get_category_display", read_only=True)
    available = serializers.DecimalField(max_digits=14, decimal_places=3, read_only=True)
    seller_name = serializers.SerializerMethodField(label="销售方")

    class Meta:
        model = PreSaleItem
        fields = [
            "id",
            "name",
            "category",
            "category_label",
            "specification",
            "unit",
            "unit_price",
            "quantity",
            "reserved",
            "available",
            "window_start",
            "window_end",
            "product",
            "seller_household",
            "seller_producer",
            "seller_name",
        ]
        read_only_fields = fields

    def get_seller_name(self, obj: PreSaleItem) -> str:
        # A household seller is named by its village only: buyers see no personal data.
        if obj.seller_producer_id:
            return obj.seller_producer.name  # type: ignore[union-attr]
        return f"{obj.presale_list.region.name}农户"


class PresaleListSerializer(serializers.ModelSerializer):
    region_name = serializers.CharField(source="region.name", read_only=True)
    producer_name = serializers.CharField(source="producer.name", read_only=True, default="")
    delivery_label = serializers.CharField(source="get_delivery_display", read_only=True)
    is_open = serializers.SerializerMethodField(label="今日接单")
    state = serializers.SerializerMethodField(
        label="状态：open=接单中，upcoming=未开始，closed=已截止，withdrawn=已撤回"
    )
    affinity = serializers.IntegerField(
        read_only=True,
        default=0,
        label="与本单位的帮扶关系：2=结对帮扶村，1=结对村所在县，0=其他（浏览列表按此排序）",
    )
    paired = serializers.SerializerMethodField(label="本单位结对帮扶村")
    items = PresaleItemSerializer(many=True, read_only=True)

    class Meta:
        model = PreSaleList
        fields = [
            "id",
            "title",
            "region",
            "region_name",
            "county_code",
            "producer",
            "producer_name",
            "opens_on",
            "closes_on",
            "delivery",
            "delivery_label",
            "contact_name",
            "contact_phone",
            "note",
            "withdrawn",
            "is_open",
            "state",
            "affinity",
            "paired",
            "items",
            "updated_at",
        ]
        read_only_fields = fields

    def get_is_open(self, owner: PreSaleList) -> bool:
        return bool(owner.is_open_on(dt.date.today()))

    def get_state(self, owner: PreSaleList) -> str:
        return list_state(owner)

    def get_paired(self, owner: PreSaleList) -> bool:
        return getattr(owner, "affinity", 0) == 2


class PresaleItemInputSerializer(serializers.Serializer):
    name = serializers.CharField(label="品名", max_length=100)
    category = serializers.CharField(label="品类", max_length=16, help_text=choices_help(ProductCategory))
    specification = optional_text("规格", 100)
    unit = serializers.CharField(label="单位", max_length=16)
    unit_price = serializers.CharField(label="单价（元）", max_length=20)
    quantity = serializers.CharField(label="可售数量", max_length=20)
    window_start = serializers.DateField(label="采收/交付开始")
    window_end = serializers.DateField(label="采收/交付结束")
    product = optional_id("认定产品（扶贫产品目录）")
    seller_household = optional_id("销售农户（与销售主体二选一）")
    seller_producer = optional_id("销售主体（与销售农户二选一）")


class PresaleCreateSerializer(serializers.Serializer):
    title = serializers.CharField(label="清单名称", max_length=200)
    village = optional_text("发布村的区划代码（与经营主体二选一）", 12)
    producer = optional_id("发布的经营主体（与村二选一）")
    opens_on = serializers.DateField(label="开始接单")
    closes_on = serializers.DateField(label="截止接单")
    delivery = serializers.CharField(
        label="交付方式",
        max_length=16,
        required=False,
        default=Delivery.BOTH,
        help_text=choices_help(Delivery),
    )
    contact_name = serializers.CharField(label="联系人", max_length=60)
    contact_phone = serializers.CharField(label="联系电话", max_length=20)
    note = optional_text("说明", 500)
    items = PresaleItemInputSerializer(label="品种", many=True, allow_empty=False)


# --- orders --------------------------------------------------------------------------------------------------


class OrderLineSerializer(serializers.ModelSerializer):
    inspection = serializers.CharField(read_only=True, help_text=choices_help(Inspection))
    name = serializers.CharField(source="item.name", read_only=True)
    unit = serializers.CharField(source="item.unit", read_only=True)
    inspection_label = serializers.CharField(source="get_inspection_display", read_only=True)

    class Meta:
        model = OrderLine
        fields = [
            "id",
            "item",
            "name",
            "unit",
            "quantity",
            "unit_price",
            "amount",
            "inspection",
            "inspection_label",
            "reject_reason",
        ]
        read_only_fields = fields


class OrderEventSerializer(serializers.ModelSerializer):
    actor = serializers.CharField(source="actor.username", read_only=True, default="")

    class Meta:
        model = OrderEvent
        fields = ["action", "from_status", "to_status", "actor", "at", "note"]
        read_only_fields = fields


class AfterSaleSerializer(serializers.ModelSerializer):
    # Plain text with the choices in the help: enum components named "status" would collide in the schema.
    kind = serializers.CharField(read_only=True, help_text=choices_help(AfterSaleKind))
    status = serializers.CharField(read_only=True, help_text=choices_help(AfterSaleStatus))
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)

    class Meta:
        model = AfterSale
        fields = ["id", "kind", "kind_label", "reason", "status", "status_label", "resolution", "resolved_at"]
        read_only_fields = fields


class OrderSerializer(serializers.ModelSerializer):
    status = serializers.CharField(read_only=True, help_text=choices_help(OrderStatus))
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    presale_title = serializers.CharField(source="presale_list.title", read_only=True)
    region_name = serializers.CharField(source="region.name", read_only=True)

    class Meta:
        model = Order
        fields = [
            "id",
            "presale_list",
            "presale_title",
            "region",
            "region_name",
            "county_code",
            "producer",
            "buyer_kind",
            "buyer_unit",
            "buyer_cadre",
            "buyer_name",
            "status",
            "status_label",
            "total",
            "paid_on",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class OrderDetailSerializer(OrderSerializer):
    lines = OrderLineSerializer(many=True, read_only=True)
    events = OrderEventSerializer(many=True, read_only=True)
    after_sales = AfterSaleSerializer(many=True, read_only=True)
    accepted_total = serializers.SerializerMethodField(label="验收合格金额（元）")

    class Meta(OrderSerializer.Meta):
        fields = [
            *OrderSerializer.Meta.fields,
            "delivery_address",
            "note",
            "payment_ref",
            "rating",
            "rating_comment",
            "cancel_reason",
            "accepted_total",
            "lines",
            "events",
            "after_sales",
        ]
        read_only_fields = fields

    def get_accepted_total(self, obj: Order) -> str:
        return str(accepted_total(obj))


class OrderLineInputSerializer(serializers.Serializer):
    item = serializers.IntegerField(label="预售品种")
    # Text, so that the service words every bad quantity in Chinese with the line number.
    quantity = serializers.CharField(label="数量（最多三位小数）", max_length=20)


class OrderPlaceSerializer(serializers.Serializer):
    presale_list = serializers.IntegerField(label="预售清单")
    lines = OrderLineInputSerializer(label="订购品种", many=True, allow_empty=False)
    buyer_kind = serializers.CharField(
        label="购买方类型（单位账号：unit、canteen、cadre 等）",
        max_length=16,
        required=False,
        allow_blank=True,
        default="",
        help_text=choices_help(BuyerKind),
    )
    cadre = optional_id("购买干部（购买方类型为 cadre 时）")
    unit = optional_id("购买单位（系统管理员代单位下单时）")
    delivery_address = optional_text("收货地址/提货说明", 300)
    note = optional_text("备注", 500)


class NoteInputSerializer(serializers.Serializer):
    note = optional_text("说明", 500)


class CancelInputSerializer(serializers.Serializer):
    reason = serializers.CharField(label="取消原因", max_length=300)


class RejectionSerializer(serializers.Serializer):
    line = serializers.IntegerField(label="拒收的订单明细")
    reason = serializers.CharField(label="拒收原因", max_length=300)


class ReceiveInputSerializer(serializers.Serializer):
    rejected = RejectionSerializer(
        label="拒收的明细（其余均验收合格）", many=True, required=False, default=list
    )
    note = optional_text("说明", 500)


class PayInputSerializer(serializers.Serializer):
    paid_on = serializers.DateField(
        label="付款日期（默认今天）", required=False, allow_null=True, default=None
    )
    payment_ref = optional_text("付款凭证号", 100)


class RateInputSerializer(serializers.Serializer):
    rating = serializers.IntegerField(label="评分（1-5）")
    comment = optional_text("评价", 500)


class AfterSaleInputSerializer(serializers.Serializer):
    kind = serializers.CharField(label="售后类型", max_length=16, help_text=choices_help(AfterSaleKind))
    reason = serializers.CharField(label="原因", max_length=500)


class AfterSaleResolveSerializer(serializers.Serializer):
    aftersale = serializers.IntegerField(label="售后申请")
    approve = serializers.BooleanField(label="同意（退款并冲销台账）")
    resolution = serializers.CharField(label="处理意见", max_length=500)


ORDER_STATUS_HELP = choices_help(OrderStatus)
