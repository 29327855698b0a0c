"""Reserved shares (预留份额): filings with their completion, review actions, floors and the regional dashboard."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from yigou.accounts.models import User
from yigou.assist.models import AssistingUnit
from yigou.core.errors import DomainError
from yigou.shares import selectors, services
from yigou.shares.enums import CanteenMode, FilingStatus
from yigou.shares.floors import check_year
from yigou.shares.forms import neighbours
from yigou.shares.models import ShareFiling, ShareFloor
from yigou.shares.services import floor_set

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

ZERO = Decimal("0.00")
ERRORS = {400: ErrorSerializer, 403: ErrorSerializer, 404: ErrorSerializer}


def money(label: str = "", **kwargs: Any) -> serializers.DecimalField:
    return serializers.DecimalField(max_digits=14, decimal_places=2, label=label, **kwargs)


def percent(label: str = "", **kwargs: Any) -> serializers.DecimalField:
    return serializers.DecimalField(max_digits=9, decimal_places=2, label=label, **kwargs)


class FilingSerializer(serializers.ModelSerializer):
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    region = serializers.CharField(source="unit.region_id", read_only=True)
    mode_label = serializers.CharField(source="get_mode_display", read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    target = money("目标（预留金额 + 工会份额）", read_only=True)
    mode = serializers.CharField(read_only=True, help_text=choices_help(CanteenMode))
    status = serializers.CharField(read_only=True, help_text=choices_help(FilingStatus))
    host_unit = serializers.IntegerField(source="host.unit_id", read_only=True, default=None)

    class Meta:
        model = ShareFiling
        fields = [
            "id",
            "unit",
            "unit_name",
            "region",
            "year",
            "mode",
            "mode_label",
            "host",
            "host_unit",
            "canteen_total",
            "ratio",
            "reserved_amount",
            "union_per_head",
            "union_staff",
            "union_amount",
            "target",
            "union_unit",
            "contractor_unit",
            "contractor_user",
            "note",
            "status",
            "status_label",
            "floor_ratio",
            "last_year_amount",
            "below_floor",
            "below_last_year",
            "submitted_at",
            "reviewed_at",
            "review_note",
            "updated_at",
        ]
        read_only_fields = fields


class CompletionSerializer(serializers.Serializer):
    target = money("目标（元）")
    done = money("已完成（元）")
    rate = percent("完成率（%）", allow_null=True)
    elapsed = serializers.DecimalField(label="时间进度（%）", max_digits=5, decimal_places=2)
    by_source = serializers.DictField(child=money(), label="按采购方")


class FilingDetailSerializer(FilingSerializer):
    completion = serializers.SerializerMethodField(label="完成情况")

    class Meta(FilingSerializer.Meta):
        fields = [*FilingSerializer.Meta.fields, "completion"]
        read_only_fields = fields

    @extend_schema(responses=CompletionSerializer)
    def get_completion(self, obj: ShareFiling) -> dict[str, Any]:
        share = selectors.unit_share(self.context["request"].user, obj.unit, obj.year, timezone.localdate())
        return CompletionSerializer(
            {
                "target": share.target,
                "done": share.done.total,
                "rate": share.rate,
                "elapsed": share.elapsed,
                "by_source": {
                    key: share.done.by_source.get(key, Decimal("0.00"))
                    for key in ("unit", "staff", "merged", "union", "contractor")
                },
            }
        ).data


class FilingInputSerializer(serializers.Serializer):
    unit = serializers.IntegerField(label="预算单位编号（单位工作人员可省略）", required=False)
    year = serializers.IntegerField(label="年度")
    mode = serializers.CharField(label="食堂情况", help_text=choices_help(CanteenMode))
    canteen_total = money("食堂食材采购总额（元）", required=False, default=ZERO)
    ratio = serializers.DecimalField(
        label="预留比例（%）", max_digits=5, decimal_places=2, required=False, default=ZERO
    )
    union_per_head = money("工会人均额度（元）", required=False, default=ZERO)
    union_staff = serializers.IntegerField(label="工会职工人数", required=False, default=0, min_value=0)
    union_unit = serializers.IntegerField(label="工会（登记为单位）编号", required=False, allow_null=True)
    contractor_unit = serializers.IntegerField(label="食堂承包企业编号", required=False, allow_null=True)
    contractor_user = serializers.CharField(
        label="食堂承包方账号（用户名）", required=False, allow_blank=True
    )
    covered_units = serializers.ListField(
        child=serializers.IntegerField(), label="合并填报的单位编号", required=False, default=list
    )
    note = serializers.CharField(
        label="填报说明", required=False, allow_blank=True, default="", max_length=500
    )


class ReviewSerializer(serializers.Serializer):
    note = serializers.CharField(label="审核意见/退回原因", required=False, allow_blank=True, default="")


class FloorSerializer(serializers.ModelSerializer):
    region_name = serializers.CharField(source="region.name", read_only=True)

    class Meta:
        model = ShareFloor
        fields = ["id", "region", "region_name", "year", "ratio", "note", "updated_at"]
        read_only_fields = fields


class FloorInputSerializer(serializers.Serializer):
    region = serializers.CharField(label="区划代码", max_length=12)
    year = serializers.IntegerField(label="年度")
    ratio = serializers.DecimalField(label="最低预留比例（%）", max_digits=5, decimal_places=2)
    note = serializers.CharField(label="依据", required=False, allow_blank=True, default="", max_length=300)


def _named(unit: AssistingUnit, ids: list[int], field: str) -> list[AssistingUnit]:
    """Units a filing names must be registered in the same county or city as the filing unit."""
    known = {u.pk: u for u in neighbours(unit)}
    missing = [pk for pk in ids if pk not in known]
    if missing:
        raise DomainError(
            "invalid_input", detail=f"单位编号 {missing[0]} 不存在或不在本县（市）", field=field
        )
    return [known[pk] for pk in ids]


def _input(unit: AssistingUnit, d: dict[str, Any]) -> services.FilingInput:
    one = lambda key: _named(unit, [d[key]], key)[0] if d.get(key) else None  # noqa: E731
    username = (d.get("contractor_user") or "").strip()
    user = User.objects.filter(username=username).first() if username else None
    if username and user is None:
        raise DomainError("invalid_input", detail=f"账号“{username}”不存在", field="contractor_user")
    return services.FilingInput(
        mode=d["mode"],
        canteen_total=d["canteen_total"],
        ratio=d["ratio"],
        union_per_head=d["union_per_head"],
        union_staff=d["union_staff"],
        union_unit=one("union_unit"),
        contractor_unit=one("contractor_unit"),
        contractor_user=user,
        covered_units=_named(unit, d["covered_units"], "covered_units"),
        note=d["note"],
    )


class ShareFilingViewSet(ApiViewSet):
    """预算单位预留份额填报：单位填报、报送，主管部门审核通过或退回；详情含按台账计算的完成情况。"""

    queryset = ShareFiling.objects.none()
    serializer_class = FilingSerializer

    @extend_schema(
        parameters=[
            int_param("year", "年度"),
            str_param("status", "状态", enum=list(FilingStatus.values)),
            str_param("q", "单位名称或拼音首字母"),
            str_param("region", "区划代码：含其全部下级"),
            str_param("flagged", "1：只看低于最低比例或低于上年金额的填报", enum=["1"]),
            str_param(
                "merged",
                "1：含并入共用食堂主单位填报的单位（主管部门默认不含，与审核页面相同；单位账号总能看到本单位的填报）",
                enum=["1"],
            ),
            str_param(
                "sort",
                "排序：-submitted（默认，最近报送在前）、name、reserved",
                enum=list(selectors.FILING_SORTS),
            ),
        ]
    )
    def list(self, request: Request) -> Response:
        rows = selectors.filings(
            request.user,
            year=query_int(request, "year"),
            status=query(request, "status"),
            q=query(request, "q"),
            region=query(request, "region"),
            flagged=query(request, "flagged") == "1",
            merged=True if query(request, "merged") == "1" else None,
            sort=query(request, "sort") or "-submitted",
        )
        return self.paginated(rows)

    @extend_schema(responses={200: FilingDetailSerializer, 404: ErrorSerializer})
    def retrieve(self, request: Request, pk: str) -> Response:
        return self.output(selectors.filing(request.user, int_pk(pk)), FilingDetailSerializer)

    @extend_schema(request=FilingInputSerializer, responses={201: FilingDetailSerializer, **ERRORS})
    def create(self, request: Request) -> Response:
        """保存（新建或修改）本单位某年度的填报草稿；已报送或已审核的不能修改。"""
        d = self.valid_input(FilingInputSerializer)
        unit = selectors.filing_unit(request.user, d.get("unit"))
        filing = services.filing_save(actor=request.user, unit=unit, year=d["year"], data=_input(unit, d))
        return self.output(selectors.filing(request.user, filing.pk), FilingDetailSerializer, created=True)

    @extend_schema(request=None, responses={200: FilingDetailSerializer, **ERRORS})
    @action(detail=True, methods=["post"])
    def submit(self, request: Request, pk: str) -> Response:
        filing = services.filing_submit(actor=request.user, filing=selectors.filing(request.user, int_pk(pk)))
        return self.output(selectors.filing(request.user, filing.pk), FilingDetailSerializer)

    @extend_schema(request=ReviewSerializer, responses={200: FilingDetailSerializer, **ERRORS})
    @action(detail=True, methods=["post"])
    def approve(self, request: Request, pk: str) -> Response:
        note = self.valid_input(ReviewSerializer)["note"]
        filing = selectors.filing(request.user, int_pk(pk))
        services.filing_approve(actor=request.user, filing=filing, note=note)
        return self.output(selectors.filing(request.user, filing.pk), FilingDetailSerializer)

    @extend_schema(request=ReviewSerializer, responses={200: FilingDetailSerializer, **ERRORS})
    @action(detail=True, methods=["post"], url_path="return", url_name="return")
    def send_back(self, request: Request, pk: str) -> Response:
        reason = self.valid_input(ReviewSerializer)["note"]
        filing = selectors.filing(request.user, int_pk(pk))
        services.filing_return(actor=request.user, filing=filing, reason=reason)
        return self.output(selectors.filing(request.user, filing.pk), FilingDetailSerializer)


class ShareFloorViewSet(ApiViewSet):
    """最低预留比例：按区划和年度设置，单位适用最近一级上级区划的规定（无规定时为 10%）。"""

    queryset = ShareFloor.objects.none()
    serializer_class = FloorSerializer

    @extend_schema(parameters=[int_param("year", "年度")])
    def list(self, request: Request) -> Response:
        rows = selectors.floors(request.user, year=query_int(request, "year")).order_by("-year", "region_id")
        return self.paginated(rows)

    @extend_schema(request=FloorInputSerializer, responses={201: FloorSerializer, **ERRORS})
    def create(self, request: Request) -> Response:
        d = self.valid_input(FloorInputSerializer)
        region = region_by_code(request.user, d["region"], field="region")
        floor = floor_set(actor=request.user, region=region, year=d["year"], ratio=d["ratio"], note=d["note"])
        return self.output(floor, created=True)


class RowSerializer(serializers.Serializer):
    unit = serializers.IntegerField(source="unit.pk")
    unit_name = serializers.CharField(source="unit.name")
    filing = serializers.IntegerField(source="filing.pk", default=None)
    status_label = serializers.CharField()
    merged_into_other = serializers.SerializerMethodField()
    target = money()
    done = money()
    rate = percent(allow_null=True)
    behind = serializers.BooleanField()
    never_bought = serializers.BooleanField()

    def get_merged_into_other(self, row: selectors.Row) -> bool:
        return not row.owns


class DashboardSerializer(serializers.Serializer):
    region = serializers.CharField(source="region.code", default="")
    year = serializers.IntegerField()
    elapsed = serializers.DecimalField(max_digits=5, decimal_places=2, label="时间进度（%）")
    registered = serializers.IntegerField(label="预算单位数")
    filed = serializers.IntegerField(label="已填报")
    not_filed = serializers.IntegerField(label="未填报")
    reserved_total = money("预留总额（元）")
    completed_total = money("已完成（元）")
    rate = percent("完成率（%）", allow_null=True)
    top = RowSerializer(many=True)
    bottom = RowSerializer(many=True)
    behind = RowSerializer(many=True, label="进度落后")
    never_bought = RowSerializer(many=True, label="从未采购")
    rows = RowSerializer(many=True)


class SharesDashboardView(APIView):
    @extend_schema(
        operation_id="shares_dashboard",
        parameters=[str_param("region", "区划代码；留空为本人所在区域"), int_param("year", "年度，默认今年")],
        responses={200: DashboardSerializer, 403: ErrorSerializer},
    )
    def get(self, request: Request) -> Response:
        """预留份额完成情况：单位数、填报、预留与完成总额、完成率、排名、从未采购和进度落后的单位。"""
        today = timezone.localdate()
        region = selectors.dashboard_region(request.user, query(request, "region")[:12])
        year = check_year(query_int(request, "year") or today.year)
        board = selectors.dashboard(request.user, region, year, today)
        return Response(DashboardSerializer(board).data)
