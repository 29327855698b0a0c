"""Reported statistical forms and their approval, through the reporting and approval services.

西充县 (南充市, next to 蓬溪县) keeps no purchase ledger on the platform and reports the 以购助扶成果统计表 month
by month instead: January–June 2018, entered by the administrator on the county's behalf. May's 购买金额总额 does
not equal 农户自产 + 合作社产品 (rule R01), so May cannot be submitted until it is corrected. Its January is
approved (and so locked), February and March wait for 南充市, April was returned.

In 遂宁 the village account submits 碑垭村's (its village's) months and the township account decides: June 2018 is
approved and locked, July was returned and submitted again, August waits for review.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from yigou.accounts.models import User
from yigou.approval import services as approval
from yigou.approval.models import Submission
from yigou.regions.models import Region
from yigou.reporting.services import values_save

COUNTY = "511325000000"  # 西充县
YEAR = 2018
MONTHS = range(1, 7)
BROKEN_MONTH = 5


@dataclass
class DemoReporting:
    county: Region | None = None
    values: int = 0
    violations: int = 0
    submissions: list[Submission] = field(default_factory=list)


def month_values(month: int) -> dict[str, str]:
    """Plausible monthly figures of a county that grow through the first half of the year."""
    own, coop = Decimal(82000 + 9500 * month), Decimal(41000 + 5200 * month)
    total = own + coop + (Decimal(1200) if month == BROKEN_MONTH else 0)  # May's total was typed wrong
    figures: dict[str, Decimal | int] = {
        "activities": 1 + month % 3,
        "outlets_counter": 3,
        "outlets_online_shop": 2,
        "outlets_service_store": 4,
        "outlets_temp_market": month % 2,
        "outlets_ecommerce": 1,
        "fees_waived_wan": Decimal("0.80"),
        "villages_poor": 8,
        "villages_nonpoor": 12 + month,
        "poor_households": 120 + 10 * month,
        "poor_income": (total * Decimal("0.55")).quantize(Decimal(1)),
        "nonpoor_households": 60 + 5 * month,
        "nonpoor_income": (total * Decimal("0.25")).quantize(Decimal(1)),
        "amount_total": total,
        "amount_own": own,
        "amount_coop": coop,
        "amount_certified": (total * Decimal("0.3")).quantize(Decimal(1)),
        "buyers_total": 200 + 20 * month,
        "buyer_units": 12,
        "buyer_cadres": 90 + 5 * month,
        "buyer_canteens": 6,
        "buyer_enterprises": 3,
        "buyer_social_orgs": 2,
    }
    return {code: str(value) for code, value in figures.items()}


def _county_forms(admin: User, out: DemoReporting) -> None:
    county = Region.objects.filter(code=COUNTY).first()
    if county is None:
        return
    out.county = county
    for month in MONTHS:
        result = values_save(
            actor=admin,
            region_code=county.code,
            year=YEAR,
            month=month,
            values=month_values(month),
            note="县扶贫办按月填报（线下汇总）",
        )
        out.values += result.changed
        out.violations += len(result.violations)
    for month in (1, 2, 3, 4):
        out.submissions.append(approval.submission_submit(actor=admin, region=county, year=YEAR, month=month))
    first, fourth = out.submissions[0], out.submissions[3]
    approval.submission_approve(actor=admin, submission=first)
    approval.submission_return(
        actor=admin, submission=fourth, reason="4月帮扶干部参与人数与上月差异较大，请核实后重新上报"
    )


def _village_months(village_user: User, township_user: User, out: DemoReporting) -> None:
    village = village_user.region
    if village is None:
        return
    made = {
        m: approval.submission_submit(actor=village_user, region=village, year=YEAR, month=m)
        for m in (6, 7, 8)
    }
    approval.submission_approve(actor=township_user, submission=made[6])
    approval.submission_return(
        actor=township_user, submission=made[7], reason="7月购买记录有两笔未填受益农户，请补录后上报"
    )
    approval.submission_submit(actor=village_user, region=village, year=YEAR, month=7)
    out.submissions += list(made.values())


def build_reporting(*, users: list[User], say: Callable[[str], None]) -> DemoReporting:
    by_name = {u.username: u for u in users}
    out = DemoReporting()
    _county_forms(by_name["admin"], out)
    _village_months(by_name["village"], by_name["township"], out)
    states = Submission.objects.filter(pk__in=[s.pk for s in out.submissions]).values_list("state", flat=True)
    say(
        f"统计填报：{out.county.name if out.county else '—'} {YEAR}年1—6月 {out.values} 项（{out.violations} 项规则未通过）；"
        f"上报审核 {len(out.submissions)} 条（已审核锁定 {list(states).count('approved')} 个月）。"
    )
    return out
