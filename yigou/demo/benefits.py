"""Benefit distribution in the demo (收益分配), all through the benefits services by the demo accounts:

* the demo cooperative's 2018: its members' transaction book, capital accounts (own contributions, shares quantified
  from state grants for its poor members, and a poor household's preferred share at a guaranteed 8%), the surplus
  plan computed, approved by the cooperative and the office over it, published and paid into the income cards;
* a village PV station of the village account's township with a year of grid settlement, public-welfare posts held
  by members of poor households with their attendance, and the year's plan of uses — paid; two peer stations of the
  county (one producing well below the others, so the output warning shows);
* county money placed with the cooperative at a guaranteed 6% (资产收益), its 2018 return paid to the village's
  registered households by household size;
* an enterprise's piece work for linked households' members, reviewed by the office and published (公示中).

The notice period (公示期) is run in one go, so the demo's distributions can be paid on the day they are loaded.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal

from django.test import override_settings

from yigou.accounts.models import User
from yigou.benefits import book, flow, funds, piecework, pv
from yigou.benefits.enums import AccountKind, FundRule, ReturnMode, UseKind
from yigou.benefits.models import Distribution, PvStation
from yigou.benefits.plans import distribution_compute, fund_plan, surplus_plan
from yigou.regions.models import Region, prefix_of
from yigou.registry import services as registry
from yigou.registry.enums import Labour, ProducerKind
from yigou.registry.models import CoopMember, Household, Member, Producer

from .market import YEAR

OFFICES = ("township", "chuanshan", "shehong", "city")  # the most local office over a region approves
REGISTERED = ("poor", "exited")
SEASON = (62, 70, 95, 110, 125, 118, 121, 119, 104, 90, 71, 60)  # kWh per kW by month, a 四川 year


def _office(by_name: dict[str, User], code: str) -> User:
    for name in OFFICES:
        user = by_name.get(name)
        if (
            user is not None
            and user.organisation
            and code.startswith(prefix_of(user.organisation.region.code))
        ):
            return user
    return by_name["admin"]


def _run(distribution: Distribution, holder: User, office: User) -> Distribution:
    with override_settings(YIGOU_BENEFITS_NOTICE_DAYS=0):
        row = distribution_compute(actor=holder, distribution=distribution)
        row = flow.approve_holder(actor=holder, distribution=row, note="演示：审核通过")
        row = flow.approve_township(actor=office, distribution=row, note="演示：审核通过")
        row = flow.publish(actor=office, distribution=row)
        row, _ = flow.pay(actor=office, distribution=row)
    return row


def _members(coop: Producer, admin: User) -> list[CoopMember]:
    """The cooperative's members with a household; a poor household of its township joins if none is registered."""
    members = list(
        coop.members.filter(household__isnull=False, left_on__isnull=True).select_related("household")
    )
    if not any(m.household and m.household.status in REGISTERED for m in members):
        prefix = coop.region_id[:9]
        poor = Household.objects.filter(village__code__startswith=prefix, status__in=REGISTERED).order_by(
            "number"
        )
        joining = poor.exclude(coop_memberships__producer=coop).first()
        if joining is not None:
            members.append(
                registry.coop_member_add(
                    actor=admin, producer=coop, name="", household=joining, joined_on=dt.date(YEAR, 1, 1)
                )
            )
    return sorted(members, key=lambda m: m.pk)


def _cooperative_year(by_name: dict[str, User]) -> Distribution | None:
    holder = by_name["producer"]
    coop = holder.organisation.producer if holder.organisation else None
    if coop is None or coop.kind != ProducerKind.COOPERATIVE:
        return None
    members = _members(coop, by_name["admin"])
    if len(members) < 2:
        return None
    preferred = False
    for index, member in enumerate(members):
        start = max(member.joined_on, dt.date(YEAR, 1, 1))
        for month, amount in ((3, 2400 + 650 * index), (7, 3100 + 420 * index), (10, 1800 + 390 * index)):
            day = max(start, dt.date(YEAR, month, 15))
            if day.year == YEAR:
                data = book.BookInput(
                    member=member, date=day, product=coop.main_products or "农产品", amount=f"{amount}.00"
                )
                book.book_record(actor=holder, producer=coop, data=data)
        capital = member.capital or Decimal(2000 + 500 * index)
        book.capital_account_set(actor=holder, member=member, kind=AccountKind.CONTRIBUTION, amount=capital)
        poor = member.household is not None and member.household.status in REGISTERED
        if poor:
            book.capital_account_set(
                actor=holder,
                member=member,
                kind=AccountKind.GRANT,
                amount="5000.00",
                note="2017年财政扶贫资金量化",
            )
        if poor and not preferred:
            book.capital_account_set(
                actor=holder, member=member, kind=AccountKind.PREFERRED, amount="10000.00", min_rate="8",
                note="贫困户优先股，保底年收益 8%",
            )  # fmt: skip
            preferred = True
    plan = surplus_plan(
        actor=holder, producer=coop, year=YEAR, surplus="12000.00", reserve_rate="10", trading_rate="60"
    )
    return _run(plan, holder, _office(by_name, coop.region_id))


def _station_villages(village: Region) -> list[tuple[Region, str]]:
    neighbours = list(
        Region.objects.filter(parent_id=village.parent_id).exclude(code=village.code).order_by("code")[:1]
    )
    return [(village, "60"), (neighbours[0], "40")] if neighbours else [(village, "100")]


def _months(station: PvStation, office: User, factor: Decimal) -> None:
    for month, per_kw in enumerate(SEASON, start=1):
        kwh = (station.capacity_kw * per_kw * factor).quantize(Decimal("1"))
        revenue = (kwh * Decimal("0.85")).quantize(Decimal("0.01"))
        pv.month_record(actor=office, station=station, year=YEAR, month_=month, kwh=kwh, revenue=revenue)


def _posts(station: PvStation, village: Region, clerk: User) -> list:
    able = list(
        Member.objects.filter(household__village=village)
        .exclude(labour__in=(Labour.LOST, Labour.NONE))
        .select_related("household")
        .order_by("household__number", "id")
    )
    # Posts go to members of poor (or lifted) households first, as the rules ask.
    able.sort(key=lambda m: m.household.status not in REGISTERED)
    able = list({m.household_id: m for m in reversed(able)}.values())[::-1]  # one post per household
    posts = []
    for seat, (member, title) in enumerate(zip(able[:3], ("保洁员", "护林员", "水管员"), strict=False)):
        post = pv.post_create(
            actor=clerk, station=station, village=village, title=title, member=member, monthly_pay="500.00",
            start=dt.date(YEAR, 1, 1),
        )  # fmt: skip
        for month in range(1, 13):
            required = 22
            worked = required - (month * (seat + 4)) % 3  # a day or two missed in some months
            pv.attendance_record(
                actor=clerk, post=post, year=YEAR, month_=month, days_worked=worked, days_required=required
            )
        posts.append(post)
    return posts


def _uses(station: PvStation, posts: list) -> list[pv.UseInput]:
    shares = pv.village_revenue(station, YEAR)
    pay = pv.post_pay(station, YEAR)
    uses = []
    for link in station.villages.select_related("village"):
        wages = sum((pay[p.pk] for p in posts if p.village_id == link.village_id), Decimal("0.00"))
        rest = shares[link.village_id] - wages
        rewards = (rest * Decimal("0.2")).quantize(Decimal("0.01"))
        if wages:
            uses.append(pv.UseInput(link.village, UseKind.POSTS, wages))
        uses.append(pv.UseInput(link.village, UseKind.WORKS, rest - rewards, "村道维修、路灯"))
        uses.append(pv.UseInput(link.village, UseKind.REWARDS, rewards, "孝老爱亲、环境卫生评比奖励"))
    return uses


def _pv_year(by_name: dict[str, User]) -> Distribution | None:
    clerk = by_name.get("village")
    if clerk is None or clerk.organisation is None:
        return None
    village = clerk.organisation.region
    township = village.parent
    assert township is not None
    office = _office(by_name, township.code)
    station = pv.station_register(
        actor=office, name=f"{village.name}村级光伏扶贫电站", region=township, capacity_kw="300",
        grid_date=dt.date(YEAR - 1, 6, 30), owner=f"{village.name}村集体经济组织",
        villages=_station_villages(village),
    )  # fmt: skip
    _months(station, office, Decimal("1"))
    for name, factor in (
        ("二号", Decimal("0.96")),
        ("三号", Decimal("0.62")),
    ):  # 三号 has dirty, shaded panels
        peer = pv.station_register(
            actor=office, name=f"{township.name}{name}光伏扶贫电站", region=township, capacity_kw="200",
            grid_date=dt.date(YEAR - 1, 9, 30), owner=f"{township.name}人民政府", villages=[(village, "100")],
        )  # fmt: skip
        _months(peer, office, factor)
    posts = _posts(station, village, clerk)
    plan = pv.pv_plan(actor=office, station=station, year=YEAR, uses=_uses(station, posts))
    return _run(plan, clerk, office)


def _piecework(by_name: dict[str, User]) -> Distribution | None:
    office = by_name.get("chuanshan")
    if office is None or office.organisation is None:
        return None
    prefix = office.organisation.region.code[:6]
    enterprise = (
        Producer.objects.filter(
            kind=ProducerKind.ENTERPRISE, region__code__startswith=prefix, linkages__isnull=False
        )
        .distinct()
        .order_by("id")
        .first()
    )
    if enterprise is None:
        return None
    homes = [link.household_id for link in enterprise.linkages.order_by("id")[:4]]
    people = Member.objects.filter(household_id__in=homes).exclude(labour__in=(Labour.LOST, Labour.NONE))
    batch = piecework.batch_create(actor=office, producer=enterprise, year=YEAR)
    for n, member in enumerate(people.order_by("household_id", "id")[:4]):
        for month in range(1, 7):
            pieces = 180 + 25 * n + 10 * month
            data = piecework.PieceInput(member, month, pieces, f"{pieces * Decimal('1.5'):.2f}", "柳编")
            piecework.piece_record(actor=office, distribution=batch, data=data)
    if not batch.piecework.exists():
        return None
    batch = distribution_compute(actor=office, distribution=batch)
    # The demo has no enterprise account: the platform administrator confirms for it, then the office reviews.
    batch = flow.approve_holder(actor=by_name["admin"], distribution=batch, note="代企业确认")
    batch = flow.approve_township(actor=office, distribution=batch, note="乡镇审核通过")
    return flow.publish(actor=office, distribution=batch)


def _asset_fund(by_name: dict[str, User]) -> Distribution | None:
    """County money placed with the demo cooperative at a guaranteed 6%, shared by the registered households of the
    village account's township by their size; the cooperative earned more than the minimum in 2018, so the actual
    return is paid. The county office keeps it: the fund's township and the cooperative's are not the same."""
    clerk, holder = by_name.get("village"), by_name["producer"]
    coop = holder.organisation.producer if holder.organisation else None
    if clerk is None or clerk.organisation is None or coop is None:
        return None
    township = clerk.organisation.region.parent
    assert township is not None
    office = _office(by_name, township.code[:6] + "000000")
    homes = Household.objects.filter(village__code__startswith=township.code[:9], status__in=REGISTERED)
    homes = homes.order_by("number")
    if not homes.exists():
        return None
    fund = funds.fund_create(
        actor=office, name=f"{township.name}2017年产业扶贫资金入股{coop.name}", region=township, holder=coop,
        principal="200000.00", mode=ReturnMode.MINIMUM, rate="6", rule=FundRule.SIZE, start_year=YEAR,
        households=[(h, "1") for h in homes[:8]],
    )  # fmt: skip
    plan = fund_plan(actor=office, fund=fund, year=YEAR, actual="12800.00")
    return _run(plan, holder, office)


def build_benefits(*, users: list[User], say: Callable[[str], None]) -> list[Distribution]:
    by_name = {u.username: u for u in users}
    parts = (_cooperative_year(by_name), _asset_fund(by_name), _pv_year(by_name), _piecework(by_name))
    done = [row for row in parts if row is not None]
    say(f"收益分配：{len(done)} 项（" + "、".join(f"{r.title} {r.get_status_display()}" for r in done) + "）")
    return done
