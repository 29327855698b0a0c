"""The supply book and the unsold-produce warnings over the API: scoped reads, writes through the supply services."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from yigou.supply import selectors, services
from yigou.supply.enums import Level, Storage
from yigou.supply.models import SupplyEntry, Warning

from .base import ApiViewSet
from .common import (
    ErrorSerializer,
    choices_help,
    int_param,
    int_pk,
    query,
    query_int,
    region_by_code,
    str_param,
)

ERRORS = {400: ErrorSerializer, 403: ErrorSerializer, 404: ErrorSerializer}


class WarningSerializer(serializers.ModelSerializer):
    level_label = serializers.CharField(source="get_level_display", read_only=True)

    class Meta:
        model = Warning
        fields = [
            "id",
            "supply",
            "presale_item",
            "village",
            "level",
            "level_label",
            "product",
            "unit",
            "quantity_left",
            "days_left",
            "reason",
            "raised_on",
            "scanned_on",
        ]
        read_only_fields = fields


class SupplySerializer(serializers.ModelSerializer):
    village_name = serializers.CharField(source="village.name", read_only=True)
    seller = serializers.SerializerMethodField()
    level = serializers.SerializerMethodField()

    class Meta:
        model = SupplyEntry
        fields = [
            "id",
            "village",
            "village_name",
            "household",
            "producer",
            "seller",
            "name",
            "category",
            "unit",
            "quantity",
            "available_from",
            "available_to",
            "keeps_days",
            "expected_price",
            "storage",
            "season",
            "note",
            "level",
        ]
        read_only_fields = fields

    def get_seller(self, obj: SupplyEntry) -> str:
        if obj.producer_id:
            return obj.producer.name  # type: ignore[union-attr]
        if obj.household_id:
            return f"农户 {obj.household.number}"  # type: ignore[union-attr]
        return "整村"

    def get_level(self, obj: SupplyEntry) -> str:
        warning = getattr(obj, "warning", None)
        return warning.level if warning is not None and warning.is_open else ""


class SupplyInSerializer(serializers.Serializer):
    village = serializers.CharField(label="村代码", max_length=12)
    household = serializers.IntegerField(
        label="农户编号（id；不填为整村）", required=False, allow_null=True, default=None
    )
    name = serializers.CharField(label="品名", max_length=100)
    category = serializers.CharField(label="品类", max_length=16)
    unit = serializers.CharField(label="单位", max_length=16)
    quantity = serializers.CharField(label="预计可售数量", max_length=20)
    available_from = serializers.DateField(label="上市开始")
    available_to = serializers.DateField(label="上市结束")
    keeps_days = serializers.CharField(label="保鲜天数", max_length=6)
    expected_price = serializers.CharField(label="预期单价", required=False, allow_blank=True, default="")
    storage = serializers.CharField(
        label="储存方式", help_text=choices_help(Storage), default=Storage.AMBIENT
    )
    contact_name = serializers.CharField(
        label="联系人", required=False, allow_blank=True, default="", max_length=60
    )
    contact_phone = serializers.CharField(
        label="联系电话", required=False, allow_blank=True, default="", max_length=20
    )
    note = serializers.CharField(label="说明", required=False, allow_blank=True, default="", max_length=300)


LIST_PARAMS = [
    str_param("region", "区划代码：含其全部下级"),
    int_param("season", "年度"),
    str_param("q", "品名、户主姓名或村名"),
    str_param("level", "只看该级别预警的", enum=list(Level.values)),
]


class SupplyViewSet(ApiViewSet):
    """供给台账：各村、农户、经营主体预计可售的农产品；最近截止的在前。"""

    queryset = SupplyEntry.objects.none()
    serializer_class = SupplySerializer

    @extend_schema(parameters=LIST_PARAMS)
    def list(self, request: Request) -> Response:
        rows = selectors.supply_entries(
            request.user,
            region=query(request, "region"),
            season=query_int(request, "season"),
            q=query(request, "q"),
            level=query(request, "level"),
        )
        return self.paginated(rows)

    @extend_schema(responses={200: SupplySerializer, 404: ErrorSerializer})
    def retrieve(self, request: Request, pk: str) -> Response:
        return self.output(selectors.supply_entry(request.user, int_pk(pk)))

    @extend_schema(request=SupplyInSerializer, responses={201: SupplySerializer, **ERRORS})
    def create(self, request: Request) -> Response:
        d: dict[str, Any] = self.valid_input(SupplyInSerializer)
        user = request.user
        village = region_by_code(user, d.pop("village"), field="village")
        household = selectors.named_household(user, d.pop("household"))
        entry = services.supply_record(
            actor=user, village=village, household=household, data=services.SupplyInput(**d)
        )
        return self.output(selectors.supply_entry(user, entry.pk), created=True)


class WarningViewSet(ApiViewSet):
    """滞销预警：最近一次监测的结果，最严重、剩余天数最少的在前。"""

    queryset = Warning.objects.none()
    serializer_class = WarningSerializer

    @extend_schema(
        parameters=[
            str_param("region", "区划代码：含其全部下级"),
            str_param("level", "级别", enum=list(Level.values)),
        ]
    )
    def list(self, request: Request) -> Response:
        rows = selectors.warnings(
            request.user, region=query(request, "region"), level=query(request, "level")
        )
        return self.paginated(rows)
