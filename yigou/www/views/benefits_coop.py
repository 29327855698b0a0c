"""A cooperative's benefit books: its members with their capital accounts, the members' transaction book (entry,
all-or-nothing import with its template, XLSX) and each member's trading volume in the year."""

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

from yigou.accounts.scope import can
from yigou.benefits import book, importing, selectors
from yigou.benefits.enums import AccountKind
from yigou.core.errors import DomainError, PermissionDeniedError
from yigou.core.xlsx import Sheet, write_workbook
from yigou.registry.models import Producer

from .benefits_upload import handle_upload, refuse_unless_told
from .common import domain_errors, file_download, paginate


class BookForm(forms.Form):
    member = forms.ChoiceField(label="社员")
    date = forms.DateField(label="交易日期", widget=forms.DateInput(attrs={"type": "date"}))
    product = forms.CharField(label="产品", max_length=100)
    amount = forms.DecimalField(label="交易额（元）", max_digits=14, decimal_places=2)
    note = forms.CharField(label="说明", max_length=300, required=False)

    def __init__(self, *args: Any, members: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["member"].choices = members  # type: ignore[attr-defined]


class AccountForm(forms.Form):
    member = forms.ChoiceField(label="社员")
    kind = forms.ChoiceField(label="股金类型", choices=AccountKind.choices)
    amount = forms.DecimalField(label="金额（元）", max_digits=14, decimal_places=2, min_value=0)
    min_rate = forms.DecimalField(label="保底收益率（%）", max_digits=6, decimal_places=2, required=False)

    def __init__(self, *args: Any, members: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["member"].choices = members  # type: ignore[attr-defined]


def _member_choices(request: HttpRequest, producer: Producer) -> list[tuple[str, str]]:
    return [(str(m.pk), m.name) for m in selectors.members(request.user, producer)]


def _volumes(producer: Producer, year: int) -> list[dict[str, Any]]:
    members = book.members_in_year(producer, year)
    volumes = book.trading_volumes(producer, year, members)
    return [
        {"member": m, "book": volumes[m.pk][0], "ledger": volumes[m.pk][1], "total": sum(volumes[m.pk])}
        for m in members
    ]


def book_xlsx(producer: Producer, rows: Any) -> bytes:
    headers = ["交易日期", "社员", "产品", "数量", "单位", "交易额（元）", "来源", "说明"]
    body = [
        [r.date.isoformat(), r.member.name, r.product, str(r.quantity or ""), r.unit, str(r.amount),
         r.get_source_display(), r.note]
        for r in rows
    ]  # fmt: skip
    return write_workbook(
        [Sheet(name="社员交易记录", headers=headers, rows=body, title=f"{producer.name}社员交易记录")]
    )


@login_required
@domain_errors
def coop_list(request: HttpRequest) -> HttpResponseBase:
    selectors.ensure_may_view(request.user)
    q = request.GET.get("q", "").strip()[:50]
    rows = selectors.cooperatives(request.user)
    rows = rows.filter(name__icontains=q) if q else rows
    return render(request, "www/benefits/coops.html", {"page": paginate(request, rows), "q": q})


@login_required
@domain_errors
def coop_book(request: HttpRequest, pk: int, **extra: Any) -> HttpResponseBase:
    producer = selectors.cooperative(request.user, pk)
    year_text = request.GET.get("year", "").strip()[:4] or str(dt.date.today().year - 1)
    q = request.GET.get("q", "").strip()[:50]
    rows = selectors.book_entries(request.user, producer, year=year_text, q=q)
    if request.GET.get("export") == "xlsx":
        if not can(request.user, "export"):
            raise PermissionDeniedError()
        return file_download(
            book_xlsx(producer, rows[:20000]), f"{producer.name}{year_text}年社员交易记录.xlsx"
        )
    members = _member_choices(request, producer)
    year = int(year_text) if year_text.isdigit() else dt.date.today().year
    context = {
        "producer": producer,
        "page": paginate(request, rows),
        "year": year_text,
        "q": q,
        "volumes": _volumes(producer, year),
        "accounts": selectors.accounts(request.user, producer),
        "may_manage": can(request.user, "benefits.manage"),
        "can_export": can(request.user, "export"),
        "book_form": extra.pop("book_form", None) or BookForm(members=members),
        "account_form": extra.pop("account_form", None) or AccountForm(members=members),
        "export_query": urlencode({"year": year_text, "q": q, "export": "xlsx"}),
        **extra,
    }
    return render(request, "www/benefits/book.html", context, status=400 if extra.get("error") else 200)


def _member(request: HttpRequest, producer: Producer, pk: Any) -> Any:
    row = selectors.members(request.user, producer).filter(pk=pk).first() if str(pk).isdigit() else None
    if row is None:
        raise DomainError("invalid_input", detail="请选择社员", field="member")
    return row


@login_required
@require_POST
@domain_errors
def book_add(request: HttpRequest, pk: int) -> HttpResponseBase:
    producer = selectors.cooperative(request.user, pk)
    form = BookForm(request.POST, members=_member_choices(request, producer))
    if not form.is_valid():
        return coop_book(request, pk, book_form=form, error="请检查填写的交易记录")
    data = form.cleaned_data
    try:
        book.book_record(
            actor=request.user, producer=producer,
            data=book.BookInput(member=_member(request, producer, data["member"]), date=data["date"],
                                product=data["product"], amount=data["amount"], note=data["note"]),
        )  # fmt: skip
    except DomainError as exc:
        refuse_unless_told(exc)
        return coop_book(request, pk, book_form=form, error=exc.message)
    messages.success(request, "已登记交易记录。")
    return redirect("www:benefit_book", pk=pk)


@login_required
@require_POST
@domain_errors
def account_set(request: HttpRequest, pk: int) -> HttpResponseBase:
    producer = selectors.cooperative(request.user, pk)
    form = AccountForm(request.POST, members=_member_choices(request, producer))
    if not form.is_valid():
        return coop_book(request, pk, account_form=form, error="请检查填写的股金账户")
    data = form.cleaned_data
    try:
        book.capital_account_set(
            actor=request.user, member=_member(request, producer, data["member"]), kind=data["kind"],
            amount=data["amount"], min_rate=data["min_rate"] or "0",
        )  # fmt: skip
    except DomainError as exc:
        refuse_unless_told(exc)
        return coop_book(request, pk, account_form=form, error=exc.message)
    messages.success(request, "已保存股金账户。")
    return redirect("www:benefit_book", pk=pk)


@login_required
@domain_errors
def book_import(request: HttpRequest, pk: int) -> HttpResponseBase:
    producer = selectors.cooperative(request.user, pk)
    return handle_upload(
        request,
        sheet="社员交易记录",
        columns=importing.BOOK_COLUMNS,
        run=lambda table, dry: importing.import_book(
            actor=request.user, producer=producer, table=table, dry_run=dry
        ),
        page=lambda **extra: coop_book(request, pk, **extra),
        done=lambda r: (f"已导入 {r.written} 条交易记录。", redirect("www:benefit_book", pk=pk)),
    )
