"""Asset-income funds (资产收益扶贫): money placed with an enterprise or cooperative at a fixed or guaranteed-minimum
return, and the households listed to receive it."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db import transaction

from yigou.accounts.scope import ensure_can, ensure_region_in_scope, ensure_visible
from yigou.core import audit
from yigou.core.errors import DomainError
from yigou.income.checks import check_text
from yigou.regions.models import Region
from yigou.registry.enums import ProducerKind
from yigou.registry.models import Household, Producer

from .book import ensure_year
from .checks import money, number
from .enums import FundRule, ReturnMode
from .models import AssetFund, FundHousehold


@transaction.atomic
def fund_create(
    *,
    actor: Any,
    name: str,
    region: Region,
    holder: Producer,
    principal: Any,
    mode: str,
    rate: Any,
    rule: str,
    start_year: Any,
    households: list[tuple[Household, Any]],
) -> AssetFund:
    ensure_can(actor, "benefits.manage")
    ensure_region_in_scope(actor, region.code)
    ensure_visible(actor, holder)
    if holder.kind not in (ProducerKind.ENTERPRISE, ProducerKind.COOPERATIVE):
        raise DomainError(
            "invalid_input", detail="资产收益资金须投放给龙头企业或农民专业合作社", field="holder"
        )
    if mode not in ReturnMode.values or rule not in FundRule.values:
        raise DomainError("invalid_input", detail="请选择收益方式和分配规则", field="mode")
    yearly = number(rate, "年收益率", "rate")
    if not Decimal(0) < yearly <= 100:
        raise DomainError("invalid_input", detail="年收益率须大于 0、不超过 100%", field="rate")
    if not households:
        raise DomainError("invalid_input", detail="请列出受益农户", field="households")
    fund = AssetFund.objects.create(
        name=check_text(name, "项目名称", "name", least=2, most=200),
        region=region,
        holder=holder,
        principal=money(principal, "资金额", "principal"),
        mode=mode,
        rate=yearly,
        rule=rule,
        start_year=ensure_year(start_year),
    )
    seen = set()
    for household, weight in households:
        ensure_visible(actor, household)
        if household.pk in seen:
            raise DomainError("invalid_input", detail=f"{household}重复列出", field="households")
        seen.add(household.pk)
        share = number(weight or "1", "份数", "households")
        if share <= 0:
            raise DomainError("invalid_input", detail=f"{household}的份数须大于 0", field="households")
        FundHousehold.objects.create(fund=fund, household=household, weight=share)
    audit.record(
        actor=actor,
        action="benefits.fund",
        target=fund,
        changes={"principal": str(fund.principal), "rate": str(yearly), "households": len(seen)},
    )
    return fund
