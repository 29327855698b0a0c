"""Certification pages for staff: work lists, the application form, and a product's page with its timeline and
the actions the user's role and level allow. Reference prices and the blacklist are in `cert_admin.py`."""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from yigou.accounts.scope import can, get_visible
from yigou.core.errors import DomainError
from yigou.market import catalog
from yigou.market import certification as cert
from yigou.market.enums import ProductCategory, ProductStatus
from yigou.market.models import Objection, Product, ProductFile
from yigou.market.pricing import price_margin
from yigou.regions.enums import Level
from yigou.registry.models import Household, Producer

from ..forms.certification import (
    ApplyForm,
    DecideForm,
    NoteForm,
    ObjectionForm,
    ProducerPickForm,
    ReasonForm,
    ResolveForm,
    ReviewForm,
)
from .common import domain_errors, paginate, region_options


def _filter(request: HttpRequest) -> catalog.ProductFilter:
    get = request.GET
    queue = get.get("queue", "all")
    return catalog.ProductFilter(
        queue=queue if queue in catalog.QUEUES else "all",
        q=get.get("q", "").strip()[:60],
        status=get.get("status", "") if get.get("status", "") in ProductStatus.values else "",
        category=get.get("category", "") if get.get("category", "") in ProductCategory.values else "",
        region=get.get("region", "")[:12],
        flagged=get.get("flagged") == "1",
        sort=get.get("sort", "-created"),
    )


def _csv(rows: Any) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="products.csv"'
    response.write("\ufeff")
    out = csv.writer(response)
    out.writerow(
        [
            "产品名称",
            "规格",
            "申报主体",
            "所在区划",
            "品类",
            "销售价格（元）",
            "市场参考价（元）",
            "价格预警",
            "联结农户数",
            "状态",
            "认定编号",
            "有效期至",
        ]
    )
    for p in rows:
        out.writerow(
            [
                p.name,
                p.specification,
                p.producer.name,
                p.region.name,
                p.get_category_display(),
                p.price,
                p.reference_price or "",
                "是" if p.price_flagged else "",
                p.households,
                p.get_status_display(),
                p.certificate_no or "",
                p.valid_until or "",
            ]
        )
    return response


@login_required
def cert_list(request: HttpRequest) -> HttpResponse:
    f = _filter(request)
    rows = catalog.products(request.user, f)
    if request.GET.get("format") == "csv":
        return _csv(rows)
    context = {
        "page": paginate(request, rows),
        "f": f,
        "queues": catalog.QUEUES.items(),
        "status_options": ProductStatus.choices,
        "category_options": ProductCategory.choices,
        "region_options": region_options(request.user, deepest=Level.TOWNSHIP),
        "can_apply": catalog.may_apply_any(request.user),
        "can_prices": can(request.user, "market.prices"),
        "query": request.GET.urlencode(),
    }
    return render(request, "market/cert_list.html", context)


# --- application -------------------------------------------------------------------------------------------------


def _household_choices(producer: Producer) -> list[tuple[str, str]]:
    ids = cert.linked_household_ids(producer, dt.date.today())
    rows = Household.objects.filter(pk__in=ids).select_related("village").order_by("number")
    return [(str(h.pk), f"{h.number} {h.head_name}（{h.village.name}）") for h in rows]


def _apply_input(form: ApplyForm, producer: Producer) -> cert.ApplyInput:
    d = form.cleaned_data
    households = list(Household.objects.filter(pk__in=[int(pk) for pk in d["households"]]))
    return cert.ApplyInput(
        name=d["name"],
        category=d["category"],
        specification=d["specification"],
        unit=d["unit"],
        capacity=d["capacity"],
        capacity_period=d["capacity_period"],
        base=d["base"],
        price=d["price"],
        mechanism=d["mechanism"],
        households=households,
        files=form.uploads(),
        price_links=d["price_links"],
        price_explanation=d["price_explanation"],
        mechanism_note=d["mechanism_note"],
    )


def _pick_producer(request: HttpRequest, options: list[Producer]) -> Producer | None:
    wanted = request.POST.get("producer") or request.GET.get("producer")
    if len(options) == 1:
        return options[0]
    return next((p for p in options if str(p.pk) == wanted), None)


@login_required
@domain_errors
def cert_apply(request: HttpRequest) -> HttpResponse:
    options = list(catalog.applicant_producers(request.user))
    if not options:
        raise PermissionDenied("您没有可以申报扶贫产品的经营主体。")
    producer = _pick_producer(request, options)
    if producer is None:
        pick = ProducerPickForm(producers=[(str(p.pk), f"{p.name}（{p.region.name}）") for p in options])
        return render(request, "market/cert_pick.html", {"form": pick, "title": "申报扶贫产品"})
    form = ApplyForm(request.POST or None, request.FILES or None, households=_household_choices(producer))
    if request.method == "POST" and form.is_valid():
        try:
            product = cert.product_apply(
                actor=request.user, producer=producer, data=_apply_input(form, producer)
            )
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, f"已申报“{product.name}”，等待乡镇（行业部门）审核。")
            return redirect("www:certification", pk=product.pk)
    status = 400 if request.method == "POST" else 200
    context = {"form": form, "producer": producer, "title": "申报扶贫产品", "product": None}
    return render(request, "market/cert_apply.html", context, status=status)


def _initial(product: Product) -> dict[str, Any]:
    fields = (
        "name",
        "category",
        "specification",
        "unit",
        "capacity",
        "capacity_period",
        "base",
        "price",
        "price_links",
        "price_explanation",
        "mechanism",
        "mechanism_note",
    )
    initial = {name: getattr(product, name) for name in fields}
    initial["households"] = [str(pk) for pk in product.linked.values_list("household_id", flat=True)]
    return initial


@login_required
@domain_errors
def cert_resubmit(request: HttpRequest, pk: int) -> HttpResponse:
    product = catalog.product(request.user, pk)
    if product.status != ProductStatus.RETURNED:
        raise PermissionDenied("只有退回补正的申报可以重新提交。")
    choices = _household_choices(product.producer)
    form = ApplyForm(
        request.POST or None, request.FILES or None, households=choices, initial=_initial(product)
    )
    form.fields["commitment"].help_text = "已上传的材料保留；可补充新材料"
    if request.method == "POST" and form.is_valid():
        try:
            cert.product_resubmit(
                actor=request.user, product=product, data=_apply_input(form, product.producer)
            )
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, f"已重新提交“{product.name}”。")
            return redirect("www:certification", pk=product.pk)
    status = 400 if request.method == "POST" else 200
    context = {"form": form, "producer": product.producer, "title": "补正后重新申报", "product": product}
    return render(request, "market/cert_apply.html", context, status=status)


# --- detail and actions ------------------------------------------------------------------------------------------


def _allowed(user: Any, product: Product) -> dict[str, bool]:
    """Which action forms the page offers; the services check again."""
    review, decide, status = cert.may_review(user, product), cert.may_decide(user, product), product.status
    return {
        "review": review and status == ProductStatus.SUBMITTED,
        "decide": decide and status == ProductStatus.REVIEWED,
        "objection": (review or decide) and status == ProductStatus.NOTICE,
        "resolve": decide and status == ProductStatus.NOTICE,
        "list": decide and status == ProductStatus.NOTICE,
        "recheck": decide and status == ProductStatus.LISTED,
        "revoke": decide and status in (ProductStatus.NOTICE, ProductStatus.LISTED),
        "resubmit": status == ProductStatus.RETURNED and catalog.may_apply_any(user),
    }


def _detail(
    request: HttpRequest, product: Product, error: str = "", status: int = 200, **forms: Any
) -> HttpResponse:
    objections = list(catalog.objections(request.user, product.pk))
    open_rows = [o for o in objections if o.resolved_at is None]
    context = {
        "product": product,
        "steps": list(product.steps.select_related("actor")),
        "objections": objections,
        "open_objections": len(open_rows),
        "households": product.linked.select_related("household", "household__village").order_by(
            "household__number"
        ),
        "files": list(product.files.all()),
        "allowed": _allowed(request.user, product),
        "error": error,
        "review_form": forms.get("review", ReviewForm()),
        "decide_form": forms.get("decide", DecideForm()),
        "objection_form": forms.get("objection", ObjectionForm()),
        "revoke_form": forms.get("revoke", ReasonForm()),
        "recheck_form": forms.get("recheck", NoteForm()),
        "resolve_forms": [(o, ResolveForm(initial={"objection": o.pk})) for o in open_rows],
        "price_margin_percent": int(price_margin() * 100),
    }
    return render(request, "market/cert_detail.html", context, status=status)


@login_required
@domain_errors
def cert_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, catalog.product(request.user, pk))


def _review(request: HttpRequest, product: Product) -> tuple[Any, str]:
    form = ReviewForm(request.POST)
    if not form.is_valid():
        return form, ""
    d = form.cleaned_data
    cert.product_review(
        actor=request.user, product=product, passed=d["verdict"] == "pass", reason=d["reason"]
    )
    return None, "已审核通过，报县级认定。" if d["verdict"] == "pass" else "已退回申报主体补正。"


def _decide(request: HttpRequest, product: Product) -> tuple[Any, str]:
    form = DecideForm(request.POST)
    if not form.is_valid():
        return form, ""
    d = form.cleaned_data
    done = cert.product_decide(
        actor=request.user, product=product, certify=d["verdict"] == "certify", reason=d["reason"]
    )
    if done.status == ProductStatus.NOTICE:
        return None, f"已认定，认定编号 {done.certificate_no}，公示至 {done.notice_end}。"
    return None, "已作出不予认定决定。"


def _objection(request: HttpRequest, product: Product) -> tuple[Any, str]:
    form = ObjectionForm(request.POST)
    if not form.is_valid():
        return form, ""
    cert.objection_record(actor=request.user, product=product, **form.cleaned_data)
    return None, "已登记异议。"


def _resolve(request: HttpRequest, product: Product) -> tuple[Any, str]:
    form = ResolveForm(request.POST)
    if not form.is_valid():
        return None, ""
    d = form.cleaned_data
    objection = get_visible(request.user, Objection.objects.filter(product=product), pk=d["objection"])
    cert.objection_resolve(
        actor=request.user, objection=objection, upheld=d["upheld"] == "yes", resolution=d["resolution"]
    )
    return None, "已处理异议。"


def _list(request: HttpRequest, product: Product) -> tuple[Any, str]:
    done = cert.product_list(actor=request.user, product=product)
    return None, f"已列入扶贫产品目录，有效期至 {done.valid_until}。"


def _recheck(request: HttpRequest, product: Product) -> tuple[Any, str]:
    form = NoteForm(request.POST)
    form.is_valid()
    done = cert.product_recheck(actor=request.user, product=product, note=form.cleaned_data.get("note", ""))
    return None, f"年度复核通过，有效期延至 {done.valid_until}。"


def _revoke(request: HttpRequest, product: Product) -> tuple[Any, str]:
    form = ReasonForm(request.POST)
    if not form.is_valid():
        return form, ""
    cert.product_revoke(actor=request.user, product=product, reason=form.cleaned_data["reason"])
    return None, "已撤销认定。"


ACTIONS: dict[str, Callable[[HttpRequest, Product], tuple[Any, str]]] = {
    "review": _review,
    "decide": _decide,
    "objection": _objection,
    "resolve": _resolve,
    "list": _list,
    "recheck": _recheck,
    "revoke": _revoke,
}


@login_required
@require_POST
@domain_errors
def cert_action(request: HttpRequest, pk: int, action: str) -> HttpResponseBase:
    if action not in ACTIONS:
        raise Http404("未知操作")
    product = catalog.product(request.user, pk)
    try:
        bad_form, done = ACTIONS[action](request, product)
    except DomainError as exc:
        return _detail(request, product, error=exc.message, status=400)
    if bad_form is not None or not done:
        forms = {action: bad_form} if bad_form is not None else {}
        return _detail(request, product, error="请检查填写的内容。", status=400, **forms)
    messages.success(request, done)
    return redirect("www:certification", pk=product.pk)


@login_required
@domain_errors
def cert_file(request: HttpRequest, pk: int) -> HttpResponseBase:
    row = ProductFile.objects.select_related("product").filter(pk=pk).first()
    if row is None:
        raise Http404("材料不存在")
    catalog.product(request.user, row.product_id)  # only someone who may see the product
    return FileResponse(row.file.open("rb"), as_attachment=False, filename=row.name)
