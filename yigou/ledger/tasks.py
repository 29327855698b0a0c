"""Background work of the ledger: large purchase imports."""

from __future__ import annotations

import logging
from pathlib import Path

from celery import shared_task

from yigou.core import jobs
from yigou.core.errors import DomainError
from yigou.core.models import ImportJob, JobStatus
from yigou.core.tabular import read_table

from .bulk.service import purchases_import

log = logging.getLogger(__name__)

FAILED_INTERNALLY = "导入时发生系统错误，全部数据均未导入。请稍后重试或联系管理员。"


@shared_task(name="ledger.import_purchases_job")
def import_purchases_job(job_id: int) -> None:
    """Run one queued ImportJob: check every row, write all or nothing, record progress and the report."""
    job = ImportJob.objects.select_related("created_by").get(pk=job_id)
    if job.status != JobStatus.QUEUED:
        return  # delivered twice by the broker: the first run owns the job
    jobs.job_started(job_id)
    path = Path(job.file_path)
    try:
        table = read_table(path.read_bytes(), job.filename)
        report = purchases_import(
            actor=job.created_by,
            table=table,
            dry_run=False,
            note=f"（后台任务 #{job_id}）",
            progress=lambda rows: jobs.job_progress(job_id, rows),
        )
    except FileNotFoundError:
        jobs.job_failed(job_id, "待导入的文件已失效，请重新上传。")
    except DomainError as exc:
        jobs.job_failed(job_id, exc.message)
    except Exception:
        jobs.job_failed(job_id, FAILED_INTERNALLY)
        raise
    else:
        jobs.job_finished(job_id, report)
    finally:
        path.unlink(missing_ok=True)
