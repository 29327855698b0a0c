"""Plans over the API: plans, the task ledger (and late tasks across plans), the task-list import, task reports,
targets with their progress, splits and reports, supervision findings and the ranking of an assessment scheme —
all through the plans app's selectors and services, so scope and roles are decided there."""

from __future__ import annotations

import datetime as dt
from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from yigou.core.errors import DomainError
from yigou.core.tabular import parse_date, read_table
from yigou.plans import importing, schemes, scoring, selectors, services, supervision, targets
from yigou.plans.enums import FindingStatus, Rhythm, SiteKind, TaskStatus
from yigou.plans.models import Finding, NetworkSite, Plan, Scheme, Target, Task, TrusteeshipContract
from yigou.plans.status import task_status

from .base import ApiViewSet
from .common import ErrorSerializer, int_pk, query, region_by_code, str_param

ERRORS = {400: ErrorSerializer, 403: ErrorSerializer, 404: ErrorSerializer}


def _day(request: Request) -> dt.date:
    text = query(request, "as_of")
    return parse_date(text) if text else dt.date.today()


class PlanSerializer(serializers.ModelSerializer):
    region_code = serializers.CharField(source="region_id", read_only=True)
    region_name = serializers.CharField(source="region.name", read_only=True)

    class Meta:
        model = Plan
        fields = [
            "id",
            "title",
            "document_no",
            "goals",
            "rhythm",
            "starts_on",
            "ends_on",
            "region_code",
            "region_name",
        ]
        read_only_fields = fields


class PlanInSerializer(serializers.Serializer):
    region = serializers.CharField(max_length=12)
    title = serializers.CharField(max_length=200)
    starts_on = serializers.DateField()
    ends_on = serializers.DateField()
    rhythm = serializers.ChoiceField(choices=Rhythm.choices, default=Rhythm.MONTHLY)
    goals = serializers.CharField(required=False, allow_blank=True, default="")
    document_no = serializers.CharField(required=False, allow_blank=True, default="", max_length=60)


class PlanTaskSerializer(serializers.ModelSerializer):
    status = serializers.SerializerMethodField()
    status_label = serializers.SerializerMethodField()
    plan = serializers.IntegerField(source="plan_id", read_only=True)

    class Meta:
        model = Task
        fields = [
            "id", "plan", "number", "title", "section", "lead_unit", "co_units", "due_on", "standing", "progress",
            "reported_on", "completed_on", "status", "status_label",
        ]  # fmt: skip
        read_only_fields = fields

    def get_status(self, row: Task) -> str:
        return task_status(row, self.context.get("today") or dt.date.today())

    def get_status_label(self, row: Task) -> str:
        return str(TaskStatus(self.get_status(row)).label)


class TaskReportInSerializer(serializers.Serializer):
    reported_on = serializers.DateField()
    progress = serializers.DecimalField(max_digits=6, decimal_places=2)
    text = serializers.CharField(max_length=2000)
    evidence = serializers.FileField(required=False)


class PlanTargetSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="target.pk")
    parent_id = serializers.IntegerField(source="target.parent_id", allow_null=True)
    name = serializers.CharField(source="target.name")
    indicator = serializers.CharField(source="target.indicator")
    unit_label = serializers.CharField(source="target.unit_label")
    region_code = serializers.CharField(source="target.region_id")
    region_name = serializers.CharField(source="target.region.name")
    unit_name = serializers.CharField(source="target.unit_name")
    value = serializers.DecimalField(source="target.value", max_digits=16, decimal_places=2)
    done = serializers.DecimalField(max_digits=18, decimal_places=2)
    rate = serializers.DecimalField(max_digits=10, decimal_places=2, allow_null=True)
    depth = serializers.IntegerField()


class PartInSerializer(serializers.Serializer):
    region = serializers.CharField(max_length=12)
    value = serializers.DecimalField(max_digits=16, decimal_places=2)
    unit_name = serializers.CharField(required=False, allow_blank=True, default="", max_length=200)


class SplitInSerializer(serializers.Serializer):
    parts = PartInSerializer(many=True)


class TargetReportInSerializer(serializers.Serializer):
    reported_on = serializers.DateField()
    value = serializers.DecimalField(max_digits=16, decimal_places=2)
    text = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000)
    evidence = serializers.FileField(required=False)


class PlanFindingSerializer(serializers.ModelSerializer):
    region_code = serializers.CharField(source="region_id", read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)

    class Meta:
        model = Finding
        fields = [
            "id", "plan", "region_code", "unit_name", "problem", "found_on", "rectify_by", "status", "status_label",
            "closed_on", "closing_note",
        ]  # fmt: skip
        read_only_fields = fields


class PlanFindingInSerializer(serializers.Serializer):
    plan = serializers.IntegerField()
    region = serializers.CharField(max_length=12)
    problem = serializers.CharField(max_length=2000)
    found_on = serializers.DateField()
    rectify_by = serializers.DateField()
    unit_name = serializers.CharField(required=False, allow_blank=True, default="", max_length=200)


class FindingCloseInSerializer(serializers.Serializer):
    closed_on = serializers.DateField()
    note = serializers.CharField(max_length=2000)


class PlanViewSet(ApiViewSet):
    """工作方案：列表、详情、新建；任务台账、目标进度、任务清单导入。"""

    queryset = Plan.objects.none()
    serializer_class = PlanSerializer
    parser_classes = [JSONParser, MultiPartParser, FormParser]

    @extend_schema(parameters=[str_param("q", "方案名称或文号")])
    def list(self, request: Request) -> Response:
        return self.paginated(selectors.plans(request.user, query(request, "q")))

    @extend_schema(responses={200: PlanSerializer, 404: ErrorSerializer})
    def retrieve(self, request: Request, pk: str) -> Response:
        return self.output(selectors.plan(request.user, int_pk(pk)))

    @extend_schema(request=PlanInSerializer, responses={201: PlanSerializer, **ERRORS})
    def create(self, request: Request) -> Response:
        d = self.valid_input(PlanInSerializer)
        region = region_by_code(request.user, d.pop("region"), field="region")
        plan = services.plan_create(actor=request.user, region=region, data=services.PlanInput(**d))
        return self.output(plan, created=True)

    @extend_schema(
        parameters=[
            str_param("status", "状态", enum=[*TaskStatus.values]),
            str_param("q", "任务内容、牵头单位或序号"),
        ],
        responses={200: PlanTaskSerializer(many=True)},
    )
    @action(detail=True, methods=["get"])
    def tasks(self, request: Request, pk: str) -> Response:
        plan = selectors.plan(request.user, int_pk(pk))
        rows = selectors.tasks(request.user, plan, status=query(request, "status"), q=query(request, "q"))
        return self.paginated(rows, PlanTaskSerializer)

    @extend_schema(
        parameters=[str_param("as_of", "计算日期，默认今天")],
        responses={200: PlanTargetSerializer(many=True)},
    )
    @action(detail=True, methods=["get"])
    def targets(self, request: Request, pk: str) -> Response:
        plan = selectors.plan(request.user, int_pk(pk))
        rows = [p for root in selectors.targets(request.user, plan, _day(request)) for p in root.walk()]
        return Response(PlanTargetSerializer(rows, many=True).data)

    @extend_schema(responses={200: dict, **ERRORS})
    @action(detail=True, methods=["post"], url_path="import")
    def import_tasks(self, request: Request, pk: str) -> Response:
        """上传任务清单（multipart：file，dry_run=1 只检查）；有任何错误则全部不导入。"""
        plan = selectors.plan(request.user, int_pk(pk))
        upload = request.FILES.get("file")
        if upload is None:
            raise DomainError("invalid_input", detail="请上传文件", field="file")
        table = read_table(upload.read(), upload.name or "")
        dry_run = str(request.POST.get("dry_run", "")) in ("1", "true")
        report = importing.import_tasks(actor=request.user, plan=plan, table=table, dry_run=dry_run)
        return Response(report.as_dict(), status=200 if report.ok else 400)


class TaskViewSet(ApiViewSet):
    """任务：详情与进度报送；列表为全部可见方案的任务（status=late 即滞后任务清单）。"""

    queryset = Task.objects.none()
    serializer_class = PlanTaskSerializer
    parser_classes = [JSONParser, MultiPartParser, FormParser]

    @extend_schema(
        parameters=[str_param("status", "状态", enum=[*TaskStatus.values]), str_param("q", "搜索")]
    )
    def list(self, request: Request) -> Response:
        return self.paginated(
            selectors.tasks(request.user, status=query(request, "status"), q=query(request, "q"))
        )

    @extend_schema(responses={200: PlanTaskSerializer, 404: ErrorSerializer})
    def retrieve(self, request: Request, pk: str) -> Response:
        return self.output(selectors.task(request.user, int_pk(pk)))

    @extend_schema(request=TaskReportInSerializer, responses={200: PlanTaskSerializer, **ERRORS})
    @action(detail=True, methods=["post"])
    def report(self, request: Request, pk: str) -> Response:
        task = selectors.task(request.user, int_pk(pk))
        d = self.valid_input(TaskReportInSerializer)
        services.task_report(actor=request.user, task=task, **d)
        return self.output(selectors.task(request.user, task.pk))


class TargetViewSet(ApiViewSet):
    """目标：进度（含各部分）、分解下达、填报完成数。"""

    queryset = Target.objects.none()
    serializer_class = PlanTargetSerializer
    parser_classes = [JSONParser, MultiPartParser, FormParser]

    def _tree(self, request: Request, target: Target) -> Response:
        rows = targets.progress_of(target, _day(request)).walk()
        return Response(PlanTargetSerializer(rows, many=True).data)

    @extend_schema(
        parameters=[str_param("as_of", "计算日期")], responses={200: PlanTargetSerializer(many=True)}
    )
    def retrieve(self, request: Request, pk: str) -> Response:
        return self._tree(request, selectors.target(request.user, int_pk(pk)))

    @extend_schema(request=SplitInSerializer, responses={200: PlanTargetSerializer(many=True), **ERRORS})
    @action(detail=True, methods=["post"])
    def split(self, request: Request, pk: str) -> Response:
        target = selectors.target(request.user, int_pk(pk))
        d = self.valid_input(SplitInSerializer)
        parts = [
            targets.PartInput(
                region_by_code(request.user, p["region"], field="parts"), p["value"], p["unit_name"]
            )
            for p in d["parts"]
        ]
        targets.target_split(actor=request.user, target=target, parts=parts)
        return self._tree(request, target)

    @extend_schema(
        request=TargetReportInSerializer, responses={200: PlanTargetSerializer(many=True), **ERRORS}
    )
    @action(detail=True, methods=["post"])
    def report(self, request: Request, pk: str) -> Response:
        target = selectors.target(request.user, int_pk(pk))
        d = self.valid_input(TargetReportInSerializer)
        targets.target_report(actor=request.user, target=target, **d)
        return self._tree(request, target)


class PlanFindingViewSet(ApiViewSet):
    """督查问题：列表、登记、整改销号。"""

    queryset = Finding.objects.none()
    serializer_class = PlanFindingSerializer

    @extend_schema(
        parameters=[str_param("status", "状态", enum=[*FindingStatus.values]), str_param("q", "搜索")]
    )
    def list(self, request: Request) -> Response:
        return self.paginated(
            selectors.findings(request.user, status=query(request, "status"), q=query(request, "q"))
        )

    @extend_schema(responses={200: PlanFindingSerializer, 404: ErrorSerializer})
    def retrieve(self, request: Request, pk: str) -> Response:
        return self.output(selectors.finding(request.user, int_pk(pk)))

    @extend_schema(request=PlanFindingInSerializer, responses={201: PlanFindingSerializer, **ERRORS})
    def create(self, request: Request) -> Response:
        d = self.valid_input(PlanFindingInSerializer)
        plan = selectors.plan(request.user, d.pop("plan"))
        region = region_by_code(request.user, d.pop("region"), field="region")
        row = supervision.finding_create(actor=request.user, plan=plan, region=region, **d)
        return self.output(row, created=True)

    @extend_schema(request=FindingCloseInSerializer, responses={200: PlanFindingSerializer, **ERRORS})
    @action(detail=True, methods=["post"])
    def close(self, request: Request, pk: str) -> Response:
        row = selectors.finding(request.user, int_pk(pk))
        d = self.valid_input(FindingCloseInSerializer)
        return self.output(supervision.finding_close(actor=request.user, finding=row, **d))


class SchemeViewSet(ApiViewSet):
    """考核方案：按日期计算得分与排名（rows 按名次），并给出简报排名部分的文字。"""

    queryset = Scheme.objects.none()
    serializer_class = serializers.Serializer

    @extend_schema(
        parameters=[str_param("as_of", "计算日期，默认今天")], responses={200: dict, 404: ErrorSerializer}
    )
    def retrieve(self, request: Request, pk: str) -> Response:
        result = selectors.ranking(request.user, int_pk(pk), _day(request))
        return Response(_ranking_json(result))


def _ranking_json(r: scoring.Ranking) -> dict[str, Any]:
    section = scoring.ranking_section(r)
    return {
        "scheme": r.scheme.pk,
        "name": r.scheme.name,
        "as_of": r.as_of.isoformat(),
        "rows": [
            {
                "rank": s.rank,
                "key": s.key,
                "name": s.name,
                "items": [
                    {"name": i.item.name, "rate": _str(i.rate), "score": str(i.score)} for i in s.items
                ],
                "overdue": s.overdue,
                "deduction": str(s.deduction),
                "total": str(s.total),
            }
            for s in r.rows
        ],
        "bulletin": {"heading": section.heading, "paragraphs": section.paragraphs},
    }


def _str(value: Any) -> str | None:
    return None if value is None else str(value)


class NetworkSiteSerializer(serializers.ModelSerializer):
    region_code = serializers.CharField(source="region_id", read_only=True)
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)

    class Meta:
        model = NetworkSite
        fields = ["id", "kind", "kind_label", "name", "region_code", "operator", "opened_on", "closed_on"]
        read_only_fields = fields


class NetworkSiteInSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=SiteKind.choices)
    name = serializers.CharField(max_length=200)
    region = serializers.CharField(max_length=12)
    opened_on = serializers.DateField()
    operator = serializers.CharField(required=False, allow_blank=True, default="", max_length=200)


class NetworkSiteViewSet(ApiViewSet):
    """供销网点（基层社、村级综合服务社、连锁超市/便民店、配送中心）：列表与登记，目标按开业中的网点计算。"""

    queryset = NetworkSite.objects.none()
    serializer_class = NetworkSiteSerializer

    @extend_schema(
        parameters=[str_param("kind", "类型", enum=[*SiteKind.values]), str_param("q", "名称或运营主体")]
    )
    def list(self, request: Request) -> Response:
        return self.paginated(
            selectors.network_sites(request.user, kind=query(request, "kind"), q=query(request, "q"))
        )

    @extend_schema(request=NetworkSiteInSerializer, responses={201: NetworkSiteSerializer, **ERRORS})
    def create(self, request: Request) -> Response:
        d = self.valid_input(NetworkSiteInSerializer)
        region = region_by_code(request.user, d.pop("region"), field="region")
        return self.output(schemes.site_register(actor=request.user, region=region, **d), created=True)


class TrusteeshipSerializer(serializers.ModelSerializer):
    region_code = serializers.CharField(source="region_id", read_only=True)

    class Meta:
        model = TrusteeshipContract
        fields = [
            "id", "number", "region_code", "provider", "service", "year", "mu", "households", "poor_households",
            "signed_on",
        ]  # fmt: skip
        read_only_fields = fields


class TrusteeshipInSerializer(serializers.Serializer):
    number = serializers.CharField(max_length=60)
    village = serializers.CharField(max_length=12)
    provider = serializers.CharField(max_length=200)
    service = serializers.CharField(required=False, allow_blank=True, default="", max_length=200)
    year = serializers.IntegerField(min_value=2013, max_value=2100)
    mu = serializers.DecimalField(max_digits=12, decimal_places=2)
    households = serializers.IntegerField(min_value=1)
    poor_households = serializers.IntegerField(min_value=0, default=0)
    signed_on = serializers.DateField()


class TrusteeshipViewSet(ApiViewSet):
    """土地托管合同：列表与登记（面积、户数、年度），土地托管目标按此计算。"""

    queryset = TrusteeshipContract.objects.none()
    serializer_class = TrusteeshipSerializer

    @extend_schema(parameters=[str_param("year", "年度")])
    def list(self, request: Request) -> Response:
        year = query(request, "year")
        return self.paginated(
            selectors.trusteeships(request.user, year=int(year) if year.isdigit() else None)
        )

    @extend_schema(request=TrusteeshipInSerializer, responses={201: TrusteeshipSerializer, **ERRORS})
    def create(self, request: Request) -> Response:
        d = self.valid_input(TrusteeshipInSerializer)
        village = region_by_code(request.user, d.pop("village"), field="village")
        row = schemes.trusteeship_record(
            actor=request.user, village=village, data=schemes.TrusteeshipInput(**d)
        )
        return self.output(row, created=True)
