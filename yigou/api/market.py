"""Outlets (销售网点) and 以购助扶 activities: listed in the user's scope, opened, closed and recorded by services."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from yigou.accounts.scope import get_visible, named_row, restrict
from yigou.assist.models import AssistingUnit
from yigou.core.periods import parse_period
from yigou.market import services
from yigou.market.enums import ActivityKind, OutletKind
from yigou.market.models import Activity, Outlet
from yigou.regions.models import prefix_of

from .base import ApiViewSet
from .common import ErrorSerializer, choices_help, int_pk, query, region_by_code, str_param

ERRORS = {400: ErrorSerializer, 403: ErrorSerializer, 404: ErrorSerializer}


class OutletSerializer(serializers.ModelSerializer):
    kind = serializers.CharField(read_only=True, help_text=choices_help(OutletKind))
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    region_name = serializers.CharField(source="region.name", read_only=True)
    operator_name = serializers.CharField(source="operator.name", read_only=True, default="")

    class Meta:
        model = Outlet
        fields = [
            "id",
            "name",
            "kind",
            "kind_label",
            "region",
            "region_name",
            "county_code",
            "opened_on",
            "closed_on",
            "fees_waived",
            "operator",
            "operator_name",
            "note",
            "updated_at",
        ]
        read_only_fields = fields


class OutletCreateSerializer(serializers.Serializer):
    name = serializers.CharField(label="网点名称", max_length=200)
    kind = serializers.CharField(label="网点类型", max_length=16, help_text=choices_help(OutletKind))
    region = serializers.CharField(label="所在区划代码（县、乡镇或村）", max_length=12)
    opened_on = serializers.DateField(label="开办日期")
    fees_waived = serializers.DecimalField(
        label="免收费用（元）", max_digits=14, decimal_places=2, required=False
    )
    operator = serializers.IntegerField(label="开办单位", required=False, allow_null=True, default=None)
    note = serializers.CharField(label="说明", max_length=300, required=False, allow_blank=True, default="")


class OutletCloseSerializer(serializers.Serializer):
    closed_on = serializers.DateField(label="关闭日期")


class ActivitySerializer(serializers.ModelSerializer):
    kind = serializers.CharField(read_only=True, help_text=choices_help(ActivityKind))
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    region_name = serializers.CharField(source="region.name", read_only=True)
    organiser_display = serializers.SerializerMethodField(label="组织单位名称")

    class Meta:
        model = Activity
        fields = [
            "id",
            "title",
            "kind",
            "kind_label",
            "date",
            "region",
            "region_name",
            "county_code",
            "organiser",
            "organiser_name",
            "organiser_display",
            "note",
            "updated_at",
        ]
        read_only_fields = fields

    def get_organiser_display(self, obj: Activity) -> str:
        return obj.organiser.name if obj.organiser_id else obj.organiser_name  # type: ignore[union-attr]


class ActivityCreateSerializer(serializers.Serializer):
    title = serializers.CharField(label="活动名称", max_length=200)
    kind = serializers.CharField(label="活动类型", max_length=16, help_text=choices_help(ActivityKind))
    date = serializers.DateField(label="日期")
    region = serializers.CharField(label="举办地区划代码", max_length=12)
    organiser = serializers.IntegerField(
        label="组织单位（已登记的帮扶单位）", required=False, allow_null=True, default=None
    )
    organiser_name = serializers.CharField(
        label="组织单位（未登记时填写名称）", max_length=200, required=False, allow_blank=True, default=""
    )
    note = serializers.CharField(label="说明", max_length=300, required=False, allow_blank=True, default="")


def _unit(actor: Any, pk: int | None, field: str) -> AssistingUnit | None:
    return named_row(actor, AssistingUnit.objects.all(), pk, field=field, label="帮扶单位")


def _in_region(qs: QuerySet[Any], region: str) -> QuerySet[Any]:
    return qs.filter(region__code__startswith=prefix_of(region)) if region else qs


class OutletViewSet(ApiViewSet):
    """销售网点：社区超市专柜、QQ/微信超市、便民服务店、临时小集市、电商网点。"""

    queryset = Outlet.objects.none()
    serializer_class = OutletSerializer

    def _outlets(self) -> QuerySet[Outlet]:
        return restrict(self.request.user, Outlet.objects.select_related("region", "operator"))

    @extend_schema(
        parameters=[
            str_param("region", "区划代码：含其全部下级"),
            str_param("kind", "网点类型", enum=list(OutletKind.values)),
        ]
    )
    def list(self, request: Request) -> Response:
        rows = _in_region(self._outlets(), query(request, "region"))
        kind = query(request, "kind")
        return self.paginated(rows.filter(kind=kind) if kind else rows)

    @extend_schema(responses={200: OutletSerializer, 404: ErrorSerializer})
    def retrieve(self, request: Request, pk: str) -> Response:
        return self.output(get_visible(request.user, self._outlets(), pk=int_pk(pk)))

    @extend_schema(request=OutletCreateSerializer, responses={201: OutletSerializer, **ERRORS})
    def create(self, request: Request) -> Response:
        data = self.valid_input(OutletCreateSerializer)
        region = region_by_code(request.user, data.pop("region"), field="region")
        operator = _unit(request.user, data.pop("operator"), "operator")
        outlet = services.outlet_open(actor=request.user, region=region, operator=operator, **data)
        return self.output(get_visible(request.user, self._outlets(), pk=outlet.pk), created=True)

    @extend_schema(request=OutletCloseSerializer, responses={200: OutletSerializer, **ERRORS})
    @action(detail=True, methods=["post"])
    def close(self, request: Request, pk: str) -> Response:
        """关闭网点（关闭日期须晚于开办日期；已关闭的不能再关闭）。"""
        outlet = get_visible(request.user, self._outlets(), pk=int_pk(pk))
        data = self.valid_input(OutletCloseSerializer)
        return self.output(
            services.outlet_close(actor=request.user, outlet=outlet, closed_on=data["closed_on"])
        )


class ActivityViewSet(ApiViewSet):
    """以购助扶活动：展销会、现场采购、食堂采购、网络促销等。"""

    queryset = Activity.objects.none()
    serializer_class = ActivitySerializer

    def _activities(self) -> QuerySet[Activity]:
        return restrict(self.request.user, Activity.objects.select_related("region", "organiser"))

    @extend_schema(
        parameters=[
            str_param("region", "区划代码：含其全部下级"),
            str_param("kind", "活动类型", enum=list(ActivityKind.values)),
            str_param("period", "期间：2018-04、2018-01..2018-04 或 2018-01-05..2018-03-20"),
        ],
        responses={200: ActivitySerializer(many=True), 400: ErrorSerializer},
    )
    def list(self, request: Request) -> Response:
        rows = _in_region(self._activities(), query(request, "region"))
        kind, period = query(request, "kind"), query(request, "period")
        if kind:
            rows = rows.filter(kind=kind)
        if period:
            bounds = parse_period(period)
            rows = rows.filter(date__gte=bounds.start, date__lte=bounds.end)
        return self.paginated(rows)

    @extend_schema(responses={200: ActivitySerializer, 404: ErrorSerializer})
    def retrieve(self, request: Request, pk: str) -> Response:
        return self.output(get_visible(request.user, self._activities(), pk=int_pk(pk)))

    @extend_schema(request=ActivityCreateSerializer, responses={201: ActivitySerializer, **ERRORS})
    def create(self, request: Request) -> Response:
        data = self.valid_input(ActivityCreateSerializer)
        region = region_by_code(request.user, data.pop("region"), field="region")
        organiser = _unit(request.user, data.pop("organiser"), "organiser")
        activity = services.activity_record(actor=request.user, region=region, organiser=organiser, **data)
        return self.output(get_visible(request.user, self._activities(), pk=activity.pk), created=True)
