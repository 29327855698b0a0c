"""Who may take each step of the certification workflow, and the step record every step writes.

Review belongs to a township office over the product's place, or to the county office acting as the sector
(行业部门) review; the decision, objections, listing, re-check, revocation and blacklisting belong to the office
of the product's county (or functional zone); system administrators may do all of it. A user of another role
or level is told who should act (``certification_level``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.db.models import Q

from yigou.accounts.enums import Role
from yigou.accounts.scope import can, scope_for
from yigou.core import audit
from yigou.core.errors import DomainError, PermissionDeniedError
from yigou.regions.enums import Level
from yigou.regions.models import Region
from yigou.registry.models import Producer

from .models import Blacklisting, Product, ProductStep


def notice_days() -> int:
    return int(settings.YIGOU_NOTICE_DAYS)


def validity_years() -> int:
    return int(settings.YIGOU_CERT_VALIDITY_YEARS)


def add_years(day: dt.date, years: int) -> dt.date:
    """The same calendar day `years` later; 29 February becomes 28 February."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def full_pinyin(text: str) -> str:
    from pypinyin import lazy_pinyin

    return "".join(lazy_pinyin(text or "", errors="ignore")).lower()


# --- who may do what -------------------------------------------------------------------------------------------


def office_region(actor: Any) -> Region | None:
    org = getattr(actor, "organisation", None)
    if getattr(actor, "role", "") != Role.OFFICE or org is None:
        return None
    return org.region


def county_name(product: Product) -> str:
    county = Region.objects.filter(code=product.county_code).first()
    return county.name if county else product.county_code


def may_review(actor: Any, product: Product) -> bool:
    """A township office over the product's place, or the county office acting as sector (行业部门) review."""
    if not can(actor, "market.review"):
        return False
    if scope_for(actor).everything:
        return True
    region = office_region(actor)
    if region is None:
        return False
    if region.level == Level.TOWNSHIP:
        return product.region_id.startswith(region.prefix)
    return region.level == Level.COUNTY and region.code == product.county_code


def may_decide(actor: Any, product: Product) -> bool:
    """The office of the product's county (or functional zone), or a system administrator."""
    if not can(actor, "market.decide"):
        return False
    if scope_for(actor).everything:
        return True
    region = office_region(actor)
    return region is not None and region.level == Level.COUNTY and region.code == product.county_code


def need_review(actor: Any, product: Product, action: str) -> None:
    if not may_review(actor, product):
        expected = f"产品所在乡镇或{county_name(product)}行业部门"
        raise DomainError("certification_level", action=action, expected=expected)


def need_decide(actor: Any, product: Product, action: str) -> None:
    if not may_decide(actor, product):
        raise DomainError("certification_level", action=action, expected=f"{county_name(product)}扶贫部门")


def need_status(product: Product, allowed: Iterable[str], action: str) -> None:
    if product.status not in set(allowed):
        raise DomainError("certification_step_illegal", current=product.get_status_display(), action=action)


def ensure_may_apply(actor: Any, producer: Producer) -> None:
    """The producer's own staff, an office whose region contains the producer, or an administrator."""
    scope = scope_for(actor)
    if scope.everything:
        return
    if scope.kind == "producer" and can(actor, "market.apply"):
        if scope.producer_id != producer.pk:
            raise PermissionDeniedError("out_of_scope")
        return
    if office_region(actor) is not None and scope.kind == "region":
        if not producer.region_id.startswith(scope.region_prefix):
            raise PermissionDeniedError("out_of_scope")
        return
    raise DomainError("certification_level", action="申报扶贫产品", expected="经营主体本身或其所在地扶贫部门")


def active_blacklisting(producer_id: int, day: dt.date) -> Blacklisting | None:
    return (
        Blacklisting.objects.filter(producer_id=producer_id, since__lte=day)
        .filter(Q(lifted_on__isnull=True) | Q(lifted_on__gt=day))
        .first()
    )


def not_blacklisted(producer: Producer, day: dt.date, action: str) -> None:
    row = active_blacklisting(producer.pk, day)
    if row is not None:
        raise DomainError(
            "producer_blacklisted", name=producer.name, since=row.since, reason=row.reason, action=action
        )


# --- steps -----------------------------------------------------------------------------------------------------


def actor_org(actor: Any) -> str:
    org = getattr(actor, "organisation", None)
    if org is not None:
        return org.name[:200]
    return "系统管理员" if scope_for(actor).everything else ""


def step(
    product: Product, action: str, before: str, actor: Any, reason: str = "", **extra: Any
) -> ProductStep:
    step = ProductStep.objects.create(
        product=product,
        action=action,
        from_status=before,
        to_status=product.status,
        reason=reason[:500],
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        actor_org=actor_org(actor),
    )
    changes = {"status": [before, product.status], **{k: [None, str(v)] for k, v in extra.items()}}
    audit.record(actor=actor, action=f"product_{action}", target=product, changes=changes, note=reason[:300])
    return step


def locked(product: Product) -> Product:
    return Product.objects.select_for_update().get(pk=product.pk)


def require_reason(reason: str, what: str) -> str:
    if not reason.strip():
        raise DomainError("invalid_input", detail=f"{what}必须填写理由")
    return reason.strip()[:500]


def require_text(value: str, what: str, limit: int) -> str:
    value = (value or "").strip()
    if not value:
        raise DomainError("invalid_input", detail=f"须填写{what}")
    if len(value) > limit:
        raise DomainError("invalid_input", detail=f"{what}不能超过 {limit} 字")
    return value


def may_blacklist(actor: Any, producer: Producer) -> bool:
    if not can(actor, "market.decide"):
        return False
    if scope_for(actor).everything:
        return True
    region = office_region(actor)
    return region is not None and region.level == Level.COUNTY and region.code == producer.county_code


def need_blacklist(actor: Any, producer: Producer, action: str) -> None:
    if not may_blacklist(actor, producer):
        county = Region.objects.filter(code=producer.county_code).first()
        raise DomainError(
            "certification_level", action=action, expected=f"{county.name if county else ''}扶贫部门"
        )
