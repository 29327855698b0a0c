"""The public catalog of certified poverty-alleviation products (扶贫产品目录): no sign-in, no personal data.

A product page shows the producer, its region, the certificate number and validity, how many households the
product is linked to (a count, never names), and a QR code of the page's own address for labels and stalls.
"""

from __future__ import annotations

import io

import segno
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from yigou.market import catalog
from yigou.market.enums import ProductCategory
from yigou.market.models import Product
from yigou.regions.enums import Level
from yigou.regions.models import Region
from yigou.supply import board

from .common import paginate


def _region_options() -> list[tuple[str, str]]:
    """Only the cities and counties that have products in the catalog (not the whole national list)."""
    counties = Region.objects.filter(code__in=catalog.catalog().values("county_code")).select_related(
        "parent"
    )
    options: dict[str, str] = {}
    for county in counties.order_by("code"):
        if county.parent is not None and county.parent.level == Level.CITY:
            options.setdefault(county.parent.code, county.parent.name)
        options[county.code] = f"　{county.name}"
    return sorted(options.items())


def catalog_list(request: HttpRequest) -> HttpResponse:
    get = request.GET
    f = catalog.CatalogFilter(
        q=get.get("q", "").strip()[:60],
        category=get.get("category", "") if get.get("category", "") in ProductCategory.values else "",
        region=get.get("region", "")[:12],
        sort=get.get("sort", "name"),
    )
    context = {
        "page": paginate(request, catalog.catalog(f), per_page=24),
        "f": f,
        "category_options": ProductCategory.choices,
        "region_options": _region_options(),
        "urgent": board.urgent_products() if not request.GET.get("page") else [],
    }
    return render(request, "market/catalog_list.html", context)


def _listed(pk: int) -> Product:
    product = catalog.catalog_product(pk)
    if product is None:
        raise Http404("该产品不在扶贫产品目录中或已过有效期。")
    return product


def _qr(request: HttpRequest, product: Product) -> segno.QRCode:
    return segno.make(
        request.build_absolute_uri(reverse("www:catalog_product", args=[product.pk])), error="m"
    )


def _title(product: Product) -> str:
    return f"{product.name} 扶贫产品目录页面"


def catalog_detail(request: HttpRequest, pk: int) -> HttpResponse:
    product = _listed(pk)
    # segno escapes the title; the SVG is built from the page address only, so it is safe to inline.
    context = {"product": product, "qr_svg": _qr(request, product).svg_inline(scale=4, title=_title(product))}
    return render(request, "market/catalog_detail.html", context)


def catalog_qr(request: HttpRequest, pk: int) -> HttpResponse:
    product = _listed(pk)
    out = io.BytesIO()
    _qr(request, product).save(out, kind="svg", scale=8, title=_title(product))
    return HttpResponse(out.getvalue(), content_type="image/svg+xml")
