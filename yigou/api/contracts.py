"""Purchase contracts, pre-orders and buy-back over the API: scoped reads with ledger-derived figures; writes through
the contract services. `as_of` (YYYY-MM-DD) shows the figures on another day; households are shown masked.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from yigou.assist.models import AssistingUnit, Cadre
from yigou.contracts import references, selectors
from yigou.contracts.draws import contract_draw
from yigou.contracts.enums import PartySide
from yigou.contracts.exports import figures_by_contract, party_label
from yigou.contracts.figures import ContractFigures, ItemFigures, contract_figures
from yigou.contracts.models import Contract
from yigou.contracts.parties import PartiesInput
from yigou.contracts.services import ContractInput, ItemInput, contract_create, contract_transition
from yigou.core.errors import DomainError
from yigou.ledger.models import Purchase
from yigou.market.models import Order, ReferencePrice
from yigou.registry.models import Household, Producer

from .base import ApiViewSet
from .common import ErrorSerializer, int_pk, query, region_by_code, str_param

ERRORS = {400: ErrorSerializer, 403: ErrorSerializer, 404: ErrorSerializer}
AS_OF = str_param("as_of", "统计截至日期 YYYY-MM-DD（默认今天）")


def as_of(request: Request) -> dt.date:
    text = query(request, "as_of")
    if not text:
        return dt.date.today()
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise DomainError("invalid_input", detail=f"日期“{text}”格式应为 YYYY-MM-DD", field="as_of") from None


def money(value: Any) -> str | None:
    return None if value is None else str(value)


def figures_dict(f: ContractFigures) -> dict[str, Any]:
    return {
        "agreed_value": money(f.agreed_value),
        "delivered_value": money(f.delivered_value),
        "outstanding_value": money(f.outstanding_value),
        "late_value": money(f.late_value),
        "is_late": f.is_late,
    }


def item_dict(f: ItemFigures) -> dict[str, Any]:
    item = f.item
    return {
        "id": item.pk,
        "name": item.name,
        "unit": item.unit,
        "price_rule": item.price_rule,
        "price": money(f.price),
        "agreed_quantity": str(f.agreed_qty),
        "agreed_value": money(f.agreed_value),
        "delivered_quantity": str(f.delivered_qty),
        "delivered_value": str(f.delivered_value),
        "pending_quantity": str(f.pending_qty),
        "outstanding_quantity": str(f.outstanding_qty),
        "outstanding_value": money(f.outstanding_value),
        "late_quantity": str(f.late_qty),
        "late_value": money(f.late_value),
        "schedule": [
            {
                "due_on": str(r.due_on),
                "quantity": str(r.quantity),
                "cumulative": str(r.cumulative),
                "delivered_by_due": str(r.delivered_by_due),
                "late": r.late,
                "shortfall": str(r.shortfall),
            }
            for r in f.schedule
        ],
    }


class ContractSerializer(serializers.ModelSerializer):
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    buyers = serializers.SerializerMethodField()
    sellers = serializers.SerializerMethodField()
    figures = serializers.SerializerMethodField()

    class Meta:
        model = Contract
        fields = [
            "id",
            "number",
            "title",
            "status",
            "status_label",
            "signed_on",
            "period_start",
            "period_end",
            "price_tolerance",
            "allow_over",
            "buyers",
            "sellers",
            "figures",
        ]
        read_only_fields = fields

    def get_buyers(self, obj: Contract) -> list[str]:
        return [party_label(p) for p in obj.parties.all() if p.side == PartySide.BUYER]

    def get_sellers(self, obj: Contract) -> list[str]:
        return [party_label(p) for p in obj.parties.all() if p.side == PartySide.SELLER]

    def get_figures(self, obj: Contract) -> dict[str, Any]:
        return figures_dict(self.context["figures"][obj.pk])


class ScheduleInSerializer(serializers.Serializer):
    due_on = serializers.DateField(label="交付期限")
    quantity = serializers.CharField(label="应交数量")


class ItemInSerializer(serializers.Serializer):
    name = serializers.CharField(label="品名", max_length=100)
    category = serializers.CharField(label="品类", max_length=16)
    unit = serializers.CharField(label="单位", max_length=16)
    quantity = serializers.CharField(label="约定数量")
    price_rule = serializers.CharField(label="定价方式 fixed/market/market_plus", default="fixed")
    price = serializers.CharField(label="固定单价", required=False, allow_null=True, default=None)
    markup_percent = serializers.CharField(
        label="上浮比例（%）", required=False, allow_null=True, default=None
    )
    reference = serializers.IntegerField(
        label="市场参考价编号", required=False, allow_null=True, default=None
    )
    schedule = ScheduleInSerializer(many=True, required=False, default=list)


class ContractInSerializer(serializers.Serializer):
    number = serializers.CharField(label="合同编号", max_length=40)
    title = serializers.CharField(label="合同名称", max_length=200)
    signed_on = serializers.DateField(label="签订日期")
    period_start = serializers.DateField(label="履行期开始")
    period_end = serializers.DateField(label="履行期结束")
    price_tolerance = serializers.CharField(label="价格允许偏差（%）", default="5")
    allow_over = serializers.BooleanField(label="允许超量", default=False)
    buyer_units = serializers.ListField(child=serializers.IntegerField(), default=list)
    buyer_cadres = serializers.ListField(child=serializers.IntegerField(), default=list)
    seller_villages = serializers.ListField(child=serializers.CharField(max_length=12), default=list)
    seller_households = serializers.ListField(child=serializers.IntegerField(), default=list)
    seller_producers = serializers.ListField(child=serializers.IntegerField(), default=list)
    items = ItemInSerializer(many=True)


class DrawInSerializer(serializers.Serializer):
    order = serializers.IntegerField(label="订单号", required=False, allow_null=True, default=None)
    purchase = serializers.IntegerField(label="购买记录号", required=False, allow_null=True, default=None)


class ReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(label="说明/原因", required=False, allow_blank=True, default="")


def draw_source_of(request: Request) -> Order | Purchase:
    data = DrawInSerializer(data=request.data)
    data.is_valid(raise_exception=True)
    d = data.validated_data
    return references.draw_source(request.user, order=d["order"], purchase=d["purchase"])


class ContractViewSet(ApiViewSet):
    """认购合同：约定、交付（按台账计算）、未交付与逾期。"""

    queryset = Contract.objects.none()
    serializer_class = ContractSerializer

    def _page_response(self, rows: list[Contract], day: dt.date) -> Response:
        serializer = ContractSerializer(rows, many=True, context={"figures": figures_by_contract(rows, day)})
        return self.get_paginated_response(serializer.data)

    @extend_schema(
        parameters=[
            str_param("q", "编号、名称或当事方"),
            str_param("status", "状态"),
            str_param("region", "当事方所在区划（含下级）"),
            str_param("year", "履行年度"),
            str_param("sort", "排序（默认 -signed_on，最近签订在前）", enum=list(selectors.CONTRACT_SORTS)),
            AS_OF,
        ]
    )
    def list(self, request: Request) -> Response:
        qs = selectors.contracts(
            request.user,
            q=query(request, "q"),
            status=query(request, "status"),
            region=query(request, "region"),
            year=query(request, "year"),
            sort=query(request, "sort") or "-signed_on",
        )
        return self._page_response(list(self.paginate_queryset(qs) or []), as_of(request))  # type: ignore[arg-type]

    def _detail(self, request: Request, contract: Contract) -> Response:
        day = as_of(request)
        figures = contract_figures(list(contract.items.all()), day)
        body = ContractSerializer(contract, context={"figures": {contract.pk: figures}}).data
        return Response({**body, "as_of": str(day), "items": [item_dict(f) for f in figures.items]})

    @extend_schema(parameters=[AS_OF], responses={200: ContractSerializer, 404: ErrorSerializer})
    def retrieve(self, request: Request, pk: str) -> Response:
        return self._detail(request, selectors.contract(request.user, int_pk(pk)))

    @extend_schema(request=ContractInSerializer, responses={201: ContractSerializer, **ERRORS})
    def create(self, request: Request) -> Response:
        d = self.valid_input(ContractInSerializer)
        user = request.user
        parties = PartiesInput(
            units=references.every(user, AssistingUnit, d["buyer_units"], field="buyer_units"),
            cadres=references.every(user, Cadre, d["buyer_cadres"], field="buyer_cadres"),
            villages=[region_by_code(user, code, field="seller_villages") for code in d["seller_villages"]],
            households=references.every(user, Household, d["seller_households"], field="seller_households"),
            producers=references.every(user, Producer, d["seller_producers"], field="seller_producers"),
        )
        items = [
            ItemInput(
                name=i["name"],
                category=i["category"],
                unit=i["unit"],
                quantity=i["quantity"],
                price_rule=i["price_rule"],
                price=i["price"],
                markup_percent=i["markup_percent"],
                reference=references.one(user, ReferencePrice, i["reference"], field="items.reference"),
                schedule=[(s["due_on"], s["quantity"]) for s in i["schedule"]],
            )
            for i in d["items"]
        ]
        data = ContractInput(
            number=d["number"],
            title=d["title"],
            signed_on=d["signed_on"],
            period_start=d["period_start"],
            period_end=d["period_end"],
            price_tolerance=d["price_tolerance"],
            allow_over=d["allow_over"],
        )
        contract = contract_create(actor=user, data=data, parties=parties, items=items)
        response = self._detail(request, selectors.contract(user, contract.pk))
        response.status_code = 201
        return response

    def _transition(self, request: Request, pk: str, name: str) -> Response:
        contract = selectors.contract(request.user, int_pk(pk))
        reason = self.valid_input(ReasonSerializer)["reason"]
        contract_transition(actor=request.user, contract=contract, action=name, reason=reason)
        return self._detail(request, selectors.contract(request.user, contract.pk))

    @extend_schema(request=ReasonSerializer, responses={200: ContractSerializer, **ERRORS})
    @action(detail=True, methods=["post"])
    def activate(self, request: Request, pk: str) -> Response:
        """生效（草拟 → 履行中）。"""
        return self._transition(request, pk, "activate")

    @extend_schema(request=ReasonSerializer, responses={200: ContractSerializer, **ERRORS})
    @action(detail=True, methods=["post"])
    def close(self, request: Request, pk: str) -> Response:
        """结束（履行中 → 已结束）。"""
        return self._transition(request, pk, "close")

    @extend_schema(request=ReasonSerializer, responses={200: ContractSerializer, **ERRORS})
    @action(detail=True, methods=["post"])
    def terminate(self, request: Request, pk: str) -> Response:
        """终止（须填写原因）。"""
        return self._transition(request, pk, "terminate")

    @extend_schema(request=DrawInSerializer, responses={200: ContractSerializer, **ERRORS})
    @action(detail=True, methods=["post"])
    def draw(self, request: Request, pk: str) -> Response:
        """把一个订单或一条购买记录计入合同（按品种匹配，核对当事方、价格和数量）。"""
        contract = selectors.contract(request.user, int_pk(pk))
        source = draw_source_of(request)
        contract_draw(actor=request.user, record=source, contract=contract)
        return self._detail(request, selectors.contract(request.user, contract.pk))


def optional_id(label: str) -> serializers.IntegerField:
    return serializers.IntegerField(label=label, required=False, allow_null=True, default=None)
