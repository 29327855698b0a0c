"""Background import jobs: the only place that creates and changes ImportJob rows (who may see them: accounts).

Progress and state changes are single-row UPDATEs in their own autocommit statements, never inside the
import's write transaction, so a page polling the job sees them while the import is still running.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.db import close_old_connections, connections, transaction
from django.utils import timezone

from .importing import ImportReport
from .models import ImportJob, JobStatus

log = logging.getLogger(__name__)

MAX_STORED_ERRORS = 1000  # a file of bad rows must not become a JSON blob of a million errors


def job_threshold() -> int:
    """Files with at least this many data rows are imported in the background."""
    return int(settings.YIGOU_IMPORT_JOB_THRESHOLD)


def job_create(*, actor: Any, kind: str, file_path: str, filename: str, total_rows: int) -> ImportJob:
    org = getattr(actor, "organisation", None)
    return ImportJob.objects.create(
        kind=kind,
        file_path=file_path,
        filename=filename[:255],
        total_rows=total_rows,
        created_by=actor,
        region_code=org.region_id if org is not None else "",
    )


def job_started(job_id: int) -> None:
    ImportJob.objects.filter(pk=job_id).update(status=JobStatus.RUNNING, started_at=timezone.now())


def job_progress(job_id: int, processed_rows: int) -> None:
    ImportJob.objects.filter(pk=job_id).update(processed_rows=processed_rows)


def report_json(report: ImportReport, *, limit: int | None = MAX_STORED_ERRORS) -> dict[str, Any]:
    """The report as stored on a job (errors capped at `limit`) or printed by a command (limit None)."""
    data = report.as_dict()
    data["purchases"] = report.purchases
    data["error_count"] = len(report.errors)
    if limit is not None:
        data["errors"] = [e.as_dict() for e in report.errors[:limit]]
    return data


def job_finished(job_id: int, report: ImportReport) -> None:
    ImportJob.objects.filter(pk=job_id).update(
        status=JobStatus.DONE,
        processed_rows=report.total_rows,
        report=report_json(report),
        finished_at=timezone.now(),
    )


def job_failed(job_id: int, message: str) -> None:
    ImportJob.objects.filter(pk=job_id).update(
        status=JobStatus.FAILED, error=message[:2000], finished_at=timezone.now()
    )


def _in_thread(run: Callable[[int], Any], job_id: int) -> None:
    close_old_connections()
    try:
        run(job_id)
    except Exception:  # the task has recorded the failure on the job; a thread has nobody to re-raise to
        log.exception("import job %s failed", job_id)
    finally:
        connections.close_all()


def job_dispatch(job: ImportJob, task: Any) -> None:
    """Start the job once the row is committed: on the Celery broker, or without one in a daemon thread.

    Eager Celery would run the task inside the request, so without a broker a thread keeps the page
    responsive. YIGOU_IMPORT_JOB_INLINE (tests) runs it in the calling thread instead.
    """

    def start() -> None:
        if settings.YIGOU_IMPORT_JOB_INLINE:
            task(job.pk)
        elif settings.CELERY_TASK_ALWAYS_EAGER:
            threading.Thread(
                target=_in_thread, args=(task, job.pk), daemon=True, name=f"import-job-{job.pk}"
            ).start()
        else:
            task.delay(job.pk)

    transaction.on_commit(start)
