"""The purchase ledger (record in one body, read, reverse) and the 以购助扶成果统计表 as JSON."""

from __future__ import annotations

from typing import Any

from django.http import HttpResponse
from drf_spectacular.utils import extend_schema
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from yigou.core.periods import parse_period
from yigou.ledger import references, selectors, services
from yigou.ledger.columns import COLUMNS
from yigou.ledger.enums import BuyerKind, Channel, Source
from yigou.ledger.models import Purchase
from yigou.ledger.render import JSON_CONTENT_TYPE, render_json
from yigou.reporting.selectors import merged_stats_table

from .base import ApiViewSet
from .common import ErrorSerializer, int_pk, query, str_param
from .ledger_serializers import (
    ColumnSerializer,
    PurchaseCreateSerializer,
    PurchaseDetailSerializer,
    PurchaseListSerializer,
    ReverseInputSerializer,
    StatsTableSerializer,
)

PURCHASE_PARAMS = [
    str_param("region", "销售方所在区划代码：含其全部下级"),
    str_param("period", "期间：2018-04、2018-01..2018-04 或 2018-01-05..2018-03-20"),
    str_param("q", "销售农户户主、经营主体、购买单位、干部、购买人、产品名称，或外部编号"),
    str_param("channel", "渠道", enum=list(Channel.values)),
    str_param("buyer_kind", "购买方类型", enum=list(BuyerKind.values)),
    str_param("sort", "排序：-date（默认，最新在前）或 date", enum=list(selectors.PURCHASE_SORTS)),
]
ERRORS = {400: ErrorSerializer, 403: ErrorSerializer, 404: ErrorSerializer}


def purchase_input(actor: Any, data: dict[str, Any]) -> services.PurchaseInput:
    """The posted body with every referenced id resolved through the user's scope; nothing is written here."""
    return services.PurchaseInput(
        date=data["date"],
        buyer_kind=data["buyer_kind"],
        channel=data["channel"],
        lines=[services.LineInput(**line) for line in data["lines"]],
        seller_household=references.seller_household(actor, data["seller_household"]),
        seller_producer=references.seller_producer(actor, data["seller_producer"]),
        buyer_unit=references.buyer_unit(actor, data["buyer_unit"]),
        buyer_cadre=references.buyer_cadre(actor, data["buyer_cadre"]),
        buyer_name=data["buyer_name"],
        outlet=references.outlet(actor, data["outlet"]),
        activity=references.activity(actor, data["activity"]),
        attribution=data["attribution"],
        beneficiaries=references.beneficiaries(
            actor, [(entry["household"], entry["amount"]) for entry in data["beneficiaries"]]
        ),
        distributed=data["distributed"],
        total=data["total"],
        external_id=data["external_id"],
        note=data["note"],
        source=Source.API,
    )


class PurchaseViewSet(ApiViewSet):
    """购买记录（以购助扶台账）：只能追加；更正须先冲销原记录，再登记新记录。"""

    queryset = Purchase.objects.none()
    serializer_class = PurchaseListSerializer

    def _purchase(self, pk: Any) -> Purchase:
        return selectors.purchase(self.request.user, int_pk(pk))

    @extend_schema(
        parameters=PURCHASE_PARAMS, responses={200: PurchaseListSerializer(many=True), 400: ErrorSerializer}
    )
    def list(self, request: Request) -> Response:
        period = query(request, "period")
        rows = selectors.purchases(
            request.user,
            region=query(request, "region"),
            period=parse_period(period) if period else None,
            q=query(request, "q"),
            channel=query(request, "channel"),
            buyer_kind=query(request, "buyer_kind"),
            sort=query(request, "sort") or "-date",
        )
        return self.paginated(rows)

    @extend_schema(responses={200: PurchaseDetailSerializer, 404: ErrorSerializer})
    def retrieve(self, request: Request, pk: str) -> Response:
        return self.output(self._purchase(pk), PurchaseDetailSerializer)

    @extend_schema(
        request=PurchaseCreateSerializer,
        responses={201: PurchaseDetailSerializer, 200: PurchaseDetailSerializer, **ERRORS},
        description="一次提交整笔购买（明细与受益农户）。带外部编号重复提交时不再登记，返回 200 与已登记的记录。",
    )
    def create(self, request: Request) -> Response:
        data = self.shared_valid_input(PurchaseCreateSerializer)
        row, created = services.purchase_record(actor=request.user, data=purchase_input(request.user, data))
        if created:
            # The service hands back the entry with its lines, beneficiaries and every record it names in memory:
            # the answer is built from them instead of reading the entry again. The recorder may see what it may
            # record (the same scope rules), so no visibility check is skipped.
            return self.shared_output(row, PurchaseDetailSerializer, created=True)
        return self.output(self._purchase(row.pk), PurchaseDetailSerializer)

    @extend_schema(request=ReverseInputSerializer, responses={201: PurchaseDetailSerializer, **ERRORS})
    @action(detail=True, methods=["post"])
    def reverse(self, request: Request, pk: str) -> Response:
        """冲销一笔购买：生成金额全部取负的冲销记录（审计，须填写原因）。"""
        purchase = self._purchase(pk)
        data = self.valid_input(ReverseInputSerializer)
        mirror = services.purchase_reverse(actor=request.user, purchase=purchase, reason=data["reason"])
        return self.output(self._purchase(mirror.pk), PurchaseDetailSerializer, created=True)


class StatsTableView(APIView):
    @extend_schema(
        operation_id="stats_table",
        parameters=[
            str_param("region", "区划代码（市、县区、乡镇、村）；留空为本人所在区域"),
            str_param("period", "期间：2018-04、2018-01..2018-04 或 2018-01-05..2018-03-20"),
        ],
        responses={200: StatsTableSerializer, 400: ErrorSerializer, 403: ErrorSerializer},
    )
    def get(self, request: Request) -> HttpResponse:
        """以购助扶成果统计表：每个下级区域一行，另有合计行（去重计数按全区计算，差异见脚注）。"""
        table = merged_stats_table(request.user, query(request, "region"), query(request, "period"))
        return HttpResponse(render_json(table), content_type=JSON_CONTENT_TYPE)


class StatsColumnsView(APIView):
    @extend_schema(operation_id="stats_columns", responses=ColumnSerializer(many=True))
    def get(self, request: Request) -> Response:
        """统计表的各列：代码、名称、合并表头与单位，按正式表样顺序。"""
        return Response(ColumnSerializer(COLUMNS, many=True).data)
