"""Pre-sale lists and orders over the API: browse open lists, publish, place an order, and move it through its life.

Reads go through `restrict` (orders, a seller's own lists) or through the open-list selector below (an open list is
an offer to every buyer); writes go through `yigou.market.presale` and `yigou.market.ordering`, which check roles
and every rule. A shortage answers 409 with the code `out_of_stock` and the message 库存不足….
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from yigou.accounts.scope import get_visible, named_row, restrict
from yigou.assist.models import AssistingUnit, Cadre
from yigou.core.errors import DomainError
from yigou.market import ordering, presale, selectors
from yigou.market.enums import OrderStatus, ProductCategory
from yigou.market.models import Order, PreSaleList, Product
from yigou.registry.models import Household, Producer

from .base import ApiViewSet, shared_representation
from .common import (
    ErrorSerializer,
    bool_param,
    int_param,
    int_pk,
    query,
    query_bool,
    query_int,
    region_by_code,
    str_param,
)
from .market_order_serializers import (
    ORDER_STATUS_HELP,
    AfterSaleInputSerializer,
    AfterSaleResolveSerializer,
    CancelInputSerializer,
    NoteInputSerializer,
    OrderDetailSerializer,
    OrderPlaceSerializer,
    OrderSerializer,
    PayInputSerializer,
    PresaleCreateSerializer,
    PresaleListSerializer,
    RateInputSerializer,
    ReceiveInputSerializer,
)

ERRORS = {400: ErrorSerializer, 403: ErrorSerializer, 404: ErrorSerializer}


class OutOfStockError(DomainError):
    """库存不足 is a conflict with other buyers, not a malformed request: 409, same code and message."""

    status_code = 409


# --- pre-sale lists ------------------------------------------------------------------------------------------


def _list_filters(request: Request) -> tuple[str, str, str]:
    return query(request, "region"), query(request, "category"), query(request, "q")


def _item_input(actor: Any, n: int, data: dict[str, Any]) -> presale.ItemInput:
    field = f"items[{n}]"
    return presale.ItemInput(
        name=data["name"],
        category=data["category"],
        unit=data["unit"],
        unit_price=data["unit_price"],
        quantity=data["quantity"],
        window_start=data["window_start"],
        window_end=data["window_end"],
        specification=data["specification"],
        product=named_row(actor, Product.objects.all(), data["product"], field=field, label="认定产品"),
        seller_household=named_row(
            actor, Household.objects.all(), data["seller_household"], field=field, label="销售农户"
        ),
        seller_producer=named_row(
            actor, Producer.objects.all(), data["seller_producer"], field=field, label="销售主体"
        ),
    )


LIST_PARAMS = [
    str_param("region", "区划代码：含其全部下级"),
    str_param("category", "品类", enum=list(ProductCategory.values)),
    str_param("q", "清单名称或品名"),
]


MINE_PARAMS = [
    *LIST_PARAMS,
    str_param(
        "state",
        "状态：open=接单中，upcoming=未开始，closed=已截止，withdrawn=已撤回",
        enum=list(selectors.LIST_STATES),
    ),
]


class PresaleListViewSet(ApiViewSet):
    """预售清单：采购方浏览今日接单的清单（本单位结对帮扶村优先）；村和经营主体发布、查看本方清单。"""

    queryset = PreSaleList.objects.none()
    serializer_class = PresaleListSerializer

    def _one(self, pk: Any) -> PreSaleList:
        return selectors.presale_list(self.request.user, int_pk(pk))

    @extend_schema(parameters=LIST_PARAMS, responses={200: PresaleListSerializer(many=True)})
    def list(self, request: Request) -> Response:
        """今日接单的预售清单，可按区划、品类、名称筛选；单位账号的结对帮扶村排在前面，其所在县次之，再按截止日期。"""
        region, category, q = _list_filters(request)
        return self.paginated(selectors.open_lists(request.user, region=region, category=category, q=q))

    @extend_schema(parameters=MINE_PARAMS, responses={200: PresaleListSerializer(many=True)})
    @action(detail=False, methods=["get"])
    def mine(self, request: Request) -> Response:
        """本方（管辖区域或本主体）发布的全部预售清单，含已截止和已撤回的，最新开始的在前。"""
        region, category, q = _list_filters(request)
        rows = selectors.seller_lists(
            request.user, state=query(request, "state"), region=region, category=category, q=q
        )
        return self.paginated(rows)

    @extend_schema(responses={200: PresaleListSerializer, 404: ErrorSerializer})
    def retrieve(self, request: Request, pk: str) -> Response:
        return self.output(self._one(pk))

    @extend_schema(request=PresaleCreateSerializer, responses={201: PresaleListSerializer, **ERRORS})
    def create(self, request: Request) -> Response:
        """发布预售清单：由一个村（区划代码）或一个经营主体发布，至少一个品种。"""
        data = self.valid_input(PresaleCreateSerializer)
        actor = request.user
        village = None
        if data["village"]:
            village = region_by_code(actor, data["village"], field="village")
        producer = named_row(
            actor,
            Producer.objects.select_related("region"),
            data["producer"],
            field="producer",
            label="经营主体",
        )
        # Who may sell here is told before any seller or product in the items is looked up.
        if village is not None:
            presale.ensure_may_sell(actor, village.code, producer.pk if producer is not None else None)
        elif producer is not None:
            presale.ensure_may_sell(actor, producer.region_id, producer.pk)
        items = [_item_input(actor, n, item) for n, item in enumerate(data.pop("items"))]
        info = presale.ListInput(
            title=data["title"],
            opens_on=data["opens_on"],
            closes_on=data["closes_on"],
            contact_name=data["contact_name"],
            contact_phone=data["contact_phone"],
            delivery=data["delivery"],
            note=data["note"],
        )
        owner = presale.presale_publish(
            actor=actor, data=info, items=items, village=village, producer=producer
        )
        return self.output(self._one(owner.pk), created=True)


# --- orders --------------------------------------------------------------------------------------------------


def order_detail(order: Order) -> dict[str, Any]:
    """The answer `OrderDetailSerializer(order).data` gives, from fields built once."""
    return shared_representation(order, OrderDetailSerializer)  # type: ignore[no-any-return]


def _named(actor: Any, model: type[Cadre] | type[AssistingUnit], pk: Any, *, field: str, label: str) -> Any:
    """`named_row`, without building the scoped queryset when the body names nothing (the usual order)."""
    if pk is None:
        return None
    return named_row(actor, model.objects.all(), pk, field=field, label=label)


def _detail_rows(actor: Any) -> QuerySet[Order]:
    return restrict(actor, Order.objects.select_related("presale_list", "region")).prefetch_related(
        "lines__item", "events__actor", "after_sales"
    )


ORDER_PARAMS = [
    str_param("status", f"状态：{ORDER_STATUS_HELP}", enum=list(OrderStatus.values)),
    bool_param("waiting", "只看等待本人处理的订单（卖方：待确认、待发货；买方：待验收、待付款）"),
    str_param("region", "卖方所在区划代码：含其全部下级"),
    int_param("presale_list", "预售清单"),
    str_param(
        "side", "哪一方的订单：buyer=我买的，seller=我卖的；不填为本账号的全部", enum=list(selectors.SIDES)
    ),
    str_param(
        "sort", "排序：-created（默认，最新在前）、created、-total、total", enum=list(selectors.ORDER_SORTS)
    ),
    str_param("q", "购买方名称、预售清单名称或订单编号"),
]


class OrderViewSet(ApiViewSet):
    """订单：下单即锁定库存（并发下不超卖）；确认、发货、验收、付款（写入台账一次）、评价、取消与售后。"""

    queryset = Order.objects.none()
    serializer_class = OrderSerializer

    def _order(self, pk: Any) -> Order:
        return get_visible(self.request.user, Order.objects.all(), pk=int_pk(pk))

    def _answer(self, order: Order, *, created: bool = False) -> Response:
        fresh = get_visible(self.request.user, _detail_rows(self.request.user), pk=order.pk)
        return Response(
            order_detail(fresh), status=status.HTTP_201_CREATED if created else status.HTTP_200_OK
        )

    @extend_schema(parameters=ORDER_PARAMS, responses={200: OrderSerializer(many=True), 400: ErrorSerializer})
    def list(self, request: Request) -> Response:
        rows = selectors.orders(
            request.user,
            side=query(request, "side"),
            status=query(request, "status"),
            q=query(request, "q"),
            waiting=bool(query_bool(request, "waiting")),
            sort=query(request, "sort") or "-created",
            region=query(request, "region"),
            presale_list=query_int(request, "presale_list"),
        )
        return self.paginated(rows)

    @extend_schema(responses={200: OrderDetailSerializer, 404: ErrorSerializer})
    def retrieve(self, request: Request, pk: str) -> Response:
        return self.output(
            get_visible(request.user, _detail_rows(request.user), pk=int_pk(pk)), OrderDetailSerializer
        )

    @extend_schema(
        request=OrderPlaceSerializer, responses={201: OrderDetailSerializer, 409: ErrorSerializer, **ERRORS}
    )
    def create(self, request: Request) -> Response:
        """下单：全部品种一次锁定库存，任一品种不足则整单不成立（409 out_of_stock，库存不足…）。"""
        data = self.shared_valid_input(OrderPlaceSerializer)
        actor = request.user
        try:
            # The list goes by its id: the service reads it with the items it locks, and refuses on the field
            # a list this user may not see.
            order = ordering.order_place(
                actor=actor,
                presale_list=data["presale_list"],
                lines=[(line["item"], line["quantity"]) for line in data["lines"]],
                buyer_kind=data["buyer_kind"],
                cadre=_named(actor, Cadre, data["cadre"], field="cadre", label="干部"),
                unit=_named(actor, AssistingUnit, data["unit"], field="unit", label="购买单位"),
                delivery_address=data["delivery_address"],
                note=data["note"],
            )
        except DomainError as error:
            if error.code == "out_of_stock":
                raise OutOfStockError(error.code, error.message) from None
            raise
        # order_place hands back the order with its list, region, lines, timeline and (no) after-sales in memory:
        # the answer is built from them instead of reading the order again. The buyer always sees its own order.
        return Response(order_detail(order), status=status.HTTP_201_CREATED)

    @extend_schema(request=NoteInputSerializer, responses={200: OrderDetailSerializer, **ERRORS})
    @action(detail=True, methods=["post"])
    def confirm(self, request: Request, pk: str) -> Response:
        """卖方确认订单（已下单 → 卖方已确认）。"""
        data = self.valid_input(NoteInputSerializer)
        return self._answer(
            ordering.order_confirm(actor=request.user, order=self._order(pk), note=data["note"])
        )

    @extend_schema(request=NoteInputSerializer, responses={200: OrderDetailSerializer, **ERRORS})
    @action(detail=True, methods=["post"])
    def ship(self, request: Request, pk: str) -> Response:
        """卖方发货或备好待提（卖方已确认 → 已发货/待提货）。"""
        data = self.valid_input(NoteInputSerializer)
        return self._answer(ordering.order_ship(actor=request.user, order=self._order(pk), note=data["note"]))

    @extend_schema(request=CancelInputSerializer, responses={200: OrderDetailSerializer, **ERRORS})
    @action(detail=True, methods=["post"])
    def cancel(self, request: Request, pk: str) -> Response:
        """发货前取消（须填写原因），锁定的库存退回清单。"""
        data = self.valid_input(CancelInputSerializer)
        return self._answer(
            ordering.order_cancel(actor=request.user, order=self._order(pk), reason=data["reason"])
        )

    @extend_schema(request=ReceiveInputSerializer, responses={200: OrderDetailSerializer, **ERRORS})
    @action(detail=True, methods=["post"])
    def receive(self, request: Request, pk: str) -> Response:
        """买方验收：未列入拒收的明细均验收合格；拒收的数量退回库存。"""
        data = self.valid_input(ReceiveInputSerializer)
        rejected = {entry["line"]: entry["reason"] for entry in data["rejected"]}
        order = ordering.order_receive(
            actor=request.user, order=self._order(pk), rejected=rejected, note=data["note"]
        )
        return self._answer(order)

    @extend_schema(request=PayInputSerializer, responses={200: OrderDetailSerializer, **ERRORS})
    @action(detail=True, methods=["post"])
    def pay(self, request: Request, pk: str) -> Response:
        """买方登记付款（平台不经手资金）：验收合格的明细按销售方各记一笔购买，写入台账一次。"""
        data = self.valid_input(PayInputSerializer)
        order = ordering.order_pay(
            actor=request.user,
            order=self._order(pk),
            paid_on=data["paid_on"],
            payment_ref=data["payment_ref"],
        )
        return self._answer(order)

    @extend_schema(request=RateInputSerializer, responses={200: OrderDetailSerializer, **ERRORS})
    @action(detail=True, methods=["post"])
    def rate(self, request: Request, pk: str) -> Response:
        """买方评价（1-5 星）。"""
        data = self.valid_input(RateInputSerializer)
        order = ordering.order_rate(
            actor=request.user, order=self._order(pk), rating=data["rating"], comment=data["comment"]
        )
        return self._answer(order)

    @extend_schema(request=AfterSaleInputSerializer, responses={201: OrderDetailSerializer, **ERRORS})
    @action(detail=True, methods=["post"])
    def aftersale(self, request: Request, pk: str) -> Response:
        """买方申请售后（退货、退款），付款后可申请。"""
        data = self.valid_input(AfterSaleInputSerializer)
        request_row = ordering.aftersale_request(
            actor=request.user, order=self._order(pk), kind=data["kind"], reason=data["reason"]
        )
        return self._answer(request_row.order, created=True)

    @extend_schema(request=AfterSaleResolveSerializer, responses={200: OrderDetailSerializer, **ERRORS})
    @action(detail=True, methods=["post"], url_path="aftersale-resolve")
    def aftersale_resolve(self, request: Request, pk: str) -> Response:
        """卖方处理售后：同意则订单退款，台账中的购买记录被冲销；拒绝须填写意见。"""
        order = self._order(pk)
        data = self.valid_input(AfterSaleResolveSerializer)
        request_row = selectors.named_aftersale(request.user, order, data["aftersale"])
        ordering.aftersale_resolve(
            actor=request.user, request=request_row, approve=data["approve"], resolution=data["resolution"]
        )
        return self._answer(order)
