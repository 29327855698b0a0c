"""The user's own notices: the list (未读/全部), marking read, and the number text messages go to."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from yigou.core.errors import DomainError
from yigou.core.masking import mask_phone
from yigou.notices import selectors, services

from .common import domain_errors, paginate

SHOW_OPTIONS = [("all", "全部"), ("unread", "未读")]


@login_required
def notice_list(request: HttpRequest) -> HttpResponse:
    show = "unread" if request.GET.get("show") == "unread" else "all"
    rows = selectors.notices(request.user, unread_only=show == "unread")
    context = {
        "page": paginate(request, rows),
        "show": show,
        "show_options": SHOW_OPTIONS,
        "phone": mask_phone(selectors.phone_on_file(request.user)),
    }
    return render(request, "notices/list.html", context)


@login_required
@require_POST
def notice_read_all(request: HttpRequest) -> HttpResponse:
    marked = services.mark_read(request.user)
    messages.success(request, f"已将 {marked} 条消息标为已读。")
    return redirect("www:notices")


@login_required
@require_POST
@domain_errors
def notice_read(request: HttpRequest, pk: int) -> HttpResponse:
    """Mark one of the user's notices read and go where it points (the list when it points nowhere)."""
    notice = selectors.notice(request.user, pk)
    services.mark_read(request.user, [notice.pk])
    safe = url_has_allowed_host_and_scheme(notice.link, allowed_hosts=None) and notice.link.startswith("/")
    return redirect(notice.link if safe else reverse("www:notices"))


@login_required
@require_POST
def notice_phone(request: HttpRequest) -> HttpResponse:
    phone = request.POST.get("phone", "").strip()[:20]
    try:
        services.contact_set(actor=request.user, user=request.user, phone=phone)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        done = f"消息将同时以短信发送至 {mask_phone(phone)}。" if phone else "已停止短信提醒。"
        messages.success(request, done)
    return redirect("www:notices")


urlpatterns = [
    path("notices/", notice_list, name="notices"),
    path("notices/read/", notice_read_all, name="notices_read_all"),
    path("notices/<int:pk>/read/", notice_read, name="notice_read"),
    path("notices/phone/", notice_phone, name="notices_phone"),
]
