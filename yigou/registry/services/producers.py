"""Registering producers, cooperative members, and their linkage to poor households."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Sum

from yigou.accounts.scope import ensure_can, ensure_region_in_scope, ensure_visible
from yigou.core import audit
from yigou.core.errors import DomainError
from yigou.core.pinyin import initials
from yigou.core.validators import validate_phone, validate_uscc
from yigou.regions.checks import require_level
from yigou.regions.enums import Level
from yigou.regions.models import Region

from ..enums import EnterpriseGrade, Mechanism, ProducerKind
from ..models import CoopMember, Household, Linkage, Producer

NEEDS_USCC = {ProducerKind.COOPERATIVE, ProducerKind.ENTERPRISE}
EDITABLE = ["name", "uscc", "grade", "contact_name", "contact_phone", "address", "main_products", "is_active"]


def _clean_uscc(kind: str, uscc: str | None, *, exclude_pk: int | None = None) -> str | None:
    if not uscc:
        if kind in NEEDS_USCC:
            raise DomainError("uscc_invalid", detail=f"{ProducerKind(kind).label}必须填写统一社会信用代码")
        return None
    code = validate_uscc(uscc)
    clash = Producer.objects.filter(uscc=code).exclude(pk=exclude_pk or 0).first()
    if clash is not None:
        raise DomainError("uscc_duplicate", uscc=code, name=clash.name)
    return code


def _check_kind(kind: str, grade: str, household: Household | None) -> None:
    if kind not in ProducerKind.values:
        raise DomainError("invalid_input", detail=f"主体类型“{kind}”不在可选范围内")
    if grade and (kind != ProducerKind.ENTERPRISE or grade not in EnterpriseGrade.values):
        raise DomainError("invalid_input", detail="只有龙头企业可以填写级别（国家级、省级、市级、县级）")
    if (kind == ProducerKind.HOUSEHOLD) != (household is not None):
        raise DomainError("invalid_input", detail="个体农户销售主体必须且只能关联一户农户")


@transaction.atomic
def producer_register(
    *,
    actor: Any,
    kind: str,
    name: str,
    region: Region,
    uscc: str | None = None,
    household: Household | None = None,
    grade: str = "",
    contact_name: str = "",
    contact_phone: str = "",
    address: str = "",
    main_products: str = "",
) -> Producer:
    ensure_can(actor, "registry.change")
    _check_kind(kind, grade, household)
    if household is not None:
        ensure_visible(actor, household)
        region = household.village
    require_level(region, Level.COUNTY, Level.TOWNSHIP, Level.VILLAGE, what="所在区划")
    ensure_region_in_scope(actor, region.code)
    name = (name or "").strip()
    if not name:
        raise DomainError("invalid_input", detail="名称不能为空", field="name")
    producer = Producer.objects.create(
        kind=kind,
        name=name[:200],
        name_initials=initials(name)[:60],
        uscc=_clean_uscc(kind, uscc),
        region=region,
        county_code=region.county_code,
        household=household,
        grade=grade,
        contact_name=contact_name.strip()[:60],
        contact_phone=validate_phone(contact_phone) if contact_phone else "",
        address=address.strip()[:200],
        main_products=main_products.strip()[:300],
    )
    audit.record(actor=actor, action="create", target=producer, changes={"kind": kind, "name": name})
    return producer


@transaction.atomic
def producer_update(*, actor: Any, producer: Producer, **fields: Any) -> Producer:
    ensure_can(actor, "registry.change", producer)
    unknown = set(fields) - set(EDITABLE)
    if unknown:
        raise DomainError("invalid_input", detail=f"不能修改字段：{', '.join(sorted(unknown))}")
    before = audit.snapshot(producer, EDITABLE)
    if "uscc" in fields:
        fields["uscc"] = _clean_uscc(producer.kind, fields["uscc"], exclude_pk=producer.pk)
    if fields.get("contact_phone"):
        fields["contact_phone"] = validate_phone(fields["contact_phone"])
    if "grade" in fields:
        _check_kind(producer.kind, fields["grade"], producer.household)
    for key, value in fields.items():
        setattr(producer, key, value)
    if "name" in fields:
        producer.name_initials = initials(producer.name)[:60]
    changes = audit.diff(before, audit.snapshot(producer, EDITABLE))
    if changes:
        producer.save()
        audit.record(actor=actor, action="update", target=producer, changes=changes)
    return producer


@transaction.atomic
def coop_member_add(
    *,
    actor: Any,
    producer: Producer,
    name: str,
    joined_on: dt.date,
    household: Household | None = None,
    shares: Decimal = Decimal("0"),
    capital: Decimal = Decimal("0"),
) -> CoopMember:
    ensure_can(actor, "registry.change", producer)
    if producer.kind != ProducerKind.COOPERATIVE:
        raise DomainError("invalid_input", detail="只有农民专业合作社可以登记社员")
    if household is not None:
        ensure_visible(actor, household)
        name = name or household.head_name
    if shares < 0 or capital < 0:
        raise DomainError("share_invalid", total=str(shares))
    if not (name or "").strip():
        raise DomainError("invalid_input", detail="社员姓名不能为空")
    if household is not None and producer.members.filter(household=household, left_on__isnull=True).exists():
        raise DomainError("invalid_input", detail=f"{household} 已是本社社员")
    member = CoopMember.objects.create(
        producer=producer,
        household=household,
        name=name.strip()[:100],
        shares=shares,
        capital=capital,
        joined_on=joined_on,
    )
    audit.record(
        actor=actor,
        action="coop_member_add",
        target=producer,
        changes={"member": member.name, "shares": str(shares), "capital": str(capital)},
    )
    return member


def share_of(member: CoopMember) -> Decimal:
    """A member's fraction of the cooperative's shares among current members (for dividends later)."""
    total = member.producer.members.filter(left_on__isnull=True).aggregate(s=Sum("shares"))["s"] or Decimal(0)
    return (member.shares / total) if total else Decimal(0)


@transaction.atomic
def linkage_add(
    *,
    actor: Any,
    producer: Producer,
    household: Household,
    mechanism: str,
    start: dt.date,
    end: dt.date | None = None,
    expected_income: Decimal | None = None,
    note: str = "",
) -> Linkage:
    ensure_can(actor, "registry.change", producer)
    ensure_visible(actor, household)
    if mechanism not in Mechanism.values:
        raise DomainError("invalid_input", detail=f"带贫方式“{mechanism}”不在可选范围内")
    if end is not None and end < start:
        raise DomainError("pairing_dates_invalid", start=start.isoformat(), end=end.isoformat())
    if expected_income is not None and expected_income < 0:
        raise DomainError("invalid_input", detail="预计增收不能为负数")
    overlapping = producer.linkages.filter(household=household, mechanism=mechanism, end__isnull=True)
    if overlapping.exists():
        raise DomainError("pairing_overlap", start=overlapping.first().start.isoformat())  # type: ignore[union-attr]
    linkage = Linkage.objects.create(
        producer=producer,
        household=household,
        mechanism=mechanism,
        start=start,
        end=end,
        expected_income=expected_income,
        note=note.strip()[:300],
    )
    audit.record(
        actor=actor,
        action="linkage_add",
        target=producer,
        changes={"household": household.number, "mechanism": mechanism, "start": start.isoformat()},
    )
    return linkage


@transaction.atomic
def linkage_end(*, actor: Any, linkage: Linkage, end: dt.date, reason: str = "") -> Linkage:
    ensure_can(actor, "registry.change", linkage.producer)
    if linkage.end is not None:
        raise DomainError("invalid_input", detail="该联结已结束")
    if end < linkage.start:
        raise DomainError("pairing_dates_invalid", start=linkage.start.isoformat(), end=end.isoformat())
    linkage.end = end
    linkage.save(update_fields=["end", "updated_at"])
    audit.record(
        actor=actor,
        action="linkage_end",
        target=linkage.producer,
        changes={"household": linkage.household.number, "end": end.isoformat()},
        note=reason,
    )
    return linkage
