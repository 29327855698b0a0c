"""The 以购助扶成果统计表 page with drill-down, its XLSX/CSV/JSON exports, and the chart page."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.utils.http import content_disposition_header

from yigou.accounts.scope import can
from yigou.core.errors import DomainError, NotFoundError, PermissionDeniedError
from yigou.ledger import render as table_render
from yigou.ledger import selectors
from yigou.ledger.charts import charts
from yigou.ledger.columns import COLUMNS
from yigou.ledger.table import Row, StatsTable
from yigou.regions import selectors as region_selectors
from yigou.regions.enums import Level
from yigou.reporting.selectors import merged_stats_table

from .common import domain_errors, paginate

EXPORTS = {
    "xlsx": (table_render.render_xlsx, table_render.XLSX_CONTENT_TYPE),
    "csv": (table_render.render_csv, table_render.CSV_CONTENT_TYPE),
    "json": (lambda t: table_render.render_json(t).encode("utf-8"), table_render.JSON_CONTENT_TYPE),
}


def default_period(today: dt.date | None = None, latest: dt.date | None = None) -> str:
    """The year so far (the 累计 figure a bulletin reports) — of the latest year with purchases, when older."""
    end = today or dt.date.today()
    if latest is not None and latest.year < end.year:
        end = latest
    return f"{end.year}-01" if end.month == 1 else f"{end.year}-01..{end.year}-{end.month:02d}"


def period_from(get: QueryDict, user: Any = None) -> str:
    """The period the pickers chose (one month, a range of months, or two dates), else ?period=, else the default."""
    mode = get.get("mode", "")
    if mode == "dates" and get.get("start") and get.get("end"):
        return f"{get['start']}..{get['end']}"
    if mode == "range" and get.get("from"):
        start, end = str(get["from"]), str(get.get("to") or get["from"])
        return start if start == end else f"{start}..{end}"
    if mode == "month" and get.get("month"):
        return str(get["month"])
    chosen = get.get("period", "").strip()[:40]
    if chosen:
        return chosen
    return default_period(latest=selectors.latest_purchase_date(user) if user is not None else None)


def _region_code(user: Any, get: QueryDict) -> str:
    code = get.get("region", "").strip()[:12]
    return code or region_selectors.default_region_code(user)


@dataclass
class Cell:
    text: str
    kind: str


def _cells(row: Row) -> list[Cell]:
    cells = []
    for column in COLUMNS:
        value = row.values[column.code]
        text = f"{value:,.2f}" if isinstance(value, Decimal) else f"{int(value):,}"
        cells.append(Cell(text, column.kind))
    return cells


def _pickers(table: StatsTable, get: QueryDict) -> dict[str, str]:
    period = table.period
    mode = get.get("mode") or (
        "month" if period.single_month else "range" if period.month_aligned else "dates"
    )
    return {
        "mode": mode,
        "month": f"{period.start:%Y-%m}",
        "from": f"{period.start:%Y-%m}",
        "to": f"{period.end:%Y-%m}",
        "start": f"{period.start:%Y-%m-%d}",
        "end": f"{period.end:%Y-%m-%d}",
    }


def _table_context(request: HttpRequest, table: StatsTable) -> dict[str, Any]:
    period_text = table_render.period_text(table)
    region = table.region
    context: dict[str, Any] = {
        "table": table,
        "title": table_render.title(table),
        "period_text": period_text,
        "groups": table_render.header_groups(),
        "row_heading": table_render.row_heading(table),
        "rows": [(row, _cells(row)) for row in table.rows],
        "total_cells": _cells(table.total),
        "crumbs": region_selectors.visible_ancestors(request.user, region),
        "pickers": _pickers(table, request.GET),
        "can_export": can(request.user, "export"),
        "is_village": region.level == Level.VILLAGE,
    }
    if context["is_village"]:
        qs = selectors.purchases(request.user, region=region.code, period=table.period)
        context["page"] = paginate(request, qs.prefetch_related("lines"))
    return context


def _table(request: HttpRequest) -> StatsTable:
    return merged_stats_table(
        request.user, _region_code(request.user, request.GET), period_from(request.GET, request.user)
    )


@login_required
@domain_errors
def stats_page(request: HttpRequest) -> HttpResponse:
    try:
        table = _table(request)
    except (PermissionDeniedError, NotFoundError):
        raise
    except DomainError as exc:
        context = {"error": exc.message, "pickers": {"mode": request.GET.get("mode", "range")}}
        return render(request, "www/stats/table.html", context, status=400)
    return render(request, "www/stats/table.html", _table_context(request, table))


@login_required
@domain_errors
def stats_export(request: HttpRequest, fmt: str) -> HttpResponse:
    if fmt not in EXPORTS or not can(request.user, "export"):
        raise PermissionDenied("无权导出。")
    try:
        table = _table(request)
    except (PermissionDeniedError, NotFoundError):
        raise
    except DomainError as exc:
        return HttpResponse(exc.message, status=400, content_type="text/plain; charset=utf-8")
    writer, content_type = EXPORTS[fmt]
    response = HttpResponse(writer(table), content_type=content_type)
    name = table_render.filename(table, fmt)
    response["Content-Disposition"] = content_disposition_header(fmt != "json", name) or ""
    return response


def _series(pairs: list[tuple[str, Decimal]]) -> dict[str, list[Any]]:
    return {"labels": [label for label, _ in pairs], "values": [float(v) for _, v in pairs]}


@login_required
@domain_errors
def stats_chart(request: HttpRequest) -> HttpResponse:
    code, period_text = _region_code(request.user, request.GET), period_from(request.GET, request.user)
    try:
        data = charts(request.user, code, period_text)
    except (PermissionDeniedError, NotFoundError):
        raise
    except DomainError as exc:
        return render(request, "www/stats/chart.html", {"error": exc.message}, status=400)
    series = {
        "by_month": _series(data.by_month),
        "by_channel": _series(data.by_channel),
        "by_child": _series(data.by_child),
    }
    context = {
        "data": data,
        "series": series,
        "series_json": json.dumps(series, ensure_ascii=False),
        "title": f"{data.region.name}{data.period.label}以购助扶购买金额图表",
        "period_text": period_text,
    }
    return render(request, "www/stats/chart.html", context)
