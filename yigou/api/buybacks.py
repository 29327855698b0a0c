"""Buy-back (包村回购) over the API: enrolled households (names masked) and their incomes, deliveries at no less
than the floor price, reversals and closing.
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from yigou.accounts.scope import ensure_can
from yigou.assist.models import AssistingUnit
from yigou.contracts import references, selectors
from yigou.contracts.buyback import (
    BuyBackInput,
    buyback_close,
    buyback_create,
    buyback_deliver,
    buyback_delivery_reverse,
    buyback_enrol,
    household_incomes,
)
from yigou.contracts.models import BuyBack, BuyBackDelivery
from yigou.core.errors import DomainError
from yigou.core.masking import mask_name
from yigou.registry.models import Household, Producer

from .base import ApiViewSet
from .common import ErrorSerializer, int_pk, query, region_by_code, str_param
from .contracts import ERRORS, ReasonSerializer, optional_id


class BuyBackSerializer(serializers.ModelSerializer):
    enterprise_name = serializers.CharField(source="enterprise.name", read_only=True)
    villages = serializers.SerializerMethodField()

    class Meta:
        model = BuyBack
        fields = [
            "id",
            "title",
            "enterprise",
            "enterprise_name",
            "villages",
            "name",
            "unit",
            "floor_price",
            "season",
            "season_start",
            "season_end",
            "support",
            "status",
            "in_ledger",
        ]
        read_only_fields = fields

    def get_villages(self, obj: BuyBack) -> list[str]:
        return [v.village.name for v in obj.villages.all()]


class EnrolInSerializer(serializers.Serializer):
    household = serializers.IntegerField(label="农户编号（id）")
    enrolled_on = serializers.DateField(label="加入日期")
    note = serializers.CharField(label="说明", required=False, allow_blank=True, default="")


class DeliveryInSerializer(serializers.Serializer):
    household = serializers.IntegerField(label="农户编号（id）")
    date = serializers.DateField(label="交售日期")
    quantity = serializers.CharField(label="数量")
    unit_price = serializers.CharField(label="收购价")
    note = serializers.CharField(label="备注", required=False, allow_blank=True, default="")


class BuyBackInSerializer(serializers.Serializer):
    title = serializers.CharField(label="项目名称", max_length=200)
    name = serializers.CharField(label="回购产品", max_length=100)
    category = serializers.CharField(label="品类", max_length=16)
    unit = serializers.CharField(label="单位", max_length=16)
    floor_price = serializers.CharField(label="保底收购价")
    season = serializers.CharField(label="产季", max_length=60)
    season_start = serializers.DateField(label="收购开始")
    season_end = serializers.DateField(label="收购结束")
    support = serializers.CharField(label="提供的种苗/技术")
    enterprise = serializers.IntegerField(label="回购企业（经营主体编号）")
    buyer_unit = optional_id("登记为民营企业的帮扶单位编号（填写则交售记入台账）")
    villages = serializers.ListField(label="回购村区划代码", child=serializers.CharField(max_length=12))


class ReverseInSerializer(serializers.Serializer):
    delivery = serializers.IntegerField(label="交售记录编号")
    reason = serializers.CharField(label="冲销原因", required=False, allow_blank=True, default="")


def delivery_dict(d: BuyBackDelivery) -> dict[str, Any]:
    return {
        "id": d.pk,
        "household": mask_name(d.household.head_name),
        "number": d.household.number,
        "date": str(d.date),
        "quantity": str(d.quantity),
        "unit_price": str(d.unit_price),
        "amount": str(d.amount),
        "reverses": d.reverses_id,
        "purchase": d.purchase_id,
    }


class BuyBackViewSet(ApiViewSet):
    """包村回购：参与农户（姓名脱敏）及其收入，按保底价登记交售。"""

    queryset = BuyBack.objects.none()
    serializer_class = BuyBackSerializer

    @extend_schema(
        parameters=[
            str_param("q", "项目、产品或企业"),
            str_param("status", "状态"),
            str_param("region", "回购村所在区划"),
        ]
    )
    def list(self, request: Request) -> Response:
        return self.paginated(
            selectors.buybacks(
                request.user,
                q=query(request, "q"),
                status=query(request, "status"),
                region=query(request, "region"),
            )
        )

    def _detail(self, buyback: BuyBack) -> Response:
        households = [
            {
                "name": mask_name(h.household.head_name),
                "number": h.household.number,
                "village": h.household.village.name,
                "enrolled_on": str(h.enrolled_on),
                "deliveries": h.deliveries,
                "quantity": str(h.quantity),
                "income": str(h.income),
            }
            for h in household_incomes(buyback)
        ]
        deliveries = buyback.deliveries.select_related("household").order_by("date", "id")
        return Response(
            {
                **BuyBackSerializer(buyback).data,
                "households": households,
                "deliveries": [delivery_dict(d) for d in deliveries],
            }
        )

    @extend_schema(responses={200: BuyBackSerializer, 404: ErrorSerializer})
    def retrieve(self, request: Request, pk: str) -> Response:
        return self._detail(selectors.buyback(request.user, int_pk(pk)))

    @extend_schema(request=BuyBackInSerializer, responses={201: BuyBackSerializer, **ERRORS})
    def create(self, request: Request) -> Response:
        """登记包村回购（回购村须在本辖区；填写民营企业单位则每次交售记入台账）。"""
        ensure_can(request.user, "contracts.manage")  # a role without it gets 403, whatever the body names
        d, user = self.valid_input(BuyBackInSerializer), request.user
        data = BuyBackInput(
            d["title"],
            d["name"],
            d["category"],
            d["unit"],
            d["floor_price"],
            d["season"],
            d["season_start"],
            d["season_end"],
            d["support"],
        )
        villages = [region_by_code(user, code, field="villages") for code in d["villages"]]
        buyback = buyback_create(
            actor=user,
            data=data,
            enterprise=references.one(user, Producer, d["enterprise"], field="enterprise"),
            villages=villages,
            buyer_unit=references.one(user, AssistingUnit, d["buyer_unit"], field="buyer_unit"),
        )
        response = self._detail(selectors.buyback(user, buyback.pk))
        response.status_code = 201
        return response

    @extend_schema(request=EnrolInSerializer, responses={200: BuyBackSerializer, **ERRORS})
    @action(detail=True, methods=["post"])
    def enrol(self, request: Request, pk: str) -> Response:
        """农户加入（须为回购村的农户）。"""
        buyback = selectors.buyback(request.user, int_pk(pk))
        d = self.valid_input(EnrolInSerializer)
        household = references.one(request.user, Household, d["household"], field="household")
        buyback_enrol(
            actor=request.user,
            buyback=buyback,
            household=household,
            enrolled_on=d["enrolled_on"],
            note=d["note"],
        )
        return self._detail(selectors.buyback(request.user, buyback.pk))

    @extend_schema(request=DeliveryInSerializer, responses={200: BuyBackSerializer, **ERRORS})
    @action(detail=True, methods=["post"])
    def deliver(self, request: Request, pk: str) -> Response:
        """登记一次交售（收购价不得低于保底价）。"""
        buyback = selectors.buyback(request.user, int_pk(pk))
        d = self.valid_input(DeliveryInSerializer)
        member = buyback.households.select_related("household").filter(household_id=d["household"]).first()
        if member is None:
            raise DomainError(
                "invalid_input", detail=f"农户 {d['household']} 未加入本回购项目", field="household"
            )
        buyback_deliver(
            actor=request.user,
            buyback=buyback,
            household=member.household,
            day=d["date"],
            qty=d["quantity"],
            unit_price=d["unit_price"],
            note=d["note"],
        )
        return self._detail(selectors.buyback(request.user, buyback.pk))

    @extend_schema(request=ReverseInSerializer, responses={200: BuyBackSerializer, **ERRORS})
    @action(detail=True, methods=["post"])
    def reverse(self, request: Request, pk: str) -> Response:
        """冲销一条交售记录（须填写原因；记入台账的同时冲销台账）。"""
        buyback = selectors.buyback(request.user, int_pk(pk))
        d = self.valid_input(ReverseInSerializer)
        delivery = buyback.deliveries.filter(pk=d["delivery"]).first()
        if delivery is None:
            raise DomainError(
                "invalid_input", detail=f"交售记录 {d['delivery']} 不属于本回购项目", field="delivery"
            )
        buyback_delivery_reverse(actor=request.user, delivery=delivery, reason=d["reason"])
        return self._detail(selectors.buyback(request.user, buyback.pk))

    @extend_schema(request=ReasonSerializer, responses={200: BuyBackSerializer, **ERRORS})
    @action(detail=True, methods=["post"])
    def close(self, request: Request, pk: str) -> Response:
        """结束回购项目（须填写说明；之后不能再登记交售）。"""
        buyback = selectors.buyback(request.user, int_pk(pk))
        buyback_close(
            actor=request.user, buyback=buyback, reason=self.valid_input(ReasonSerializer)["reason"]
        )
        return self._detail(selectors.buyback(request.user, buyback.pk))
