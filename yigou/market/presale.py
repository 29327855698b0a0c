"""Publishing and changing pre-sale lists (预售清单). Every change is audited with old → new values."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction

from yigou.accounts.scope import ensure_can, scope_for
from yigou.core import audit
from yigou.core.errors import DomainError, PermissionDeniedError
from yigou.core.validators import validate_phone
from yigou.regions.enums import Level
from yigou.regions.models import Region
from yigou.registry.models import Household, Linkage, Producer

from .enums import Delivery, ProductCategory
from .models import PreSaleItem, PreSaleList, Product

CENT, MILLI = Decimal("0.01"), Decimal("0.001")


@dataclass
class ItemInput:
    name: str
    category: str
    unit: str
    unit_price: Decimal
    quantity: Decimal
    window_start: dt.date
    window_end: dt.date
    specification: str = ""
    product: Product | None = None
    seller_household: Household | None = None
    seller_producer: Producer | None = None


@dataclass
class ListInput:
    title: str
    opens_on: dt.date
    closes_on: dt.date
    contact_name: str
    contact_phone: str
    delivery: str = Delivery.BOTH
    note: str = ""


def ensure_may_sell(actor: Any, region_code: str, producer_id: int | None) -> None:
    """Producers publish their own lists; villages and offices publish lists of places in their region."""
    ensure_can(actor, "market.sell")
    scope = scope_for(actor)
    if scope.everything:
        return
    if scope.kind == "producer":
        allowed = producer_id is not None and producer_id == scope.producer_id
    else:
        allowed = scope.kind == "region" and region_code.startswith(scope.region_prefix)
    if not allowed:
        raise PermissionDeniedError("out_of_scope")


def _ensure_live(owner: PreSaleList) -> None:
    if owner.withdrawn:
        raise DomainError("invalid_input", detail=f"预售清单“{owner.title}”已撤回，不能再修改")


def _decimal(value: Any, what: str, places: Decimal) -> Decimal:
    try:
        number = Decimal(str(value))
    except (InvalidOperation, TypeError):
        raise DomainError("invalid_input", detail=f"{what}“{value}”不是有效数字") from None
    if not number.is_finite() or number <= 0:
        raise DomainError("invalid_input", detail=f"{what}必须大于0")
    if number != number.quantize(places):
        raise DomainError("invalid_input", detail=f"{what}“{value}”小数位数过多")
    return number


def _check_list(data: ListInput) -> None:
    if not data.title.strip():
        raise DomainError("invalid_input", detail="清单名称不能为空")
    if data.closes_on < data.opens_on:
        raise DomainError("invalid_input", detail=f"截止日期 {data.closes_on} 早于开始日期 {data.opens_on}")
    if data.delivery not in Delivery.values:
        raise DomainError("invalid_input", detail=f"交付方式“{data.delivery}”不在可选范围内")
    if not data.contact_name.strip():
        raise DomainError("invalid_input", detail="须填写联系人")
    validate_phone(data.contact_phone)


def _has_linkage(producer: Producer, day: dt.date) -> bool:
    live = Linkage.objects.filter(producer=producer, start__lte=day).exclude(end__lt=day)
    return live.exists() or producer.household_id is not None


def _check_seller(item: ItemInput, owner: PreSaleList, n: int, today: dt.date) -> None:
    if (item.seller_household is None) == (item.seller_producer is None):
        raise DomainError("invalid_input", detail=f"第{n}项须选择销售农户或销售主体（二选一）")
    if owner.producer_id is not None:
        if item.seller_producer is None or item.seller_producer.pk != owner.producer_id:
            raise DomainError("invalid_input", detail=f"第{n}项：经营主体的清单只能销售本主体的产品")
    elif item.seller_household is not None and item.seller_household.village_id != owner.region_id:
        raise DomainError("invalid_input", detail=f"第{n}项：销售农户不是本村农户")
    elif item.seller_producer is not None and not item.seller_producer.region_id.startswith(
        owner.region.county_code[:6]
    ):
        raise DomainError("invalid_input", detail=f"第{n}项：销售主体不在本县")
    if item.seller_producer is not None and not _has_linkage(item.seller_producer, today):
        raise DomainError(
            "invalid_input",
            detail=f"第{n}项：“{item.seller_producer.name}”目前没有带贫联结农户，收益无法落到农户",
        )


def _check_product(item: ItemInput, n: int, today: dt.date) -> None:
    product = item.product
    if product is None:
        return
    if not product.certified_on(today):
        raise DomainError("product_not_certified", name=product.name, action="列入预售清单")
    sellers = {item.seller_producer.pk if item.seller_producer else None}
    if item.seller_household is not None:
        sellers |= set(Producer.objects.filter(household=item.seller_household).values_list("pk", flat=True))
    if product.producer_id not in sellers:
        raise DomainError("invalid_input", detail=f"第{n}项：认定产品“{product.name}”不属于该销售方")


def _build_item(item: ItemInput, owner: PreSaleList, n: int, today: dt.date) -> PreSaleItem:
    if not item.name.strip() or not item.unit.strip():
        raise DomainError("invalid_input", detail=f"第{n}项须填写品名和单位")
    if item.category not in ProductCategory.values:
        raise DomainError("invalid_input", detail=f"第{n}项品类“{item.category}”不在可选范围内")
    if item.window_end < item.window_start:
        raise DomainError("invalid_input", detail=f"第{n}项交付结束日期早于开始日期")
    _check_seller(item, owner, n, today)
    _check_product(item, n, today)
    return PreSaleItem(
        presale_list=owner,
        product=item.product,
        name=item.name.strip()[:100],
        category=item.category,
        specification=item.specification.strip()[:100],
        unit=item.unit.strip()[:16],
        unit_price=_decimal(item.unit_price, f"第{n}项单价", CENT),
        quantity=_decimal(item.quantity, f"第{n}项可售数量", MILLI),
        window_start=item.window_start,
        window_end=item.window_end,
        seller_household=item.seller_household,
        seller_producer=item.seller_producer,
    )


def _owner_region(region: Region | None, producer: Producer | None) -> Region:
    if (region is None) == (producer is None):
        raise DomainError("invalid_input", detail="预售清单由一个村或一个经营主体发布（二选一）")
    if producer is not None:
        return producer.region
    assert region is not None
    if region.level != Level.VILLAGE:
        raise DomainError(
            "region_level_mismatch",
            what="发布清单的村",
            expected="村级",
            name=region.name,
            actual=region.get_level_display(),
        )
    return region


@transaction.atomic
def presale_publish(
    *,
    actor: Any,
    data: ListInput,
    items: Sequence[ItemInput],
    village: Region | None = None,
    producer: Producer | None = None,
    today: dt.date | None = None,
) -> PreSaleList:
    today = today or dt.date.today()
    region = _owner_region(village, producer)
    ensure_may_sell(actor, region.code, producer.pk if producer else None)
    _check_list(data)
    if not items:
        raise DomainError("invalid_input", detail="清单至少需要一个品种")
    owner = PreSaleList.objects.create(
        title=data.title.strip()[:200],
        region=region,
        county_code=region.county_code,
        producer=producer,
        opens_on=data.opens_on,
        closes_on=data.closes_on,
        delivery=data.delivery,
        contact_name=data.contact_name.strip()[:60],
        contact_phone=data.contact_phone.strip(),
        note=data.note.strip()[:500],
        published_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    built = [_build_item(item, owner, n, today) for n, item in enumerate(items, start=1)]
    PreSaleItem.objects.bulk_create(built)
    audit.record(
        actor=actor,
        action="presale_publish",
        target=owner,
        changes={"items": len(built), "opens_on": str(data.opens_on), "closes_on": str(data.closes_on)},
    )
    return owner


LIST_FIELDS = ("title", "opens_on", "closes_on", "delivery", "contact_name", "contact_phone", "note")


@transaction.atomic
def presale_change(*, actor: Any, presale_list: PreSaleList, data: ListInput) -> PreSaleList:
    """Change the list's dates, delivery or contact; the audit log keeps every earlier value."""
    owner = PreSaleList.objects.select_for_update().get(pk=presale_list.pk)
    ensure_may_sell(actor, owner.region_id, owner.producer_id)
    _ensure_live(owner)
    _check_list(data)
    changes = {}
    for name in LIST_FIELDS:
        new = getattr(data, name)
        new = new.strip() if isinstance(new, str) else new
        if getattr(owner, name) != new:
            changes[name] = [str(getattr(owner, name)), str(new)]
            setattr(owner, name, new)
    if changes:
        owner.save()
        audit.record(actor=actor, action="presale_change", target=owner, changes=changes)
    return owner


@transaction.atomic
def presale_item_add(
    *, actor: Any, presale_list: PreSaleList, item: ItemInput, today: dt.date | None = None
) -> PreSaleItem:
    owner = PreSaleList.objects.select_for_update().get(pk=presale_list.pk)
    ensure_may_sell(actor, owner.region_id, owner.producer_id)
    _ensure_live(owner)
    n = owner.items.count() + 1
    built = _build_item(item, owner, n, today or dt.date.today())
    built.save()
    audit.record(
        actor=actor,
        action="presale_item_add",
        target=owner,
        changes={"item": built.name, "quantity": str(built.quantity), "unit_price": str(built.unit_price)},
    )
    return built


@transaction.atomic
def presale_item_change(
    *,
    actor: Any,
    item: PreSaleItem,
    quantity: Decimal | None = None,
    unit_price: Decimal | None = None,
    window_start: dt.date | None = None,
    window_end: dt.date | None = None,
) -> PreSaleItem:
    """Stock may be raised, or lowered down to what live orders already hold; a price change applies to new orders."""
    locked = PreSaleItem.objects.select_for_update().select_related("presale_list").get(pk=item.pk)
    owner = locked.presale_list
    ensure_may_sell(actor, owner.region_id, owner.producer_id)
    _ensure_live(owner)
    new: dict[str, Any] = {}
    if quantity is not None:
        new["quantity"] = _decimal(quantity, "可售数量", MILLI)
        if new["quantity"] < locked.reserved:
            raise DomainError(
                "invalid_input",
                detail=f"可售数量不能少于已被订购的 {locked.reserved.normalize():f}{locked.unit}",
            )
    if unit_price is not None:
        new["unit_price"] = _decimal(unit_price, "单价", CENT)
    new["window_start"], new["window_end"] = (
        window_start or locked.window_start,
        window_end or locked.window_end,
    )
    if new["window_end"] < new["window_start"]:
        raise DomainError("invalid_input", detail="交付结束日期早于开始日期")
    changes = {k: [str(getattr(locked, k)), str(v)] for k, v in new.items() if getattr(locked, k) != v}
    if changes:
        for name in changes:
            setattr(locked, name, new[name])
        locked.save()
        audit.record(
            actor=actor, action="presale_item_change", target=owner, changes={"item": locked.name, **changes}
        )
    return locked


@transaction.atomic
def presale_withdraw(*, actor: Any, presale_list: PreSaleList, reason: str) -> PreSaleList:
    """Stops new orders; orders already placed go on."""
    owner = PreSaleList.objects.select_for_update().get(pk=presale_list.pk)
    ensure_may_sell(actor, owner.region_id, owner.producer_id)
    if not reason.strip():
        raise DomainError("invalid_input", detail="撤回须填写原因")
    if owner.withdrawn:
        raise DomainError("invalid_input", detail="该清单已撤回")
    owner.withdrawn = True
    owner.save(update_fields=["withdrawn", "updated_at"])
    audit.record(
        actor=actor,
        action="presale_withdraw",
        target=owner,
        note=reason.strip()[:300],
        changes={"withdrawn": [False, True]},
    )
    return owner
