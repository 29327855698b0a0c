"""Small template helpers for the list pages: sortable headers and readable audit actions."""

from __future__ import annotations

from django import template
from django.http import HttpRequest
from django.utils.html import format_html

from yigou.registry.enums import EventKind, IdentificationStepKind

register = template.Library()


@register.simple_tag(takes_context=True)
def sort_header(context: template.Context, key: str, label: str) -> str:
    """A column header that sorts by `key`, and by `-key` when it already does; the page resets to 1."""
    request: HttpRequest = context["request"]
    current = request.GET.get("sort", "")
    params = request.GET.copy()
    params.pop("page", None)
    params["sort"] = f"-{key}" if current == key else key
    arrow = "▲" if current == key else "▼" if current == f"-{key}" else ""
    return format_html(
        '<a href="?{}" class="sort{}">{}{}</a>', params.urlencode(), " on" if arrow else "", label, arrow
    )


@register.simple_tag(takes_context=True)
def page_url(context: template.Context, number: int) -> str:
    params = context["request"].GET.copy()
    params["page"] = number
    return "?" + params.urlencode()


@register.filter
def action_label(action: str, labels: dict[str, str] | None = None) -> str:
    kind, _, value = action.partition(":")
    if kind == "event" and value in EventKind.values:
        return f"状态事件：{EventKind(value).label}"
    if kind == "step" and value in IdentificationStepKind.values:
        return f"识别程序：{IdentificationStepKind(value).label}"
    return (labels or {}).get(action, action)
