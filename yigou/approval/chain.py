"""Who reports to whom: the region tree, and the forms the reporting app defines (when it is installed)."""

from __future__ import annotations

from yigou.core.errors import DomainError
from yigou.core.periods import parse_period
from yigou.regions.models import Region
from yigou.reporting.builtin import ensure_builtin_form
from yigou.reporting.models import Form

from .models import DEFAULT_FORM


def form_of(form_code: str) -> Form:
    """The reporting app's form of that code (the built-in one is created on first use)."""
    if form_code == DEFAULT_FORM:
        return ensure_builtin_form()
    form = Form.objects.filter(code=form_code).first()
    if form is None:
        raise DomainError("invalid_input", detail=f"报表“{form_code}”不存在")
    return form


def form_levels(form_code: str) -> list[int]:
    """The region levels that fill the form."""
    return [int(level) for level in (form_of(form_code).levels or [])]


def reporting_children(region: Region, form_code: str) -> list[Region]:
    """The children whose approval the parent's own approval waits for: the direct children of a level that
    fills the form (all direct children when the form names no levels)."""
    children = list(region.children.order_by("code"))
    levels = form_levels(form_code)
    return [c for c in children if c.level in levels] if levels else children


def parse_month(text: str) -> tuple[int, int]:
    """Approval goes month by month: "2018-04"."""
    period = parse_period(text)
    if not period.single_month:
        raise DomainError("invalid_input", detail=f"审核按月进行，请指定一个月份，如 2018-04（收到“{text}”）")
    return period.start.year, period.start.month
