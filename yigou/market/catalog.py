"""Reads of certified products: the public catalog (no sign-in) and the scoped work lists of the workflow.

The public catalog holds products that are listed and within validity today and whose producer is not
blacklisted. It shows no personal data: linked households are only counted.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet

from yigou.accounts.scope import can, get_visible, restrict, scope_for
from yigou.regions.enums import Level
from yigou.regions.models import prefix_of
from yigou.registry.models import Producer

from .certification_rules import office_region
from .enums import ProductStatus as S
from .models import Blacklisting, Objection, Product, ReferencePrice

CATALOG_SORTS = {
    "name": ("name_pinyin", "pk"),
    "-name": ("-name_pinyin", "-pk"),
    "price": ("price", "pk"),
    "-price": ("-price", "-pk"),
    "listed": ("listed_on", "pk"),
    "-listed": ("-listed_on", "-pk"),
    "region": ("region_id", "pk"),
    "-region": ("-region_id", "-pk"),
}
STAFF_SORTS = {**CATALOG_SORTS, "created": ("created_at", "pk"), "-created": ("-created_at", "-pk")}


def _blacklisted_on(day: dt.date) -> QuerySet[Blacklisting]:
    return Blacklisting.objects.filter(producer_id=OuterRef("producer_id"), since__lte=day).filter(
        Q(lifted_on__isnull=True) | Q(lifted_on__gt=day)
    )


def _search(qs: QuerySet[Product], q: str) -> QuerySet[Product]:
    """By name, pinyin initials (fm → 蜂蜜) or full pinyin (fengmi), spaces ignored."""
    q = q.strip()[:60]
    if not q:
        return qs
    latin = q.replace(" ", "").lower()
    return qs.filter(
        Q(name__contains=q) | Q(name_initials__startswith=latin) | Q(name_pinyin__contains=latin)
    )


def _narrow(qs: QuerySet[Product], category: str, region: str) -> QuerySet[Product]:
    if category:
        qs = qs.filter(category=category)
    if region:
        qs = qs.filter(region__code__startswith=prefix_of(region.strip()[:12]))
    return qs


@dataclass(frozen=True)
class CatalogFilter:
    q: str = ""
    category: str = ""
    region: str = ""
    sort: str = "name"


def catalog(f: CatalogFilter = CatalogFilter(), today: dt.date | None = None) -> QuerySet[Product]:
    """The public catalog on `today`: anyone may read it, so it needs no scope."""
    today = today or dt.date.today()
    qs = (
        Product.objects.filter(status=S.LISTED, listed_on__lte=today, valid_until__gte=today)
        .exclude(Exists(_blacklisted_on(today)))
        .select_related("producer", "region")
    )
    qs = _narrow(_search(qs, f.q), f.category, f.region)
    counted = qs.annotate(households=Count("linked", distinct=True))
    return counted.order_by(*CATALOG_SORTS.get(f.sort, CATALOG_SORTS["name"]))


def catalog_product(pk: int, today: dt.date | None = None) -> Product | None:
    return catalog(today=today).filter(pk=pk).first()


# --- staff work lists ------------------------------------------------------------------------------------------

QUEUES = {
    "all": "全部",
    "mine": "我的申报",
    "review": "待审核",
    "decide": "待认定",
    "notice": "公示中",
    "listed": "已列入目录",
    "closed": "未通过/已撤销",
}


def _queue(qs: QuerySet[Product], user: Any, queue: str) -> QuerySet[Product]:
    """Work waiting for this user; offices only see what their level acts on (township: review only)."""
    if queue == "mine":
        scope = scope_for(user)
        return qs if scope.kind == "producer" else qs.filter(submitted_by=user)
    if queue == "review":
        return qs.filter(status__in=(S.SUBMITTED,))
    if queue == "decide":
        region = office_region(user)
        ok = scope_for(user).everything or (region is not None and region.level == Level.COUNTY)
        return qs.filter(status=S.REVIEWED) if ok else qs.none()
    if queue == "notice":
        return qs.filter(status=S.NOTICE)
    if queue == "listed":
        return qs.filter(status=S.LISTED)
    if queue == "closed":
        return qs.filter(status__in=(S.REJECTED, S.REVOKED, S.RETURNED))
    return qs


@dataclass(frozen=True)
class ProductFilter:
    queue: str = "all"
    q: str = ""
    status: str = ""
    category: str = ""
    region: str = ""
    flagged: bool = False
    sort: str = "-created"


def products(user: Any, f: ProductFilter = ProductFilter()) -> QuerySet[Product]:
    """Applications the user may see (its region, its producer), narrowed to a work list and filters."""
    qs = restrict(user, Product.objects.select_related("producer", "region"))
    qs = _narrow(_search(_queue(qs, user, f.queue), f.q), f.category, f.region)
    if f.status:
        qs = qs.filter(status=f.status)
    if f.flagged:
        qs = qs.filter(price_flagged=True)
    qs = qs.annotate(
        households=Count("linked", distinct=True),
        open_objections=Count("objections", filter=Q(objections__resolved_at__isnull=True), distinct=True),
    )
    return qs.order_by(*STAFF_SORTS.get(f.sort, STAFF_SORTS["-created"]))


def may_apply_any(user: Any) -> bool:
    """Producer staff apply for their producer; offices (township/county) on behalf of producers in their region."""
    return can(user, "market.apply") or office_region(user) is not None


def applicant_producers(user: Any) -> QuerySet[Producer]:
    """The producers this user may apply for: its own, or the active ones in an office's region."""
    scope = scope_for(user)
    rows = restrict(user, Producer.objects.filter(is_active=True).select_related("region")).order_by("name")
    if scope.kind == "producer":
        return rows.filter(pk=int(scope.producer_id or 0))
    return rows if may_apply_any(user) else rows.none()


def product(user: Any, pk: int) -> Product:
    return get_visible(user, Product.objects.select_related("producer", "region", "submitted_by"), pk=pk)


def objections(user: Any, product_id: int) -> QuerySet[Objection]:
    return restrict(user, Objection.objects.filter(product_id=product_id)).order_by("created_at", "pk")


def reference_prices(user: Any, q: str = "", region: str = "") -> QuerySet[ReferencePrice]:
    qs = restrict(user, ReferencePrice.objects.select_related("region"))
    if q.strip():
        qs = qs.filter(Q(name__contains=q.strip()) | Q(specification__contains=q.strip()))
    if region:
        qs = qs.filter(region__code__startswith=prefix_of(region.strip()[:12]))
    return qs.order_by("name", "specification", "-observed_on", "-pk")


def blacklist(user: Any, current_only: bool = False) -> QuerySet[Blacklisting]:
    qs = restrict(user, Blacklisting.objects.select_related("producer", "producer__region", "decided_by"))
    if current_only:
        qs = qs.filter(lifted_on__isnull=True)
    return qs.order_by("-since", "-pk")
