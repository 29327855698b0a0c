"""Writes of assessment schemes (考核方案) and the co-op network registers (供销网点, 土地托管合同)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import transaction

from yigou.accounts.scope import ensure_can, ensure_region_in_scope
from yigou.core import audit
from yigou.regions.models import Region

from .enums import Indicator, ItemSource, SiteKind, SubjectKind
from .models import NetworkSite, Plan, Scheme, SchemeItem, TrusteeshipContract
from .services import ensure_manages, refuse
from .targets import amount


@dataclass
class ItemInput:
    name: str
    source: str
    weight: Any
    indicator: str = ""
    target_name: str = ""
    threshold: Any = "0"
    cap: Any = "100"


def _check_item(n: int, data: ItemInput, subject_kind: str) -> tuple[Decimal, Decimal, Decimal]:
    where = f"第{n}项指标"
    if not data.name.strip():
        raise refuse(f"{where}名称不能为空", "items")
    if data.source not in ItemSource.values:
        raise refuse(f"{where}计分依据无效", "items")
    if data.source == ItemSource.TARGET and data.indicator not in Indicator.values:
        raise refuse(f"{where}须选择目标指标", "items")
    if data.source == ItemSource.TASKS and subject_kind != SubjectKind.UNIT:
        raise refuse(f"{where}：任务按期完成率只用于按责任单位考核", "items")
    weight = amount(data.weight, f"{where}权重", "items")
    threshold = amount(data.threshold or "0", f"{where}起评线", "items")
    cap = amount(data.cap or "100", f"{where}封顶", "items")
    if weight <= 0:
        raise refuse(f"{where}权重须大于0", "items")
    if cap < Decimal("100") or cap > Decimal("200"):
        raise refuse(f"{where}封顶须在 100% 到 200% 之间", "items")
    if threshold >= cap:
        raise refuse(f"{where}起评线须低于封顶", "items")
    return weight, threshold, cap


@transaction.atomic
def scheme_create(
    *,
    actor: Any,
    plan: Plan,
    name: str,
    subject_kind: str,
    items: list[ItemInput],
    deduction: Any = "0",
    deduction_cap: Any = "0",
) -> Scheme:
    ensure_manages(actor, plan)
    if not name.strip():
        raise refuse("考核名称不能为空", "name")
    if subject_kind not in SubjectKind.values:
        raise refuse("考核对象无效", "subject_kind")
    if not items:
        raise refuse("请至少设置一项考核指标", "items")
    checked = [_check_item(n, item, subject_kind) for n, item in enumerate(items, start=1)]
    scheme = Scheme.objects.create(
        plan=plan,
        name=name.strip()[:200],
        subject_kind=subject_kind,
        deduction=amount(deduction or "0", "每项扣分", "deduction"),
        deduction_cap=amount(deduction_cap or "0", "扣分上限", "deduction_cap"),
        created_by=actor,
    )
    for order, (item, (weight, threshold, cap)) in enumerate(zip(items, checked, strict=True)):
        SchemeItem.objects.create(
            scheme=scheme,
            order=order,
            name=item.name.strip()[:100],
            source=item.source,
            indicator=item.indicator if item.source == ItemSource.TARGET else "",
            target_name=item.target_name.strip()[:200],
            weight=weight,
            threshold=threshold,
            cap=cap,
        )
    audit.record(actor=actor, action="plan.scheme_create", target=scheme, note=f"{len(items)} 项指标")
    return scheme


@transaction.atomic
def site_register(
    *, actor: Any, kind: str, name: str, region: Region, opened_on: dt.date, operator: str = ""
) -> NetworkSite:
    ensure_can(actor, "plans.network")
    ensure_region_in_scope(actor, region.code)
    if kind not in SiteKind.values:
        raise refuse(f"网点类型“{kind}”无效", "kind")
    if not name.strip():
        raise refuse("名称不能为空", "name")
    site = NetworkSite.objects.create(
        kind=kind,
        name=name.strip()[:200],
        region=region,
        opened_on=opened_on,
        operator=operator.strip()[:200],
    )
    audit.record(actor=actor, action="plan.site_register", target=site)
    return site


@transaction.atomic
def site_close(*, actor: Any, site: NetworkSite, closed_on: dt.date) -> NetworkSite:
    ensure_can(actor, "plans.network", site)
    if site.closed_on is not None or closed_on < site.opened_on:
        raise refuse(
            f"关闭日期 {closed_on} 无效（开业 {site.opened_on}，已关闭 {site.closed_on or '否'}）",
            "closed_on",
        )
    site.closed_on = closed_on
    site.save(update_fields=["closed_on", "updated_at"])
    audit.record(
        actor=actor, action="plan.site_close", target=site, changes={"closed_on": [None, str(closed_on)]}
    )
    return site


@dataclass
class TrusteeshipInput:
    number: str
    provider: str
    year: int
    mu: Any
    households: int
    signed_on: dt.date
    poor_households: int = 0
    service: str = ""


@transaction.atomic
def trusteeship_record(*, actor: Any, village: Region, data: TrusteeshipInput) -> TrusteeshipContract:
    ensure_can(actor, "plans.network")
    ensure_region_in_scope(actor, village.code)
    mu = amount(data.mu, "托管面积", "mu")
    if mu <= 0:
        raise refuse("托管面积须大于0", "mu")
    if data.households < 1 or data.poor_households < 0 or data.poor_households > data.households:
        raise refuse("托管户数须至少1户，其中贫困户不多于托管户数", "households")
    if TrusteeshipContract.objects.filter(number=data.number.strip()).exists():
        raise refuse(f"合同编号 {data.number} 已登记", "number")
    row = TrusteeshipContract.objects.create(
        number=data.number.strip()[:60],
        region=village,
        provider=data.provider.strip()[:200],
        service=data.service.strip()[:200],
        year=data.year,
        mu=mu,
        households=data.households,
        poor_households=data.poor_households,
        signed_on=data.signed_on,
    )
    audit.record(actor=actor, action="plan.trusteeship_record", target=row, note=f"{mu} 亩")
    return row
