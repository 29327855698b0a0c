"""Import and export pages: upload → dry-run report → confirm, template downloads, and XLSX exports.

The uploaded file is kept under VAR_DIR/uploads/<token> between the check and the confirmation, and the
confirmation checks it again from scratch: the database may have changed in between.
"""

from __future__ import annotations

import functools
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_GET, require_http_methods

from yigou.accounts import selectors as account_selectors
from yigou.accounts.scope import can
from yigou.assist.exports import export_units
from yigou.assist.importers import COLUMNS as UNIT_COLUMNS
from yigou.assist.importers import import_units
from yigou.core import jobs
from yigou.core.columns import Column, template_bytes
from yigou.core.errors import DomainError
from yigou.core.importing import ImportReport
from yigou.core.jobs import job_threshold
from yigou.core.tabular import read_table
from yigou.core.xlsx import XLSX_CONTENT_TYPE
from yigou.income.enums import Department
from yigou.income.importing import COLUMNS as INCOME_COLUMNS
from yigou.income.importing import import_income
from yigou.income.screening import COLUMNS as SCREENING_COLUMNS
from yigou.income.screening import import_screening, template_name
from yigou.ledger.bulk.service import purchases_import
from yigou.ledger.bulk.template import purchase_template
from yigou.ledger.tasks import import_purchases_job
from yigou.registry.exports import Export, export_households, export_producers
from yigou.registry.importers import HOUSEHOLD_COLUMNS, PRODUCER_COLUMNS, import_households, import_producers
from yigou.registry.selectors import HOUSEHOLD_SORTS, HouseholdFilter
from yigou.supply.importing import COLUMNS as SUPPLY_COLUMNS
from yigou.supply.importing import import_supply

from .views.common import domain_errors, paginate

SESSION_KEY = "io_import"
MAX_UPLOAD_BYTES = 20 * 1024 * 1024
UPLOAD_SUFFIXES = (".xlsx", ".csv")
UPLOAD_LIFETIME_SECONDS = 24 * 3600


@dataclass(frozen=True)
class ImportKind:
    label: str
    sheet: str
    run: Callable[..., ImportReport]
    columns: list[Column]
    capability: str = "import"
    # Builds the template for the user when its example row depends on what the user may see.
    template: Callable[[Any], bytes] | None = None
    # The Celery task that writes files of at least YIGOU_IMPORT_JOB_THRESHOLD rows in the background.
    job_task: Any = None


IMPORT_KINDS = {
    "households": ImportKind("农户（每名成员一行）", "农户", import_households, HOUSEHOLD_COLUMNS),
    "producers": ImportKind("经营主体", "经营主体", import_producers, PRODUCER_COLUMNS),
    "units": ImportKind("帮扶单位", "帮扶单位", import_units, UNIT_COLUMNS),
    "purchases": ImportKind(
        "购买记录（每条明细一行）",
        "购买记录",
        purchases_import,
        [],
        capability="ledger.record",
        template=purchase_template,
        job_task=import_purchases_job,
    ),
    "supply": ImportKind(
        "供给台账（每个品种一行）", "供给台账", import_supply, SUPPLY_COLUMNS, capability="supply.enter"
    ),
    "income": ImportKind(
        "入户调查收入（每户每项收入一行）",
        "入户调查收入",
        import_income,
        INCOME_COLUMNS,
        capability="income.record",
    ),
    # 部门筛查预警: one kind per department, whose rows mean its risk by default.
    **{
        f"screening_{department.value}": ImportKind(
            f"部门筛查预警：{department.label}",
            template_name(department),
            functools.partial(import_screening, department=department.value),
            SCREENING_COLUMNS,
            capability="monitoring.flag",
        )
        for department in Department
    },
}


def allowed_kinds(user: Any) -> dict[str, ImportKind]:
    return {key: kind for key, kind in IMPORT_KINDS.items() if can(user, kind.capability)}


def _upload_path(token: str) -> Path:
    # The token comes back from the browser: only a well-formed UUID may name a file.
    return Path(settings.VAR_DIR) / "uploads" / uuid.UUID(hex=token).hex


def _sweep(folder: Path) -> None:
    """Uploads hold ID numbers: one left unconfirmed is removed after a day, not kept forever."""
    cutoff = time.time() - UPLOAD_LIFETIME_SECONDS
    for path in folder.iterdir():
        if path.is_file() and path.stat().st_mtime < cutoff:
            path.unlink(missing_ok=True)


def _store(data: bytes) -> str:
    token = uuid.uuid4().hex
    path = _upload_path(token)
    path.parent.mkdir(parents=True, exist_ok=True)
    _sweep(path.parent)
    path.write_bytes(data)
    return token


def _discard(token: str) -> None:
    _upload_path(token).unlink(missing_ok=True)


def _run(actor: Any, kind: ImportKind, data: bytes, filename: str, *, dry_run: bool) -> ImportReport | str:
    """The report, or the Chinese reason why the file could not be read at all."""
    try:
        return kind.run(actor=actor, table=read_table(data, filename), dry_run=dry_run)
    except DomainError as exc:
        return exc.message


def _page(request: HttpRequest, **context: Any) -> HttpResponse:
    kinds = allowed_kinds(request.user)
    kind = context.get("kind") or request.GET.get("kind", "")
    context.update(
        kinds=kinds, kind=kind if kind in kinds else next(iter(kinds)), job_threshold=job_threshold()
    )
    result = context.get("result")
    if isinstance(result, str):
        context.update(result=None, error=result)
    return render(request, "www/io/import.html", context)


def _check(request: HttpRequest) -> HttpResponse:
    key = request.POST.get("kind", "")
    kind, upload = allowed_kinds(request.user).get(key), request.FILES.get("file")
    if key in IMPORT_KINDS and kind is None:
        raise PermissionDenied("无权导入此类数据。")
    if kind is None or upload is None:
        return _page(request, kind=key, error="请选择导入类型并上传文件。")
    name = upload.name or ""
    if not name.lower().endswith(UPLOAD_SUFFIXES):
        return _page(request, kind=key, error="只能上传 XLSX 或 CSV 文件。")
    if (upload.size or 0) > MAX_UPLOAD_BYTES:
        return _page(request, kind=key, error="文件超过 20MB，请分批导入。")
    data = upload.read()
    previous = request.session.get(SESSION_KEY)
    if previous:
        _discard(previous["token"])
    token = _store(data)
    result = _run(request.user, kind, data, name, dry_run=True)
    rows = result.total_rows if isinstance(result, ImportReport) else 0
    request.session[SESSION_KEY] = {"token": token, "kind": key, "filename": name, "rows": rows}
    background = kind.job_task is not None and rows >= job_threshold()
    return _page(
        request, kind=key, result=result, filename=name, token=token, stage="checked", background=background
    )


def _confirm(request: HttpRequest) -> HttpResponse:
    pending = request.session.get(SESSION_KEY)
    if not pending or pending["token"] != request.POST.get("token", ""):
        return _page(request, error="待导入的文件已失效，请重新上传。")
    try:
        data = _upload_path(pending["token"]).read_bytes()
    except (FileNotFoundError, ValueError):
        return _page(request, error="待导入的文件已失效，请重新上传。")
    kind = allowed_kinds(request.user).get(pending["kind"])
    if kind is None:
        raise PermissionDenied("无权导入此类数据。")
    if kind.job_task is not None and pending.get("rows", 0) >= job_threshold():
        return _start_job(request, kind, pending)
    result = _run(request.user, kind, data, pending["filename"], dry_run=False)
    _discard(pending["token"])
    del request.session[SESSION_KEY]
    return _page(request, kind=pending["kind"], result=result, filename=pending["filename"], stage="imported")


def _start_job(request: HttpRequest, kind: ImportKind, pending: dict[str, Any]) -> HttpResponse:
    """Hand the stored upload to a background job (which removes it when done) and show its progress page."""
    job = jobs.job_create(
        actor=request.user,
        kind=pending["kind"],
        file_path=str(_upload_path(pending["token"])),
        filename=pending["filename"],
        total_rows=pending.get("rows", 0),
    )
    del request.session[SESSION_KEY]
    jobs.job_dispatch(job, kind.job_task)
    return redirect("www:import_job", pk=job.pk)


@login_required
@domain_errors
@require_http_methods(["GET", "POST"])
def import_page(request: HttpRequest) -> HttpResponse:
    if not allowed_kinds(request.user):
        raise PermissionDenied("无权导入数据。")
    if request.method == "POST":
        return _confirm(request) if request.POST.get("action") == "confirm" else _check(request)
    return _page(request)


def _xlsx(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    response["Cache-Control"] = "no-store"  # exports carry personal data, even masked
    return response


@login_required
@require_GET
def import_template(request: HttpRequest, kind: str) -> HttpResponse:
    spec = IMPORT_KINDS.get(kind)
    if spec is None:
        raise Http404("没有这种导入模板。")
    if spec.template is not None:
        if not can(request.user, spec.capability):
            raise PermissionDenied("无权导入此类数据。")
        return _xlsx(spec.template(request.user), f"{spec.sheet}导入模板.xlsx")
    return _xlsx(template_bytes(spec.sheet, spec.columns), f"{spec.sheet}导入模板.xlsx")


def _households(user: Any, get: QueryDict, reveal: bool) -> Export:
    sort = get.get("sort", "number")
    flt = HouseholdFilter(
        q=get.get("q", "").strip()[:40],
        region=get.get("region", "").strip()[:12],
        status=get.get("status", ""),
        monitor_type=get.get("monitor_type", ""),
        sort=sort if sort in HOUSEHOLD_SORTS else "number",
    )
    return export_households(actor=user, flt=flt, reveal=reveal)


def _producers(user: Any, get: QueryDict, reveal: bool) -> Export:
    return export_producers(
        actor=user,
        q=get.get("q", "").strip()[:60],
        kind=get.get("kind_filter", ""),
        region=get.get("region", "")[:12],
        sort=get.get("sort", "name"),
        reveal=reveal,
    )


def _units(user: Any, get: QueryDict, reveal: bool) -> Export:
    return export_units(
        actor=user,
        q=get.get("q", "").strip()[:60],
        kind=get.get("kind_filter", ""),
        region=get.get("region", "")[:12],
        budget=get.get("budget", ""),
        reveal=reveal,
    )


EXPORTS: dict[str, tuple[str, Callable[[Any, QueryDict, bool], Export]]] = {
    "households": ("农户名单（每名成员一行）", _households),
    "producers": ("经营主体名单", _producers),
    "units": ("帮扶单位名单", _units),
}


@login_required
@domain_errors
@require_GET
def export(request: HttpRequest) -> HttpResponse:
    """?kind=households|producers|units plus the list page's filters returns the XLSX; no kind, the page."""
    if not can(request.user, "export"):
        raise PermissionDenied("无权导出数据。")
    entry = EXPORTS.get(request.GET.get("kind", ""))
    if entry is None:
        context = {
            "exports": {k: label for k, (label, _) in EXPORTS.items()},
            "can_reveal": can(request.user, "pii.reveal"),
        }
        return render(request, "www/io/export.html", context)
    reveal = request.GET.get("reveal", "") in ("1", "on", "true")
    result = entry[1](request.user, request.GET, reveal)
    return _xlsx(result.content, result.filename)


@login_required
@domain_errors
@require_GET
def import_jobs(request: HttpRequest) -> HttpResponse:
    page = paginate(request, account_selectors.jobs_visible(request.user))
    return render(request, "www/io/jobs.html", {"page": page})


@login_required
@domain_errors
@require_GET
def import_job(request: HttpRequest, pk: int) -> HttpResponse:
    return render(request, "www/io/job.html", {"job": account_selectors.job_get(request.user, pk)})


@login_required
@domain_errors
@require_GET
def import_job_status(request: HttpRequest, pk: int) -> HttpResponse:
    """The fragment the job page polls (htmx, every 2 s) until the job is done or failed."""
    return render(request, "www/io/_job_status.html", {"job": account_selectors.job_get(request.user, pk)})
