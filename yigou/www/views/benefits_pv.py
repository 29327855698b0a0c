"""Village PV station pages: the stations with their output per kW against their peers, a station with its monthly
grid settlement (import), public-welfare posts and attendance, and the year's plan of uses; asset funds with their
yearly plan."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from yigou.accounts.scope import can, named_required, restrict
from yigou.benefits import funds, importing, plans, pv, selectors
from yigou.benefits.enums import FundRule, ReturnMode, UseKind
from yigou.benefits.models import PvStation
from yigou.core.errors import DomainError, NotFoundError, PermissionDeniedError
from yigou.core.tabular import parse_date
from yigou.core.xlsx import Sheet, write_workbook
from yigou.regions.models import Region
from yigou.registry.models import Household, Member

from .benefits_upload import handle_upload, refuse_unless_told
from .common import domain_errors, file_download, paginate, region_options


def _year(request: HttpRequest) -> int:
    text = request.GET.get("year", "").strip()[:4]
    return int(text) if text.isdigit() else dt.date.today().year - 1


@login_required
@domain_errors
def station_list(request: HttpRequest, **extra: Any) -> HttpResponseBase:
    year, q = _year(request), request.GET.get("q", "").strip()[:50]
    outputs = {o.station.pk: o for o in selectors.output_warnings(request.user, year)}
    if request.GET.get("export") == "xlsx":
        if not can(request.user, "export"):
            raise PermissionDeniedError()
        rows = [(s, outputs.get(s.pk)) for s in selectors.stations(request.user, q)[:5000]]
        return file_download(stations_xlsx(rows, year), f"光伏电站{year}年发电_{dt.date.today()}.xlsx")
    page = paginate(request, selectors.stations(request.user, q))
    context = {
        "page": page,
        "rows": [(s, outputs.get(s.pk)) for s in page],
        "year": year,
        "q": q,
        "may_manage": can(request.user, "benefits.manage"),
        "can_export": can(request.user, "export"),
        "region_options": region_options(request.user, include_home=True),
        **extra,
    }
    return render(request, "www/benefits/stations.html", context, status=400 if extra.get("error") else 200)


def stations_xlsx(rows: list[tuple[PvStation, Any]], year: int) -> bytes:
    headers = ["电站", "所在区划", "装机容量（千瓦）", "并网日期", "产权归属", f"{year}年发电量（千瓦时）", "每千瓦发电量",
               "同县中位数", "提示"]  # fmt: skip
    body = [
        [s.name, s.region.name, str(s.capacity_kw), s.grid_date.isoformat(), s.owner,
         str(o.kwh) if o else "", str(o.per_kw) if o else "", str(o.peer_median or "") if o else "",
         "明显低于同县电站" if o and o.warning else ""]
        for s, o in rows
    ]  # fmt: skip
    return write_workbook(
        [Sheet(name="光伏电站", headers=headers, rows=body, title=f"村级光伏扶贫电站{year}年发电")]
    )


def _villages(text: str) -> list[tuple[Region, str]]:
    """Lines of "村代码 比例" (space, comma or colon between)."""
    out = []
    for line in text.splitlines():
        parts = line.replace("，", " ").replace(",", " ").replace(":", " ").replace("：", " ").split()
        if not parts:
            continue
        if len(parts) != 2:
            raise DomainError("invalid_input", detail=f"“{line}”应为“村代码 比例”", field="villages")
        region = Region.objects.filter(code=parts[0]).first()
        if region is None:
            raise DomainError("invalid_input", detail=f"区划代码“{parts[0]}”不存在", field="villages")
        out.append((region, parts[1]))
    return out


@login_required
@require_POST
@domain_errors
def station_new(request: HttpRequest) -> HttpResponseBase:
    post = request.POST
    try:
        region = Region.objects.filter(code=post.get("region", "")[:12]).first()
        if region is None:
            raise DomainError("invalid_input", detail="请选择电站所在乡镇或村", field="region")
        row = pv.station_register(
            actor=request.user, name=post.get("name", ""), region=region, capacity_kw=post.get("capacity_kw", ""),
            grid_date=parse_date(post.get("grid_date", "")), owner=post.get("owner", ""),
            villages=_villages(post.get("villages", "")),
        )  # fmt: skip
    except DomainError as exc:
        refuse_unless_told(exc)
        return station_list(request, error=exc.message)
    messages.success(request, f"已登记电站：{row.name}。")
    return redirect("www:benefit_station", pk=row.pk)


def _members(request: HttpRequest, station: PvStation) -> list[Member]:
    codes = list(station.villages.values_list("village_id", flat=True))
    rows = restrict(request.user, Member.objects.filter(household__village_id__in=codes)).select_related(
        "household"
    )
    return list(rows.order_by("household__number", "id")[:500])


@login_required
@domain_errors
def station_detail(request: HttpRequest, pk: int, **extra: Any) -> HttpResponseBase:
    station = selectors.station(request.user, pk)
    year = _year(request)
    villages = list(station.villages.select_related("village"))
    shares = pv.village_revenue(station, year)
    context = {
        "station": station,
        "year": year,
        "months": selectors.station_months(station, year),
        "revenue": pv.year_revenue(station, year),
        "villages": [(v, shares.get(v.village_id, Decimal("0.00"))) for v in villages],
        "posts": selectors.posts(station),
        "post_rows": _post_rows(station, year),
        "members": _members(request, station),
        "use_kinds": [k for k in UseKind if k != UseKind.HANDOUT],
        "plans": station.plans.order_by("-year", "-id"),
        "may_manage": can(request.user, "benefits.manage"),
        **extra,
    }
    return render(request, "www/benefits/station.html", context, status=400 if extra.get("error") else 200)


def _post_rows(station: PvStation, year: int) -> list[tuple[Any, list[Any], Decimal]]:
    """Each post with its months and pay in the year (a list, as templates cannot look dicts up by key)."""
    months, pay = selectors.post_months(station, year), pv.post_pay(station, year)
    return [(p, months.get(p.pk, []), pay.get(p.pk, Decimal("0.00"))) for p in selectors.posts(station)]


def _back(pk: int, year: Any) -> HttpResponseBase:
    response = redirect("www:benefit_station", pk=pk)
    response["Location"] += f"?year={year}"
    return response


@login_required
@domain_errors
def months_import(request: HttpRequest, pk: int) -> HttpResponseBase:
    station = selectors.station(request.user, pk)
    return handle_upload(
        request,
        sheet="发电结算",
        columns=importing.PV_COLUMNS,
        run=lambda table, dry: importing.import_pv_months(
            actor=request.user, station=station, table=table, dry_run=dry
        ),
        page=lambda **extra: station_detail(request, pk, **extra),
        done=lambda r: (
            f"已导入 {r.written} 个月的结算，{r.skipped} 个月此前已登记。",
            _back(pk, request.POST.get("year", "")),
        ),
    )


@login_required
@require_POST
@domain_errors
def month_correct(request: HttpRequest, pk: int, month_pk: int) -> HttpResponseBase:
    station = selectors.station(request.user, pk)
    month = station.months.filter(pk=month_pk).first()
    if month is None:
        raise NotFoundError()
    post = request.POST
    try:
        pv.month_correct(
            actor=request.user, month=month, kwh=post.get("kwh", ""), revenue=post.get("revenue", ""),
            reason=post.get("reason", ""),
        )  # fmt: skip
    except DomainError as exc:
        refuse_unless_told(exc)
        return station_detail(request, pk, error=exc.message)
    messages.success(request, f"已更正 {month.year}年{month.month}月的结算。")
    return _back(pk, month.year)


@login_required
@require_POST
@domain_errors
def post_new(request: HttpRequest, pk: int) -> HttpResponseBase:
    station = selectors.station(request.user, pk)
    post = request.POST
    try:
        member = named_required(
            request.user, Member.objects.all(), post.get("member"), field="member", label="人员"
        )
        row = pv.post_create(
            actor=request.user, station=station, village=member.household.village, title=post.get("title", ""),
            member=member, monthly_pay=post.get("monthly_pay", ""), start=parse_date(post.get("start", "")),
        )  # fmt: skip
    except DomainError as exc:
        refuse_unless_told(exc)
        return station_detail(request, pk, error=exc.message)
    messages.success(request, f"已设岗：{row}。")
    return redirect("www:benefit_station", pk=pk)


@login_required
@require_POST
@domain_errors
def post_end(request: HttpRequest, pk: int, post_pk: int) -> HttpResponseBase:
    station = selectors.station(request.user, pk)
    row = selectors.posts(station).filter(pk=post_pk).first()
    if row is None:
        raise NotFoundError()
    try:
        pv.post_end(
            actor=request.user, post=row, end=parse_date(request.POST.get("end", "")),
            reason=request.POST.get("reason", ""),
        )  # fmt: skip
    except DomainError as exc:
        refuse_unless_told(exc)
        return station_detail(request, pk, error=exc.message)
    messages.success(request, f"{row.member.name}已于 {row.end} 离岗。")
    return redirect("www:benefit_station", pk=pk)


@login_required
@require_POST
@domain_errors
def attendance_new(request: HttpRequest, pk: int) -> HttpResponseBase:
    station = selectors.station(request.user, pk)
    post = request.POST
    chosen = str(post.get("post", ""))
    row = selectors.posts(station).filter(pk=int(chosen) if chosen.isdigit() else 0).first()
    try:
        if row is None:
            raise DomainError("invalid_input", detail="请选择岗位", field="post")
        month = pv.attendance_record(
            actor=request.user, post=row, year=post.get("year", ""), month_=post.get("month", ""),
            days_worked=post.get("days_worked", ""), days_required=post.get("days_required", ""),
        )  # fmt: skip
    except DomainError as exc:
        refuse_unless_told(exc)
        return station_detail(request, pk, error=exc.message)
    messages.success(request, f"已登记考勤：{month}。")
    return _back(pk, post.get("year", ""))


def _uses(post: Any, station: PvStation) -> list[pv.UseInput]:
    villages = {v.village_id: v.village for v in station.villages.select_related("village")}
    out = []
    for code, village in villages.items():
        for kind in UseKind.values:
            amount = (post.get(f"use_{code}_{kind}") or "").strip()
            if amount and amount not in ("0", "0.00"):
                out.append(pv.UseInput(village, kind, amount, (post.get(f"note_{code}_{kind}") or "")[:300]))
    return out


@login_required
@require_POST
@domain_errors
def plan_new(request: HttpRequest, pk: int) -> HttpResponseBase:
    station = selectors.station(request.user, pk)
    try:
        row = pv.pv_plan(
            actor=request.user,
            station=station,
            year=request.POST.get("year", ""),
            uses=_uses(request.POST, station),
        )
    except DomainError as exc:
        refuse_unless_told(exc)
        return station_detail(request, pk, error=exc.message)
    messages.success(request, f"已制定方案：{row.title}。")
    return redirect("www:benefit", pk=row.pk)


@login_required
@domain_errors
def fund_list(request: HttpRequest, **extra: Any) -> HttpResponseBase:
    q = request.GET.get("q", "").strip()[:50]
    rows = selectors.funds(request.user)
    rows = rows.filter(name__icontains=q) if q else rows
    context = {
        "page": paginate(request, rows),
        "q": q,
        "may_manage": can(request.user, "benefits.manage"),
        "region_options": region_options(request.user, include_home=True),
        "holders": selectors.producers(request.user).filter(kind__in=("enterprise", "cooperative")),
        "modes": ReturnMode.choices,
        "rules": FundRule.choices,
        **extra,
    }
    return render(request, "www/benefits/funds.html", context, status=400 if extra.get("error") else 200)


def _fund_households(request: HttpRequest, text: str) -> list[tuple[Household, str]]:
    """Lines of "户编号" or "户编号 份数"."""
    out = []
    for line in text.splitlines():
        parts = line.replace(",", " ").replace("，", " ").split()
        if not parts:
            continue
        row = restrict(request.user, Household.objects.filter(number=parts[0])).first()
        if row is None:
            raise DomainError("invalid_input", detail=f"户编号 {parts[0]} 的农户不存在或不在您的管辖范围内")
        out.append((row, parts[1] if len(parts) > 1 else "1"))
    return out


@login_required
@require_POST
@domain_errors
def fund_new(request: HttpRequest) -> HttpResponseBase:
    post = request.POST
    try:
        region = Region.objects.filter(code=post.get("region", "")[:12]).first()
        holder = named_required(
            request.user,
            selectors.producers(request.user),
            post.get("holder"),
            field="holder",
            label="经营主体",
        )
        if region is None:
            raise DomainError("invalid_input", detail="请选择所属区划", field="region")
        fund = funds.fund_create(
            actor=request.user, name=post.get("name", ""), region=region, holder=holder,
            principal=post.get("principal", ""), mode=post.get("mode", ""), rate=post.get("rate", ""),
            rule=post.get("rule", ""), start_year=post.get("start_year", ""),
            households=_fund_households(request, post.get("households", "")),
        )  # fmt: skip
    except DomainError as exc:
        refuse_unless_told(exc)
        return fund_list(request, error=exc.message)
    messages.success(request, f"已登记资产收益项目：{fund.name}。")
    return redirect("www:benefit_funds")


@login_required
@require_POST
@domain_errors
def fund_plan(request: HttpRequest, pk: int) -> HttpResponseBase:
    fund = selectors.funds(request.user).filter(pk=pk).first()
    if fund is None:
        raise NotFoundError()
    try:
        row = plans.fund_plan(
            actor=request.user,
            fund=fund,
            year=request.POST.get("year", ""),
            actual=request.POST.get("actual", ""),
        )
    except DomainError as exc:
        refuse_unless_told(exc)
        return fund_list(request, error=exc.message)
    messages.success(request, f"已制定方案：{row.title}。")
    return redirect("www:benefit", pk=row.pk)
