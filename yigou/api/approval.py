"""Approval up the region tree (submit, approve, return, unlock), completeness, and the bulletin's text."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from yigou.approval import bulletin as bulletins
from yigou.approval import selectors, services
from yigou.approval.chain import parse_month
from yigou.approval.enums import Action, State
from yigou.approval.models import Step, Submission
from yigou.core.errors import DomainError

from .base import ApiViewSet
from .common import ErrorSerializer, choices_help, int_pk, query, query_int, region_by_code, str_param

ERRORS = {400: ErrorSerializer, 403: ErrorSerializer, 404: ErrorSerializer}
MONTH_HELP = "月份，如 2018-04（审核按月进行）"


class StepSerializer(serializers.ModelSerializer):
    action = serializers.CharField(read_only=True, help_text=choices_help(Action))
    from_state = serializers.CharField(read_only=True, help_text=choices_help(State))
    to_state = serializers.CharField(read_only=True, help_text=choices_help(State))
    actor_name = serializers.CharField(source="actor.username", read_only=True, default="")

    class Meta:
        model = Step
        fields = ["action", "from_state", "to_state", "reason", "actor_name", "at"]
        read_only_fields = fields


class SubmissionSerializer(serializers.ModelSerializer):
    state = serializers.CharField(read_only=True, help_text=choices_help(State))
    state_label = serializers.CharField(source="get_state_display", read_only=True)
    region_name = serializers.CharField(source="region.name", read_only=True)
    locked = serializers.SerializerMethodField()

    class Meta:
        model = Submission
        fields = [
            "id",
            "region",
            "region_name",
            "year",
            "month",
            "form_code",
            "state",
            "state_label",
            "first_submitted_at",
            "submitted_at",
            "decided_at",
            "reason",
            "locked",
        ]
        read_only_fields = fields

    def get_locked(self, obj: Submission) -> bool:
        return obj.state == State.APPROVED


class SubmissionDetailSerializer(SubmissionSerializer):
    steps = StepSerializer(many=True, read_only=True)

    class Meta(SubmissionSerializer.Meta):
        fields = [*SubmissionSerializer.Meta.fields, "steps"]
        read_only_fields = fields


class ChildStatusSerializer(serializers.Serializer):
    region_code = serializers.CharField()
    region_name = serializers.CharField()
    state = serializers.CharField(help_text=choices_help(State))
    submitted = serializers.BooleanField()
    first_submitted_at = serializers.DateTimeField(allow_null=True)
    on_time = serializers.BooleanField(help_text="首次上报在截止日期（含）之前")
    approved = serializers.BooleanField()
    decided_at = serializers.DateTimeField(allow_null=True, help_text="审核通过的时间")


class CompletenessSerializer(serializers.Serializer):
    region = serializers.CharField()
    region_name = serializers.CharField()
    year = serializers.IntegerField()
    month = serializers.IntegerField()
    deadline = serializers.DateField()
    counts = serializers.DictField(
        child=serializers.IntegerField(), help_text="children, submitted, on_time, approved"
    )
    rows = ChildStatusSerializer(many=True)


class RankedSerializer(serializers.Serializer):
    rank = serializers.IntegerField()
    name = serializers.CharField()
    figures = serializers.ListField(child=serializers.CharField())


class AssessmentSectionSerializer(serializers.Serializer):
    heading = serializers.CharField()
    paragraphs = serializers.ListField(child=serializers.CharField())
    headers = serializers.ListField(child=serializers.CharField())
    rows = serializers.ListField(child=serializers.ListField(child=serializers.CharField()))


class BulletinSerializer(serializers.Serializer):
    title = serializers.CharField()
    office = serializers.CharField()
    issue = serializers.IntegerField()
    date = serializers.DateField()
    paragraphs = serializers.ListField(child=serializers.CharField())
    by_amount = RankedSerializer(many=True, help_text="购买金额（元）、贫困户增收（元）")
    by_households = RankedSerializer(many=True, help_text="带动贫困户（户）、贫困户增收（元）")
    warnings = serializers.ListField(child=serializers.CharField())
    assessment = AssessmentSectionSerializer(allow_null=True, help_text="考核排名（请求 scheme 时）")


class SubmitSerializer(serializers.Serializer):
    region = serializers.CharField(label="上报区划代码", max_length=12)
    month = serializers.CharField(label="月份", max_length=7, help_text=MONTH_HELP)


class ApprovalReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(label="原因", max_length=500)


class SubmissionViewSet(ApiViewSet):
    """上报审核：本区域工作人员上报月度数据，上级区域扶贫办审核通过（锁定数据）、退回或解锁。"""

    queryset = Submission.objects.none()
    serializer_class = SubmissionSerializer

    def _submission(self, pk: Any) -> Submission:
        return selectors.submission(self.request.user, int_pk(pk))

    @extend_schema(
        parameters=[
            str_param("region", "区划代码：含其全部下级"),
            str_param("month", MONTH_HELP),
            str_param("state", "状态", enum=list(State.values)),
            str_param("q", "区域名称或代码"),
        ],
        responses={200: SubmissionSerializer(many=True), 400: ErrorSerializer, 403: ErrorSerializer},
    )
    def list(self, request: Request) -> Response:
        month = query(request, "month")
        year_month = parse_month(month) if month else (None, None)
        rows = selectors.submissions(
            request.user,
            region=query(request, "region"),
            year=year_month[0],
            month=year_month[1],
            state=query(request, "state"),
            q=query(request, "q"),
        )
        return self.paginated(rows)

    @extend_schema(responses={200: SubmissionDetailSerializer, 404: ErrorSerializer})
    def retrieve(self, request: Request, pk: str) -> Response:
        return self.output(self._submission(pk), SubmissionDetailSerializer)

    @extend_schema(request=SubmitSerializer, responses={201: SubmissionDetailSerializer, **ERRORS})
    @action(detail=False, methods=["post"])
    def submit(self, request: Request) -> Response:
        """上报（或被退回、解锁后重新上报）本区域某月的数据；先按报表校验规则检查。"""
        data = self.valid_input(SubmitSerializer)
        region = region_by_code(request.user, data["region"], field="region")
        year, month = parse_month(data["month"])
        row = services.submission_submit(actor=request.user, region=region, year=year, month=month)
        return self.output(self._submission(row.pk), SubmissionDetailSerializer, created=True)

    @extend_schema(request=None, responses={200: SubmissionDetailSerializer, **ERRORS})
    @action(detail=True, methods=["post"])
    def approve(self, request: Request, pk: str) -> Response:
        """审核通过：下级区域须已全部审核通过；通过后本区域该月数据锁定。"""
        row = services.submission_approve(actor=request.user, submission=self._submission(pk))
        return self.output(self._submission(row.pk), SubmissionDetailSerializer)

    @extend_schema(request=ApprovalReasonSerializer, responses={200: SubmissionDetailSerializer, **ERRORS})
    @action(detail=True, methods=["post"], url_path="return")
    def return_(self, request: Request, pk: str) -> Response:
        """退回上报（须填写原因）。"""
        data = self.valid_input(ApprovalReasonSerializer)
        row = services.submission_return(
            actor=request.user, submission=self._submission(pk), reason=data["reason"]
        )
        return self.output(self._submission(row.pk), SubmissionDetailSerializer)

    @extend_schema(request=ApprovalReasonSerializer, responses={200: SubmissionDetailSerializer, **ERRORS})
    @action(detail=True, methods=["post"])
    def unlock(self, request: Request, pk: str) -> Response:
        """解锁已审核的月份（须填写原因，记入审计日志），以便更正后重新上报。"""
        data = self.valid_input(ApprovalReasonSerializer)
        row = services.submission_unlock(
            actor=request.user, submission=self._submission(pk), reason=data["reason"]
        )
        return self.output(self._submission(row.pk), SubmissionDetailSerializer)


def _time(value: Any) -> str | None:
    return timezone.localtime(value).isoformat() if value else None


def _date(text: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text) if text else None
    except ValueError:
        raise DomainError(
            "invalid_input", detail=f"日期“{text[:20]}”无效，应写作 2018-05-05", field="date"
        ) from None


class CompletenessView(APIView):
    @extend_schema(
        operation_id="approval_completeness",
        parameters=[str_param("region", "上级区划代码；留空为本人所在区域"), str_param("month", MONTH_HELP)],
        responses={200: CompletenessSerializer, **ERRORS},
    )
    def get(self, request: Request) -> Response:
        """上报及时性与完整性：每个须上报的下级区域是否上报、何时上报、是否在截止日期前、是否审核通过。"""
        selectors.ensure_may_view(request.user)
        code = query(request, "region") or getattr(
            getattr(request.user, "organisation", None), "region_id", ""
        )
        year, month = parse_month(query(request, "month"))
        table = selectors.completeness(request.user, code, year, month)
        rows = [
            {
                "region_code": r.region.code,
                "region_name": r.region.name,
                "state": r.state,
                "submitted": r.submitted,
                "first_submitted_at": _time(r.first_submitted_at),
                "on_time": r.on_time,
                "approved": r.approved,
                "decided_at": _time(r.decided_at),
            }
            for r in table.rows
        ]
        return Response(
            {
                "region": table.region.code,
                "region_name": table.region.name,
                "year": year,
                "month": month,
                "deadline": table.deadline.isoformat(),
                "counts": table.counts,
                "rows": rows,
            }
        )


class BulletinView(APIView):
    @extend_schema(
        operation_id="approval_bulletin",
        parameters=[
            str_param("region", "区划代码；留空为本人所在区域"),
            str_param("period", "期间，如 2018-01..2018-04"),
            str_param("issue", "期号（默认 1）"),
            str_param("office", "发文单位"),
            str_param("date", "日期，如 2018-05-05"),
            str_param("scheme", "附上该考核方案（编号）的排名"),
        ],
        responses={200: BulletinSerializer, **ERRORS},
    )
    def get(self, request: Request) -> Response:
        """以购助扶工作简报的文字：成果段落、各地排名与数据校验提示（DOCX/PDF 请在简报页面下载）。"""
        selectors.ensure_may_view(request.user)
        date = _date(query(request, "date"))
        b = bulletins.bulletin_for(
            request.user,
            query(request, "region"),
            query(request, "period"),
            issue=query_int(request, "issue") or 1,
            office=query(request, "office"),
            date=date,
            scheme=query_int(request, "scheme"),
        )
        ranked = lambda rows: [{"rank": r.rank, "name": r.name, "figures": list(r.figures)} for r in rows]  # noqa: E731
        return Response(
            {
                "title": b.title,
                "office": b.office,
                "issue": b.issue,
                "date": b.date.isoformat(),
                "paragraphs": b.text,
                "by_amount": ranked(b.by_amount),
                "by_households": ranked(b.by_households),
                "warnings": b.warnings,
                "assessment": vars(b.assessment) if b.assessment else None,
            }
        )
