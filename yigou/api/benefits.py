"""Benefit distribution over the API: distributions with their parts and working, a cooperative surplus plan, the
steps (compute, approve by the holder and the township, send back, publish, objections, pay, correct), a household's
statement, and PV stations with their output against their peers — all through the benefits app's selectors and
services, so scope, roles and the state machine are decided there."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from yigou.accounts.scope import named_row
from yigou.benefits import flow, plans, pv, selectors
from yigou.benefits.enums import Kind, Status
from yigou.benefits.models import Allocation, Distribution, Objection, PvStation
from yigou.core.errors import NotFoundError
from yigou.registry.models import Household

from .base import ApiViewSet
from .common import ErrorSerializer, int_pk, query, str_param

ERRORS = {400: ErrorSerializer, 403: ErrorSerializer, 404: ErrorSerializer}


class AllocationSerializer(serializers.ModelSerializer):
    part_label = serializers.CharField(source="get_part_display", read_only=True)
    component_label = serializers.CharField(source="get_component_display", read_only=True)

    class Meta:
        model = Allocation
        fields = ["id", "name", "household", "part", "part_label", "component", "component_label", "basis",
                  "basis_label", "amount", "income_entry", "replaces"]  # fmt: skip
        read_only_fields = fields


class ObjectionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Objection
        fields = ["id", "household", "text", "raised_at", "upheld", "answer", "answered_at"]
        read_only_fields = fields


class DistributionSerializer(serializers.ModelSerializer):
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    region_code = serializers.CharField(source="region_id", read_only=True)

    class Meta:
        model = Distribution
        fields = ["id", "kind", "kind_label", "title", "year", "region_code", "producer", "station", "fund",
                  "status", "status_label", "total", "notice_ends", "paid_on", "corrects"]  # fmt: skip
        read_only_fields = fields


class DistributionDetailSerializer(DistributionSerializer):
    allocations = AllocationSerializer(many=True, read_only=True)
    objections = ObjectionSerializer(many=True, read_only=True)

    class Meta(DistributionSerializer.Meta):
        fields = [*DistributionSerializer.Meta.fields, "inputs", "working", "allocations", "objections"]
        read_only_fields = fields


class SurplusInSerializer(serializers.Serializer):
    producer = serializers.IntegerField(help_text="合作社编号")
    year = serializers.IntegerField()
    surplus = serializers.CharField(help_text="当年盈余（元）")
    reserve_rate = serializers.CharField(help_text="提取公积金比例（%）")
    trading_rate = serializers.CharField(help_text="按交易额返还比例（%），不低于 60")


class NoteInSerializer(serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=300)


class ObjectionInSerializer(serializers.Serializer):
    text = serializers.CharField(max_length=1000)
    household = serializers.IntegerField(required=False, allow_null=True, default=None)


class AnswerInSerializer(serializers.Serializer):
    objection = serializers.IntegerField()
    upheld = serializers.BooleanField()
    answer = serializers.CharField(max_length=1000)


class CorrectInSerializer(serializers.Serializer):
    amounts = serializers.DictField(child=serializers.CharField(), help_text="{明细编号: 更正后金额}")
    reason = serializers.CharField(max_length=300)


class PayOutSerializer(serializers.Serializer):
    paid = serializers.BooleanField(help_text="本次是否兑付（已兑付过则为 false，未重复兑付）")
    distribution = DistributionSerializer()


class DistributionViewSet(ApiViewSet):
    """收益分配：方案 → 测算 → 经营主体审核 → 乡镇审核 → 公示（异议）→ 兑付；兑付后锁定，只能登记更正。"""

    queryset = Distribution.objects.none()
    serializer_class = DistributionSerializer

    @extend_schema(
        parameters=[
            str_param("kind", "类型", enum=list(Kind.values)),
            str_param("status", "状态", enum=list(Status.values)),
            str_param("year", "年度"),
            str_param("q", "名称、合作社或电站"),
        ]
    )
    def list(self, request: Request) -> Response:
        rows = selectors.distributions(
            request.user, kind=query(request, "kind"), status=query(request, "status"),
            year=query(request, "year"), q=query(request, "q"),
        )  # fmt: skip
        return self.paginated(rows)

    def _row(self, pk: str) -> Distribution:
        return selectors.distribution(self.request.user, int_pk(pk))

    def _detail(self, row: Distribution, *, created: bool = False) -> Response:
        return self.output(
            selectors.distribution(self.request.user, row.pk), DistributionDetailSerializer, created=created
        )

    @extend_schema(responses={200: DistributionDetailSerializer, 404: ErrorSerializer})
    def retrieve(self, request: Request, pk: str) -> Response:
        return self._detail(self._row(pk))

    @extend_schema(request=SurplusInSerializer, responses={201: DistributionDetailSerializer, **ERRORS})
    @action(detail=False, methods=["post"], url_path="surplus")
    def surplus(self, request: Request) -> Response:
        """制定合作社盈余分配方案（按交易额返还比例低于 60% 的方案不予登记）。"""
        d = self.valid_input(SurplusInSerializer)
        producer = selectors.cooperative(request.user, d.pop("producer"))
        return self._detail(plans.surplus_plan(actor=request.user, producer=producer, **d), created=True)

    @extend_schema(request=None, responses={200: DistributionDetailSerializer, **ERRORS})
    @action(detail=True, methods=["post"])
    def compute(self, request: Request, pk: str) -> Response:
        """测算：写出每人每项的金额与测算过程，合计精确到分。"""
        return self._detail(plans.distribution_compute(actor=request.user, distribution=self._row(pk)))

    @extend_schema(request=NoteInSerializer, responses={200: DistributionDetailSerializer, **ERRORS})
    @action(detail=True, methods=["post"], url_path="approve-holder")
    def approve_holder(self, request: Request, pk: str) -> Response:
        note = self.valid_input(NoteInSerializer)["note"]
        return self._detail(flow.approve_holder(actor=request.user, distribution=self._row(pk), note=note))

    @extend_schema(request=NoteInSerializer, responses={200: DistributionDetailSerializer, **ERRORS})
    @action(detail=True, methods=["post"], url_path="approve-township")
    def approve_township(self, request: Request, pk: str) -> Response:
        note = self.valid_input(NoteInSerializer)["note"]
        return self._detail(flow.approve_township(actor=request.user, distribution=self._row(pk), note=note))

    @extend_schema(request=NoteInSerializer, responses={200: DistributionDetailSerializer, **ERRORS})
    @action(detail=True, methods=["post"], url_path="send-back")
    def send_back(self, request: Request, pk: str) -> Response:
        note = self.valid_input(NoteInSerializer)["note"]
        return self._detail(flow.send_back(actor=request.user, distribution=self._row(pk), reason=note))

    @extend_schema(request=None, responses={200: DistributionDetailSerializer, **ERRORS})
    @action(detail=True, methods=["post"])
    def publish(self, request: Request, pk: str) -> Response:
        return self._detail(flow.publish(actor=request.user, distribution=self._row(pk)))

    @extend_schema(request=ObjectionInSerializer, responses={201: ObjectionSerializer, **ERRORS})
    @action(detail=True, methods=["post"])
    def objections(self, request: Request, pk: str) -> Response:
        d = self.valid_input(ObjectionInSerializer)
        household = named_row(
            request.user, Household.objects.all(), d["household"], field="household", label="农户"
        )
        row = flow.object_to(
            actor=request.user, distribution=self._row(pk), text=d["text"], household=household
        )
        return self.output(row, ObjectionSerializer, created=True)

    @extend_schema(request=AnswerInSerializer, responses={200: ObjectionSerializer, **ERRORS})
    @action(detail=True, methods=["post"])
    def answer(self, request: Request, pk: str) -> Response:
        d = self.valid_input(AnswerInSerializer)
        objection = self._row(pk).objections.filter(pk=d["objection"]).first()
        if objection is None:
            raise NotFoundError()
        row = flow.answer(actor=request.user, objection=objection, upheld=d["upheld"], text=d["answer"])
        return self.output(row, ObjectionSerializer)

    @extend_schema(request=None, responses={200: PayOutSerializer, **ERRORS})
    @action(detail=True, methods=["post"])
    def pay(self, request: Request, pk: str) -> Response:
        """兑付：为登记农户写入收入台账（来源“收益分配”）。重复调用不会重复兑付。"""
        row, done = flow.pay(actor=request.user, distribution=self._row(pk))
        return Response({"paid": done, "distribution": DistributionSerializer(row).data})

    @extend_schema(request=CorrectInSerializer, responses={201: DistributionDetailSerializer, **ERRORS})
    @action(detail=True, methods=["post"])
    def correct(self, request: Request, pk: str) -> Response:
        d = self.valid_input(CorrectInSerializer)
        amounts: dict[int, Any] = {int_pk(k): v for k, v in d["amounts"].items()}
        fix = flow.correct(
            actor=request.user, distribution=self._row(pk), amounts=amounts, reason=d["reason"]
        )
        return self._detail(fix, created=True)

    @extend_schema(parameters=[str_param("household", "农户编号（必填）")], responses={200: dict, **ERRORS})
    @action(detail=False, methods=["get"])
    def statement(self, request: Request) -> Response:
        """一户历年已兑付的收益明细（更正过的明细标注 replaced）。"""
        household = selectors.household(request.user, int_pk(query(request, "household")))
        data = selectors.household_statement(request.user, household)
        return Response(
            {
                "household": household.pk,
                "total": str(data.total),
                "years": [
                    {"year": y.year, "total": str(y.total), "lines": [
                        {**AllocationSerializer(line).data, "distribution": line.distribution.title,
                         "replaced": bool(getattr(line, "replaced_by_paid", False))} for line in y.lines]}
                    for y in data.years
                ],
            }
        )  # fmt: skip


class StationSerializer(serializers.ModelSerializer):
    region_code = serializers.CharField(source="region_id", read_only=True)

    class Meta:
        model = PvStation
        fields = ["id", "name", "region_code", "county_code", "capacity_kw", "grid_date", "owner"]
        read_only_fields = fields


class MonthInSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    month = serializers.IntegerField()
    kwh = serializers.CharField()
    revenue = serializers.CharField()


class StationViewSet(ApiViewSet):
    """村级光伏电站：登记信息、月度发电结算、每千瓦发电量与同县电站的比较。"""

    queryset = PvStation.objects.none()
    serializer_class = StationSerializer

    def list(self, request: Request) -> Response:
        return self.paginated(selectors.stations(request.user, query(request, "q")))

    def retrieve(self, request: Request, pk: str) -> Response:
        return self.output(selectors.station(request.user, int_pk(pk)))

    @extend_schema(parameters=[str_param("year", "年度（必填）")], responses={200: dict, **ERRORS})
    @action(detail=False, methods=["get"], url_path="output")
    def output_per_kw(self, request: Request) -> Response:
        """每座电站全年每千瓦发电量、同县其他电站的中位数，明显偏低（默认低于 80%）时 warning 为 true。"""
        year = int_pk(query(request, "year"))
        return Response([
            {"station": o.station.pk, "name": o.station.name, "kwh": str(o.kwh), "per_kw": str(o.per_kw),
             "peer_median": str(o.peer_median) if o.peer_median is not None else None, "warning": o.warning}
            for o in selectors.output_warnings(request.user, year)
        ])  # fmt: skip

    @extend_schema(request=MonthInSerializer, responses={201: dict, **ERRORS})
    @action(detail=True, methods=["post"])
    def months(self, request: Request, pk: str) -> Response:
        """登记一个月的电网结算；相同数字重复登记不会重复写入。"""
        d = self.valid_input(MonthInSerializer)
        station = selectors.station(request.user, int_pk(pk))
        row, created = pv.month_record(
            actor=request.user, station=station, year=d["year"], month_=d["month"], kwh=d["kwh"],
            revenue=d["revenue"], source="api",
        )  # fmt: skip
        return Response({"id": row.pk, "created": created}, status=201 if created else 200)
