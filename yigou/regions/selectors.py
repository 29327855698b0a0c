"""Region reads: children, ancestors and the subtree counts the home page shows."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from yigou.accounts.scope import restrict, scope_for

from .enums import Level
from .models import Region, prefix_of


def home_region(actor: Any) -> Region | None:
    """The region a user's pages start from: their organisation's region (the whole country for admins)."""
    return actor.region if getattr(actor, "organisation_id", None) else None


def children(region: Region) -> QuerySet[Region]:
    return region.children.order_by("code")


def ancestors(region: Region) -> list[Region]:
    chain = []
    node = region.parent
    while node is not None:
        chain.append(node)
        node = node.parent
    return list(reversed(chain))


def subtree(code: str) -> QuerySet[Region]:
    return Region.objects.filter(code__startswith=prefix_of(code))


def village_counts(actor: Any) -> dict[str, int]:
    """Villages and poor villages inside the actor's region (the whole country for administrators)."""
    scope = scope_for(actor)
    qs = restrict(actor, Region.objects.filter(level=Level.VILLAGE))
    if scope.kind == "region":
        qs = qs.filter(code__startswith=scope.region_prefix)
    elif scope.kind != "all":
        return {"villages": 0, "poor_villages": 0}
    return {"villages": qs.count(), "poor_villages": qs.filter(is_poor=True).count()}
