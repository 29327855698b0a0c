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


def visible_ancestors(actor: Any, region: Region) -> list[Region]:
    """The breadcrumb above a region, cut where the user's scope begins."""
    scope = scope_for(actor)
    return [r for r in ancestors(region) if scope.everything or r.code.startswith(scope.region_prefix)]


def must_choose_region(actor: Any) -> bool:
    """Administrators have no home region: a region page asks them to choose one first."""
    return scope_for(actor).everything


def default_region_code(actor: Any) -> str:
    """Where a region page starts when none is asked for: the home region, or the top of the tree for admins
    (an empty code lets the page's own selector choose the home region)."""
    if not scope_for(actor).everything:
        return ""
    top = Region.objects.filter(parent__isnull=True).order_by("code").first()
    return top.code if top else ""


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
