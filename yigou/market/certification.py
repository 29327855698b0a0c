"""The certification workflow of poverty-alleviation products (扶贫产品认定): application, review, decision.

submitted → township (or county sector) review → county decision → public notice (公示) → listed in the catalog
with a validity period → yearly re-check; returned applications are corrected and resubmitted; a product may be
revoked, and blacklisting a producer revokes all its products on notice or in the catalog (`listing.py`).

Every step is done by a user with that role in that region (otherwise ``certification_level``), only from the
states it applies to (otherwise ``certification_step_illegal``), and writes one ProductStep and one audit entry
in the same transaction as the change (`certification_rules.py`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Max

from yigou.core.errors import DomainError
from yigou.core.pinyin import initials
from yigou.core.uploads import ensure_evidence_file
from yigou.registry.enums import Mechanism
from yigou.registry.models import CoopMember, Household, Linkage, Producer

from .certification_rules import (
    ensure_may_apply,
    full_pinyin,
    locked,
    may_decide,
    may_review,
    need_decide,
    need_review,
    need_status,
    not_blacklisted,
    notice_days,
    require_reason,
    require_text,
    step,
)
from .enums import CapacityPeriod, FileKind, ProductAction, ProductCategory
from .enums import ProductStatus as S
from .listing import (
    blacklist_lift,
    list_due,
    objection_record,
    objection_resolve,
    producer_blacklist,
    product_list,
    product_recheck,
    product_revoke,
)
from .models import Product, ProductFile, ProductHousehold
from .pricing import check_price, money, reference_for

__all__ = [
    "ApplyInput",
    "blacklist_lift",
    "list_due",
    "may_decide",
    "may_review",
    "objection_record",
    "objection_resolve",
    "producer_blacklist",
    "product_apply",
    "product_decide",
    "product_list",
    "product_recheck",
    "product_resubmit",
    "product_review",
    "product_revoke",
]

MILLI = Decimal("0.001")
MAX_LINKS = 10


# --- application -----------------------------------------------------------------------------------------------


@dataclass
class ApplyInput:
    name: str
    category: str
    specification: str
    unit: str
    capacity: Any
    capacity_period: str
    base: str
    price: Any
    mechanism: str
    households: Sequence[Household] = ()
    files: Sequence[tuple[str, UploadedFile]] = ()
    price_links: str = ""
    price_explanation: str = ""
    mechanism_note: str = ""


def _capacity(value: Any) -> Decimal:
    try:
        number = Decimal(str(value).strip())
    except (InvalidOperation, TypeError):
        raise DomainError("invalid_input", detail=f"供应能力“{value}”不是有效数字") from None
    if not number.is_finite() or number <= 0 or number != number.quantize(MILLI):
        raise DomainError("invalid_input", detail="供应能力必须大于0，最多三位小数")
    return number


def _links(text: str) -> str:
    links = [line.strip() for line in (text or "").splitlines() if line.strip()]
    if len(links) > MAX_LINKS:
        raise DomainError("invalid_input", detail=f"比价链接最多 {MAX_LINKS} 条")
    for link in links:
        if not link.lower().startswith(("http://", "https://")):
            raise DomainError("invalid_input", detail=f"比价链接“{link[:60]}”须以 http:// 或 https:// 开头")
    return "\n".join(links)


def _fields(data: ApplyInput) -> dict[str, Any]:
    if data.category not in ProductCategory.values:
        raise DomainError("invalid_input", detail=f"品类“{data.category}”不在可选范围内")
    if data.capacity_period not in CapacityPeriod.values:
        raise DomainError("invalid_input", detail=f"供应周期“{data.capacity_period}”不在可选范围内")
    if data.mechanism not in Mechanism.values:
        raise DomainError("invalid_input", detail=f"带贫机制“{data.mechanism}”不在可选范围内")
    name = require_text(data.name, "产品名称", 100)
    return {
        "name": name,
        "name_initials": initials(name)[:60],
        "name_pinyin": full_pinyin(name)[:300],
        "category": data.category,
        "specification": require_text(data.specification, "规格", 100),
        "unit": require_text(data.unit, "计量单位", 16),
        "capacity": _capacity(data.capacity),
        "capacity_period": data.capacity_period,
        "base": require_text(data.base, "生产基地", 200),
        "price": money(data.price, "销售价格"),
        "price_links": _links(data.price_links),
        "price_explanation": data.price_explanation.strip()[:500],
        "mechanism": data.mechanism,
        "mechanism_note": data.mechanism_note.strip()[:500],
    }


def linked_household_ids(producer: Producer, day: dt.date) -> set[int]:
    """Households linked to the producer that day: an active linkage, a current co-op member, or its own."""
    ids = set(
        Linkage.objects.filter(producer=producer, start__lte=day)
        .exclude(end__lt=day)
        .values_list("household_id", flat=True)
    )
    members = CoopMember.objects.filter(producer=producer, household__isnull=False, joined_on__lte=day)
    ids |= set(members.exclude(left_on__lte=day).values_list("household_id", flat=True))
    if producer.household_id is not None:
        ids.add(producer.household_id)
    return ids


def _households(producer: Producer, households: Sequence[Household], day: dt.date) -> list[Household]:
    unique = list({h.pk: h for h in households}.values())
    if not unique:
        raise DomainError("invalid_input", detail="须选择至少一户与本主体有带贫联结的农户")
    linked = linked_household_ids(producer, day)
    for household in unique:
        if household.pk not in linked:
            raise DomainError("beneficiary_not_linked", household=household.number, name=producer.name)
    return unique


def _files(files: Sequence[tuple[str, UploadedFile]], have_commitment: bool) -> None:
    for kind, upload in files:
        if kind not in FileKind.values:
            raise DomainError("invalid_input", detail=f"材料类型“{kind}”不在可选范围内")
        ensure_evidence_file(upload, "材料")
    if not have_commitment and not any(kind == FileKind.COMMITMENT for kind, _ in files):
        raise DomainError("invalid_input", detail="须上传承诺函")


def _priced(fields: dict[str, Any], county_code: str, today: dt.date) -> dict[str, Any]:
    """Adds the reference price and the flag; a price above the ceiling without an explanation is refused."""
    ref = reference_for(fields["name"], fields["specification"], fields["unit"], county_code, today)
    result = check_price(fields["price"], ref)
    if result.flagged and not fields["price_explanation"]:
        raise DomainError(
            "invalid_input",
            detail=f"销售价格 {fields['price']} 元高于市场参考价 {result.reference} 元的上浮上限 "
            f"{result.ceiling} 元，须填写价格说明",
        )
    return {**fields, "reference_price": result.reference, "price_flagged": result.flagged}


def _duplicate(producer: Producer, fields: dict[str, Any], exclude: int | None) -> None:
    live = Product.objects.filter(
        producer=producer, name=fields["name"], specification=fields["specification"]
    ).exclude(status__in=(S.REJECTED, S.REVOKED))
    if exclude is not None:
        live = live.exclude(pk=exclude)
    if live.exists():
        raise DomainError(
            "invalid_input", detail=f"本主体已申报“{fields['name']}（{fields['specification']}）”"
        )


def _attach(product: Product, files: Sequence[tuple[str, UploadedFile]]) -> None:
    for kind, upload in files:
        ProductFile.objects.create(product=product, kind=kind, file=upload, name=(upload.name or "")[:200])


def _link(product: Product, households: list[Household]) -> None:
    ProductHousehold.objects.filter(product=product).delete()
    ProductHousehold.objects.bulk_create([ProductHousehold(product=product, household=h) for h in households])


@transaction.atomic
def product_apply(
    *, actor: Any, producer: Producer, data: ApplyInput, today: dt.date | None = None
) -> Product:
    today = today or dt.date.today()
    ensure_may_apply(actor, producer)
    not_blacklisted(producer, today, "申报扶贫产品")
    region = producer.region
    fields = _priced(_fields(data), region.county_code, today)
    households = _households(producer, data.households, today)
    _files(data.files, have_commitment=False)
    _duplicate(producer, fields, None)
    product = Product.objects.create(
        producer=producer,
        region=region,
        county_code=region.county_code,
        status=S.SUBMITTED,
        submitted_by=actor if getattr(actor, "is_authenticated", False) else None,
        **fields,
    )
    _link(product, households)
    _attach(product, data.files)
    step(product, ProductAction.SUBMIT, "", actor, households=len(households), price=fields["price"])
    return product


@transaction.atomic
def product_resubmit(
    *, actor: Any, product: Product, data: ApplyInput, today: dt.date | None = None
) -> Product:
    """A returned application, corrected: every field is checked again; earlier files are kept."""
    today = today or dt.date.today()
    product = locked(product)
    ensure_may_apply(actor, product.producer)
    need_status(product, [S.RETURNED], "补正后重新申报")
    not_blacklisted(product.producer, today, "重新申报")
    fields = _priced(_fields(data), product.county_code, today)
    households = _households(product.producer, data.households, today)
    _files(data.files, have_commitment=product.files.filter(kind=FileKind.COMMITMENT).exists())
    _duplicate(product.producer, fields, product.pk)
    before = product.status
    for name, value in fields.items():
        setattr(product, name, value)
    product.status = S.SUBMITTED
    product.save()
    _link(product, households)
    _attach(product, data.files)
    step(product, ProductAction.RESUBMIT, before, actor, households=len(households), price=fields["price"])
    return product


# --- review and decision ---------------------------------------------------------------------------------------


@transaction.atomic
def product_review(*, actor: Any, product: Product, passed: bool, reason: str = "") -> Product:
    """Township or sector review: pass to the county, or return to the applicant with the reason."""
    product = locked(product)
    action = "审核" if passed else "审核退回"
    need_review(actor, product, action)
    need_status(product, [S.SUBMITTED], action)
    reason = reason.strip()[:500] if passed else require_reason(reason, "退回")
    before = product.status
    product.status = S.REVIEWED if passed else S.RETURNED
    product.save(update_fields=["status", "updated_at"])
    step(product, ProductAction.REVIEW_PASS if passed else ProductAction.REVIEW_RETURN, before, actor, reason)
    return product


def next_certificate_no(county_code: str, year: int) -> str:
    """County code + year + a four-digit sequence within that county and year: 510903-2018-0001."""
    prefix = f"{county_code[:6]}-{year}-"
    last = Product.objects.filter(certificate_no__startswith=prefix).aggregate(m=Max("certificate_no"))["m"]
    sequence = int(last.rsplit("-", 1)[1]) + 1 if last else 1
    return f"{prefix}{sequence:04d}"


@transaction.atomic
def product_decide(
    *, actor: Any, product: Product, certify: bool, reason: str = "", today: dt.date | None = None
) -> Product:
    """County decision: certify (a certificate number and the public notice begin) or reject with the reason."""
    today = today or dt.date.today()
    product = locked(product)
    action = "认定" if certify else "不予认定"
    need_decide(actor, product, action)
    need_status(product, [S.REVIEWED], action)
    before = product.status
    if certify:
        not_blacklisted(product.producer, today, "认定")
        product.certificate_no = next_certificate_no(product.county_code, today.year)
        product.notice_start, product.notice_end = today, today + dt.timedelta(days=notice_days())
        product.status = S.NOTICE
        product.save()
        step(
            product,
            ProductAction.CERTIFY,
            before,
            actor,
            reason.strip(),
            certificate_no=product.certificate_no,
            notice_end=product.notice_end,
        )
    else:
        reason = require_reason(reason, "不予认定")
        product.status = S.REJECTED
        product.save(update_fields=["status", "updated_at"])
        step(product, ProductAction.REJECT, before, actor, reason)
    return product
