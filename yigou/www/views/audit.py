"""The audit log, for the roles that supervise: every entry of the user's region, newest first."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from yigou.accounts.scope import can, restrict
from yigou.core.models import AuditEntry

from .common import paginate

TARGET_TYPES = [
    ("registry.household", "农户"),
    ("registry.member", "家庭成员"),
    ("registry.producer", "经营主体"),
    ("assist.assistingunit", "帮扶单位"),
    ("assist.cadre", "帮扶干部"),
    ("assist.unitvillagepairing", "单位结对村"),
    ("assist.cadrehouseholdpairing", "干部结对户"),
    ("accounts.user", "用户"),
]

ACTIONS = [
    ("create", "新增"),
    ("update", "修改"),
    ("reveal", "查看完整信息"),
    ("member_add", "增员"),
    ("member_remove", "减员"),
    ("evidence", "上传佐证材料"),
    ("pair", "结对"),
    ("unpair", "解除结对"),
    ("linkage_add", "新增带贫联结"),
    ("linkage_end", "结束带贫联结"),
    ("coop_member_add", "新增社员"),
    ("cadre_add", "新增干部"),
    ("event:", "状态事件（全部）"),
    ("step:", "识别程序（全部）"),
]


def _date(text: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        return None


def _day_start(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def filtered_entries(request: HttpRequest) -> QuerySet[AuditEntry]:
    get = request.GET
    qs = restrict(request.user, AuditEntry.objects.all())
    action = get.get("action", "")
    if action.endswith(":"):
        qs = qs.filter(action__startswith=action)
    elif action:
        qs = qs.filter(action=action)
    if get.get("target_type"):
        qs = qs.filter(target_type=get["target_type"])
    since, until = _date(get.get("since", "")), _date(get.get("until", ""))
    if since:
        qs = qs.filter(at__gte=_day_start(since))
    if until:
        qs = qs.filter(at__lt=_day_start(until + dt.timedelta(days=1)))
    return qs.order_by("-at", "-id")


@login_required
def audit_log(request: HttpRequest) -> HttpResponse:
    if not can(request.user, "audit.view"):
        raise PermissionDenied("无权查看审计日志。")
    page = paginate(request, filtered_entries(request))
    context = {
        "page": page,
        "actions": ACTIONS,
        "target_types": TARGET_TYPES,
        "action": request.GET.get("action", ""),
        "target_type": request.GET.get("target_type", ""),
        "since": request.GET.get("since", ""),
        "until": request.GET.get("until", ""),
        "labels": dict(ACTIONS + TARGET_TYPES),
    }
    return render(request, "www/audit/list.html", context)
