"""Pre-orders (以产预购) over the API: the agreement, its deposit, deliveries counted from orders or purchases,
and the settlement (deposit deducted in date order, what is owed back once closed).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from yigou.accounts.scope import ensure_can
from yigou.assist.models import AssistingUnit, Cadre
from yigou.contracts import references, selectors
from yigou.contracts.enums import PreOrderStatus
from yigou.contracts.models import PreOrder
from yigou.contracts.preorders import (
    PreOrderInput,
    PreOrderParties,
    preorder_create,
    preorder_draw,
    preorder_end,
    preorder_pay_deposit,
)
from yigou.contracts.settlement import preorder_figures
from yigou.core.masking import mask_name
from yigou.registry.models import Household, Producer

from .base import ApiViewSet
from .common import ErrorSerializer, int_pk, query, str_param
from .contracts import AS_OF, ERRORS, DrawInSerializer, ReasonSerializer, as_of, draw_source_of, optional_id


class PreOrderSerializer(serializers.ModelSerializer):
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    buyer = serializers.CharField(source="buyer_name", read_only=True)
    seller = serializers.SerializerMethodField()

    class Meta:
        model = PreOrder
        fields = [
            "id",
            "number",
            "name",
            "unit",
            "quantity",
            "price",
            "signed_on",
            "harvest_start",
            "harvest_end",
            "deposit",
            "deposit_paid_on",
            "status",
            "status_label",
            "buyer",
            "seller",
            "region",
        ]
        read_only_fields = fields

    def get_seller(self, obj: PreOrder) -> str:
        if obj.seller_producer is not None:
            return obj.seller_producer.name
        household = obj.seller_household
        return f"{mask_name(household.head_name)}（{household.number}）" if household else ""


def settlement_dict(preorder: PreOrder, day: dt.date) -> dict[str, Any]:
    f = preorder_figures(preorder, day)
    return {
        "as_of": str(day),
        "agreed_value": str(f.agreed_value),
        "delivered_quantity": str(f.delivered_qty),
        "delivered_value": str(f.delivered_value),
        "pending_quantity": str(f.pending_qty),
        "outstanding_quantity": str(f.outstanding_qty),
        "outstanding_value": str(f.outstanding_value),
        "deposit_paid": str(f.deposit_paid),
        "deposit_used": str(f.deposit_used),
        "deposit_left": str(f.deposit_left),
        "to_pay": str(f.to_pay),
        "refund_due": str(f.refund_due),
        "deliveries": [
            {
                "date": str(r.day),
                "quantity": str(r.quantity),
                "amount": str(r.amount),
                "deducted": str(r.deducted),
                "cash": str(r.cash),
            }
            for r in f.rows
        ],
    }


class PreOrderInSerializer(serializers.Serializer):
    number = serializers.CharField(label="预购编号", max_length=40)
    name = serializers.CharField(label="品名", max_length=100)
    category = serializers.CharField(label="品类", max_length=16)
    unit = serializers.CharField(label="单位", max_length=16)
    quantity = serializers.CharField(label="预购数量")
    price = serializers.CharField(label="约定单价")
    signed_on = serializers.DateField(label="签订日期")
    harvest_start = serializers.DateField(label="采收开始")
    harvest_end = serializers.DateField(label="采收结束")
    deposit = serializers.CharField(label="定金（元）", default="0")
    deposit_paid_on = serializers.DateField(
        label="定金支付日期", required=False, allow_null=True, default=None
    )
    price_tolerance = serializers.CharField(label="价格允许偏差（%）", default="5")
    allow_over = serializers.BooleanField(label="允许超量", default=False)
    note = serializers.CharField(label="备注", required=False, allow_blank=True, default="")
    buyer_unit = optional_id("购买方：帮扶单位编号（与帮扶干部二选一）")
    buyer_cadre = optional_id("购买方：帮扶干部编号")
    seller_household = optional_id("销售方：农户编号（id，与经营主体二选一）")
    seller_producer = optional_id("销售方：经营主体编号")


class DepositInSerializer(serializers.Serializer):
    paid_on = serializers.DateField(label="定金支付日期")


class PreOrderViewSet(ApiViewSet):
    """以产预购：未交付余额与定金结算。"""

    queryset = PreOrder.objects.none()
    serializer_class = PreOrderSerializer

    @extend_schema(
        parameters=[
            str_param("q", "编号、品名或当事方"),
            str_param("status", "状态"),
            str_param("region", "销售方所在区划"),
        ]
    )
    def list(self, request: Request) -> Response:
        return self.paginated(
            selectors.preorders(
                request.user,
                q=query(request, "q"),
                status=query(request, "status"),
                region=query(request, "region"),
            )
        )

    def _detail(self, request: Request, preorder: PreOrder) -> Response:
        return Response(
            {**PreOrderSerializer(preorder).data, "settlement": settlement_dict(preorder, as_of(request))}
        )

    @extend_schema(parameters=[AS_OF], responses={200: PreOrderSerializer, 404: ErrorSerializer})
    def retrieve(self, request: Request, pk: str) -> Response:
        return self._detail(request, selectors.preorder(request.user, int_pk(pk)))

    @extend_schema(request=PreOrderInSerializer, responses={201: PreOrderSerializer, **ERRORS})
    def create(self, request: Request) -> Response:
        """登记以产预购（购买方、销售方各一个）。"""
        ensure_can(request.user, "contracts.manage")  # a role without it gets 403, whatever the body names
        d, user = self.valid_input(PreOrderInSerializer), request.user
        data = PreOrderInput(
            number=d["number"],
            name=d["name"],
            category=d["category"],
            unit=d["unit"],
            quantity=d["quantity"],
            price=d["price"],
            signed_on=d["signed_on"],
            harvest_start=d["harvest_start"],
            harvest_end=d["harvest_end"],
            deposit=d["deposit"],
            deposit_paid_on=d["deposit_paid_on"],
            price_tolerance=d["price_tolerance"],
            allow_over=d["allow_over"],
            note=d["note"],
        )
        parties = PreOrderParties(
            buyer_unit=references.one(user, AssistingUnit, d["buyer_unit"], field="buyer_unit"),
            buyer_cadre=references.one(user, Cadre, d["buyer_cadre"], field="buyer_cadre"),
            seller_household=references.one(user, Household, d["seller_household"], field="seller_household"),
            seller_producer=references.one(user, Producer, d["seller_producer"], field="seller_producer"),
        )
        preorder = preorder_create(actor=user, data=data, parties=parties)
        response = self._detail(request, selectors.preorder(user, preorder.pk))
        response.status_code = 201
        return response

    @extend_schema(request=DepositInSerializer, responses={200: PreOrderSerializer, **ERRORS})
    @action(detail=True, methods=["post"])
    def deposit(self, request: Request, pk: str) -> Response:
        """登记定金已支付（须约定了定金且尚未登记）。"""
        preorder = selectors.preorder(request.user, int_pk(pk))
        paid_on = self.valid_input(DepositInSerializer)["paid_on"]
        preorder_pay_deposit(actor=request.user, preorder=preorder, paid_on=paid_on)
        return self._detail(request, selectors.preorder(request.user, preorder.pk))

    def _end(self, request: Request, pk: str, status: str) -> Response:
        preorder = selectors.preorder(request.user, int_pk(pk))
        reason = self.valid_input(ReasonSerializer)["reason"]
        preorder_end(actor=request.user, preorder=preorder, status=status, reason=reason)
        return self._detail(request, selectors.preorder(request.user, preorder.pk))

    @extend_schema(request=ReasonSerializer, responses={200: PreOrderSerializer, **ERRORS})
    @action(detail=True, methods=["post"])
    def close(self, request: Request, pk: str) -> Response:
        """结清（须填写说明；剩余定金应退还购买方）。"""
        return self._end(request, pk, PreOrderStatus.CLOSED)

    @extend_schema(request=ReasonSerializer, responses={200: PreOrderSerializer, **ERRORS})
    @action(detail=True, methods=["post"])
    def cancel(self, request: Request, pk: str) -> Response:
        """取消（须填写原因）。"""
        return self._end(request, pk, PreOrderStatus.CANCELLED)

    @extend_schema(request=DrawInSerializer, responses={200: PreOrderSerializer, **ERRORS})
    @action(detail=True, methods=["post"])
    def draw(self, request: Request, pk: str) -> Response:
        """把一个订单或一条购买记录计入预购。"""
        preorder = selectors.preorder(request.user, int_pk(pk))
        source = draw_source_of(request)
        preorder_draw(actor=request.user, record=source, preorder=preorder)
        return self._detail(request, selectors.preorder(request.user, preorder.pk))
