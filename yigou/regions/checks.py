"""Checks that a region given to a service is of the level the record needs."""

from __future__ import annotations

from yigou.core.errors import DomainError

from .enums import Level
from .models import Region


def require_level(region: Region, *levels: int, what: str) -> Region:
    if region.level not in levels:
        expected = "或".join(Level(level).label for level in levels)
        raise DomainError(
            "region_level_mismatch",
            what=what,
            expected=expected,
            name=region.name,
            actual=region.get_level_display(),
        )
    return region


def get_region(code: str) -> Region:
    region = Region.objects.filter(code=(code or "").strip()).first()
    if region is None:
        raise DomainError("region_invalid", detail=f"区划代码“{code}”不存在")
    return region
