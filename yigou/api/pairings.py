"""Pairings (结对帮扶): assisting unit ↔ village and cadre ↔ household; listed, created and ended."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from yigou.assist import selectors, services
from yigou.assist.models import CadreHouseholdPairing, UnitVillagePairing
from yigou.registry import selectors as registry_selectors

from .base import ApiViewSet
from .common import (
    EndSerializer,
    ErrorSerializer,
    bool_param,
    first_or_404,
    int_pk,
    query,
    query_bool,
    region_by_code,
    str_param,
)

PAIRING_PARAMS = [
    str_param("region", "区划代码：含其全部下级"),
    bool_param("active", "true 只列在结对，false 只列已结束"),
]


class VillagePairingSerializer(serializers.ModelSerializer):
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    village_name = serializers.CharField(source="village.name", read_only=True)
    township_name = serializers.CharField(source="village.parent.name", read_only=True, default="")
    is_active = serializers.SerializerMethodField()

    class Meta:
        model = UnitVillagePairing
        fields = [
            "id",
            "unit",
            "unit_name",
            "village",
            "village_name",
            "township_name",
            "start",
            "end",
            "note",
            "is_active",
        ]
        read_only_fields = fields

    def get_is_active(self, obj: UnitVillagePairing) -> bool:
        return obj.end is None


class VillagePairingCreateSerializer(serializers.Serializer):
    unit = serializers.IntegerField(label="帮扶单位")
    village = serializers.CharField(label="结对村区划代码", max_length=12)
    start = serializers.DateField(label="开始日期")
    end = serializers.DateField(label="结束日期", required=False, allow_null=True, default=None)
    note = serializers.CharField(label="说明", max_length=300, required=False, allow_blank=True, default="")


class HouseholdPairingSerializer(serializers.ModelSerializer):
    cadre_name = serializers.CharField(source="cadre.name", read_only=True)
    unit = serializers.IntegerField(source="cadre.unit_id", read_only=True)
    unit_name = serializers.CharField(source="cadre.unit.name", read_only=True)
    household_number = serializers.CharField(source="household.number", read_only=True)
    head_name = serializers.CharField(source="household.head_name", read_only=True)
    village = serializers.CharField(source="household.village_id", read_only=True)
    village_name = serializers.CharField(source="household.village.name", read_only=True)
    is_active = serializers.SerializerMethodField()

    class Meta:
        model = CadreHouseholdPairing
        fields = [
            "id",
            "cadre",
            "cadre_name",
            "unit",
            "unit_name",
            "household",
            "household_number",
            "head_name",
            "village",
            "village_name",
            "start",
            "end",
            "is_active",
        ]
        read_only_fields = fields

    def get_is_active(self, obj: CadreHouseholdPairing) -> bool:
        return obj.end is None


class HouseholdPairingCreateSerializer(serializers.Serializer):
    cadre = serializers.IntegerField(label="帮扶干部")
    household = serializers.IntegerField(label="结对农户")
    start = serializers.DateField(label="开始日期")
    end = serializers.DateField(label="结束日期", required=False, allow_null=True, default=None)


class VillagePairingViewSet(ApiViewSet):
    """单位结对村。"""

    queryset = UnitVillagePairing.objects.none()
    serializer_class = VillagePairingSerializer

    @extend_schema(parameters=PAIRING_PARAMS)
    def list(self, request: Request) -> Response:
        rows = selectors.village_pairings(
            request.user, region=query(request, "region"), active=query_bool(request, "active")
        )
        return self.paginated(rows)

    def retrieve(self, request: Request, pk: str) -> Response:
        return self.output(first_or_404(selectors.village_pairings(request.user), pk=int_pk(pk)))

    @extend_schema(
        request=VillagePairingCreateSerializer,
        responses={201: VillagePairingSerializer, 400: ErrorSerializer},
    )
    def create(self, request: Request) -> Response:
        data = self.valid_input(VillagePairingCreateSerializer)
        unit = selectors.unit(request.user, data.pop("unit"))
        village = region_by_code(request.user, data.pop("village"), field="village")
        row = services.pair_unit_village(actor=request.user, unit=unit, village=village, **data)
        return self.output(first_or_404(selectors.village_pairings(request.user), pk=row.pk), created=True)

    @extend_schema(request=EndSerializer, responses=VillagePairingSerializer)
    @action(detail=True, methods=["post"])
    def end(self, request: Request, pk: str) -> Response:
        """结束结对。"""
        pairing = first_or_404(selectors.village_pairings(request.user), pk=int_pk(pk))
        services.pairing_end(actor=request.user, pairing=pairing, **self.valid_input(EndSerializer))
        return self.output(first_or_404(selectors.village_pairings(request.user), pk=pairing.pk))


class HouseholdPairingViewSet(ApiViewSet):
    """干部结对户。"""

    queryset = CadreHouseholdPairing.objects.none()
    serializer_class = HouseholdPairingSerializer

    @extend_schema(parameters=PAIRING_PARAMS)
    def list(self, request: Request) -> Response:
        rows = selectors.household_pairings(
            request.user, region=query(request, "region"), active=query_bool(request, "active")
        )
        return self.paginated(rows)

    def retrieve(self, request: Request, pk: str) -> Response:
        return self.output(first_or_404(selectors.household_pairings(request.user), pk=int_pk(pk)))

    @extend_schema(
        request=HouseholdPairingCreateSerializer,
        responses={201: HouseholdPairingSerializer, 400: ErrorSerializer},
    )
    def create(self, request: Request) -> Response:
        data = self.valid_input(HouseholdPairingCreateSerializer)
        cadre = selectors.cadre(request.user, data.pop("cadre"))
        household = registry_selectors.household(request.user, data.pop("household"))
        row = services.pair_cadre_household(actor=request.user, cadre=cadre, household=household, **data)
        return self.output(first_or_404(selectors.household_pairings(request.user), pk=row.pk), created=True)

    @extend_schema(request=EndSerializer, responses=HouseholdPairingSerializer)
    @action(detail=True, methods=["post"])
    def end(self, request: Request, pk: str) -> Response:
        """结束结对。"""
        pairing = first_or_404(selectors.household_pairings(request.user), pk=int_pk(pk))
        services.pairing_end(actor=request.user, pairing=pairing, **self.valid_input(EndSerializer))
        return self.output(first_or_404(selectors.household_pairings(request.user), pk=pairing.pk))
