"""Village PV stations (光伏扶贫电站): the registry, the monthly grid settlement, public-welfare posts with their
attendance and pay, and the yearly plan of uses. The rules forbid handing the revenue out as equal cash (不得简单
发钱、平均分配): the plan's uses are posts' wages, small public works and rewards, and each village's uses must add
up exactly to its share of the year's revenue."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Sum

from yigou.accounts.scope import ensure_can, ensure_region_in_scope
from yigou.core import audit
from yigou.core.errors import DomainError
from yigou.income.checks import check_text
from yigou.regions.enums import Level
from yigou.regions.models import Region
from yigou.registry.models import Member

from . import compute
from .book import ensure_year
from .checks import money, month, number, whole
from .enums import Kind, Part, Source, Status, UseKind
from .models import Distribution, PlanUse, PostMonth, PvMonth, PvStation, StationVillage, WelfarePost
from .plans import _create, _refuse_duplicate

HANDOUT_REFUSED = "光伏扶贫电站收益不得简单发钱、平均分配，请安排公益岗位工资、小型公益事业或奖励补助"


@transaction.atomic
def station_register(
    *,
    actor: Any,
    name: str,
    region: Region,
    capacity_kw: Any,
    grid_date: dt.date,
    owner: str,
    villages: list[tuple[Region, Any]],
) -> PvStation:
    ensure_can(actor, "benefits.manage")
    ensure_region_in_scope(actor, region.code)
    if region.level not in (Level.TOWNSHIP, Level.VILLAGE):
        raise DomainError("invalid_input", detail="电站所在区划须为乡镇或村", field="region")
    capacity = number(capacity_kw, "装机容量", "capacity_kw")
    if capacity <= 0:
        raise DomainError("invalid_input", detail="装机容量须大于 0", field="capacity_kw")
    shares = _check_villages(actor, villages)
    station = PvStation.objects.create(
        name=check_text(name, "电站名称", "name", least=2, most=200),
        region=region,
        county_code=region.code[:6] + "000000",
        capacity_kw=capacity,
        grid_date=grid_date,
        owner=check_text(owner, "产权归属", "owner", least=2, most=200),
    )
    StationVillage.objects.bulk_create(StationVillage(station=station, village=v, share=s) for v, s in shares)
    audit.record(
        actor=actor,
        action="benefits.station",
        target=station,
        changes={"capacity_kw": str(capacity), "villages": {v.code: str(s) for v, s in shares}},
    )
    return station


def _check_villages(actor: Any, villages: list[tuple[Region, Any]]) -> list[tuple[Region, Decimal]]:
    if not villages:
        raise DomainError("invalid_input", detail="请填写受益村及收益比例", field="villages")
    out = []
    for village, share in villages:
        if village.level != Level.VILLAGE:
            raise DomainError("invalid_input", detail=f"“{village.name}”不是村", field="villages")
        ensure_region_in_scope(actor, village.code)
        out.append((village, number(share, "收益比例", "villages")))
    total = sum((s for _, s in out), Decimal(0))
    if total != 100 or len({v.code for v, _ in out}) != len(out):
        raise DomainError("amounts_do_not_add_up", detail=f"各受益村收益比例合计须为 100%，现为 {total}%")
    return out


def _ensure_year_open(station: PvStation, year: int) -> None:
    taken = Distribution.objects.filter(station=station, year=year, corrects__isnull=True).exclude(
        status__in=(Status.DRAFT, Status.COMPUTED)
    )
    if taken.exists():
        raise DomainError(
            "benefits_locked", f"{station.name}{year}年的收益分配已进入审核或已兑付，数据已锁定"
        )


@transaction.atomic
def month_record(
    *,
    actor: Any,
    station: PvStation,
    year: Any,
    month_: Any,
    kwh: Any,
    revenue: Any,
    source: str = Source.PAGE,
) -> tuple[PvMonth, bool]:
    """One month of the grid settlement. The same figures again are accepted without change (a re-imported
    file); different figures for a recorded month are refused."""
    ensure_can(actor, "benefits.manage", station)
    year, m = ensure_year(year), month(month_)
    energy, money_ = number(kwh, "发电量", "kwh"), money(revenue, "结算收入", "revenue", allow_zero=True)
    if dt.date(year, m, 1) < station.grid_date.replace(day=1):
        raise DomainError(
            "invalid_input", detail=f"{year}年{m}月早于并网日期 {station.grid_date}", field="month"
        )
    held = PvMonth.objects.filter(station=station, year=year, month=m).first()
    if held is not None:
        if (held.kwh, held.revenue) == (energy, money_):
            return held, False
        raise DomainError(
            "invalid_input",
            detail=f"{station.name}{year}年{m}月已登记（{held.kwh} 千瓦时，{held.revenue} 元），不能重复登记",
        )
    _ensure_year_open(station, year)
    row = PvMonth.objects.create(
        station=station, year=year, month=m, kwh=energy, revenue=money_, source=source
    )
    audit.record(
        actor=actor,
        action="benefits.pv_month",
        target=row,
        changes={"kwh": str(energy), "revenue": str(money_)},
    )
    return row, True


@transaction.atomic
def month_correct(*, actor: Any, month: PvMonth, kwh: Any, revenue: Any, reason: str) -> PvMonth:
    """Put right a month's figures while the year's plan is not yet under review; the old figures stay in the audit."""
    ensure_can(actor, "benefits.manage", month.station)
    _ensure_year_open(month.station, month.year)
    why = check_text(reason, "更正原因", "reason", least=2, most=300)
    before = audit.snapshot(month, ["kwh", "revenue"])
    month.kwh, month.revenue = (
        number(kwh, "发电量", "kwh"),
        money(revenue, "结算收入", "revenue", allow_zero=True),
    )
    month.save(update_fields=["kwh", "revenue"])
    audit.record(
        actor=actor,
        action="benefits.pv_month_correct",
        target=month,
        changes=audit.diff(before, audit.snapshot(month, ["kwh", "revenue"])),
        note=why,
    )
    return month


@transaction.atomic
def post_create(
    *,
    actor: Any,
    station: PvStation,
    village: Region,
    title: str,
    member: Member,
    monthly_pay: Any,
    start: dt.date,
) -> WelfarePost:
    ensure_can(actor, "benefits.manage", station)
    ensure_can(actor, "benefits.manage", member)
    if not station.villages.filter(village=village).exists():
        raise DomainError(
            "invalid_input", detail=f"{village.name}不是{station.name}的受益村", field="village"
        )
    if member.household.village_id != village.code:
        raise DomainError("invalid_input", detail=f"{member.name}不是{village.name}的村民", field="member")
    if WelfarePost.objects.filter(member=member, end__isnull=True).exists():
        raise DomainError(
            "invalid_input", detail=f"{member.name}已在公益岗位上，一人只能上一个岗", field="member"
        )
    post = WelfarePost.objects.create(
        station=station,
        village=village,
        title=check_text(title, "岗位名称", "title", least=2, most=100),
        member=member,
        monthly_pay=money(monthly_pay, "月工资", "monthly_pay"),
        start=start,
    )
    audit.record(
        actor=actor, action="benefits.post", target=post, changes={"monthly_pay": str(post.monthly_pay)}
    )
    return post


@transaction.atomic
def post_end(*, actor: Any, post: WelfarePost, end: dt.date, reason: str) -> WelfarePost:
    """The holder leaves the post (离岗): months after the end take no attendance; the member may take another post."""
    ensure_can(actor, "benefits.manage", post)
    if post.end is not None:
        raise DomainError("invalid_input", detail=f"{post.member.name}已于 {post.end} 离岗", field="end")
    if not isinstance(end, dt.date) or end < post.start:
        raise DomainError("invalid_input", detail=f"离岗日期须不早于上岗日期 {post.start}", field="end")
    last = post.months.order_by("-year", "-month").first()
    if last is not None and dt.date(last.year, last.month, 1) > end:
        raise DomainError(
            "invalid_input",
            detail=f"{last.year}年{last.month}月已登记考勤，离岗日期不能早于该月",
            field="end",
        )
    why = check_text(reason, "离岗原因", "reason", least=2, most=300)
    post.end = end
    post.save(update_fields=["end", "updated_at"])
    audit.record(actor=actor, action="benefits.post_end", target=post, changes={"end": str(end)}, note=why)
    return post


@transaction.atomic
def attendance_record(
    *, actor: Any, post: WelfarePost, year: Any, month_: Any, days_worked: Any, days_required: Any
) -> PostMonth:
    """A month's attendance; the pay is the monthly pay × days worked ÷ days required, to the fen."""
    ensure_can(actor, "benefits.manage", post)
    year, m = ensure_year(year), month(month_)
    required = whole(days_required, "应出勤天数", "days_required", least=1)
    worked = whole(days_worked, "出勤天数", "days_worked", most=required)
    if dt.date(year, m, 1) < post.start.replace(day=1) or (post.end and dt.date(year, m, 1) > post.end):
        raise DomainError(
            "invalid_input", detail=f"{year}年{m}月不在{post.member.name}的在岗期间", field="month"
        )
    if PostMonth.objects.filter(post=post, year=year, month=m).exists():
        raise DomainError(
            "invalid_input", detail=f"{post.member.name}{year}年{m}月的考勤已登记", field="month"
        )
    _ensure_year_open(post.station, year)
    pay = compute.fen(post.monthly_pay * worked / required)
    row = PostMonth.objects.create(
        post=post, year=year, month=m, days_worked=worked, days_required=required, pay=pay
    )
    audit.record(
        actor=actor,
        action="benefits.attendance",
        target_type="benefits.postmonth",
        target_id=str(row.pk),
        target_label=str(row),
        region_code=post.village_id,
        changes={"days_worked": worked, "days_required": required, "pay": str(pay)},
    )
    return row


@dataclass
class UseInput:
    village: Region
    kind: str
    amount: Any
    note: str = ""


def year_revenue(station: PvStation, year: int) -> Decimal:
    total = PvMonth.objects.filter(station=station, year=year).aggregate(s=Sum("revenue"))["s"]
    return (total or Decimal(0)).quantize(compute.CENT)


def village_revenue(station: PvStation, year: int) -> dict[str, Decimal]:
    """Each village's share of the year's revenue, to the fen, adding up to the revenue exactly."""
    rows = list(station.villages.order_by("village_id"))
    parts, _ = compute.largest_remainder(year_revenue(station, year), [r.share for r in rows])
    return {r.village_id: p for r, p in zip(rows, parts, strict=True)}


def post_pay(station: PvStation, year: int) -> dict[int, Decimal]:
    """post id → the year's pay from the attendance recorded."""
    rows = PostMonth.objects.filter(post__station=station, year=year).values("post_id").annotate(s=Sum("pay"))
    return {r["post_id"]: r["s"].quantize(compute.CENT) for r in rows}


def _check_uses(station: PvStation, year: int, uses: list[UseInput]) -> list[PlanUse]:
    if not uses:
        raise DomainError("invalid_input", detail="请填写收益用途", field="uses")
    shares = village_revenue(station, year)
    rows: list[PlanUse] = []
    by_village: dict[str, Decimal] = defaultdict(Decimal)
    for use in uses:
        if use.kind == UseKind.HANDOUT:
            raise DomainError("invalid_input", detail=HANDOUT_REFUSED, field="uses")
        if use.kind not in UseKind.values:
            raise DomainError("invalid_input", detail=f"用途“{use.kind}”不在可选范围内", field="uses")
        if use.village.code not in shares:
            raise DomainError(
                "invalid_input", detail=f"{use.village.name}不是{station.name}的受益村", field="uses"
            )
        amount = money(use.amount, f"{use.village.name}{UseKind(use.kind).label}金额", "uses")
        by_village[use.village.code] += amount
        rows.append(
            PlanUse(
                village=use.village,
                kind=use.kind,
                amount=amount,
                note=check_text(use.note, "说明", "uses", most=300),
            )
        )
    for code, due in shares.items():
        if by_village.get(code, Decimal(0)) != due:
            name = Region.objects.get(code=code).name
            raise DomainError(
                "amounts_do_not_add_up",
                detail=f"{name}的用途合计 {compute.yuan(by_village.get(code, Decimal(0)))} 元，应等于其收益 {compute.yuan(due)} 元",
            )
    return rows


@transaction.atomic
def pv_plan(*, actor: Any, station: PvStation, year: Any, uses: list[UseInput]) -> Distribution:
    ensure_can(actor, "benefits.manage", station)
    year = ensure_year(year)
    if year_revenue(station, year) <= 0:
        raise DomainError("invalid_input", detail=f"{station.name}{year}年尚无发电收入，不能制定收益分配方案")
    rows = _check_uses(station, year, uses)
    _refuse_duplicate(kind=Kind.PV, station=station, year=year)
    plan = _create(
        actor,
        action="benefits.plan",
        kind=Kind.PV,
        title=f"{station.name}{year}年度收益分配",
        year=year,
        region=station.region,
        station=station,
        inputs={"revenue": str(year_revenue(station, year))},
    )
    for row in rows:
        row.distribution = plan
    PlanUse.objects.bulk_create(rows)
    return plan


def plan_result(distribution: Distribution) -> compute.Result:
    """The wages of the posts, one line per post, checked against the plan's 公益岗位 use of each village."""
    station = distribution.station
    assert station is not None
    pay = post_pay(station, distribution.year)
    posts = list(
        station.posts.filter(pk__in=pay).select_related("member__household").order_by("village_id", "id")
    )
    uses: dict[str, Decimal] = defaultdict(Decimal)
    for use in distribution.uses.filter(kind=UseKind.POSTS):
        uses[use.village_id] += use.amount
    wages: dict[str, Decimal] = defaultdict(Decimal)
    for post in posts:
        wages[post.village_id] += pay[post.pk]
    result = compute.Result()
    result.step("全年结算收入", "", year_revenue(station, distribution.year))
    planned: dict[str, Decimal] = defaultdict(Decimal)
    for use in distribution.uses.all():
        planned[use.village_id] += use.amount
    for code, amount in village_revenue(station, distribution.year).items():
        name = Region.objects.get(code=code).name
        if planned[code] != amount:  # the months changed after the plan was made
            raise DomainError(
                "amounts_do_not_add_up",
                detail=f"{name}的用途合计 {compute.yuan(planned[code])} 元与现有结算收益 {compute.yuan(amount)} 元不符，"
                "请重新制定方案",
            )
        result.step(f"村收益（{name}）", "按收益比例，尾差按最大余数法", amount)
    for code in sorted(set(uses) | set(wages)):
        if uses[code] != wages[code]:
            raise DomainError(
                "amounts_do_not_add_up",
                detail=f"{Region.objects.get(code=code).name}的公益岗位工资按考勤合计 {compute.yuan(wages[code])} 元，"
                f"与方案中的 {compute.yuan(uses[code])} 元不符",
            )
    for post in posts:
        household = post.member.household
        months = PostMonth.objects.filter(post=post, year=distribution.year).count()
        payee = compute.Payee(post.pk, post.member.name, household.pk)
        result.lines.append(
            compute.Line(payee, Part.WAGE, pay[post.pk], f"{post.title} {months} 个月考勤", pay[post.pk])
        )
    result.step("公益岗位工资", f"{len(posts)} 个岗位按考勤", result.total)
    return result
