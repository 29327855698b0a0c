"""Base models and the append-only audit log."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models

from .errors import DomainError


class TimeStamped(models.Model):
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        abstract = True


class AuditQuerySet(models.QuerySet["AuditEntry"]):
    def update(self, **kwargs: Any) -> int:
        raise DomainError("audit_immutable")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise DomainError("audit_immutable")


class AuditEntry(models.Model):
    """Who changed what, when, from which old value to which new one. Written once, never changed."""

    at = models.DateTimeField("时间", auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="操作人", null=True, blank=True, on_delete=models.PROTECT
    )
    actor_name = models.CharField("操作人账号", max_length=150, blank=True)
    action = models.CharField("操作", max_length=40, db_index=True)
    target_type = models.CharField("对象类型", max_length=60, db_index=True)
    target_id = models.CharField("对象编号", max_length=64, blank=True, db_index=True)
    target_label = models.CharField("对象", max_length=200, blank=True)
    region_code = models.CharField("所属区划", max_length=12, blank=True, db_index=True)
    changes = models.JSONField("变更内容", default=dict, blank=True)
    note = models.CharField("说明", max_length=500, blank=True)
    ip = models.GenericIPAddressField("IP", null=True, blank=True)

    objects = AuditQuerySet.as_manager()

    class Meta:
        verbose_name = "审计日志"
        verbose_name_plural = "审计日志"
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["target_type", "target_id"]),
            models.Index(
                fields=["region_code"], name="audit_region_prefix", opclasses=["varchar_pattern_ops"]
            ),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_name} {self.action} {self.target_label}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise DomainError("audit_immutable")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise DomainError("audit_immutable")


class JobStatus(models.TextChoices):
    QUEUED = "queued", "排队中"
    RUNNING = "running", "进行中"
    DONE = "done", "已完成"
    FAILED = "failed", "失败"


class ImportJob(models.Model):
    """A large import run in the background; the page polls it. Changed only through yigou.core.jobs."""

    kind = models.CharField("导入类型", max_length=30)
    status = models.CharField("状态", max_length=10, choices=JobStatus.choices, default=JobStatus.QUEUED)
    file_path = models.CharField("文件路径", max_length=500)
    filename = models.CharField("文件名", max_length=255, blank=True)
    total_rows = models.PositiveIntegerField("总行数", default=0)
    processed_rows = models.PositiveIntegerField("已检查行数", default=0)
    report = models.JSONField("导入结果", null=True, blank=True)
    error = models.TextField("错误信息", blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="提交人", on_delete=models.PROTECT, related_name="import_jobs"
    )
    # The creator's region when submitted: offices above it may follow the job even if the user moves later.
    region_code = models.CharField("提交人所属区划", max_length=12, blank=True, db_index=True)
    created_at = models.DateTimeField("提交时间", auto_now_add=True, db_index=True)
    started_at = models.DateTimeField("开始时间", null=True, blank=True)
    finished_at = models.DateTimeField("结束时间", null=True, blank=True)

    class Meta:
        verbose_name = "后台导入任务"
        verbose_name_plural = "后台导入任务"
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display_name()} #{self.pk} {self.get_status_display()}"

    def get_kind_display_name(self) -> str:
        return IMPORT_JOB_KINDS.get(self.kind, self.kind)

    @property
    def finished(self) -> bool:
        return self.status in (JobStatus.DONE, JobStatus.FAILED)


IMPORT_JOB_KINDS = {"purchases": "购买记录"}
