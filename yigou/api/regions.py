"""Administrative divisions: reference data every signed-in user may read."""

from __future__ import annotations

from django.db.models import Q, QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from yigou.accounts.scope import get_visible, restrict
from yigou.regions import selectors
from yigou.regions.models import Region

from .base import ApiViewSet
from .common import int_param, query, query_int, str_param


class RegionSerializer(serializers.ModelSerializer):
    level_label = serializers.CharField(source="get_level_display", read_only=True)
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)

    class Meta:
        model = Region
        fields = [
            "code",
            "name",
            "full_name",
            "parent",
            "level",
            "level_label",
            "kind",
            "kind_label",
            "is_poor",
            "poor_since",
            "poor_until",
        ]
        read_only_fields = fields


class RegionDetailSerializer(RegionSerializer):
    ancestors = serializers.SerializerMethodField()

    class Meta(RegionSerializer.Meta):
        fields = [*RegionSerializer.Meta.fields, "ancestors"]
        read_only_fields = fields

    def get_ancestors(self, obj: Region) -> list[dict[str, str]]:
        return [{"code": r.code, "name": r.name} for r in selectors.ancestors(obj)]


REGION_PARAMS = [
    str_param("parent", "上级区划代码：只列其直接下级"),
    int_param("level", "层级：1 省 2 市 3 县 4 乡 5 村"),
    str_param("q", "名称包含或代码前缀"),
]


class RegionViewSet(ApiViewSet):
    """行政区划（含功能区）。"""

    queryset = Region.objects.none()
    serializer_class = RegionSerializer
    lookup_field = "code"
    lookup_value_regex = r"\d{12}"

    def _visible(self) -> QuerySet[Region]:
        return restrict(self.request.user, Region.objects.all())

    @extend_schema(parameters=REGION_PARAMS)
    def list(self, request: Request) -> Response:
        qs = self._visible()
        if parent := query(request, "parent"):
            qs = qs.filter(parent_id=parent)
        level = query_int(request, "level")
        if level is not None:
            qs = qs.filter(level=level)
        if text := query(request, "q"):
            qs = qs.filter(Q(name__contains=text) | Q(code__startswith=text))
        return self.paginated(qs.order_by("code"))

    @extend_schema(responses=RegionDetailSerializer)
    def retrieve(self, request: Request, code: str) -> Response:
        region = get_visible(request.user, self._visible().select_related("parent"), code=code)
        return self.output(region, RegionDetailSerializer)

    @extend_schema(responses=RegionSerializer(many=True))
    @action(detail=True, methods=["get"])
    def children(self, request: Request, code: str) -> Response:
        """直接下级区划。"""
        region = get_visible(request.user, self._visible(), code=code)
        return self.paginated(restrict(request.user, selectors.children(region)))
