"""Households, their members (masked; revealed one at a time, audited) and their status history."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from yigou.accounts.scope import get_visible
from yigou.registry import selectors, services
from yigou.registry.enums import HouseholdStatus, MonitorType
from yigou.registry.models import Household, Member
from yigou.registry.selectors import HOUSEHOLD_SORTS, HouseholdFilter

from .base import ApiViewSet
from .common import ErrorSerializer, int_pk, query, region_by_code, str_param
from .household_serializers import (
    EventInputSerializer,
    HouseholdCreateSerializer,
    HouseholdDetailSerializer,
    HouseholdListSerializer,
    HouseholdUpdateSerializer,
    IdentificationStepSerializer,
    MemberInputSerializer,
    MemberSerializer,
    StatusEventSerializer,
    StepInputSerializer,
    TimelineItemSerializer,
)

HOUSEHOLD_PARAMS = [
    str_param("q", "户主或成员姓名、拼音首字母、身份证号后几位或户编号"),
    str_param("region", "区划代码：含其全部下级"),
    str_param("status", "当前状态", enum=list(HouseholdStatus.values)),
    str_param("monitor_type", "监测类型", enum=[v for v in MonitorType.values if v]),
    str_param("sort", "排序", enum=sorted(HOUSEHOLD_SORTS)),
]


def _uploads(request: Request) -> list[Any]:
    return list(request.FILES.getlist("files")) if hasattr(request, "FILES") else []


class HouseholdViewSet(ApiViewSet):
    """农户：列表与详情中的身份证号、电话均为脱敏显示。"""

    queryset = Household.objects.none()
    serializer_class = HouseholdListSerializer
    parser_classes = [JSONParser, MultiPartParser, FormParser]

    def _household(self, pk: Any) -> Household:
        return selectors.household(self.request.user, int_pk(pk))

    @extend_schema(parameters=HOUSEHOLD_PARAMS)
    def list(self, request: Request) -> Response:
        flt = HouseholdFilter(
            q=query(request, "q"),
            region=query(request, "region"),
            status=query(request, "status"),
            monitor_type=query(request, "monitor_type"),
            sort=query(request, "sort") or "number",
        )
        return self.paginated(selectors.households(request.user, flt).prefetch_related("members"))

    @extend_schema(responses=HouseholdDetailSerializer)
    def retrieve(self, request: Request, pk: str) -> Response:
        return self.output(self._household(pk), HouseholdDetailSerializer)

    @extend_schema(
        request=HouseholdCreateSerializer, responses={201: HouseholdDetailSerializer, 400: ErrorSerializer}
    )
    def create(self, request: Request) -> Response:
        data = self.valid_input(HouseholdCreateSerializer)
        village = region_by_code(request.user, data["village"], field="village")
        members = [services.MemberInput(**m) for m in data["members"]]
        row = services.household_register(
            actor=request.user,
            village=village,
            members=members,
            number=data.get("number", ""),
            phone=data.get("phone", ""),
            address=data.get("address", ""),
        )
        return self.output(self._household(row.pk), HouseholdDetailSerializer, created=True)

    @extend_schema(request=HouseholdUpdateSerializer, responses=HouseholdDetailSerializer)
    def partial_update(self, request: Request, pk: str) -> Response:
        household = self._household(pk)
        data = self.valid_input(HouseholdUpdateSerializer, partial=True)
        services.household_update(actor=request.user, household=household, **data)
        return self.output(self._household(pk), HouseholdDetailSerializer)

    @extend_schema(request=MemberInputSerializer, responses={201: MemberSerializer})
    @action(detail=True, methods=["post"], url_path="members")
    def add_member(self, request: Request, pk: str) -> Response:
        """增加家庭成员（不能是户主）。"""
        household = self._household(pk)
        data = self.valid_input(MemberInputSerializer)
        member = services.member_add(
            actor=request.user, household=household, member=services.MemberInput(**data)
        )
        return self.output(member, MemberSerializer, created=True)

    @extend_schema(request=EventInputSerializer, responses={201: StatusEventSerializer})
    @action(detail=True, methods=["post"])
    def events(self, request: Request, pk: str) -> Response:
        """追加一条状态事件（识别纳入、脱贫退出、回头看、返贫、监测）；可附佐证材料 files。"""
        household = self._household(pk)
        data = self.valid_input(EventInputSerializer)
        event = services.household_record_event(
            actor=request.user, household=household, files=_uploads(request), **data
        )
        return self.output(event, StatusEventSerializer, created=True)

    @extend_schema(request=StepInputSerializer, responses={201: IdentificationStepSerializer})
    @action(detail=True, methods=["post"])
    def steps(self, request: Request, pk: str) -> Response:
        """记录精准识别程序的下一步（两公示一公告）；可附佐证材料 files。"""
        household = self._household(pk)
        data = self.valid_input(StepInputSerializer)
        step = services.identification_record_step(
            actor=request.user, household=household, files=_uploads(request), **data
        )
        return self.output(step, IdentificationStepSerializer, created=True)

    @extend_schema(responses=TimelineItemSerializer(many=True))
    @action(detail=True, methods=["get"])
    def timeline(self, request: Request, pk: str) -> Response:
        """识别程序与状态事件按日期排成的一条历史。"""
        return self.paginated(selectors.timeline(self._household(pk)), TimelineItemSerializer)


class RevealSerializer(serializers.Serializer):
    id_number = serializers.CharField(label="身份证号")
    phone = serializers.CharField(label="户联系电话")
    health = serializers.CharField(label="健康状况")


class MemberViewSet(ApiViewSet):
    """家庭成员的完整个人信息：仅限有权查看者，每次查看写入审计日志。"""

    queryset = Member.objects.none()
    serializer_class = RevealSerializer

    @extend_schema(
        request=None, responses={200: RevealSerializer, 403: ErrorSerializer, 404: ErrorSerializer}
    )
    @action(detail=True, methods=["post"])
    def reveal(self, request: Request, pk: str) -> Response:
        """查看完整身份证号、电话与健康状况（审计）。"""
        member = get_visible(request.user, Member.objects.select_related("household"), pk=int_pk(pk))
        return Response(services.member_reveal(actor=request.user, member=member))
