"""Benefit distribution pages (收益分配): the list of distributions (filters, XLSX), a new cooperative surplus plan,
a distribution with its working, parts, 公示 objections and the steps the user may take, and a household's
statement. Every decision is the benefits app's; these views only translate requests."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.http import urlencode
from django.views.decorators.http import require_POST

from yigou.accounts.scope import can, named_row
from yigou.benefits import flow, importing, piecework, plans, selectors
from yigou.benefits.enums import Kind, Status
from yigou.benefits.models import Distribution
from yigou.core.errors import DomainError, NotFoundError, PermissionDeniedError
from yigou.core.xlsx import Sheet, write_workbook
from yigou.registry.models import Household

from .benefits_upload import handle_upload, refuse_unless_told
from .common import domain_errors, file_download, paginate


class SurplusForm(forms.Form):
    producer = forms.ChoiceField(label="合作社")
    year = forms.IntegerField(label="年度", min_value=2014, max_value=2100)
    surplus = forms.DecimalField(label="当年盈余（元）", max_digits=14, decimal_places=2)
    reserve_rate = forms.DecimalField(label="提取公积金比例（%）", max_digits=5, decimal_places=2, initial=10)
    trading_rate = forms.DecimalField(
        label="按交易额返还比例（%，不低于60）", max_digits=5, decimal_places=2, initial=60
    )

    def __init__(self, *args: Any, producers: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["producer"].choices = producers  # type: ignore[attr-defined]


class BatchForm(forms.Form):
    producer = forms.ChoiceField(label="企业")
    year = forms.IntegerField(label="年度", min_value=2014, max_value=2100)

    def __init__(self, *args: Any, producers: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["producer"].choices = producers  # type: ignore[attr-defined]


def _filters(request: HttpRequest) -> dict[str, str]:
    get = request.GET
    return {
        "kind": get.get("kind", "")[:12],
        "status": get.get("status", "")[:20],
        "year": get.get("year", "").strip()[:4],
        "q": get.get("q", "").strip()[:50],
    }


def list_xlsx(rows: Any) -> bytes:
    headers = ["名称", "类型", "年度", "所属区划", "状态", "分配总额（元）", "兑付日期"]
    body = [
        [r.title, r.get_kind_display(), r.year, r.region.name, r.get_status_display(), str(r.total),
         r.paid_on.isoformat() if r.paid_on else ""]
        for r in rows
    ]  # fmt: skip
    return write_workbook([Sheet(name="收益分配", headers=headers, rows=body, title="收益分配")])


@login_required
@domain_errors
def distribution_list(request: HttpRequest) -> HttpResponseBase:
    f = _filters(request)
    rows = selectors.distributions(request.user, **f)
    if request.GET.get("export") == "xlsx":
        if not can(request.user, "export"):
            raise PermissionDeniedError()
        return file_download(list_xlsx(rows[:10000]), f"收益分配_{dt.date.today()}.xlsx")
    context = {
        "page": paginate(request, rows),
        "f": f,
        "kind_options": Kind.choices,
        "status_options": Status.choices,
        "may_plan": can(request.user, "benefits.manage"),
        "can_export": can(request.user, "export"),
        "export_query": urlencode({**f, "export": "xlsx"}),
    }
    return render(request, "www/benefits/list.html", context)


def _choices(rows: Any) -> list[tuple[str, str]]:
    return [(str(p.pk), p.name) for p in rows]


@login_required
@domain_errors
def surplus_new(request: HttpRequest) -> HttpResponseBase:
    if not can(request.user, "benefits.manage"):
        raise PermissionDeniedError()
    producers = _choices(selectors.cooperatives(request.user))
    form = SurplusForm(request.POST or None, producers=producers, initial={"year": dt.date.today().year - 1})
    error = ""
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            producer = selectors.cooperative(request.user, int(data["producer"]))
            row = plans.surplus_plan(
                actor=request.user, producer=producer, year=data["year"], surplus=data["surplus"],
                reserve_rate=data["reserve_rate"], trading_rate=data["trading_rate"],
            )  # fmt: skip
        except DomainError as exc:
            refuse_unless_told(exc)
            error = exc.message
        else:
            messages.success(request, f"已制定方案：{row.title}。")
            return redirect("www:benefit", pk=row.pk)
    status = 400 if error or (request.method == "POST" and not form.is_valid()) else 200
    context = {"form": form, "error": error, "title": "制定合作社盈余分配方案", "submit": "制定方案"}
    return render(request, "www/benefits/form.html", context, status=status)


@login_required
@domain_errors
def batch_new(request: HttpRequest) -> HttpResponseBase:
    if not can(request.user, "benefits.manage"):
        raise PermissionDeniedError()
    form = BatchForm(request.POST or None, producers=_choices(selectors.producers(request.user)))
    error = ""
    if request.method == "POST" and form.is_valid():
        try:
            producer = named_row(
                request.user, selectors.producers(request.user), form.cleaned_data["producer"], field="producer",
                label="企业",
            )  # fmt: skip
            assert producer is not None
            row = piecework.batch_create(
                actor=request.user, producer=producer, year=form.cleaned_data["year"]
            )
        except DomainError as exc:
            refuse_unless_told(exc)
            error = exc.message
        else:
            messages.success(request, f"已建立批次：{row.title}。请导入计件工资。")
            return redirect("www:benefit", pk=row.pk)
    context = {"form": form, "error": error, "title": "新建计件工资批次", "submit": "建立批次"}
    return render(request, "www/benefits/form.html", context, status=400 if error else 200)


def _may(request: HttpRequest, row: Distribution) -> dict[str, bool]:
    user, status = request.user, row.status
    manage = can(user, "benefits.manage")
    return {
        "compute": manage and status in plans.EDITABLE and not row.corrects_id,
        "holder": status == Status.COMPUTED and flow.may_approve_as_holder(user, row),
        "township": status == Status.HOLDER_APPROVED and can(user, "benefits.review")
        and flow.may_approve_as_township(user, row),
        "back": status in (Status.COMPUTED, Status.HOLDER_APPROVED, Status.TOWNSHIP_APPROVED)
        and can(user, "benefits.approve")
        and (flow.may_approve_as_holder(user, row) or flow.may_approve_as_township(user, row)),
        "publish": status == Status.TOWNSHIP_APPROVED and can(user, "benefits.review")
        and flow.may_approve_as_township(user, row),
        "object": status == Status.PUBLISHED and can(user, "benefits.object"),
        "answer": status == Status.PUBLISHED and can(user, "benefits.review") and flow.may_approve_as_township(user, row),
        "pay": status == Status.PUBLISHED and can(user, "benefits.pay"),
        "correct": status == Status.PAID and manage,
        "import": row.kind == Kind.PIECEWORK and status in plans.EDITABLE and manage,
    }  # fmt: skip


@login_required
@domain_errors
def distribution_detail(request: HttpRequest, pk: int, **extra: Any) -> HttpResponseBase:
    row = selectors.distribution(request.user, pk)
    q = request.GET.get("q", "").strip()[:50]
    lines = selectors.allocations(row, q)
    if request.GET.get("export") == "xlsx":
        if not can(request.user, "export"):
            raise PermissionDeniedError()
        return file_download(notice_xlsx(row, lines), f"{row.title}_公示表.xlsx")
    context = {
        "row": row,
        "page": paginate(request, lines),
        "q": q,
        "may": _may(request, row),
        "uses": row.uses.select_related("village"),
        "pieces": selectors.piecework(row)[:500],
        "objections": row.objections.select_related("household", "raised_by", "answered_by"),
        "events": row.events.select_related("actor"),
        "households": row.allocations.exclude(household=None).values_list("household_id", "name").distinct(),
        "corrections": row.corrections.order_by("id"),
        "can_export": can(request.user, "export"),
        **extra,
    }
    return render(request, "www/benefits/detail.html", context, status=400 if extra.get("error") else 200)


def notice_xlsx(row: Distribution, lines: Any) -> bytes:
    """The 公示表: names and amounts only — no ID numbers or phones are ever published."""
    headers = ["受益人", "分配项目", "分配依据", "金额（元）", "收入构成"]
    body = [
        [a.name, a.get_part_display(), a.basis_label, str(a.amount), a.get_component_display()] for a in lines
    ]
    body.append(["合计", "", "", str(row.total), ""])
    return write_workbook([Sheet(name="公示表", headers=headers, rows=body, title=row.title)])


STEPS = {
    "compute": ("测算完成", lambda u, r, n: plans.distribution_compute(actor=u, distribution=r)),
    "holder": ("经营主体审核通过", lambda u, r, n: flow.approve_holder(actor=u, distribution=r, note=n)),
    "township": ("乡镇审核通过", lambda u, r, n: flow.approve_township(actor=u, distribution=r, note=n)),
    "back": ("已退回修改", lambda u, r, n: flow.send_back(actor=u, distribution=r, reason=n)),
    "publish": ("已公示", lambda u, r, n: flow.publish(actor=u, distribution=r)),
}


@login_required
@require_POST
@domain_errors
def distribution_step(request: HttpRequest, pk: int, step: str) -> HttpResponseBase:
    row = selectors.distribution(request.user, pk)
    if step not in STEPS and step != "pay":
        raise NotFoundError()
    note = request.POST.get("note", "")[:300]
    try:
        if step == "pay":
            row, done = flow.pay(actor=request.user, distribution=row)
            text = (
                f"已兑付 {row.total} 元，收入已记入农户收入台账。"
                if done
                else "该分配此前已兑付，未重复兑付。"
            )
        else:
            label, run = STEPS[step]
            row = run(request.user, row, note)
            text = f"{label}。" + (f"公示至 {row.notice_ends}。" if step == "publish" else "")
    except DomainError as exc:
        refuse_unless_told(exc)
        return distribution_detail(request, pk, error=exc.message)
    messages.success(request, text)
    return redirect("www:benefit", pk=row.pk)


@login_required
@require_POST
@domain_errors
def objection_add(request: HttpRequest, pk: int) -> HttpResponseBase:
    row = selectors.distribution(request.user, pk)
    try:
        household = named_row(
            request.user,
            Household.objects.all(),
            request.POST.get("household"),
            field="household",
            label="农户",
        )
        flow.object_to(
            actor=request.user, distribution=row, text=request.POST.get("text", ""), household=household
        )
    except DomainError as exc:
        refuse_unless_told(exc)
        return distribution_detail(request, pk, error=exc.message)
    messages.success(request, "异议已登记，待乡镇答复。")
    return redirect("www:benefit", pk=row.pk)


@login_required
@require_POST
@domain_errors
def objection_answer(request: HttpRequest, pk: int, objection_pk: int) -> HttpResponseBase:
    row = selectors.distribution(request.user, pk)
    objection = row.objections.filter(pk=objection_pk).first()
    if objection is None:
        raise NotFoundError()
    upheld = request.POST.get("upheld") == "1"
    try:
        flow.answer(
            actor=request.user, objection=objection, upheld=upheld, text=request.POST.get("answer", "")
        )
    except DomainError as exc:
        refuse_unless_told(exc)
        return distribution_detail(request, pk, error=exc.message)
    messages.success(request, "异议成立，方案已退回修改。" if upheld else "已答复：异议不成立。")
    return redirect("www:benefit", pk=row.pk)


def _amounts(post: Any) -> dict[int, str]:
    return {
        int(key.removeprefix("amount_")): value.strip()
        for key, value in post.items()
        if key.startswith("amount_") and key.removeprefix("amount_").isdigit() and value.strip()
    }


@login_required
@require_POST
@domain_errors
def distribution_correct(request: HttpRequest, pk: int) -> HttpResponseBase:
    row = selectors.distribution(request.user, pk)
    try:
        fix = flow.correct(
            actor=request.user,
            distribution=row,
            amounts=_amounts(request.POST),
            reason=request.POST.get("reason", ""),
        )
    except DomainError as exc:
        refuse_unless_told(exc)
        return distribution_detail(request, pk, error=exc.message)
    messages.success(request, f"已登记更正：{fix.title}，须经审核、公示后兑付。")
    return redirect("www:benefit", pk=fix.pk)


@login_required
@domain_errors
def piecework_import(request: HttpRequest, pk: int) -> HttpResponseBase:
    row = selectors.distribution(request.user, pk)
    return handle_upload(
        request,
        sheet="计件工资",
        columns=importing.PIECE_COLUMNS,
        run=lambda table, dry: importing.import_piecework(
            actor=request.user, distribution=row, table=table, dry_run=dry
        ),
        page=lambda **extra: distribution_detail(request, pk, **extra),
        done=lambda r: (f"已导入 {r.written} 条计件工资。", redirect("www:benefit", pk=row.pk)),
    )


@login_required
@require_POST
@domain_errors
def piece_remove(request: HttpRequest, pk: int, piece_pk: int) -> HttpResponseBase:
    row = selectors.distribution(request.user, pk)
    piece = row.piecework.filter(pk=piece_pk).first()
    if piece is None:
        raise NotFoundError()
    try:
        piecework.piece_remove(actor=request.user, piece=piece, reason=request.POST.get("reason", ""))
    except DomainError as exc:
        refuse_unless_told(exc)
        return distribution_detail(request, pk, error=exc.message)
    messages.success(request, "已删除该条计件工资，请重新测算。")
    return redirect("www:benefit", pk=row.pk)


@login_required
@domain_errors
def statement(request: HttpRequest, pk: int) -> HttpResponseBase:
    household = selectors.household(request.user, pk)
    data = selectors.household_statement(request.user, household)
    context = {"statement": data, "household": household, "may_see_card": can(request.user, "income.view")}
    return render(request, "www/benefits/statement.html", context)
