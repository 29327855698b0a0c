"""Order pages: my orders as buyer and as seller with what waits for me, and one order with its timeline and the
buttons its state and my role allow. Every step goes through yigou.market.ordering; a refusal is shown in Chinese
on the order page and changes nothing."""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from yigou.core.errors import DomainError
from yigou.ledger.enums import BuyerKind
from yigou.market import order_ledger, ordering, selectors
from yigou.market.enums import AfterSaleStatus, OrderStatus
from yigou.market.models import Order

from ..forms.market import AfterSaleForm, PayForm, RateForm, ReasonForm, ResolveForm
from .common import domain_errors, paginate

EXPORT_LIMIT = 5000


def _side(request: HttpRequest) -> str:
    mine = selectors.sides(request.user)
    wanted = request.GET.get("side", "")
    if wanted in mine:
        return wanted
    if not mine:
        raise PermissionDenied("您的账号没有订单。")
    return mine[0]


@login_required
def order_list(request: HttpRequest) -> HttpResponse:
    get = request.GET
    side = _side(request)
    status, q = get.get("status", "")[:16], get.get("q", "").strip()[:60]
    waiting, sort = get.get("waiting") == "1", get.get("sort", "-created")
    rows = selectors.orders(request.user, side=side, status=status, q=q, waiting=waiting, sort=sort)
    if get.get("format") == "csv":
        return _csv(rows[:EXPORT_LIMIT])
    context = {
        "page": paginate(request, rows),
        "side": side,
        "sides": [(s, selectors.SIDES[s]) for s in selectors.sides(request.user)],
        "status": status,
        "q": q,
        "waiting": waiting,
        "status_options": OrderStatus.choices,
        "todo": selectors.todo(request.user).get(side),
        "sort": sort,
    }
    return render(request, "market/order_list.html", context)


def _csv(rows: Any) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="orders.csv"'
    response.write("\ufeff")  # Excel opens UTF-8 with a BOM
    writer = csv.writer(response)
    writer.writerow(
        [
            "订单编号",
            "预售清单",
            "卖方所在区划",
            "购买方",
            "购买方类型",
            "金额（元）",
            "状态",
            "下单时间",
            "付款日期",
        ]
    )
    for o in rows:
        writer.writerow(
            [
                o.pk,
                o.presale_list.title,
                o.region.name,
                o.buyer_name,
                _buyer_kind_label(o.buyer_kind),
                o.total,
                o.get_status_display(),
                o.created_at.astimezone().strftime("%Y-%m-%d %H:%M"),
                o.paid_on or "",
            ]
        )
    return response


def _buyer_kind_label(kind: str) -> str:
    return BuyerKind(kind).label if kind in BuyerKind.values else kind


def _context(request: HttpRequest, detail: selectors.OrderDetail, **extra: Any) -> dict[str, Any]:
    context = {
        "d": detail,
        "order": detail.order,
        "actions": detail.actions,
        "cancel_form": ReasonForm(),
        "pay_form": PayForm(initial={"paid_on": dt.date.today()}),
        "rate_form": RateForm(),
        "aftersale_form": AfterSaleForm(),
        "resolve_form": ResolveForm(),
        "pending": next((a for a in detail.after_sales if a.status == AfterSaleStatus.REQUESTED), None),
        "error": "",
        "buyer_kind_label": _buyer_kind_label(detail.order.buyer_kind),
    }
    context.update(extra)
    return context


@login_required
@domain_errors
def order_detail(request: HttpRequest, pk: int) -> HttpResponse:
    detail = selectors.order_detail(request.user, pk)
    return render(request, "market/order_detail.html", _context(request, detail))


# --- the steps ------------------------------------------------------------------------------------------------

Step = Callable[[HttpRequest, Order], tuple[str, dict[str, Any]]]


def _confirm(request: HttpRequest, order: Order) -> tuple[str, dict[str, Any]]:
    ordering.order_confirm(actor=request.user, order=order, note=request.POST.get("note", "")[:300])
    return "已确认订单，请按约定备货。", {}


def _ship(request: HttpRequest, order: Order) -> tuple[str, dict[str, Any]]:
    ordering.order_ship(actor=request.user, order=order, note=request.POST.get("note", "")[:300])
    return "已发货/备货完成，等待买方验收。", {}


def _cancel(request: HttpRequest, order: Order) -> tuple[str, dict[str, Any]]:
    form = ReasonForm(request.POST)
    if not form.is_valid():
        raise DomainError("invalid_input", detail="取消订单须填写原因")
    ordering.order_cancel(actor=request.user, order=order, reason=form.cleaned_data["reason"])
    return "订单已取消，预留的库存已释放。", {}


def _receive(request: HttpRequest, order: Order) -> tuple[str, dict[str, Any]]:
    rejected = {}
    for line in order.lines.all():
        if request.POST.get(f"reject-{line.pk}"):
            rejected[line.pk] = request.POST.get(f"reason-{line.pk}", "").strip()[:300]
    done = ordering.order_receive(
        actor=request.user, order=order, rejected=rejected, note=request.POST.get("note", "")[:300]
    )
    if done.status == OrderStatus.REJECTED:
        return "已验收：全部拒收，订单结束，库存已释放。", {}
    return f"已验收：合格 {len(order.lines.all()) - len(rejected)} 项，拒收 {len(rejected)} 项。", {}


def _pay(request: HttpRequest, order: Order) -> tuple[str, dict[str, Any]]:
    form = PayForm(request.POST)
    if not form.is_valid():
        raise DomainError("invalid_input", detail="请填写有效的付款日期")
    done = ordering.order_pay(
        actor=request.user,
        order=order,
        paid_on=form.cleaned_data["paid_on"],
        payment_ref=form.cleaned_data["payment_ref"],
    )
    return f"已登记付款（{order_ledger.accepted_total(done)} 元），购买记录已写入台账。", {}


def _rate(request: HttpRequest, order: Order) -> tuple[str, dict[str, Any]]:
    form = RateForm(request.POST)
    if not form.is_valid():
        raise DomainError("invalid_input", detail="评分须为1到5的整数")
    ordering.order_rate(
        actor=request.user,
        order=order,
        rating=form.cleaned_data["rating"],
        comment=form.cleaned_data["comment"],
    )
    return "感谢评价。", {}


def _aftersale(request: HttpRequest, order: Order) -> tuple[str, dict[str, Any]]:
    form = AfterSaleForm(request.POST)
    if not form.is_valid():
        raise DomainError("invalid_input", detail="申请售后须选择类型并填写原因")
    ordering.aftersale_request(
        actor=request.user, order=order, kind=form.cleaned_data["kind"], reason=form.cleaned_data["reason"]
    )
    return "已提交售后申请，等待卖方处理。", {}


def _resolve(request: HttpRequest, order: Order) -> tuple[str, dict[str, Any]]:
    form = ResolveForm(request.POST)
    if not form.is_valid():
        raise DomainError("invalid_input", detail="处理售后须选择结果并填写意见")
    pending = order.after_sales.filter(status=AfterSaleStatus.REQUESTED).first()
    if pending is None:
        raise DomainError("invalid_input", detail="该订单没有待处理的售后申请")
    approve = form.cleaned_data["decision"] == "approve"
    ordering.aftersale_resolve(
        actor=request.user, request=pending, approve=approve, resolution=form.cleaned_data["resolution"]
    )
    return ("已同意售后：台账记录已冲销，订单改为已退款。" if approve else "已拒绝售后申请。"), {}


STEPS: dict[str, Step] = {
    "confirm": _confirm,
    "ship": _ship,
    "cancel": _cancel,
    "receive": _receive,
    "pay": _pay,
    "rate": _rate,
    "aftersale": _aftersale,
    "resolve": _resolve,
}


@require_POST
@login_required
@domain_errors
def order_step(request: HttpRequest, pk: int, step: str) -> HttpResponse:
    if step not in STEPS:
        raise Http404("没有这个操作。")
    detail = selectors.order_detail(request.user, pk)  # 404 for an order out of scope
    try:
        message, _ = STEPS[step](request, detail.order)
    except DomainError as exc:
        if exc.status_code == 403:
            raise
        fresh = selectors.order_detail(request.user, pk)
        for line in fresh.lines:  # what the refused inspection had entered, shown again
            line.reject_checked = bool(request.POST.get(f"reject-{line.pk}"))  # type: ignore[attr-defined]
            line.reason_entered = request.POST.get(f"reason-{line.pk}", "")[:300]  # type: ignore[attr-defined]
        context = _context(request, fresh, error=exc.message, failed_step=step)
        return render(request, "market/order_detail.html", context, status=400)
    messages.success(request, message)
    return redirect("www:order", pk=pk)
