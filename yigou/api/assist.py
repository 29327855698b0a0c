"""Assisting units (帮扶单位) and their cadres (帮扶干部)."""

from __future__ import annotations

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from yigou.assist import selectors, services
from yigou.assist.enums import UnitKind
from yigou.assist.models import AssistingUnit, Cadre

from .base import ApiViewSet
from .common import (
    ErrorSerializer,
    first_or_404,
    int_param,
    int_pk,
    masked_phone,
    query,
    query_int,
    region_by_code,
    str_param,
)


class UnitSerializer(serializers.ModelSerializer):
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    region_name = serializers.CharField(source="region.name", read_only=True)
    contact_phone = masked_phone(label="联系电话（脱敏）")
    cadre_count = serializers.IntegerField(read_only=True, label="在岗干部数")
    village_count = serializers.IntegerField(read_only=True, label="在结对村数")

    class Meta:
        model = AssistingUnit
        fields = [
            "id",
            "name",
            "kind",
            "kind_label",
            "region",
            "region_name",
            "uscc",
            "is_budget_unit",
            "has_canteen",
            "has_union",
            "staff_count",
            "contact_name",
            "contact_phone",
            "address",
            "cadre_count",
            "village_count",
            "updated_at",
        ]
        read_only_fields = fields


class UnitUpdateSerializer(serializers.Serializer):
    name = serializers.CharField(label="单位名称", max_length=200)
    kind = serializers.ChoiceField(label="单位类型", choices=UnitKind.choices)
    uscc = serializers.CharField(label="统一社会信用代码", max_length=18, allow_blank=True, allow_null=True)
    is_budget_unit = serializers.BooleanField(label="预算单位")
    has_canteen = serializers.BooleanField(label="有机关食堂")
    has_union = serializers.BooleanField(label="有工会")
    staff_count = serializers.IntegerField(label="职工人数", min_value=0)
    contact_name = serializers.CharField(label="联系人", max_length=60, allow_blank=True)
    contact_phone = serializers.CharField(label="联系电话", max_length=20, allow_blank=True)
    address = serializers.CharField(label="地址", max_length=200, allow_blank=True)


class UnitCreateSerializer(UnitUpdateSerializer):
    region = serializers.CharField(label="所在区划代码", max_length=12)

    def get_fields(self):  # type: ignore[no-untyped-def]
        fields = super().get_fields()
        for name, field in fields.items():
            field.required = name in ("name", "kind", "region")
        return fields


UNIT_PARAMS = [
    str_param("q", "单位名称或拼音首字母"),
    str_param("kind", "单位类型", enum=list(UnitKind.values)),
    str_param("region", "区划代码：含其全部下级"),
    str_param("budget", "是否预算单位：1 是，0 否", enum=["1", "0"]),
]


class UnitViewSet(ApiViewSet):
    """帮扶单位。"""

    queryset = AssistingUnit.objects.none()
    serializer_class = UnitSerializer

    def _units(self) -> QuerySet[AssistingUnit]:
        return selectors.units(self.request.user)

    @extend_schema(parameters=UNIT_PARAMS)
    def list(self, request: Request) -> Response:
        rows = selectors.units(
            request.user,
            q=query(request, "q"),
            kind=query(request, "kind"),
            region=query(request, "region"),
            budget=query(request, "budget"),
        )
        return self.paginated(rows)

    def retrieve(self, request: Request, pk: str) -> Response:
        # The list selector, so the detail carries the same counts as the list.
        return self.output(first_or_404(self._units(), pk=int_pk(pk)))

    @extend_schema(request=UnitCreateSerializer, responses={201: UnitSerializer, 400: ErrorSerializer})
    def create(self, request: Request) -> Response:
        data = self.valid_input(UnitCreateSerializer)
        region = region_by_code(request.user, data.pop("region"), field="region")
        unit = services.unit_register(actor=request.user, region=region, **data)
        return self.output(first_or_404(self._units(), pk=unit.pk), created=True)

    @extend_schema(request=UnitUpdateSerializer, responses=UnitSerializer)
    def partial_update(self, request: Request, pk: str) -> Response:
        unit = selectors.unit(request.user, int_pk(pk))
        data = self.valid_input(UnitUpdateSerializer, partial=True)
        services.unit_update(actor=request.user, unit=unit, **data)
        return self.output(first_or_404(self._units(), pk=unit.pk))


class CadreSerializer(serializers.ModelSerializer):
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    phone = masked_phone(label="联系电话（脱敏）")
    household_count = serializers.IntegerField(read_only=True, label="在结对户数")

    class Meta:
        model = Cadre
        fields = [
            "id",
            "unit",
            "unit_name",
            "name",
            "position",
            "phone",
            "is_first_secretary",
            "is_active",
            "household_count",
            "updated_at",
        ]
        read_only_fields = fields


class CadreUpdateSerializer(serializers.Serializer):
    name = serializers.CharField(label="姓名", max_length=60)
    position = serializers.CharField(label="职务", max_length=100, allow_blank=True)
    phone = serializers.CharField(label="联系电话", max_length=20, allow_blank=True)
    is_first_secretary = serializers.BooleanField(label="驻村第一书记")
    is_active = serializers.BooleanField(label="在岗")


class CadreCreateSerializer(CadreUpdateSerializer):
    unit = serializers.IntegerField(label="所在单位")

    def get_fields(self):  # type: ignore[no-untyped-def]
        fields = super().get_fields()
        for name, field in fields.items():
            field.required = name in ("name", "unit")
        fields.pop("is_active")
        return fields


class CadreViewSet(ApiViewSet):
    """帮扶干部。"""

    queryset = Cadre.objects.none()
    serializer_class = CadreSerializer

    def _cadres(self) -> QuerySet[Cadre]:
        return selectors.cadres(self.request.user)

    @extend_schema(parameters=[str_param("q", "姓名或拼音首字母"), int_param("unit", "所在单位编号")])
    def list(self, request: Request) -> Response:
        return self.paginated(
            selectors.cadres(request.user, q=query(request, "q"), unit_id=query_int(request, "unit"))
        )

    def retrieve(self, request: Request, pk: str) -> Response:
        return self.output(first_or_404(self._cadres(), pk=int_pk(pk)))

    @extend_schema(request=CadreCreateSerializer, responses={201: CadreSerializer, 400: ErrorSerializer})
    def create(self, request: Request) -> Response:
        data = self.valid_input(CadreCreateSerializer)
        unit = selectors.unit(request.user, data.pop("unit"))
        cadre = services.cadre_add(actor=request.user, unit=unit, **data)
        return self.output(first_or_404(self._cadres(), pk=cadre.pk), created=True)

    @extend_schema(request=CadreUpdateSerializer, responses=CadreSerializer)
    def partial_update(self, request: Request, pk: str) -> Response:
        cadre = selectors.cadre(request.user, int_pk(pk))
        data = self.valid_input(CadreUpdateSerializer, partial=True)
        services.cadre_update(actor=request.user, cadre=cadre, **data)
        return self.output(first_or_404(self._cadres(), pk=cadre.pk))
