"""What the benefit pages share: a refused step told in Chinese (a 404 or 403 stays one), and the upload of an
all-or-nothing import — the template on GET, the check or the import on POST, the report shown on the page."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from django.contrib import messages
from django.http import HttpRequest
from django.http.response import HttpResponseBase

from yigou.core.columns import Column, template_bytes
from yigou.core.errors import DomainError, NotFoundError, PermissionDeniedError
from yigou.core.importing import ImportReport
from yigou.core.tabular import Table, read_table

from .common import file_download


def refuse_unless_told(exc: DomainError) -> None:
    """A missing or out-of-scope record stays a 404 and a refused capability a 403; anything else the page tells."""
    if isinstance(exc, PermissionDeniedError | NotFoundError):
        raise exc


def handle_upload(
    request: HttpRequest,
    *,
    sheet: str,
    columns: Sequence[Column],
    run: Callable[[Table, bool], ImportReport],
    page: Callable[..., HttpResponseBase],
    done: Callable[[ImportReport], tuple[str, HttpResponseBase]],
) -> HttpResponseBase:
    if request.method != "POST":
        return file_download(template_bytes(sheet, columns), f"{sheet}导入模板.xlsx")
    upload = request.FILES.get("file")
    if upload is None:
        return page(error="请选择要导入的文件")
    try:
        report = run(read_table(upload.read(), upload.name or ""), request.POST.get("dry_run") == "1")
    except DomainError as exc:
        refuse_unless_told(exc)
        return page(error=exc.message)
    if report.ok and not report.dry_run:
        text, response = done(report)
        messages.success(request, text)
        return response
    error: Any = "" if report.ok else f"导入未执行：共 {len(report.errors)} 处错误，请修改后重新导入。"
    return page(report=report, error=error)
