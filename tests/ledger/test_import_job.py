"""Background purchase imports: the task records progress and the report; dispatch; who may see a job."""

from __future__ import annotations

import pytest

from tests.ledger.example import _market
from tests.ledger.test_bulk_import import ROWS, counts, csv_bytes
from yigou.accounts import selectors as import_jobs
from yigou.core import jobs
from yigou.core.errors import NotFoundError
from yigou.core.models import ImportJob, JobStatus
from yigou.ledger.models import Purchase
from yigou.ledger.tasks import import_purchases_job


@pytest.fixture
def market(world):
    return _market(world)


def job_for(world, tmp_path, content: bytes, *, user="city", name="p.csv", rows=6) -> ImportJob:
    path = tmp_path / "upload"
    path.write_bytes(content)
    return jobs.job_create(
        actor=world.users[user], kind="purchases", file_path=str(path), filename=name, total_rows=rows
    )


def test_the_task_imports_the_file_and_records_the_report(world, market, tmp_path):
    job = job_for(world, tmp_path, csv_bytes(ROWS))
    assert (job.status, job.processed_rows, job.region_code) == (JobStatus.QUEUED, 0, "510900000000")
    import_purchases_job(job.pk)
    job.refresh_from_db()
    assert (job.status, job.processed_rows, job.total_rows, job.error) == (JobStatus.DONE, 6, 6, "")
    assert job.report == {
        "total_rows": 6,
        "written": 5,
        "skipped": 0,
        "dry_run": False,
        "ok": True,
        "errors": [],
        "purchases": 5,
        "error_count": 0,
    }
    assert Purchase.objects.count() == 5
    assert not (tmp_path / "upload").exists()


def test_progress_is_saved_while_parsing(world, market, tmp_path, monkeypatch):
    import_purchases_job(job_for(world, tmp_path, csv_bytes(ROWS)).pk)
    seen: list[tuple[int, int]] = []
    original = jobs.job_progress

    def spy(job_id: int, rows: int) -> None:
        original(job_id, rows)
        seen.append((rows, ImportJob.objects.get(pk=job_id).processed_rows))

    monkeypatch.setattr(jobs, "job_progress", spy)
    job = job_for(world, tmp_path, csv_bytes([ROWS[0]] * 10_001), rows=10_001)  # all already imported
    import_purchases_job(job.pk)
    job.refresh_from_db()
    assert seen == [(0, 0), (10_000, 10_000)]
    assert (job.status, job.processed_rows, job.report["skipped"], job.report["written"]) == (
        JobStatus.DONE,
        10_001,
        1,
        0,
    )


def test_bad_rows_finish_the_job_with_the_errors_and_write_nothing(world, market, tmp_path):
    bad = list(ROWS)
    bad[3] = bad[3].replace(",4,,,,", ",4,201,,,")
    before = counts()
    job = job_for(world, tmp_path, csv_bytes(bad))
    import_purchases_job(job.pk)
    job.refresh_from_db()
    assert (job.status, job.report["ok"], job.report["written"], job.report["error_count"]) == (
        JobStatus.DONE,
        False,
        0,
        1,
    )
    assert job.report["errors"] == [{"row": 5, "column": "金额", "message": "201 不等于数量×单价 200.00"}]
    assert counts() == before


def test_an_unreadable_file_or_a_missing_one_fails_the_job_with_the_reason(world, market, tmp_path):
    before = counts()
    job = job_for(world, tmp_path, "外部编号,日期\nP1,2018-01-01\n".encode())
    import_purchases_job(job.pk)
    job.refresh_from_db()
    assert (job.status, job.error) == (
        JobStatus.FAILED,
        "缺少必需的列：购买方类型、渠道、销售方、产品、数量、单位、单价",
    )
    gone = jobs.job_create(
        actor=world.users["city"],
        kind="purchases",
        file_path=str(tmp_path / "none"),
        filename="p.csv",
        total_rows=6,
    )
    import_purchases_job(gone.pk)
    gone.refresh_from_db()
    assert (gone.status, gone.error) == (JobStatus.FAILED, "待导入的文件已失效，请重新上传。")
    assert counts() == before


def test_a_job_delivered_twice_runs_once(world, market, tmp_path):
    job = job_for(world, tmp_path, csv_bytes(ROWS))
    jobs.job_started(job.pk)
    import_purchases_job(job.pk)
    job.refresh_from_db()
    assert (job.status, job.report, Purchase.objects.count()) == (JobStatus.RUNNING, None, 0)


class FakeTask:
    def __init__(self) -> None:
        self.calls: list[tuple[str, int]] = []

    def __call__(self, job_id: int) -> None:
        self.calls.append(("call", job_id))

    def delay(self, job_id: int) -> None:
        self.calls.append(("delay", job_id))


class FakeThread:
    started: list[dict] = []

    def __init__(self, **kwargs) -> None:
        self.kwargs = kwargs

    def start(self) -> None:
        FakeThread.started.append(self.kwargs)


def test_dispatch_waits_for_the_commit_then_uses_the_broker_or_a_daemon_thread(
    world, tmp_path, settings, monkeypatch, django_capture_on_commit_callbacks
):
    job, task = job_for(world, tmp_path, b""), FakeTask()
    settings.CELERY_TASK_ALWAYS_EAGER = False
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        jobs.job_dispatch(job, task)
    assert task.calls == []
    callbacks[0]()
    assert task.calls == [("delay", job.pk)]
    settings.CELERY_TASK_ALWAYS_EAGER = True
    monkeypatch.setattr(jobs.threading, "Thread", FakeThread)
    with django_capture_on_commit_callbacks(execute=True):
        jobs.job_dispatch(job, task)
    assert FakeThread.started == [
        {"target": jobs._in_thread, "args": (task, job.pk), "daemon": True, "name": f"import-job-{job.pk}"}
    ]
    settings.YIGOU_IMPORT_JOB_INLINE = True
    with django_capture_on_commit_callbacks(execute=True):
        jobs.job_dispatch(job, task)
    assert task.calls == [("delay", job.pk), ("call", job.pk)]


def test_a_job_is_seen_by_its_creator_admins_and_offices_above_the_creator(world, tmp_path):
    job = job_for(world, tmp_path, b"", user="chuanshan")
    seen = {
        key: import_jobs.jobs_visible(user).filter(pk=job.pk).exists() for key, user in world.users.items()
    }
    assert seen == {
        "admin": True,
        "city": True,
        "chuanshan": True,
        "anju": False,
        "zone": False,
        "yongxing": False,
        "village": False,
        "auditor": False,
        "unit": False,
        "producer": False,
    }
    with pytest.raises(NotFoundError):
        import_jobs.job_get(world.users["anju"], job.pk)
