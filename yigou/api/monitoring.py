"""Return-to-poverty monitoring over the API: cases (flag, steps, 风险消除, dashboard), their measures and follow-up
visits — all through the income app's services and selectors, so scope, roles and the procedure are decided there."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from yigou.accounts.scope import named_required
from yigou.income import cases, measures, procedure, selectors
from yigou.income.enums import CaseStatus, Channel, MeasureKind, MeasureStatus, RiskType, StepKind
from yigou.income.models import CaseStep, FollowUp, Measure, MonitoringCase
from yigou.registry.models import Household

from .base import ApiViewSet
from .common import ErrorSerializer, int_pk, query, str_param

ERRORS = {400: ErrorSerializer, 403: ErrorSerializer, 404: ErrorSerializer}
GROUPS = cases.GROUP_CHOICES


class MonitoringStepSerializer(serializers.ModelSerializer):
    step_label = serializers.CharField(source="get_step_display", read_only=True)
    phase_label = serializers.CharField(source="get_phase_display", read_only=True)
    files = serializers.SerializerMethodField()
    recorded_by_name = serializers.CharField(source="recorded_by.username", read_only=True, default="")

    class Meta:
        model = CaseStep
        fields = [
            "id", "phase", "phase_label", "step", "step_label", "date", "approved", "note", "notice_until",
            "files", "recorded_by_name", "recorded_at",
        ]  # fmt: skip
        read_only_fields = fields

    def get_files(self, row: CaseStep) -> list[str]:
        return [f.name for f in row.files.all()]


class MonitoringFollowUpSerializer(serializers.ModelSerializer):
    class Meta:
        model = FollowUp
        fields = ["id", "date", "note", "next_due", "recorded_at"]
        read_only_fields = fields


class MonitoringMeasureSerializer(serializers.ModelSerializer):
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    cadre_name = serializers.CharField(source="cadre.name", read_only=True)
    overdue = serializers.SerializerMethodField()
    next_visit_due = serializers.SerializerMethodField()
    follow_ups = MonitoringFollowUpSerializer(many=True, read_only=True)

    class Meta:
        model = Measure
        fields = [
            "id", "case", "kind", "kind_label", "description", "cadre", "cadre_name", "started_on", "deadline",
            "status", "status_label", "closed_on", "result", "overdue", "next_visit_due", "follow_ups",
        ]  # fmt: skip
        read_only_fields = fields

    def get_overdue(self, row: Measure) -> bool:
        return selectors.is_overdue(row)

    def get_next_visit_due(self, row: Measure) -> str | None:
        due = selectors.next_visit_due(row)
        return due.isoformat() if due else None


class MonitoringCaseSerializer(serializers.ModelSerializer):
    household_number = serializers.CharField(source="household.number", read_only=True)
    village_code = serializers.CharField(source="household.village_id", read_only=True)
    group_label = serializers.CharField(source="get_group_display", read_only=True)
    risk_labels = serializers.ListField(child=serializers.CharField(), read_only=True)
    channel_label = serializers.CharField(source="get_channel_display", read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    next_step = serializers.SerializerMethodField()

    class Meta:
        model = MonitoringCase
        fields = [
            "id", "household", "household_number", "village_code", "group", "group_label", "risks", "risk_labels",
            "channel", "channel_label", "discovered_on", "status", "status_label", "phase", "note", "end_reason",
            "started_on", "ended_on", "next_step",
        ]  # fmt: skip
        read_only_fields = fields

    def get_next_step(self, row: MonitoringCase) -> str | None:
        return procedure.next_step(row)


class MonitoringCaseDetailSerializer(MonitoringCaseSerializer):
    steps = serializers.SerializerMethodField()
    measures = serializers.SerializerMethodField()

    class Meta(MonitoringCaseSerializer.Meta):
        fields = [*MonitoringCaseSerializer.Meta.fields, "steps", "measures"]
        read_only_fields = fields

    def get_steps(self, row: MonitoringCase) -> list[dict[str, Any]]:
        return list(MonitoringStepSerializer(selectors.case_steps(row), many=True).data)

    def get_measures(self, row: MonitoringCase) -> list[dict[str, Any]]:
        return list(MonitoringMeasureSerializer(selectors.case_measures(row), many=True).data)


class MonitoringCaseInSerializer(serializers.Serializer):
    household = serializers.IntegerField(label="农户 id")
    group = serializers.ChoiceField(label="监测类型", choices=GROUPS)
    risks = serializers.ListField(
        child=serializers.ChoiceField(choices=RiskType.choices), label="风险类型", min_length=1
    )
    channel = serializers.ChoiceField(label="发现渠道", choices=Channel.choices, default=Channel.VISIT)
    discovered_on = serializers.DateField(label="发现日期")
    note = serializers.CharField(
        label="发现情况", required=False, allow_blank=True, default="", max_length=2000
    )


class MonitoringStepInSerializer(serializers.Serializer):
    step = serializers.ChoiceField(label="步骤", choices=StepKind.choices)
    date = serializers.DateField(label="办理日期")
    approved = serializers.BooleanField(label="通过", required=False, default=True)
    note = serializers.CharField(
        label="说明/意见", required=False, allow_blank=True, default="", max_length=2000
    )
    files = serializers.ListField(
        child=serializers.FileField(), label="佐证材料", required=False, default=list, max_length=10
    )


class MonitoringClearanceInSerializer(serializers.Serializer):
    date = serializers.DateField(label="村级评议日期")
    note = serializers.CharField(
        label="评议意见", required=False, allow_blank=True, default="", max_length=2000
    )
    files = serializers.ListField(
        child=serializers.FileField(), label="佐证材料", required=False, default=list, max_length=10
    )


class MonitoringMeasureInSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(label="措施类型", choices=MeasureKind.choices)
    description = serializers.CharField(label="措施内容", max_length=2000)
    cadre = serializers.IntegerField(label="责任干部 id")
    started_on = serializers.DateField(label="开始日期")
    deadline = serializers.DateField(label="完成期限")


class MonitoringMeasureCloseInSerializer(serializers.Serializer):
    status = serializers.ChoiceField(
        label="办结为", choices=[(MeasureStatus.DONE, "已完成"), (MeasureStatus.CANCELLED, "已取消")]
    )
    closed_on = serializers.DateField(label="办结日期")
    result = serializers.CharField(label="实施结果或取消原因", max_length=2000)


class MonitoringFollowUpInSerializer(serializers.Serializer):
    date = serializers.DateField(label="走访日期")
    note = serializers.CharField(label="走访情况", max_length=2000)
    next_due = serializers.DateField(label="下次走访日期", required=False, allow_null=True, default=None)


class MonitoringCaseViewSet(ApiViewSet):
    """监测对象：发现登记 → 入户核查 → 村级评议公示 → 乡镇审核 → 县级审批 → 公告；帮扶措施；风险消除。"""

    queryset = MonitoringCase.objects.none()
    serializer_class = MonitoringCaseSerializer
    parser_classes = [JSONParser, MultiPartParser, FormParser]

    @extend_schema(
        parameters=[
            str_param("region", "区划代码：含其全部下级"),
            str_param("status", "状态", enum=list(CaseStatus.values)),
            str_param("group", "监测类型", enum=[v for v, _ in GROUPS]),
            str_param("channel", "发现渠道", enum=list(Channel.values)),
        ]
    )
    def list(self, request: Request) -> Response:
        rows = selectors.monitoring_cases(
            request.user,
            region_code=query(request, "region"),
            status=query(request, "status"),
            group=query(request, "group"),
            channel=query(request, "channel"),
        )
        return self.paginated(rows)

    @extend_schema(responses={200: MonitoringCaseDetailSerializer, 404: ErrorSerializer})
    def retrieve(self, request: Request, pk: str) -> Response:
        return self.output(
            selectors.monitoring_case(request.user, int_pk(pk)), MonitoringCaseDetailSerializer
        )

    @extend_schema(
        request=MonitoringCaseInSerializer, responses={201: MonitoringCaseDetailSerializer, **ERRORS}
    )
    def create(self, request: Request) -> Response:
        """发现登记（干部走访、部门筛查等）：新的监测对象进入识别程序。"""
        d = self.valid_input(MonitoringCaseInSerializer)
        household = named_required(
            request.user, Household.objects.all(), d.pop("household"), field="household", label="农户"
        )
        case = cases.case_open(actor=request.user, household=household, **d)
        return self.output(
            selectors.monitoring_case(request.user, case.pk), MonitoringCaseDetailSerializer, created=True
        )

    def _answer(self, request: Request, pk: int) -> Response:
        return self.output(selectors.monitoring_case(request.user, pk), MonitoringCaseDetailSerializer)

    @extend_schema(
        request={
            "multipart/form-data": MonitoringStepInSerializer,
            "application/json": MonitoringStepInSerializer,
        },
        responses={200: MonitoringCaseDetailSerializer, **ERRORS},
    )
    @action(detail=True, methods=["post"])
    def step(self, request: Request, pk: str) -> Response:
        """办理下一步骤（入户核查须附签字的授权承诺书；评议审核步骤可不予通过并写明理由）。"""
        d = self.valid_input(MonitoringStepInSerializer)
        case = selectors.monitoring_case(request.user, int_pk(pk))
        procedure.step_record(actor=request.user, case=case, **d)
        return self._answer(request, case.pk)

    @extend_schema(
        request={
            "multipart/form-data": MonitoringClearanceInSerializer,
            "application/json": MonitoringClearanceInSerializer,
        },
        responses={200: MonitoringCaseDetailSerializer, **ERRORS},
    )
    @action(detail=True, methods=["post"])
    def clearance(self, request: Request, pk: str) -> Response:
        """启动风险消除：村级民主评议并公示（收入稳定高于监测线、三保障无缺口、有劳动能力）。"""
        d = self.valid_input(MonitoringClearanceInSerializer)
        case = selectors.monitoring_case(request.user, int_pk(pk))
        procedure.clearance_start(actor=request.user, case=case, **d)
        return self._answer(request, case.pk)

    @extend_schema(
        request=MonitoringMeasureInSerializer, responses={201: MonitoringMeasureSerializer, **ERRORS}
    )
    @action(detail=True, methods=["post"])
    def measures(self, request: Request, pk: str) -> Response:
        """添加帮扶措施（责任干部、完成期限）。"""
        d = self.valid_input(MonitoringMeasureInSerializer)
        case = selectors.monitoring_case(request.user, int_pk(pk))
        measure = measures.measure_add(actor=request.user, case=case, **d)
        return self.output(
            selectors.monitoring_measure(request.user, measure.pk), MonitoringMeasureSerializer, created=True
        )

    @extend_schema(
        parameters=[str_param("region", "区划代码（默认本账号区划）")], responses={200: dict, **ERRORS}
    )
    @action(detail=False, methods=["get"])
    def dashboard(self, request: Request) -> Response:
        """按监测类型、风险类型、下级区域统计在监测对象，逾期措施数，发现到首项措施的天数中位数。"""
        board = selectors.monitoring_dashboard(request.user, query(request, "region"))

        def tallies(rows: list[selectors.Tally]) -> list[dict[str, Any]]:
            return [{"code": t.code, "label": t.label, "count": t.count} for t in rows]

        median = board.median_days_to_first_measure
        return Response(
            {
                "region_code": board.region.code,
                "open_cases": board.open_cases,
                "by_status": tallies(board.by_status),
                "by_group": tallies(board.by_group),
                "by_risk": tallies(board.by_risk),
                "by_region": tallies(board.by_region),
                "overdue_measures": board.overdue_measures,
                "median_days_to_first_measure": str(median) if median is not None else None,
            }
        )


class MeasureViewSet(ApiViewSet):
    """帮扶措施：查看、办结、登记走访。"""

    queryset = Measure.objects.none()
    serializer_class = MonitoringMeasureSerializer

    @extend_schema(responses={200: MonitoringMeasureSerializer, 404: ErrorSerializer})
    def retrieve(self, request: Request, pk: str) -> Response:
        return self.output(selectors.monitoring_measure(request.user, int_pk(pk)))

    @extend_schema(
        request=MonitoringMeasureCloseInSerializer, responses={200: MonitoringMeasureSerializer, **ERRORS}
    )
    @action(detail=True, methods=["post"])
    def close(self, request: Request, pk: str) -> Response:
        """办结措施：已完成（写明结果）或已取消（写明原因）。"""
        d = self.valid_input(MonitoringMeasureCloseInSerializer)
        measure = selectors.monitoring_measure(request.user, int_pk(pk))
        measures.measure_close(actor=request.user, measure=measure, **d)
        return self.output(selectors.monitoring_measure(request.user, measure.pk))

    @extend_schema(
        request=MonitoringFollowUpInSerializer, responses={201: MonitoringMeasureSerializer, **ERRORS}
    )
    @action(detail=True, methods=["post"], url_path="follow-ups")
    def follow_ups(self, request: Request, pk: str) -> Response:
        """登记一次走访及下次走访日期。"""
        d = self.valid_input(MonitoringFollowUpInSerializer)
        measure = selectors.monitoring_measure(request.user, int_pk(pk))
        measures.follow_up_record(actor=request.user, measure=measure, **d)
        return self.output(selectors.monitoring_measure(request.user, measure.pk), created=True)
