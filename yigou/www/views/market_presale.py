"""Pre-sale list pages: browse open lists, a list with its order form, publish, edit, withdraw, history.

Reads go through yigou.market.selectors (an open list is an offer every signed-in user may open; everything else is
restricted to the seller's side); writes go through yigou.market.presale and ordering, whose Chinese errors are
shown on the page with nothing changed.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from yigou.accounts.scope import can, get_visible, named_row, restrict
from yigou.core.errors import DomainError, NotFoundError
from yigou.market import buyers, ordering, presale, selectors
from yigou.market.enums import ProductCategory
from yigou.market.models import PreSaleItem, PreSaleList
from yigou.regions.enums import Level
from yigou.regions.models import Region
from yigou.registry.models import Household, Producer

from ..forms.market import ItemChangeForm, ItemForm, ItemFormSet, ListForm, OrderForm, ReasonForm
from .common import domain_errors, paginate, region_options, village_options

Choices = list[tuple[str, str]]


def _may_sell(user: Any) -> bool:
    return can(user, "market.sell")


@login_required
def presale_browse(request: HttpRequest) -> HttpResponse:
    get = request.GET
    q, region, category = (
        get.get("q", "").strip()[:60],
        get.get("region", "")[:12],
        get.get("category", "")[:16],
    )
    rows = selectors.open_lists(request.user, region=region, category=category, q=q)
    context = {
        "page": paginate(request, rows, per_page=20),
        "q": q,
        "region": region,
        "category": category,
        "category_options": ProductCategory.choices,
        "region_options": _browse_regions(request.user),
        "paired": buyers.seat(request.user).ranks_by_pairing,
        "may_sell": _may_sell(request.user),
    }
    return render(request, "market/presale_browse.html", context)


def _browse_regions(user: Any) -> list[tuple[str, str]]:
    """Officials filter by the places of their region; buyers by the counties that have lists open today."""
    if selectors.browses_own_region(user):
        return region_options(user, include_home=True, deepest=Level.TOWNSHIP)
    return [(c.code, c.name) for c in selectors.open_list_counties()]


@login_required
def presale_mine(request: HttpRequest) -> HttpResponse:
    get = request.GET
    q, state = get.get("q", "").strip()[:60], get.get("state", "")
    rows = selectors.seller_lists(request.user, state=state, q=q)
    context = {
        "page": paginate(request, rows),
        "q": q,
        "state": state,
        "state_options": selectors.LIST_STATES.items(),
        "may_sell": _may_sell(request.user),
        "today": dt.date.today(),
    }
    return render(request, "market/presale_mine.html", context)


# --- one list and its order form -----------------------------------------------------------------------------


def _cadres(user: Any) -> Choices:
    rows = buyers.cadres(user)
    if buyers.seat(user).for_a_unit:
        return [(str(c.pk), f"{c.name}（{c.unit.name}）") for c in rows]
    return [(str(c.pk), c.name) for c in rows]


def _units(user: Any) -> Choices:
    return [(str(u.pk), u.name) for u in buyers.units(user)]


def _order_form(user: Any, data: Any = None) -> OrderForm:
    return OrderForm(data, cadres=_cadres(user), units=_units(user))


def _detail_context(request: HttpRequest, owner: PreSaleList, **extra: Any) -> dict[str, Any]:
    user, today = request.user, dt.date.today()
    own = selectors.is_own_list(user, owner) and _may_sell(user)
    seat = buyers.seat(user)
    may_order = seat.may_order and owner.is_open_on(today)
    context: dict[str, Any] = {
        "owner": owner,
        "items": list(owner.items.all()),
        "state": selectors.list_state(owner, today),
        "state_labels": selectors.LIST_STATES,
        "own": own,
        "may_order": may_order,
        "unit_buyer": seat.chooses_kind,
        "for_a_unit": seat.for_a_unit,
        "order_form": _order_form(user),
        "withdraw_form": ReasonForm(),
        "quantities": {},
    }
    context.update(extra)
    for item in context["items"]:
        item.entered = context["quantities"].get(item.pk, "")  # what a refused order had asked for
    return context


@login_required
@domain_errors
def presale_detail(request: HttpRequest, pk: int) -> HttpResponse:
    owner = selectors.presale_list(request.user, pk)
    return render(request, "market/presale_detail.html", _detail_context(request, owner))


def _quantities(request: HttpRequest, owner: PreSaleList) -> dict[int, str]:
    wanted = {}
    for item in owner.items.all():
        value = request.POST.get(f"qty-{item.pk}", "").strip()
        if value:
            wanted[item.pk] = value[:20]
    return wanted


def _place(request: HttpRequest, owner: PreSaleList, form: OrderForm, wanted: dict[int, str]) -> Any:
    d, user, seat = form.cleaned_data, request.user, buyers.seat(request.user)
    cadre = None
    if d["buyer_kind"] == "cadre" and d["cadre"]:
        cadre = named_row(user, buyers.cadres(user), d["cadre"], field="cadre", label="干部")
    unit = (
        named_row(user, buyers.units(user), d["unit"], field="unit", label="购买单位")
        if seat.for_a_unit
        else None
    )
    return ordering.order_place(
        actor=user,
        presale_list=owner,
        lines=list(wanted.items()),
        buyer_kind=d["buyer_kind"] if seat.chooses_kind else "",
        cadre=cadre,
        unit=unit,
        delivery_address=d["delivery_address"],
        note=d["note"],
    )


@require_POST
@login_required
@domain_errors
def presale_order(request: HttpRequest, pk: int) -> HttpResponse:
    """Place an order from the list page; 库存不足 and every other refusal comes back on the same page."""
    owner = selectors.presale_list(request.user, pk)
    if not can(request.user, "market.buy"):
        raise PermissionDenied("无权下单：只有帮扶单位和个人采购人可以订购。")
    form = _order_form(request.user, request.POST)
    wanted = _quantities(request, owner)
    error = "" if wanted else "请至少填写一个品种的订购数量。"
    if not error and form.is_valid():
        try:
            order = _place(request, owner, form, wanted)
        except DomainError as exc:
            error = exc.message
        else:
            messages.success(request, f"已下单（订单 {order.pk}，{order.total} 元），等待卖方确认。")
            return redirect("www:order", pk=order.pk)
    context = _detail_context(request, owner, order_form=form, order_error=error, quantities=wanted)
    return render(request, "market/presale_detail.html", context, status=400)


# --- publishing ----------------------------------------------------------------------------------------------


def _owner(request: HttpRequest) -> tuple[Region | None, Producer | None]:
    """The village or producer a new list is for: producer staff always their own; others choose one in scope."""
    own = selectors.own_producer(request.user)
    if own is not None:
        return None, own
    source = request.POST if request.method == "POST" else request.GET
    code, producer = source.get("village", "").strip(), source.get("producer", "").strip()
    if code:
        if code not in dict(village_options(request.user)):
            raise NotFoundError()
        return Region.objects.get(code=code), None
    if producer.isdigit():
        return None, get_visible(request.user, Producer.objects.select_related("region"), pk=int(producer))
    villages = village_options(request.user)
    if len(villages) == 1:  # village staff: their own village, no choice to make
        return Region.objects.get(code=villages[0][0]), None
    return None, None


def _sellers(user: Any, village: Region | None, producer: Producer | None) -> Choices:
    if producer is not None:
        return [(f"p:{producer.pk}", producer.name)]
    assert village is not None
    households = restrict(user, Household.objects.filter(village=village)).order_by("head_name", "number")
    producers = restrict(
        user, Producer.objects.filter(region__code__startswith=village.county_code[:6], is_active=True)
    ).order_by("name")
    return [(f"h:{h.pk}", f"农户 {h.head_name}（{h.number}）") for h in households] + [
        (f"p:{p.pk}", f"{p.get_kind_display()} {p.name}") for p in producers
    ]


def _resolver(user: Any) -> Any:
    def resolve(value: str) -> tuple[Household | None, Producer | None]:
        kind, _, pk = value.partition(":")
        if kind == "h":
            return get_visible(user, Household.objects.select_related("village"), pk=int(pk)), None
        return None, get_visible(user, Producer.objects.select_related("region"), pk=int(pk))

    return resolve


def _producer_options(user: Any) -> Choices:
    rows = restrict(user, Producer.objects.filter(is_active=True)).order_by("name")[:500]
    return [(str(p.pk), f"{p.name}（{p.get_kind_display()}）") for p in rows]


@login_required
@domain_errors
def presale_create(request: HttpRequest) -> HttpResponse:
    if not _may_sell(request.user):
        raise PermissionDenied("无权发布预售清单。")
    village, producer = _owner(request)
    if village is None and producer is None:
        choices = {"villages": village_options(request.user), "producers": _producer_options(request.user)}
        return render(request, "market/presale_owner.html", choices)
    sellers = _sellers(request.user, village, producer)
    post = request.POST if request.method == "POST" else None
    form = ListForm(post, initial=ListForm.initial_for(dt.date.today()))
    rows: Any = ItemFormSet(post, prefix="item", sellers=sellers)  # type: ignore[call-arg]
    if post is not None and form.is_valid() and rows.is_valid():
        try:
            owner = presale.presale_publish(
                actor=request.user,
                data=form.to_input(),
                village=village,
                producer=producer,
                items=[row.to_input(_resolver(request.user)) for row in rows if row.has_changed()],
            )
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, f"已发布预售清单“{owner.title}”。")
            return redirect("www:presale", pk=owner.pk)
    context = {"form": form, "rows": rows, "village": village, "producer": producer}
    return render(request, "market/presale_form.html", context, status=400 if post is not None else 200)


def _own_list(request: HttpRequest, pk: int) -> PreSaleList:
    """A list on the user's selling side, for the change pages: anything else is 'not found'."""
    owner = selectors.presale_list(request.user, pk)
    if not selectors.is_own_list(request.user, owner):
        raise NotFoundError()
    if not _may_sell(request.user):
        raise PermissionDenied("无权修改预售清单。")
    return owner


@login_required
@domain_errors
def presale_edit(request: HttpRequest, pk: int) -> HttpResponse:
    owner = _own_list(request, pk)
    initial = {name: getattr(owner, name) for name in presale.LIST_FIELDS}
    form = ListForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            presale.presale_change(actor=request.user, presale_list=owner, data=form.to_input())
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, "已保存清单的修改，原内容记入修改记录。")
            return redirect("www:presale", pk=owner.pk)
    context = {"form": form, "owner": owner, "title": f"修改清单：{owner.title}"}
    return render(
        request, "market/presale_edit.html", context, status=400 if request.method == "POST" else 200
    )


@login_required
@domain_errors
def presale_item_add(request: HttpRequest, pk: int) -> HttpResponse:
    owner = _own_list(request, pk)
    sellers = _sellers(request.user, None if owner.producer_id else owner.region, owner.producer)
    today = dt.date.today()
    form = ItemForm(
        request.POST or None, sellers=sellers, initial={"window_start": today, "window_end": owner.closes_on}
    )
    if request.method == "POST" and form.is_valid():
        try:
            item = presale.presale_item_add(
                actor=request.user, presale_list=owner, item=form.to_input(_resolver(request.user))
            )
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, f"已添加品种“{item.name}”。")
            return redirect("www:presale", pk=owner.pk)
    context = {"form": form, "owner": owner, "title": f"添加品种：{owner.title}"}
    return render(
        request, "market/presale_edit.html", context, status=400 if request.method == "POST" else 200
    )


@login_required
@domain_errors
def presale_item_edit(request: HttpRequest, pk: int, item_pk: int) -> HttpResponse:
    owner = _own_list(request, pk)
    item = PreSaleItem.objects.filter(presale_list=owner, pk=item_pk).first()
    if item is None:
        raise NotFoundError()
    initial = {k: getattr(item, k) for k in ("quantity", "unit_price", "window_start", "window_end")}
    form = ItemChangeForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            presale.presale_item_change(actor=request.user, item=item, **form.cleaned_data)
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, f"已保存“{item.name}”的修改。")
            return redirect("www:presale", pk=owner.pk)
    context = {
        "form": form,
        "owner": owner,
        "item": item,
        "title": f"修改品种：{item.name}（已被订购 {item.reserved.normalize():f}{item.unit}）",
    }
    return render(
        request, "market/presale_edit.html", context, status=400 if request.method == "POST" else 200
    )


@require_POST
@login_required
@domain_errors
def presale_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    owner = _own_list(request, pk)
    form = ReasonForm(request.POST)
    error = ""
    if form.is_valid():
        try:
            presale.presale_withdraw(
                actor=request.user, presale_list=owner, reason=form.cleaned_data["reason"]
            )
        except DomainError as exc:
            error = exc.message
        else:
            messages.success(request, "清单已撤回，不再接受新订单；已下的订单照常处理。")
            return redirect("www:presale", pk=owner.pk)
    else:
        error = "撤回须填写原因。"
    context = _detail_context(request, owner, withdraw_form=form, withdraw_error=error)
    return render(request, "market/presale_detail.html", context, status=400)


ACTION_LABELS = {
    "presale_publish": "发布清单",
    "presale_change": "修改清单",
    "presale_item_add": "添加品种",
    "presale_item_change": "修改品种",
    "presale_withdraw": "撤回清单",
}
FIELD_LABELS = {
    "title": "清单名称",
    "opens_on": "开始接单",
    "closes_on": "截止接单",
    "delivery": "交付方式",
    "contact_name": "联系人",
    "contact_phone": "联系电话",
    "note": "说明",
    "item": "品种",
    "quantity": "数量",
    "unit_price": "单价",
    "window_start": "交付开始",
    "window_end": "交付结束",
    "items": "品种数",
    "withdrawn": "已撤回",
}


def _changes(entry: Any) -> list[tuple[str, str]]:
    rows = []
    for key, value in (entry.changes or {}).items():
        shown = f"{value[0]} → {value[1]}" if isinstance(value, list) and len(value) == 2 else str(value)
        rows.append((FIELD_LABELS.get(key, key), shown))
    return rows


@login_required
@domain_errors
def presale_history(request: HttpRequest, pk: int) -> HttpResponse:
    owner = selectors.presale_list(request.user, pk)
    entries = paginate(request, selectors.list_history(request.user, owner))
    rows = [(e, ACTION_LABELS.get(e.action, e.action), _changes(e)) for e in entries]
    return render(request, "market/presale_history.html", {"owner": owner, "page": entries, "rows": rows})
