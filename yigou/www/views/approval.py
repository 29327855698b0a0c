"""Approval pages: submissions with their history, submit / approve / return / unlock, the completeness and
timeliness table (page and XLSX), and the bulletin (简报) as DOCX or PDF."""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, QueryDict
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import path
from django.views.decorators.http import require_POST

from yigou.accounts.scope import can
from yigou.approval import bulletin as bulletins
from yigou.approval import exports, selectors, services
from yigou.approval.chain import form_of, parse_month
from yigou.approval.enums import State
from yigou.core.errors import DomainError, NotFoundError, PermissionDeniedError
from yigou.plans import selectors as plan_selectors
from yigou.regions import selectors as region_selectors
from yigou.regions.checks import get_region
from yigou.regions.enums import Level

from .common import View, domain_errors, file_download, paginate, region_options
from .stats import period_from

SORTS = ("period", "region", "state", "submitted")


def default_month(today: dt.date | None = None) -> str:
    """Reports are about the month just ended (due by the 5th of this one)."""
    day = (today or dt.date.today()).replace(day=1) - dt.timedelta(days=1)
    return f"{day:%Y-%m}"


def _month(get: QueryDict) -> tuple[str, int, int]:
    text = get.get("month", "").strip()[:7] or default_month()
    year, month = parse_month(text)
    return f"{year}-{month:02d}", year, month


def refusals_answered(answer: Callable[..., HttpResponse]) -> Callable[[View], View]:
    """Bad input and illegal moves are answered by `answer(request, message, **kwargs)` (a page with the message,
    a message and a redirect, or plain text); out-of-scope and forbidden go on to `domain_errors` (404/403)."""

    def decorate(view: View) -> View:
        @functools.wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            try:
                return view(request, *args, **kwargs)
            except (PermissionDeniedError, NotFoundError):
                raise
            except DomainError as exc:
                return answer(request, exc.message, **kwargs)

        return wrapped

    return decorate


def _plain(request: HttpRequest, message: str, **kwargs: Any) -> HttpResponse:
    return HttpResponse(message, status=400, content_type="text/plain; charset=utf-8")


def _page(template: str) -> Callable[..., HttpResponse]:
    def answer(request: HttpRequest, message: str, **kwargs: Any) -> HttpResponse:
        options = region_options(request.user, include_home=True, deepest=Level.TOWNSHIP)
        return render(request, template, {"error": message, "region_options": options}, status=400)

    return answer


def _back_to_detail(request: HttpRequest, message: str, pk: int = 0, **kwargs: Any) -> HttpResponse:
    messages.error(request, message)
    return redirect("www:approval", pk=pk)


def _back_from_submit(request: HttpRequest, message: str, **kwargs: Any) -> HttpResponse:
    messages.error(request, message)
    back = request.POST.get("back", "")
    # Only back to an approval page of this site: never an address taken from the form elsewhere.
    return redirect(back if back.startswith("/approval/") and "//" not in back else "www:approvals")


def _own(request: HttpRequest, year: int, month: int) -> dict[str, Any] | None:
    """The user's own region's report for the month, when the user may submit it."""
    org = getattr(request.user, "organisation", None)
    if org is None or not can(request.user, "approval.submit"):
        return None
    found = selectors.submissions(request.user, region=org.region_id, year=year, month=month)
    mine = found.filter(region_id=org.region_id).first()
    return {"region": org.region, "submission": mine, "state": State(mine.state if mine else State.DRAFT)}


@login_required
@domain_errors
@refusals_answered(_page("approval/list.html"))
def approval_list(request: HttpRequest) -> HttpResponse:
    selectors.ensure_may_view(request.user)
    get = request.GET
    sort = get.get("sort", "period") if get.get("sort", "period") in SORTS else "period"
    region, state, q = get.get("region", "").strip()[:12], get.get("state", ""), get.get("q", "").strip()[:40]
    month_text, year, month = _month(get)
    qs = selectors.submissions(
        request.user,
        region=region,
        year=year if get.get("month") else None,
        month=month if get.get("month") else None,
        state=state,
        q=q,
        sort=sort,
    )
    if get.get("export") == "xlsx":
        return file_download(exports.submissions_xlsx(qs[:10000]), "上报审核.xlsx")
    context = {
        "page": paginate(request, qs),
        "region": region,
        "state": state,
        "q": q,
        "month": get.get("month", ""),
        "own_month": month_text,
        "own": _own(request, year, month),
        "states": State.choices,
        "region_options": region_options(request.user, include_home=True, deepest=Level.TOWNSHIP),
        "export_query": get.urlencode(),
    }
    return render(request, "approval/list.html", context)


def _decide_context(request: HttpRequest, submission: Any) -> dict[str, bool]:
    try:
        services.check_may_decide(request.user, submission.region)
        may_decide = True
    except PermissionDeniedError:
        may_decide = False
    try:
        services.check_may_submit(request.user, submission.region)
        may_submit = True
    except PermissionDeniedError:
        may_submit = False
    return {"may_decide": may_decide, "may_submit": may_submit}


@login_required
@domain_errors
def approval_detail(request: HttpRequest, pk: int) -> HttpResponse:
    submission = selectors.submission(request.user, pk)
    children = selectors.completeness(
        request.user, submission.region_id, submission.year, submission.month, submission.form_code
    )
    context = {
        "submission": submission,
        "steps": list(submission.steps.select_related("actor")),
        "children": children,
        "form_name": form_of(submission.form_code).name,
        "decidable": submission.state in (State.SUBMITTED, State.RESUBMITTED),
        "approved": submission.state == State.APPROVED,
        "resubmittable": submission.state in (State.RETURNED, State.UNLOCKED, State.DRAFT),
        **_decide_context(request, submission),
    }
    return render(request, "approval/detail.html", context)


@login_required
@require_POST
@domain_errors
@refusals_answered(_back_from_submit)
def approval_submit(request: HttpRequest) -> HttpResponse:
    region = get_region(request.POST.get("region", "").strip()[:12])
    year, month = parse_month(request.POST.get("month", "").strip()[:7])
    submission = services.submission_submit(actor=request.user, region=region, year=year, month=month)
    messages.success(request, f"已上报{submission}的数据，等待上级审核。")
    return redirect("www:approval", pk=submission.pk)


DECISIONS = {
    "approve": (
        lambda actor, s, reason: services.submission_approve(actor=actor, submission=s),
        "已审核通过并锁定",
    ),
    "return": (
        lambda actor, s, reason: services.submission_return(actor=actor, submission=s, reason=reason),
        "已退回",
    ),
    "unlock": (
        lambda actor, s, reason: services.submission_unlock(actor=actor, submission=s, reason=reason),
        "已解锁",
    ),
}


@login_required
@require_POST
@domain_errors
@refusals_answered(_back_to_detail)
def approval_decide(request: HttpRequest, pk: int) -> HttpResponse:
    submission = selectors.submission(request.user, pk)
    decision = DECISIONS.get(request.POST.get("action", ""))
    if decision is None:
        raise DomainError("invalid_input", detail="请选择审核操作")
    apply, done = decision
    apply(request.user, submission, request.POST.get("reason", "")[:500])
    messages.success(request, f"{submission}{done}。")
    return redirect("www:approval", pk=pk)


def _completeness(request: HttpRequest) -> selectors.Completeness:
    user = request.user
    code = request.GET.get("region", "").strip()[:12]
    if not code:
        org = getattr(user, "organisation", None)
        if org is None:
            raise DomainError("invalid_input", detail="请选择区域")
        code = org.region_id
    _, year, month = _month(request.GET)
    return selectors.completeness(user, code, year, month)


@login_required
@domain_errors
@refusals_answered(_page("approval/completeness.html"))
def completeness_page(request: HttpRequest) -> HttpResponse:
    selectors.ensure_may_view(request.user)
    table = _completeness(request)
    context = {
        "table": table,
        "title": exports.completeness_title(table),
        "month": f"{table.year}-{table.month:02d}",
        "region_options": region_options(request.user, include_home=True, deepest=Level.TOWNSHIP),
    }
    return render(request, "approval/completeness.html", context)


@login_required
@domain_errors
@refusals_answered(_plain)
def completeness_export(request: HttpRequest) -> HttpResponse:
    selectors.ensure_may_view(request.user)
    table = _completeness(request)
    return file_download(exports.completeness_xlsx(table), f"{exports.completeness_title(table)}.xlsx")


def _bulletin_options(get: QueryDict) -> dict[str, Any]:
    issue_text = get.get("issue", "1").strip() or "1"
    if not issue_text.isdigit():
        raise DomainError("invalid_input", detail=f"期号“{issue_text[:10]}”必须是正整数")
    date_text = get.get("date", "").strip()
    try:
        date = dt.date.fromisoformat(date_text) if date_text else None
    except ValueError:
        raise DomainError("invalid_input", detail=f"日期“{date_text[:20]}”无效，应写作 2018-05-05") from None
    scheme_text = get.get("scheme", "").strip()
    if scheme_text and not scheme_text.isdigit():
        raise DomainError("invalid_input", detail=f"考核方案“{scheme_text[:10]}”无效")
    return {
        "issue": int(issue_text),
        "office": get.get("office", "").strip()[:100],
        "date": date,
        "scheme": int(scheme_text) if scheme_text else None,
    }


def _bulletin(request: HttpRequest) -> bulletins.Bulletin:
    code = request.GET.get("region", "").strip()[:12]
    if not code and region_selectors.must_choose_region(request.user):
        raise DomainError("invalid_input", detail="请选择区域")
    return bulletins.bulletin_for(
        request.user, code, period_from(request.GET, request.user), **_bulletin_options(request.GET)
    )


@login_required
@domain_errors
@refusals_answered(_page("approval/bulletin.html"))
def bulletin_page(request: HttpRequest) -> HttpResponse:
    selectors.ensure_may_view(request.user)
    options = {
        "region_options": region_options(request.user, include_home=True, deepest=Level.TOWNSHIP),
        "schemes": plan_selectors.bulletin_schemes(request.user),
    }
    if not request.GET.get("region") and region_selectors.must_choose_region(request.user):
        return render(request, "approval/bulletin.html", options)  # first visit: choose a region
    bulletin = _bulletin(request)
    scheme = _bulletin_options(request.GET)["scheme"]
    period_text = bulletins.table_render.period_text(bulletin.table)
    context = {
        "bulletin": bulletin,
        "query": _bulletin_query(bulletin, scheme),
        "scheme": scheme,
        "period_text": period_text,
        **options,
    }
    return render(request, "approval/bulletin.html", context)


def _bulletin_query(b: bulletins.Bulletin, scheme: int | None = None) -> str:
    params = QueryDict(mutable=True)
    params.update(
        {
            "region": b.table.region.code,
            "period": bulletins.table_render.period_text(b.table),
            "issue": str(b.issue),
            "office": b.office,
            "date": f"{b.date:%Y-%m-%d}",
        }
    )
    if scheme:
        params["scheme"] = str(scheme)
    return params.urlencode()


@login_required
@domain_errors
@refusals_answered(_plain)
def bulletin_download(request: HttpRequest, fmt: str) -> HttpResponse:
    selectors.ensure_may_view(request.user)
    if fmt not in ("docx", "pdf"):
        raise NotFoundError()
    bulletin = _bulletin(request)
    if fmt == "pdf":
        return file_download(
            bulletins.render_pdf(bulletin), bulletin.filename("pdf"), bulletins.PDF_CONTENT_TYPE
        )
    return file_download(
        bulletins.render_docx(bulletin), bulletin.filename("docx"), bulletins.DOCX_CONTENT_TYPE
    )


# Included under approval/ by yigou/www/urls.py (names in the www namespace).
urlpatterns = [
    path("", approval_list, name="approvals"),
    path("submit/", approval_submit, name="approval_submit"),
    path("<int:pk>/", approval_detail, name="approval"),
    path("<int:pk>/decide/", approval_decide, name="approval_decide"),
    path("completeness/", completeness_page, name="approval_completeness"),
    path("completeness/export/", completeness_export, name="approval_completeness_export"),
    path("bulletin/", bulletin_page, name="bulletin"),
    path("bulletin/<str:fmt>/", bulletin_download, name="bulletin_download"),
]
