"""Statistical forms over the API: the form, a region's month of values, rule results, reconciliation, import."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from yigou.core.errors import DomainError
from yigou.core.periods import parse_period
from yigou.core.tabular import read_table
from yigou.reporting import selectors
from yigou.reporting.importing import form_import
from yigou.reporting.models import OutlierFlag, ValidationResult
from yigou.reporting.services import EntryResult, builtin_form, outlier_resolve, result_comment, values_save
from yigou.reporting.validation import number

from .base import ApiViewSet
from .common import ErrorSerializer, query, str_param

ERRORS = {400: ErrorSerializer, 403: ErrorSerializer, 404: ErrorSerializer}


def month_of(text: str) -> tuple[int, int]:
    period = parse_period(text)
    if not period.single_month:
        raise DomainError("form_period_monthly", form=builtin_form().name, period=text, field="period")
    return period.start.year, period.start.month


class ElementSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    unit = serializers.CharField()
    value_type = serializers.CharField()
    aggregation = serializers.CharField()
    period_aggregation = serializers.CharField()
    section = serializers.CharField(source="section.title", default="")


class RuleSerializer(serializers.Serializer):
    code = serializers.CharField()
    description = serializers.CharField()
    condition = serializers.SerializerMethodField()
    left = serializers.CharField()
    operator = serializers.CharField(source="get_operator_display")
    right = serializers.CharField()
    tolerance = serializers.DecimalField(max_digits=16, decimal_places=2)
    importance = serializers.CharField()
    missing = serializers.CharField()
    blocking = serializers.BooleanField()

    def get_condition(self, rule: Any) -> str:
        return f"{rule.if_left} {rule.get_if_operator_display()} {rule.if_right}" if rule.if_operator else ""


class FormSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    levels = serializers.ListField(child=serializers.IntegerField())
    elements = ElementSerializer(many=True, source="elements.all")
    rules = RuleSerializer(many=True, source="rules.all")


class ValuesInputSerializer(serializers.Serializer):
    region = serializers.CharField(help_text="区划代码")
    period = serializers.CharField(help_text="月份，如 2018-04")
    values = serializers.DictField(
        child=serializers.CharField(allow_blank=True, allow_null=True),
        help_text="指标代码 → 数值；空值清除该项",
    )
    note = serializers.CharField(required=False, allow_blank=True, default="")


class PeriodInputSerializer(serializers.Serializer):
    region = serializers.CharField(required=False, allow_blank=True, default="")
    period = serializers.CharField()


class ResultSerializer(serializers.ModelSerializer):
    rule = serializers.CharField(source="rule.code")
    description = serializers.CharField(source="rule.description")
    region_name = serializers.CharField(source="region.name")

    class Meta:
        model = ValidationResult
        fields = [
            "id",
            "region",
            "region_name",
            "period_label",
            "rule",
            "description",
            "left",
            "right",
            "importance",
            "blocking",
            "message",
            "comment",
        ]


class OutlierSerializer(serializers.ModelSerializer):
    element = serializers.CharField(source="element.code")
    region_name = serializers.CharField(source="region.name")

    class Meta:
        model = OutlierFlag
        fields = [
            "id",
            "region",
            "region_name",
            "year",
            "month",
            "element",
            "kind",
            "value",
            "expected",
            "spread",
            "low",
            "high",
            "status",
            "note",
        ]


class TextInputSerializer(serializers.Serializer):
    text = serializers.CharField(help_text="情况说明或核实说明")


def entry_data(result: EntryResult) -> dict[str, Any]:
    return {
        "changed": result.changed,
        "blocked": result.blocked,
        "violations": [
            {
                "rule": v.rule.code,
                "description": v.rule.description,
                "left": number(v.left),
                "right": number(v.right),
                "importance": v.rule.importance,
                "blocking": v.rule.blocks,
                "message": v.message,
            }
            for v in result.violations
        ],
        "outliers": [
            {"element": o.element.code, "kind": o.kind, "message": o.message} for o in result.outliers
        ],
    }


class FormView(APIView):
    @extend_schema(operation_id="reporting_form", responses=FormSerializer)
    def get(self, request: Request) -> Response:
        """内置的以购助扶成果统计表：指标（代码、名称、单位、汇总方式）与校验规则。"""
        return Response(FormSerializer(builtin_form()).data)


class ValuesView(APIView):
    @extend_schema(
        operation_id="reporting_values",
        parameters=[str_param("region", "区划代码"), str_param("period", "月份，如 2018-04")],
        responses={200: dict, **ERRORS},
    )
    def get(self, request: Request) -> Response:
        """某区域某月的填报数据（本区域自己填报的数值；未填为 null）。"""
        region = selectors.region_for(request.user, query(request, "region"))
        year, month = month_of(query(request, "period"))
        stored = selectors.month_values(request.user, region, year, month)
        values = {e.code: number(stored.get(e.code)) for e in builtin_form().elements.all()}
        return Response(
            {
                "region": region.code,
                "region_name": region.name,
                "year": year,
                "month": month,
                "values": values,
            }
        )

    @extend_schema(
        operation_id="reporting_values_save", request=ValuesInputSerializer, responses={200: dict, **ERRORS}
    )
    def post(self, request: Request) -> Response:
        """填报或修改某区域某月的数值（逐项审计），返回即时校验结果与异常值。"""
        data = ValuesInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        year, month = month_of(data.validated_data["period"])
        result = values_save(
            actor=request.user,
            region_code=data.validated_data["region"],
            year=year,
            month=month,
            values=data.validated_data["values"],
            note=data.validated_data["note"],
        )
        return Response(entry_data(result))


class ValidateView(APIView):
    @extend_schema(
        operation_id="reporting_validate", request=PeriodInputSerializer, responses={200: dict, **ERRORS}
    )
    def post(self, request: Request) -> Response:
        """按校验规则检查各下级及汇总数据；结果保存，返回每一处违反。"""
        data = PeriodInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        found = selectors.validation_run(
            request.user, data.validated_data["region"], data.validated_data["period"]
        )
        return Response([v.as_dict() for v in found])


class ReconciliationView(APIView):
    @extend_schema(
        operation_id="reporting_reconciliation",
        parameters=[str_param("region", "区划代码"), str_param("period", "期间")],
        responses={200: dict, **ERRORS},
    )
    def get(self, request: Request) -> Response:
        """同时有台账和填报数据的下级区域：逐项列出两者不一致之处（统计表采用台账数）。"""
        merged = selectors.merged(request.user, query(request, "region"), query(request, "period"))
        return Response(
            [
                {
                    "region_code": d.region_code,
                    "region_name": d.region_name,
                    "element": d.element,
                    "label": d.label,
                    "unit": d.unit,
                    "ledger": number(d.ledger),
                    "reported": number(d.reported),
                    "difference": number(d.difference),
                }
                for d in merged.differences
            ]
        )


class ImportView(APIView):
    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(
        operation_id="reporting_import",
        request={
            "multipart/form-data": {
                "type": "object",
                "properties": {
                    "file": {"type": "string", "format": "binary"},
                    "dry_run": {"type": "boolean"},
                    "period": {"type": "string"},
                },
            }
        },
        responses={200: dict, **ERRORS},
    )
    def post(self, request: Request) -> Response:
        """导入填报数据（XLSX/CSV，宽表或长表）；有任何错误则全部不导入。"""
        form: Any = request.data
        upload = request.FILES.get("file")
        if upload is None:
            raise DomainError("invalid_input", detail="请上传文件", field="file")
        dry_run = str(form.get("dry_run", "")).lower() in ("1", "true", "yes", "on")
        result = form_import(
            actor=request.user,
            table=read_table(upload.read(), upload.name or ""),
            dry_run=dry_run,
            period=str(form.get("period", "")),
        )
        return Response(
            {**result.report.as_dict(), "layout": result.layout}, status=200 if result.report.ok else 400
        )


class ResultViewSet(ApiViewSet):
    queryset = ValidationResult.objects.none()
    serializer_class = ResultSerializer
    parser_classes = [JSONParser]

    @extend_schema(
        parameters=[
            str_param("region", "区划代码"),
            str_param("period", "期间"),
            str_param("importance", "high/medium/low"),
        ]
    )
    def list(self, request: Request) -> Response:
        """已保存的校验结果（本人管辖范围内）。"""
        text = query(request, "period")
        return self.paginated(
            selectors.results(
                request.user,
                region=query(request, "region"),
                period=parse_period(text) if text else None,
                importance=query(request, "importance"),
            )
        )

    @extend_schema(request=TextInputSerializer, responses={200: ResultSerializer, **ERRORS})
    @action(detail=True, methods=["post"])
    def comment(self, request: Request, pk: str) -> Response:
        """为中、低重要性（或不阻止上报的）违反填写情况说明。"""
        text = self.valid_input(TextInputSerializer)["text"]
        return self.output(result_comment(actor=request.user, result_id=_pk(pk), comment=text))


class OutlierViewSet(ApiViewSet):
    queryset = OutlierFlag.objects.none()
    serializer_class = OutlierSerializer
    parser_classes = [JSONParser]

    @extend_schema(parameters=[str_param("region", "区划代码"), str_param("status", "open/resolved")])
    def list(self, request: Request) -> Response:
        """待核实（或已核实）的异常值。"""
        return self.paginated(
            selectors.outlier_flags(
                request.user, region=query(request, "region"), status=query(request, "status")
            )
        )

    @extend_schema(request=TextInputSerializer, responses={200: OutlierSerializer, **ERRORS})
    @action(detail=True, methods=["post"])
    def resolve(self, request: Request, pk: str) -> Response:
        """核实异常值并填写说明。"""
        text = self.valid_input(TextInputSerializer)["text"]
        return self.output(outlier_resolve(actor=request.user, flag_id=_pk(pk), note=text))


def _pk(text: str) -> int:
    if not str(text).isdigit():
        raise DomainError("not_found")
    return int(text)
