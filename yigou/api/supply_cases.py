"""Quick-response cases over the API: scoped reads, the ranked buyers, and the actions (publish, assign, close)
through the supply app's services."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from yigou.supply import cases, response, selectors
from yigou.supply.enums import MANUAL_CLOSE_REASONS, CaseStatus, Level
from yigou.supply.models import Case

from .base import ApiViewSet
from .common import ErrorSerializer, int_pk, query, str_param

ERRORS = {400: ErrorSerializer, 403: ErrorSerializer, 404: ErrorSerializer}


class CaseSerializer(serializers.ModelSerializer):
    level_label = serializers.CharField(source="get_level_display", read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    village_name = serializers.CharField(source="village.name", read_only=True)
    office_name = serializers.CharField(source="office.name", read_only=True)

    class Meta:
        model = Case
        fields = [
            "id",
            "number",
            "level",
            "level_label",
            "status",
            "status_label",
            "product",
            "unit",
            "quantity",
            "rescued_quantity",
            "rescued_value",
            "village",
            "village_name",
            "office",
            "office_name",
            "handler",
            "escalations",
            "opened_at",
            "deadline",
            "last_day",
            "presale_list",
            "closed_at",
            "close_reason",
            "close_note",
        ]
        read_only_fields = fields


class BuyerSerializer(serializers.Serializer):
    key = serializers.CharField()
    group = serializers.CharField()
    group_label = serializers.CharField()
    name = serializers.CharField()
    reason = serializers.CharField()
    reachable = serializers.BooleanField()


class PublishInSerializer(serializers.Serializer):
    unit_price = serializers.DecimalField(label="单价（元）", max_digits=12, decimal_places=2)
    closes_on = serializers.DateField(label="截止接单")
    contact_name = serializers.CharField(label="联系人", max_length=60)
    contact_phone = serializers.CharField(label="联系电话", max_length=20)
    buyers = serializers.ListField(
        child=serializers.CharField(max_length=30), label="通知的采购方（推荐名单的 key）"
    )
    note = serializers.CharField(label="说明", required=False, allow_blank=True, default="", max_length=300)


class CloseInSerializer(serializers.Serializer):
    reason = serializers.ChoiceField(
        label="结案方式", choices=[(r.value, r.label) for r in MANUAL_CLOSE_REASONS]
    )
    note = serializers.CharField(label="结案说明", max_length=500)


class AssignInSerializer(serializers.Serializer):
    handler = serializers.IntegerField(label="责任人（用户 id）")


class CaseViewSet(ApiViewSet):
    """快速响应案件：预警、严重预警自动立案，按级别交乡镇或县处置，超时逐级上报，售完自动结案。"""

    queryset = Case.objects.none()
    serializer_class = CaseSerializer

    @extend_schema(
        parameters=[
            str_param("region", "区划代码：含其全部下级"),
            str_param("status", "状态", enum=list(CaseStatus.values)),
            str_param("level", "级别", enum=[Level.WARN, Level.SEVERE]),
            str_param("q", "品名、案件编号或村名"),
            str_param("overdue", "1：只看超时未结案的"),
            str_param("sort", "排序", enum=list(selectors.CASE_SORTS)),
        ]
    )
    def list(self, request: Request) -> Response:
        rows = selectors.cases(
            request.user,
            region=query(request, "region"),
            status=query(request, "status"),
            level=query(request, "level"),
            q=query(request, "q"),
            overdue=query(request, "overdue") == "1",
            sort=query(request, "sort") or "deadline",
        )
        return self.paginated(rows)

    @extend_schema(responses={200: CaseSerializer, 404: ErrorSerializer})
    def retrieve(self, request: Request, pk: str) -> Response:
        return self.output(selectors.case(request.user, int_pk(pk)))

    @extend_schema(responses={200: BuyerSerializer(many=True), **ERRORS})
    @action(detail=True, methods=["get"])
    def buyers(self, request: Request, pk: str) -> Response:
        """推荐采购方：结对单位、预留份额完成滞后的预算单位、需求匹配的食堂企业、本县电商网点。"""
        case = selectors.case(request.user, int_pk(pk))
        cases.ensure_may_handle(request.user, case)
        return Response(BuyerSerializer(response.ranked_buyers(request.user, case), many=True).data)

    @extend_schema(request=PublishInSerializer, responses={200: CaseSerializer, **ERRORS})
    @action(detail=True, methods=["post"])
    def publish(self, request: Request, pk: str) -> Response:
        """以剩余数量发布预售清单（急需帮销），并通知所选采购方。"""
        d: dict[str, Any] = self.valid_input(PublishInSerializer)
        case = selectors.case(request.user, int_pk(pk))
        response.case_publish(actor=request.user, case=case, data=response.PublishInput(**d))
        return self.output(selectors.case(request.user, case.pk))

    @extend_schema(request=CloseInSerializer, responses={200: CaseSerializer, **ERRORS})
    @action(detail=True, methods=["post"])
    def close(self, request: Request, pk: str) -> Response:
        """手工结案：入库储存、转加工、变质损失或其他，须写明说明。"""
        d = self.valid_input(CloseInSerializer)
        case = selectors.case(request.user, int_pk(pk))
        cases.case_close(actor=request.user, case=case, reason=d["reason"], note=d["note"])
        return self.output(selectors.case(request.user, case.pk))

    @extend_schema(request=AssignInSerializer, responses={200: CaseSerializer, **ERRORS})
    @action(detail=True, methods=["post"])
    def assign(self, request: Request, pk: str) -> Response:
        """指定责任人：案件所在责任单位或其上级单位的工作人员。"""
        d = self.valid_input(AssignInSerializer)
        case = selectors.case(request.user, int_pk(pk))
        cases.case_assign(actor=request.user, case=case, handler=cases.named_handler(case, d["handler"]))
        return self.output(selectors.case(request.user, case.pk))
