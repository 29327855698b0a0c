"""Producers (cooperatives, enterprises, family farms, selling households) with members and linkages."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from yigou.registry import selectors, services
from yigou.registry.enums import ProducerKind
from yigou.registry.models import CoopMember, Linkage, Producer
from yigou.registry.selectors import PRODUCER_SORTS

from .base import ApiViewSet
from .common import ErrorSerializer, int_pk, masked_phone, query, region_by_code, str_param


class ProducerSerializer(serializers.ModelSerializer):
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    grade_label = serializers.CharField(source="get_grade_display", read_only=True)
    region_name = serializers.CharField(source="region.name", read_only=True)
    contact_phone = masked_phone(label="联系电话（脱敏）")

    class Meta:
        model = Producer
        fields = [
            "id",
            "kind",
            "kind_label",
            "name",
            "uscc",
            "region",
            "region_name",
            "county_code",
            "household",
            "grade",
            "grade_label",
            "contact_name",
            "contact_phone",
            "address",
            "main_products",
            "is_active",
            "updated_at",
        ]
        read_only_fields = fields


class ProducerListSerializer(ProducerSerializer):
    linked_households = serializers.IntegerField(read_only=True, label="在联农户数")

    class Meta(ProducerSerializer.Meta):
        fields = [*ProducerSerializer.Meta.fields, "linked_households"]
        read_only_fields = fields


class CoopMemberSerializer(serializers.ModelSerializer):
    household_number = serializers.CharField(source="household.number", read_only=True, default="")

    class Meta:
        model = CoopMember
        fields = ["id", "name", "household", "household_number", "shares", "capital", "joined_on", "left_on"]
        read_only_fields = fields


class ProducerLinkageSerializer(serializers.ModelSerializer):
    household_number = serializers.CharField(source="household.number", read_only=True)
    head_name = serializers.CharField(source="household.head_name", read_only=True)
    village_name = serializers.CharField(source="household.village.name", read_only=True)
    mechanism_label = serializers.CharField(source="get_mechanism_display", read_only=True)

    class Meta:
        model = Linkage
        fields = [
            "id",
            "household",
            "household_number",
            "head_name",
            "village_name",
            "mechanism",
            "mechanism_label",
            "start",
            "end",
            "expected_income",
            "note",
        ]
        read_only_fields = fields


class ProducerDetailSerializer(ProducerSerializer):
    members = CoopMemberSerializer(many=True, read_only=True)
    linkages = ProducerLinkageSerializer(many=True, read_only=True)

    class Meta(ProducerSerializer.Meta):
        fields = [*ProducerSerializer.Meta.fields, "created_at", "members", "linkages"]
        read_only_fields = fields


class ProducerUpdateSerializer(serializers.Serializer):
    name = serializers.CharField(label="名称", max_length=200)
    uscc = serializers.CharField(label="统一社会信用代码", max_length=18, allow_blank=True, allow_null=True)
    grade = serializers.CharField(label="龙头企业级别", max_length=16, allow_blank=True)
    contact_name = serializers.CharField(label="联系人", max_length=60, allow_blank=True)
    contact_phone = serializers.CharField(label="联系电话", max_length=20, allow_blank=True)
    address = serializers.CharField(label="地址", max_length=200, allow_blank=True)
    main_products = serializers.CharField(label="主营产品", max_length=300, allow_blank=True)
    is_active = serializers.BooleanField(label="有效")


class ProducerCreateSerializer(ProducerUpdateSerializer):
    kind = serializers.ChoiceField(label="主体类型", choices=ProducerKind.choices)
    region = serializers.CharField(
        label="所在区划代码（个体农户可留空）", max_length=12, required=False, allow_blank=True
    )
    household = serializers.IntegerField(label="对应农户（仅个体农户）", required=False, allow_null=True)

    def get_fields(self):  # type: ignore[no-untyped-def]
        fields = super().get_fields()
        for name in ("uscc", "grade", "contact_name", "contact_phone", "address", "main_products"):
            fields[name].required = False
        fields.pop("is_active")
        return fields


PRODUCER_PARAMS = [
    str_param("q", "名称、拼音首字母或统一社会信用代码"),
    str_param("kind", "主体类型", enum=list(ProducerKind.values)),
    str_param("region", "区划代码：含其全部下级"),
    str_param("sort", "排序", enum=sorted(PRODUCER_SORTS)),
]


class ProducerViewSet(ApiViewSet):
    """经营主体：合作社、龙头企业、家庭农场、个体农户，及其社员与带贫联结。"""

    queryset = Producer.objects.none()
    serializer_class = ProducerListSerializer

    @extend_schema(parameters=PRODUCER_PARAMS)
    def list(self, request: Request) -> Response:
        rows = selectors.producers(
            request.user,
            q=query(request, "q"),
            kind=query(request, "kind"),
            region=query(request, "region"),
            sort=query(request, "sort") or "name",
        )
        return self.paginated(rows)

    @extend_schema(responses=ProducerDetailSerializer)
    def retrieve(self, request: Request, pk: str) -> Response:
        return self.output(selectors.producer(request.user, int_pk(pk)), ProducerDetailSerializer)

    @extend_schema(
        request=ProducerCreateSerializer, responses={201: ProducerDetailSerializer, 400: ErrorSerializer}
    )
    def create(self, request: Request) -> Response:
        data = self.valid_input(ProducerCreateSerializer)
        household_pk = data.pop("household", None)
        household = selectors.household(request.user, household_pk) if household_pk else None
        code = data.pop("region", "")
        if household is not None and not code:
            region = household.village
        else:
            region = region_by_code(request.user, code, field="region")
        row = services.producer_register(actor=request.user, region=region, household=household, **data)
        return self.output(selectors.producer(request.user, row.pk), ProducerDetailSerializer, created=True)

    @extend_schema(request=ProducerUpdateSerializer, responses=ProducerDetailSerializer)
    def partial_update(self, request: Request, pk: str) -> Response:
        producer = selectors.producer(request.user, int_pk(pk))
        data = self.valid_input(ProducerUpdateSerializer, partial=True)
        services.producer_update(actor=request.user, producer=producer, **data)
        return self.output(selectors.producer(request.user, producer.pk), ProducerDetailSerializer)
