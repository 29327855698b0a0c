"""What every page view shares: domain errors as HTTP answers, pagination, and the region pickers."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.utils.http import content_disposition_header

from yigou.core.errors import NotFoundError, PermissionDeniedError
from yigou.core.xlsx import XLSX_CONTENT_TYPE
from yigou.regions import selectors as region_selectors
from yigou.regions.enums import Level
from yigou.regions.models import Region

PAGE_SIZE = 50

View = Callable[..., HttpResponseBase]


def domain_errors(view: View) -> View:
    """An out-of-scope id must look exactly like a missing one (404); a refused capability is a 403."""

    @functools.wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        try:
            return view(request, *args, **kwargs)
        except NotFoundError as exc:
            raise Http404(exc.message) from exc
        except PermissionDeniedError as exc:
            raise PermissionDenied(exc.message) from exc

    return wrapped


def paginate(request: HttpRequest, qs: QuerySet[Any], per_page: int = PAGE_SIZE) -> Page:
    return Paginator(qs, per_page).get_page(request.GET.get("page"))


def _roots(user: Any) -> list[Region]:
    home = region_selectors.home_region(user)
    if home is not None:
        return [home]
    return list(Region.objects.filter(parent__isnull=True).order_by("code"))


def region_options(
    user: Any, *, include_home: bool = False, deepest: int = Level.VILLAGE
) -> list[tuple[str, str]]:
    """Two levels below the user's home region, indented, for the region filters and pickers."""
    options: list[tuple[str, str]] = []
    for root in _roots(user):
        if include_home or region_selectors.home_region(user) is None:
            options.append((root.code, root.name))
        for child in region_selectors.children(root):
            if child.level > deepest:
                continue
            options.append((child.code, f"　{child.name}"))
            for grandchild in region_selectors.children(child):
                if grandchild.level <= deepest:
                    options.append((grandchild.code, f"　　{grandchild.name}"))
    return options


def village_options(user: Any) -> list[tuple[str, str]]:
    """Villages the user may register in: the subtree of the home region (every village for administrators)."""
    home = region_selectors.home_region(user)
    qs = region_selectors.subtree(home.code) if home is not None else Region.objects.all()
    villages = qs.filter(level=Level.VILLAGE).select_related("parent").order_by("code")
    return [(v.code, f"{v.parent.name if v.parent else ''} {v.name}".strip()) for v in villages]


def is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


def file_download(data: bytes, name: str, content_type: str = XLSX_CONTENT_TYPE) -> HttpResponse:
    """An attachment with its Chinese file name intact (RFC 5987), an Excel workbook unless told otherwise."""
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(True, name) or ""
    return response
