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

from yigou.accounts.scope import ensure_can, get_visible
from yigou.assist.models import AssistingUnit, Cadre
from yigou.contracts import selectors
from yigou.contracts.buyback import (
    BuyBackInput,
    buyback_close,
    buyback_create,
    buyback_deliver,
    buyback_delivery_reverse,
    buyback_enrol,
    household_incomes,
)
from yigou.contracts.draws import contract_draw
from yigou.contracts.enums import PartySide, PreOrderStatus
from yigou.contracts.exports import figures_by_contract, party_label
from yigou.contracts.figures import ContractFigures, ItemFigures, contract_figures
from yigou.contracts.models import BuyBack, BuyBackDelivery, Contract, PreOrder
from yigou.contracts.parties import PartiesInput
from yigou.contracts.preorders import (
    PreOrderInput,
    PreOrderParties,
    preorder_create,
    preorder_draw,
    preorder_end,
    preorder_figures,
    preorder_pay_deposit,
)
from yigou.contracts.services import ContractInput, ItemInput, contract_create, contract_transition
from yigou.core.errors import DomainError
from yigou.core.masking import mask_name
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
    return {"agreed_value": money(f.agreed_value), "delivered_value": money(f.delivered_value),
            "outstanding_value": money(f.outstanding_value), "late_value": money(f.late_value), "is_late": f.is_late}  # fmt: skip


def item_dict(f: ItemFigures) -> dict[str, Any]:
    item = f.item
    return {
        "id": item.pk, "name": item.name, "unit": item.unit, "price_rule": item.price_rule,
        "price": money(f.price), "agreed_quantity": str(f.agreed_qty), "agreed_value": money(f.agreed_value),
        "delivered_quantity": str(f.delivered_qty), "delivered_value": str(f.delivered_value),
        "pending_quantity": str(f.pending_qty), "outstanding_quantity": str(f.outstanding_qty),
        "outstanding_value": money(f.outstanding_value), "late_quantity": str(f.late_qty),
        "late_value": money(f.late_value),
        "schedule": [{"due_on": str(r.due_on), "quantity": str(r.quantity), "cumulative": str(r.cumulative),
                      "delivered_by_due": str(r.delivered_by_due), "late": r.late, "shortfall": str(r.shortfall)}
                     for r in f.schedule],
    }  # fmt: skip


class ContractSerializer(serializers.ModelSerializer):
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    buyers = serializers.SerializerMethodField()
    sellers = serializers.SerializerMethodField()
    figures = serializers.SerializerMethodField()

    class Meta:
        model = Contract
        fields = ["id", "number", "title", "status", "status_label", "signed_on", "period_start", "period_end",
                  "price_tolerance", "allow_over", "buyers", "sellers", "figures"]  # fmt: skip
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


def _visible(actor: Any, model: Any, ids: list[int]) -> list[Any]:
    return [get_visible(actor, model.objects.all(), pk=pk) for pk in ids]


def _source(request: Request) -> Order | Purchase:
    data = DrawInSerializer(data=request.data)
    data.is_valid(raise_exception=True)
    order, purchase = data.validated_data["order"], data.validated_data["purchase"]
    if (order is None) == (purchase is None):
        raise DomainError("invalid_input", detail="须填写订单号或购买记录号（二选一）")
    if order is not None:
        return get_visible(request.user, Order.objects.all(), pk=order)
    return get_visible(request.user, Purchase.objects.all(), pk=purchase)


class ContractViewSet(ApiViewSet):
    """认购合同：约定、交付（按台账计算）、未交付与逾期。"""

    queryset = Contract.objects.none()
    serializer_class = ContractSerializer

    def _page_response(self, rows: list[Contract], day: dt.date) -> Response:
        serializer = ContractSerializer(rows, many=True, context={"figures": figures_by_contract(rows, day)})
        return self.get_paginated_response(serializer.data)

    @extend_schema(parameters=[str_param("q", "编号、名称或当事方"), str_param("status", "状态"),
                               str_param("region", "当事方所在区划（含下级）"), str_param("year", "履行年度"), AS_OF])  # fmt: skip
    def list(self, request: Request) -> Response:
        qs = selectors.contracts(request.user, q=query(request, "q"), status=query(request, "status"),
                                 region=query(request, "region"), year=query(request, "year"))  # fmt: skip
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
            units=_visible(user, AssistingUnit, d["buyer_units"]), cadres=_visible(user, Cadre, d["buyer_cadres"]),
            villages=[region_by_code(user, code, field="seller_villages") for code in d["seller_villages"]],
            households=_visible(user, Household, d["seller_households"]),
            producers=_visible(user, Producer, d["seller_producers"]),
        )  # fmt: skip
        items = [ItemInput(
            name=i["name"], category=i["category"], unit=i["unit"], quantity=i["quantity"], price_rule=i["price_rule"],
            price=i["price"], markup_percent=i["markup_percent"],
            reference=get_visible(user, ReferencePrice.objects.all(), pk=i["reference"]) if i["reference"] else None,
            schedule=[(s["due_on"], s["quantity"]) for s in i["schedule"]],
        ) for i in d["items"]]  # fmt: skip
        data = ContractInput(number=d["number"], title=d["title"], signed_on=d["signed_on"],
                             period_start=d["period_start"], period_end=d["period_end"],
                             price_tolerance=d["price_tolerance"], allow_over=d["allow_over"])  # fmt: skip
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
        source = _source(request)
        contract_draw(actor=request.user, record=source, contract=contract)
        return self._detail(request, selectors.contract(request.user, contract.pk))


class PreOrderSerializer(serializers.ModelSerializer):
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    buyer = serializers.CharField(source="buyer_name", read_only=True)
    seller = serializers.SerializerMethodField()

    class Meta:
        model = PreOrder
        fields = ["id", "number", "name", "unit", "quantity", "price", "signed_on", "harvest_start", "harvest_end",
                  "deposit", "deposit_paid_on", "status", "status_label", "buyer", "seller", "region"]  # fmt: skip
        read_only_fields = fields

    def get_seller(self, obj: PreOrder) -> str:
        if obj.seller_producer is not None:
            return obj.seller_producer.name
        household = obj.seller_household
        return f"{mask_name(household.head_name)}（{household.number}）" if household else ""


def settlement_dict(preorder: PreOrder, day: dt.date) -> dict[str, Any]:
    f = preorder_figures(preorder, day)
    return {
        "as_of": str(day), "agreed_value": str(f.agreed_value), "delivered_quantity": str(f.delivered_qty),
        "delivered_value": str(f.delivered_value), "pending_quantity": str(f.pending_qty),
        "outstanding_quantity": str(f.outstanding_qty), "outstanding_value": str(f.outstanding_value),
        "deposit_paid": str(f.deposit_paid), "deposit_used": str(f.deposit_used), "deposit_left": str(f.deposit_left),
        "to_pay": str(f.to_pay), "refund_due": str(f.refund_due),
        "deliveries": [{"date": str(r.day), "quantity": str(r.quantity), "amount": str(r.amount),
                        "deducted": str(r.deducted), "cash": str(r.cash)} for r in f.rows],
    }  # fmt: skip


def _optional_id(label: str) -> serializers.IntegerField:
    return serializers.IntegerField(label=label, required=False, allow_null=True, default=None)


class PreOrderInSerializer(serializers.Serializer):
    number = serializers.CharField(label="预购编号", max_length=40)
    name = serializers.CharField(label="品名", max_length=100)
    category = serializers.CharField(label="品类", max_length=16)
    unit = serializers.CharField(label="单位", max_length=16)
    quantity = serializers.CharField(label="预购数量")
    price = serializers.CharField(label="约定单价")
    signed_on = serializers.DateField(label="签订日期")
    harvest_start = serializers.DateField(label="采收开始")
    harvest_end = serializers.DateField(label="采收结束")
    deposit = serializers.CharField(label="定金（元）", default="0")
    deposit_paid_on = serializers.DateField(
        label="定金支付日期", required=False, allow_null=True, default=None
    )
    price_tolerance = serializers.CharField(label="价格允许偏差（%）", default="5")
    allow_over = serializers.BooleanField(label="允许超量", default=False)
    note = serializers.CharField(label="备注", required=False, allow_blank=True, default="")
    buyer_unit = _optional_id("购买方：帮扶单位编号（与帮扶干部二选一）")
    buyer_cadre = _optional_id("购买方：帮扶干部编号")
    seller_household = _optional_id("销售方：农户编号（id，与经营主体二选一）")
    seller_producer = _optional_id("销售方：经营主体编号")


class DepositInSerializer(serializers.Serializer):
    paid_on = serializers.DateField(label="定金支付日期")


def _one(actor: Any, model: Any, pk: int | None) -> Any:
    """A party named by id in the body; one outside the caller's reach is not found (404), like a path id."""
    return None if pk is None else get_visible(actor, model.objects.all(), pk=pk)


class PreOrderViewSet(ApiViewSet):
    """以产预购：未交付余额与定金结算。"""

    queryset = PreOrder.objects.none()
    serializer_class = PreOrderSerializer

    @extend_schema(parameters=[str_param("q", "编号、品名或当事方"), str_param("status", "状态"),
                               str_param("region", "销售方所在区划")])  # fmt: skip
    def list(self, request: Request) -> Response:
        return self.paginated(selectors.preorders(request.user, q=query(request, "q"), status=query(request, "status"),
                                                  region=query(request, "region")))  # fmt: skip

    def _detail(self, request: Request, preorder: PreOrder) -> Response:
        return Response(
            {**PreOrderSerializer(preorder).data, "settlement": settlement_dict(preorder, as_of(request))}
        )

    @extend_schema(parameters=[AS_OF], responses={200: PreOrderSerializer, 404: ErrorSerializer})
    def retrieve(self, request: Request, pk: str) -> Response:
        return self._detail(request, selectors.preorder(request.user, int_pk(pk)))

    @extend_schema(request=PreOrderInSerializer, responses={201: PreOrderSerializer, **ERRORS})
    def create(self, request: Request) -> Response:
        """登记以产预购（购买方、销售方各一个）。"""
        ensure_can(request.user, "contracts.manage")  # a role without it gets 403, whatever the body names
        d, user = self.valid_input(PreOrderInSerializer), request.user
        data = PreOrderInput(
            number=d["number"], name=d["name"], category=d["category"], unit=d["unit"], quantity=d["quantity"],
            price=d["price"], signed_on=d["signed_on"], harvest_start=d["harvest_start"],
            harvest_end=d["harvest_end"], deposit=d["deposit"], deposit_paid_on=d["deposit_paid_on"],
            price_tolerance=d["price_tolerance"], allow_over=d["allow_over"], note=d["note"],
        )  # fmt: skip
        parties = PreOrderParties(
            buyer_unit=_one(user, AssistingUnit, d["buyer_unit"]), buyer_cadre=_one(user, Cadre, d["buyer_cadre"]),
            seller_household=_one(user, Household, d["seller_household"]),
            seller_producer=_one(user, Producer, d["seller_producer"]),
        )  # fmt: skip
        preorder = preorder_create(actor=user, data=data, parties=parties)
        response = self._detail(request, selectors.preorder(user, preorder.pk))
        response.status_code = 201
        return response

    @extend_schema(request=DepositInSerializer, responses={200: PreOrderSerializer, **ERRORS})
    @action(detail=True, methods=["post"])
    def deposit(self, request: Request, pk: str) -> Response:
        """登记定金已支付（须约定了定金且尚未登记）。"""
        preorder = selectors.preorder(request.user, int_pk(pk))
        paid_on = self.valid_input(DepositInSerializer)["paid_on"]
        preorder_pay_deposit(actor=request.user, preorder=preorder, paid_on=paid_on)
        return self._detail(request, selectors.preorder(request.user, preorder.pk))

    def _end(self, request: Request, pk: str, status: str) -> Response:
        preorder = selectors.preorder(request.user, int_pk(pk))
        reason = self.valid_input(ReasonSerializer)["reason"]
        preorder_end(actor=request.user, preorder=preorder, status=status, reason=reason)
        return self._detail(request, selectors.preorder(request.user, preorder.pk))

    @extend_schema(request=ReasonSerializer, responses={200: PreOrderSerializer, **ERRORS})
    @action(detail=True, methods=["post"])
    def close(self, request: Request, pk: str) -> Response:
        """结清（须填写说明；剩余定金应退还购买方）。"""
        return self._end(request, pk, PreOrderStatus.CLOSED)

    @extend_schema(request=ReasonSerializer, responses={200: PreOrderSerializer, **ERRORS})
    @action(detail=True, methods=["post"])
    def cancel(self, request: Request, pk: str) -> Response:
        """取消（须填写原因）。"""
        return self._end(request, pk, PreOrderStatus.CANCELLED)

    @extend_schema(request=DrawInSerializer, responses={200: PreOrderSerializer, **ERRORS})
    @action(detail=True, methods=["post"])
    def draw(self, request: Request, pk: str) -> Response:
        """把一个订单或一条购买记录计入预购。"""
        preorder = selectors.preorder(request.user, int_pk(pk))
        source = _source(request)
        preorder_draw(actor=request.user, record=source, preorder=preorder)
        return self._detail(request, selectors.preorder(request.user, preorder.pk))


class BuyBackSerializer(serializers.ModelSerializer):
    enterprise_name = serializers.CharField(source="enterprise.name", read_only=True)
    villages = serializers.SerializerMethodField()

    class Meta:
        model = BuyBack
        fields = ["id", "title", "enterprise", "enterprise_name", "villages", "name", "unit", "floor_price", "season",
                  "season_start", "season_end", "support", "status", "in_ledger"]  # fmt: skip
        read_only_fields = fields

    def get_villages(self, obj: BuyBack) -> list[str]:
        return [v.village.name for v in obj.villages.all()]


class EnrolInSerializer(serializers.Serializer):
    household = serializers.IntegerField(label="农户编号（id）")
    enrolled_on = serializers.DateField(label="加入日期")
    note = serializers.CharField(label="说明", required=False, allow_blank=True, default="")


class DeliveryInSerializer(serializers.Serializer):
    household = serializers.IntegerField(label="农户编号（id）")
    date = serializers.DateField(label="交售日期")
    quantity = serializers.CharField(label="数量")
    unit_price = serializers.CharField(label="收购价")
    note = serializers.CharField(label="备注", required=False, allow_blank=True, default="")


class BuyBackInSerializer(serializers.Serializer):
    title = serializers.CharField(label="项目名称", max_length=200)
    name = serializers.CharField(label="回购产品", max_length=100)
    category = serializers.CharField(label="品类", max_length=16)
    unit = serializers.CharField(label="单位", max_length=16)
    floor_price = serializers.CharField(label="保底收购价")
    season = serializers.CharField(label="产季", max_length=60)
    season_start = serializers.DateField(label="收购开始")
    season_end = serializers.DateField(label="收购结束")
    support = serializers.CharField(label="提供的种苗/技术")
    enterprise = serializers.IntegerField(label="回购企业（经营主体编号）")
    buyer_unit = _optional_id("登记为民营企业的帮扶单位编号（填写则交售记入台账）")
    villages = serializers.ListField(label="回购村区划代码", child=serializers.CharField(max_length=12))


class ReverseInSerializer(serializers.Serializer):
    delivery = serializers.IntegerField(label="交售记录编号")
    reason = serializers.CharField(label="冲销原因", required=False, allow_blank=True, default="")


def delivery_dict(d: BuyBackDelivery) -> dict[str, Any]:
    return {"id": d.pk, "household": mask_name(d.household.head_name), "number": d.household.number,
            "date": str(d.date), "quantity": str(d.quantity), "unit_price": str(d.unit_price), "amount": str(d.amount),
            "reverses": d.reverses_id, "purchase": d.purchase_id}  # fmt: skip


class BuyBackViewSet(ApiViewSet):
    """包村回购：参与农户（姓名脱敏）及其收入，按保底价登记交售。"""

    queryset = BuyBack.objects.none()
    serializer_class = BuyBackSerializer

    @extend_schema(parameters=[str_param("q", "项目、产品或企业"), str_param("status", "状态"),
                               str_param("region", "回购村所在区划")])  # fmt: skip
    def list(self, request: Request) -> Response:
        return self.paginated(selectors.buybacks(request.user, q=query(request, "q"), status=query(request, "status"),
                                                 region=query(request, "region")))  # fmt: skip

    def _detail(self, buyback: BuyBack) -> Response:
        households = [{"name": mask_name(h.household.head_name), "number": h.household.number,
                       "village": h.household.village.name, "enrolled_on": str(h.enrolled_on),
                       "deliveries": h.deliveries, "quantity": str(h.quantity), "income": str(h.income)}
                      for h in household_incomes(buyback)]  # fmt: skip
        deliveries = buyback.deliveries.select_related("household").order_by("date", "id")
        return Response({**BuyBackSerializer(buyback).data, "households": households,
                         "deliveries": [delivery_dict(d) for d in deliveries]})  # fmt: skip

    @extend_schema(responses={200: BuyBackSerializer, 404: ErrorSerializer})
    def retrieve(self, request: Request, pk: str) -> Response:
        return self._detail(selectors.buyback(request.user, int_pk(pk)))

    @extend_schema(request=BuyBackInSerializer, responses={201: BuyBackSerializer, **ERRORS})
    def create(self, request: Request) -> Response:
        """登记包村回购（回购村须在本辖区；填写民营企业单位则每次交售记入台账）。"""
        ensure_can(request.user, "contracts.manage")  # a role without it gets 403, whatever the body names
        d, user = self.valid_input(BuyBackInSerializer), request.user
        data = BuyBackInput(d["title"], d["name"], d["category"], d["unit"], d["floor_price"], d["season"],
                            d["season_start"], d["season_end"], d["support"])  # fmt: skip
        villages = [region_by_code(user, code, field="villages") for code in d["villages"]]
        buyback = buyback_create(actor=user, data=data, enterprise=_one(user, Producer, d["enterprise"]),
                                 villages=villages, buyer_unit=_one(user, AssistingUnit, d["buyer_unit"]))  # fmt: skip
        response = self._detail(selectors.buyback(user, buyback.pk))
        response.status_code = 201
        return response

    @extend_schema(request=EnrolInSerializer, responses={200: BuyBackSerializer, **ERRORS})
    @action(detail=True, methods=["post"])
    def enrol(self, request: Request, pk: str) -> Response:
        """农户加入（须为回购村的农户）。"""
        buyback = selectors.buyback(request.user, int_pk(pk))
        d = self.valid_input(EnrolInSerializer)
        household = Household.objects.filter(pk=d["household"]).first()
        if household is None:
            raise DomainError("invalid_input", detail=f"农户 {d['household']} 不存在", field="household")
        buyback_enrol(actor=request.user, buyback=buyback, household=household, enrolled_on=d["enrolled_on"],
                      note=d["note"])  # fmt: skip
        return self._detail(selectors.buyback(request.user, buyback.pk))

    @extend_schema(request=DeliveryInSerializer, responses={200: BuyBackSerializer, **ERRORS})
    @action(detail=True, methods=["post"])
    def deliver(self, request: Request, pk: str) -> Response:
        """登记一次交售（收购价不得低于保底价）。"""
        buyback = selectors.buyback(request.user, int_pk(pk))
        d = self.valid_input(DeliveryInSerializer)
        member = buyback.households.select_related("household").filter(household_id=d["household"]).first()
        if member is None:
            raise DomainError(
                "invalid_input", detail=f"农户 {d['household']} 未加入本回购项目", field="household"
            )
        buyback_deliver(actor=request.user, buyback=buyback, household=member.household, day=d["date"],
                        qty=d["quantity"], unit_price=d["unit_price"], note=d["note"])  # fmt: skip
        return self._detail(selectors.buyback(request.user, buyback.pk))

    @extend_schema(request=ReverseInSerializer, responses={200: BuyBackSerializer, **ERRORS})
    @action(detail=True, methods=["post"])
    def reverse(self, request: Request, pk: str) -> Response:
        """冲销一条交售记录（须填写原因；记入台账的同时冲销台账）。"""
        buyback = selectors.buyback(request.user, int_pk(pk))
        d = self.valid_input(ReverseInSerializer)
        delivery = buyback.deliveries.filter(pk=d["delivery"]).first()
        if delivery is None:
            raise DomainError(
                "invalid_input", detail=f"交售记录 {d['delivery']} 不属于本回购项目", field="delivery"
            )
        buyback_delivery_reverse(actor=request.user, delivery=delivery, reason=d["reason"])
        return self._detail(selectors.buyback(request.user, buyback.pk))

    @extend_schema(request=ReasonSerializer, responses={200: BuyBackSerializer, **ERRORS})
    @action(detail=True, methods=["post"])
    def close(self, request: Request, pk: str) -> Response:
        """结束回购项目（须填写说明；之后不能再登记交售）。"""
        buyback = selectors.buyback(request.user, int_pk(pk))
        buyback_close(
            actor=request.user, buyback=buyback, reason=self.valid_input(ReasonSerializer)["reason"]
        )
        return self._detail(selectors.buyback(request.user, buyback.pk))
