"""Fake-figure detection over the API: the findings of a region and period (and a re-scan), the investigation cases
with their steps and files, and the dashboard of cases by region — all through the anomalies app's selectors and
services, so scope, roles and the state machine are decided there."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from yigou.anomalies import cases, selectors
from yigou.anomalies.enums import InvestigationStatus, RuleCode
from yigou.anomalies.models import CaseFile, Finding, Investigation, InvestigationEvent
from yigou.anomalies.scan import as_json, scan
from yigou.core.periods import parse_period

from .base import ApiViewSet
from .common import ErrorSerializer, int_pk, query, query_int, str_param

ERRORS = {400: ErrorSerializer, 403: ErrorSerializer, 404: ErrorSerializer}
STATES = [value for value, _ in selectors.FindingState.choices]


class FindingSerializer(serializers.ModelSerializer):
    rule_label = serializers.CharField(source="get_rule_display", read_only=True)
    region_code = serializers.CharField(source="region_id", read_only=True)
    region_name = serializers.CharField(source="region.name", read_only=True)
    purchases = serializers.SerializerMethodField()
    case = serializers.SerializerMethodField()
    state = serializers.SerializerMethodField()

    class Meta:
        model = Finding
        fields = [
            "id", "rule", "rule_label", "score", "region_code", "region_name", "scope_code", "period_start",
            "period_end", "evidence", "purchases", "households", "amount", "scanned_on", "case", "state",
        ]  # fmt: skip
        read_only_fields = fields

    def get_purchases(self, row: Finding) -> list[dict[str, Any]]:
        return [{"id": pk, "external_id": external} for pk, external in row.purchases]

    def get_case(self, row: Finding) -> int | None:
        held = getattr(row, "case", None)
        return held.pk if held is not None else None

    def get_state(self, row: Finding) -> str:
        return selectors.state_label(row)


class InvestigationEventSerializer(serializers.ModelSerializer):
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    actor_name = serializers.CharField(source="actor.username", read_only=True, default="")

    class Meta:
        model = InvestigationEvent
        fields = ["kind", "kind_label", "text", "actor_name", "at"]
        read_only_fields = fields


class CaseFileSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField()

    class Meta:
        model = CaseFile
        fields = ["id", "name", "size", "uploaded_at", "url"]
        read_only_fields = fields

    def get_url(self, row: CaseFile) -> str:
        return reverse("www:anomaly_file", args=[row.pk])


class InvestigationSerializer(serializers.ModelSerializer):
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    region_code = serializers.CharField(source="region_id", read_only=True)
    region_name = serializers.CharField(source="region.name", read_only=True)
    finding = FindingSerializer(read_only=True)
    assignee_name = serializers.CharField(source="assignee.username", read_only=True, default=None)
    opened_by_name = serializers.CharField(source="opened_by.username", read_only=True)

    class Meta:
        model = Investigation
        fields = [
            "id", "number", "status", "status_label", "region_code", "region_name", "finding", "opened_by_name",
            "assignee", "assignee_name", "due_on", "explanation", "decision", "decided_at", "reversed_count",
            "reversed_amount", "created_at",
        ]  # fmt: skip
        read_only_fields = fields


class InvestigationDetailSerializer(InvestigationSerializer):
    events = serializers.SerializerMethodField()
    files = serializers.SerializerMethodField()

    class Meta(InvestigationSerializer.Meta):
        fields = [*InvestigationSerializer.Meta.fields, "events", "files"]
        read_only_fields = fields

    def get_events(self, row: Investigation) -> list[dict[str, Any]]:
        return list(InvestigationEventSerializer(selectors.case_events(row), many=True).data)

    def get_files(self, row: Investigation) -> list[dict[str, Any]]:
        return list(CaseFileSerializer(selectors.case_files(row), many=True).data)


class ScanInSerializer(serializers.Serializer):
    region = serializers.CharField(
        label="区划代码", max_length=12, required=False, allow_blank=True, default=""
    )
    period = serializers.CharField(label="期间（如 2018、2018-04 或 2018-01..2018-06）", max_length=40)


class OpenInSerializer(serializers.Serializer):
    note = serializers.CharField(
        label="立案说明", required=False, allow_blank=True, default="", max_length=1000
    )


class InvestigationAssignInSerializer(serializers.Serializer):
    assignee = serializers.IntegerField(label="核查人（用户 id）")
    due_on = serializers.DateField(label="说明期限", required=False, allow_null=True, default=None)


class ExplainInSerializer(serializers.Serializer):
    text = serializers.CharField(label="情况说明", max_length=4000)
    files = serializers.ListField(
        child=serializers.FileField(), label="核查材料", required=False, default=list, max_length=10
    )


class DecisionInSerializer(serializers.Serializer):
    reason = serializers.CharField(label="处理意见", max_length=500)


class FindingViewSet(ApiViewSet):
    """疑点：按区域和期间列出，可疑度从高到低；可重新扫描、立案。"""

    queryset = Finding.objects.none()
    serializer_class = FindingSerializer

    @extend_schema(
        parameters=[
            str_param("region", "区划代码：含其全部下级（默认本账号区划）"),
            str_param("period", "期间，如 2018、2018-04 或 2018-01..2018-06（必填）"),
            str_param("rule", "规则", enum=list(RuleCode.values)),
            str_param("min_score", "可疑度下限（0–100）"),
            str_param("state", "立案情况", enum=STATES),
        ]
    )
    def list(self, request: Request) -> Response:
        region = selectors.scan_region(request.user, query(request, "region"))
        rows = selectors.findings(
            request.user,
            region=region,
            period=parse_period(query(request, "period")),
            rule=query(request, "rule"),
            min_score=query_int(request, "min_score"),
            state=query(request, "state"),
        )
        return self.paginated(rows)

    @extend_schema(responses={200: FindingSerializer, 404: ErrorSerializer})
    def retrieve(self, request: Request, pk: str) -> Response:
        return self.output(selectors.finding(request.user, int_pk(pk)))

    @extend_schema(request=ScanInSerializer, responses={200: dict, **ERRORS})
    @action(detail=False, methods=["post"])
    def scan(self, request: Request) -> Response:
        """重新扫描某区域某期间：返回疑点（与 `yigou anomalies scan --format json` 相同的字段）及增删计数。"""
        selectors.ensure_may_scan(request.user)
        d = self.valid_input(ScanInSerializer)
        region = selectors.scan_region(request.user, d["region"])
        result = scan(region, parse_period(d["period"]))
        return Response(
            {
                "region_code": region.code,
                "period": d["period"],
                "created": result.created,
                "updated": result.updated,
                "dropped": result.dropped,
                "suppressed": result.suppressed,
                "findings": [as_json(r) for r in result.findings],
            }
        )

    @extend_schema(request=OpenInSerializer, responses={201: InvestigationSerializer, **ERRORS})
    @action(detail=True, methods=["post"], url_path="open")
    def open_case(self, request: Request, pk: str) -> Response:
        """立案核查。"""
        d = self.valid_input(OpenInSerializer)
        row = selectors.finding(request.user, int_pk(pk))
        case = cases.case_open(actor=request.user, finding=row, note=d["note"])
        return self.output(selectors.case(request.user, case.pk), InvestigationSerializer, created=True)


class InvestigationViewSet(ApiViewSet):
    """核查案件：立案 → 交办 → 情况说明 → 查实（冲销所涉购买记录）或排除（此后不再提示）。"""

    queryset = Investigation.objects.none()
    serializer_class = InvestigationSerializer
    parser_classes = [JSONParser, MultiPartParser, FormParser]

    @extend_schema(
        parameters=[
            str_param("status", "状态；active 为未结案，closed 为已结案", enum=[*InvestigationStatus.values,
                                                                           "active", "closed"]),
            str_param("region", "区划代码：含其全部下级"),
        ]
    )  # fmt: skip
    def list(self, request: Request) -> Response:
        rows = selectors.cases(request.user, status=query(request, "status"), region=query(request, "region"))
        return self.paginated(rows)

    @extend_schema(responses={200: InvestigationDetailSerializer, 404: ErrorSerializer})
    def retrieve(self, request: Request, pk: str) -> Response:
        return self.output(selectors.case(request.user, int_pk(pk)), InvestigationDetailSerializer)

    @extend_schema(
        parameters=[str_param("region", "区划代码（默认本账号区划）")], responses={200: dict, **ERRORS}
    )
    @action(detail=False, methods=["get"])
    def dashboard(self, request: Request) -> Response:
        """各下级区域的案件数：未结案、已查实、已排除、合计。"""
        board = selectors.dashboard(
            request.user, selectors.scan_region(request.user, query(request, "region"))
        )

        def counts(row: selectors.CountRow) -> dict[str, Any]:
            return {
                "region_code": row.region.code,
                "region_name": row.region.name,
                "open": row.open,
                "confirmed": row.confirmed,
                "dismissed": row.dismissed,
                "total": row.total,
            }

        return Response(
            {
                "region_code": board.region.code,
                "rows": [counts(r) for r in board.rows],
                "total": counts(board.total),
            }
        )

    def _answer(self, request: Request, case: Investigation) -> Response:
        return self.output(selectors.case(request.user, case.pk), InvestigationDetailSerializer)

    @extend_schema(
        request=InvestigationAssignInSerializer, responses={200: InvestigationDetailSerializer, **ERRORS}
    )
    @action(detail=True, methods=["post"])
    def assign(self, request: Request, pk: str) -> Response:
        """交办：所涉区划或其上级的工作人员，限期说明情况（默认 10 天）。"""
        d = self.valid_input(InvestigationAssignInSerializer)
        case = selectors.case(request.user, int_pk(pk))
        case = cases.case_assign(actor=request.user, case=case, assignee=d["assignee"], due_on=d["due_on"])
        return self._answer(request, case)

    @extend_schema(
        request={"multipart/form-data": ExplainInSerializer, "application/json": ExplainInSerializer},
        responses={200: InvestigationDetailSerializer, **ERRORS},
    )
    @action(detail=True, methods=["post"])
    def explain(self, request: Request, pk: str) -> Response:
        """情况说明（文字，可附材料文件）。"""
        d = self.valid_input(ExplainInSerializer)
        case = selectors.case(request.user, int_pk(pk))
        case = cases.case_explain(actor=request.user, case=case, text=d["text"], uploads=d["files"])
        return self._answer(request, case)

    @extend_schema(request=DecisionInSerializer, responses={200: InvestigationDetailSerializer, **ERRORS})
    @action(detail=True, methods=["post"])
    def confirm(self, request: Request, pk: str) -> Response:
        """查实：冲销疑点所涉购买记录（全部成功或全部不做），冲销原因写明案件编号。"""
        d = self.valid_input(DecisionInSerializer)
        case = selectors.case(request.user, int_pk(pk))
        return self._answer(request, cases.case_confirm(actor=request.user, case=case, reason=d["reason"]))

    @extend_schema(request=DecisionInSerializer, responses={200: InvestigationDetailSerializer, **ERRORS})
    @action(detail=True, methods=["post"])
    def dismiss(self, request: Request, pk: str) -> Response:
        """排除：写明理由，此后扫描不再提示同一疑点。"""
        d = self.valid_input(DecisionInSerializer)
        case = selectors.case(request.user, int_pk(pk))
        return self._answer(request, cases.case_dismiss(actor=request.user, case=case, reason=d["reason"]))
