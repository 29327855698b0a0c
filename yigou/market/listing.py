"""Public notice, objections, listing in the catalog, yearly re-check, revocation and blacklisting."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone

from yigou.core import audit
from yigou.core.errors import DomainError
from yigou.registry.models import Producer

from .certification_rules import (
    active_blacklisting,
    add_years,
    county_name,
    locked,
    may_decide,
    may_review,
    need_blacklist,
    need_decide,
    need_status,
    not_blacklisted,
    require_reason,
    require_text,
    step,
    validity_years,
)
from .enums import ProductAction
from .enums import ProductStatus as S
from .models import Blacklisting, Objection, Product

# --- public notice, objections, listing ------------------------------------------------------------------------


@transaction.atomic
def objection_record(
    *,
    actor: Any,
    product: Product,
    raised_by: str,
    content: str,
    contact: str = "",
    today: dt.date | None = None,
) -> Objection:
    """An objection received during the notice (by letter, phone or in person), recorded by the reviewing offices."""
    today = today or dt.date.today()
    product = locked(product)
    if not (may_review(actor, product) or may_decide(actor, product)):
        raise DomainError(
            "certification_level", action="登记异议", expected=f"{county_name(product)}或所在乡镇扶贫部门"
        )
    need_status(product, [S.NOTICE], "登记异议")
    if product.notice_end is not None and today > product.notice_end:
        raise DomainError("invalid_input", detail=f"公示期已于 {product.notice_end} 结束，不能再登记异议")
    row = Objection.objects.create(
        product=product,
        raised_by=require_text(raised_by, "异议人", 100),
        contact=contact.strip()[:60],
        content=require_text(content, "异议内容", 1000),
    )
    step(product, ProductAction.OBJECTION, product.status, actor, row.content[:500], objection=row.pk)
    return row


@transaction.atomic
def objection_resolve(*, actor: Any, objection: Objection, upheld: bool, resolution: str) -> Objection:
    """The county settles an objection; an upheld one ends the certification (rejected)."""
    row = Objection.objects.select_for_update().get(pk=objection.pk)
    product = locked(row.product)
    need_decide(actor, product, "处理异议")
    need_status(product, [S.NOTICE], "处理异议")
    if row.resolved_at is not None:
        raise DomainError("invalid_input", detail="该异议已处理")
    row.resolution, row.upheld, row.resolved_at = (
        require_reason(resolution, "处理异议"),
        upheld,
        timezone.now(),
    )
    row.save()
    before = product.status
    if upheld:
        product.status = S.REJECTED
        product.save(update_fields=["status", "updated_at"])
    verdict = "异议成立" if upheld else "异议不成立"
    step(
        product, ProductAction.RESOLVE, before, actor, f"{verdict}：{row.resolution}"[:500], objection=row.pk
    )
    return row


def open_objections(product: Product) -> int:
    return product.objections.filter(resolved_at__isnull=True).count()


@transaction.atomic
def product_list(*, actor: Any, product: Product, today: dt.date | None = None) -> Product:
    """After the notice ends with no open objection the product enters the catalog for the validity period."""
    today = today or dt.date.today()
    product = locked(product)
    need_decide(actor, product, "列入目录")
    need_status(product, [S.NOTICE], "列入目录")
    if product.notice_end is None or today <= product.notice_end:
        raise DomainError("invalid_input", detail=f"公示期至 {product.notice_end}，期满后才能列入目录")
    if open_objections(product):
        raise DomainError("invalid_input", detail="公示期内的异议尚未处理完毕，不能列入目录")
    before = product.status
    product.status, product.listed_on = S.LISTED, today
    product.valid_until = add_years(today, validity_years())
    product.save()
    step(product, ProductAction.LIST, before, actor, valid_until=product.valid_until)
    return product


def list_due(*, actor: Any, today: dt.date | None = None) -> list[Product]:
    """Every product whose notice has ended with no open objection, listed now (running it again lists none)."""
    today = today or dt.date.today()
    due = (
        Product.objects.filter(status=S.NOTICE, notice_end__lt=today)
        .exclude(pk__in=Objection.objects.filter(resolved_at__isnull=True).values("product_id"))
        .order_by("pk")
    )
    return [product_list(actor=actor, product=p, today=today) for p in due]


# --- re-check, revocation, blacklist ---------------------------------------------------------------------------


@transaction.atomic
def product_recheck(*, actor: Any, product: Product, note: str = "", today: dt.date | None = None) -> Product:
    """The yearly re-check extends validity by a year. A product whose validity had lapsed re-enters the catalog
    today, so the days it was out of the catalog never count as certified sales afterwards."""
    today = today or dt.date.today()
    product = locked(product)
    need_decide(actor, product, "年度复核")
    need_status(product, [S.LISTED], "年度复核")
    not_blacklisted(product.producer, today, "年度复核")
    if product.valid_until is not None and product.valid_until >= today:
        start = product.valid_until
    else:
        start = product.listed_on = today
    product.valid_until, product.rechecked_on = add_years(start, validity_years()), today
    product.save()
    step(product, ProductAction.RECHECK, product.status, actor, note.strip(), valid_until=product.valid_until)
    return product


def _revoke(product: Product, actor: Any, action: str, reason: str, today: dt.date) -> None:
    before = product.status
    product.status, product.revoked_on = S.REVOKED, today
    product.save(update_fields=["status", "revoked_on", "updated_at"])
    step(product, action, before, actor, reason, revoked_on=today)


@transaction.atomic
def product_revoke(*, actor: Any, product: Product, reason: str, today: dt.date | None = None) -> Product:
    """Takes a product off notice or out of the catalog: no new lists or orders, no certified sales from today
    (sales before today, within validity, stay certified: history is not rewritten)."""
    today = today or dt.date.today()
    product = locked(product)
    need_decide(actor, product, "撤销认定")
    need_status(product, [S.NOTICE, S.LISTED], "撤销认定")
    if product.listed_on is not None and today < product.listed_on:
        raise DomainError("invalid_input", detail=f"撤销日期不能早于列入目录日期 {product.listed_on}")
    _revoke(product, actor, ProductAction.REVOKE, require_reason(reason, "撤销认定"), today)
    return product


@transaction.atomic
def producer_blacklist(
    *, actor: Any, producer: Producer, reason: str, today: dt.date | None = None
) -> Blacklisting:
    """Bars a producer: every product of it on notice or in the catalog is revoked in the same transaction."""
    today = today or dt.date.today()
    producer = Producer.objects.select_for_update().get(pk=producer.pk)
    need_blacklist(actor, producer, "列入黑名单")
    reason = require_reason(reason, "列入黑名单")
    if active_blacklisting(producer.pk, today) is not None:
        raise DomainError("invalid_input", detail=f"“{producer.name}”已在黑名单中")
    row = Blacklisting.objects.create(
        producer=producer,
        reason=reason,
        since=today,
        decided_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    products = Product.objects.select_for_update().filter(producer=producer, status__in=(S.NOTICE, S.LISTED))
    revoked = 0
    for product in products.order_by("pk"):
        _revoke(product, actor, ProductAction.BLACKLIST, f"主体列入黑名单：{reason}"[:500], today)
        revoked += 1
    audit.record(
        actor=actor,
        action="producer_blacklist",
        target=row,
        note=reason[:300],
        changes={"since": [None, str(today)], "revoked_products": [None, revoked]},
    )
    return row


@transaction.atomic
def blacklist_lift(
    *, actor: Any, blacklisting: Blacklisting, reason: str, today: dt.date | None = None
) -> Blacklisting:
    """Lifts a blacklisting; revoked products stay revoked (the producer applies again)."""
    today = today or dt.date.today()
    row = Blacklisting.objects.select_for_update().select_related("producer").get(pk=blacklisting.pk)
    need_blacklist(actor, row.producer, "移出黑名单")
    reason = require_reason(reason, "移出黑名单")
    if row.lifted_on is not None:
        raise DomainError("invalid_input", detail=f"该黑名单记录已于 {row.lifted_on} 移出")
    if today < row.since:
        raise DomainError("invalid_input", detail=f"移出日期不能早于列入日期 {row.since}")
    row.lifted_on = today
    row.save(update_fields=["lifted_on", "updated_at"])
    audit.record(
        actor=actor,
        action="producer_blacklist_lift",
        target=row,
        note=reason[:300],
        changes={"lifted_on": [None, str(today)]},
    )
    return row
