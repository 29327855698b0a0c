"""Reads that only the region scope decides: background import jobs, which belong to no domain app."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from yigou.core.errors import NotFoundError
from yigou.core.models import ImportJob

from .enums import Role
from .scope import scope_for


def jobs_visible(actor: Any) -> QuerySet[ImportJob]:
    """The creator, administrators, and offices whose region contains the creator's region."""
    qs = ImportJob.objects.select_related("created_by")
    scope = scope_for(actor)
    if scope.everything:
        return qs
    if scope.kind == "none":
        return qs.none()
    condition = Q(created_by=actor)
    if actor.role == Role.OFFICE and scope.kind == "region":
        condition |= Q(region_code__startswith=scope.region_prefix) & ~Q(region_code="")
    return qs.filter(condition)


def job_get(actor: Any, pk: int) -> ImportJob:
    job = jobs_visible(actor).filter(pk=pk).first()
    if job is None:
        raise NotFoundError()
    return job
