"""One demo account per role, each in an organisation, and the Chinese table of logins `make run` prints."""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from yigou.accounts.enums import OrgKind, Role
from yigou.accounts.models import Organisation, User
from yigou.accounts.services import organisation_create, user_create
from yigou.regions.enums import Level
from yigou.regions.models import Region
from yigou.registry.enums import ProducerKind

from .assist import DemoAssist
from .producers import DemoProducers
from .regions import DemoRegions

DEMO_PASSWORD = "Yigou@2018demo"
CHUANSHAN, SHEHONG = "510903000000", "510922000000"


@dataclass(frozen=True)
class Login:
    username: str
    role: str
    display_name: str
    can_reveal_pii: bool = False


LOGINS = [
    Login("admin", Role.ADMIN, "平台管理员"),
    Login("city", Role.OFFICE, "市扶贫办演示账号"),
    Login("chuanshan", Role.OFFICE, "船山区扶贫办演示账号", can_reveal_pii=True),
    Login("shehong", Role.OFFICE, "射洪县扶贫办演示账号"),
    Login("township", Role.OFFICE, "乡镇扶贫专干演示账号"),
    Login("village", Role.VILLAGE, "村文书演示账号"),
    Login("auditor", Role.AUDITOR, "审计局演示账号"),
    Login("unit", Role.UNIT, "帮扶单位演示账号"),
    Login("producer", Role.PRODUCER, "合作社演示账号"),
    Login("buyer", Role.BUYER, "个人采购人演示账号"),
]
USERNAMES = [login.username for login in LOGINS]


def _village_for_staff(regions: DemoRegions) -> Region:
    """A poor village of 船山区, so the village account sees poor households."""
    villages = regions.villages[CHUANSHAN]
    return next((v for v in villages if v.poor_since), villages[0])


def _organisations(
    actor: Any, regions: DemoRegions, units: DemoAssist, producers: DemoProducers
) -> dict[str, Organisation]:
    counties = {c.code: c for c in regions.counties}
    village = _village_for_staff(regions)
    township = next(t for t in regions.townships[CHUANSHAN] if village.code.startswith(t.code[:9]))
    unit = units.city_units[0]
    coop = next(p for p in producers.producers if p.kind == ProducerKind.COOPERATIVE)
    seat = "办事处" if township.name.endswith("街道") else "人民政府"
    committee = "居民委员会" if village.name.endswith("社区") else "村民委员会"
    specs: dict[str, tuple[str, str, Region, dict[str, Any]]] = {
        "admin": ("以购助扶平台运营中心", OrgKind.PLATFORM, regions.city, {}),
        "city": ("遂宁市扶贫和移民工作局", OrgKind.OFFICE, regions.city, {}),
        "chuanshan": ("遂宁市船山区扶贫和移民工作局", OrgKind.OFFICE, counties[CHUANSHAN], {}),
        "shehong": ("射洪县扶贫和移民工作局", OrgKind.OFFICE, counties[SHEHONG], {}),
        "township": (f"{township.name}{seat}", OrgKind.OFFICE, township, {}),
        "village": (f"{village.name}{committee}", OrgKind.VILLAGE, village, {}),
        "auditor": ("遂宁市审计局", OrgKind.SUPERVISION, regions.city, {}),
        "unit": (unit.name, OrgKind.UNIT, unit.region, {"unit": unit}),
        "producer": (coop.name, OrgKind.PRODUCER, coop.region, {"producer": coop}),
    }
    return {
        key: organisation_create(actor=actor, name=name, kind=kind, region=region, **links)
        for key, (name, kind, region, links) in specs.items()
    }


def build_users(
    *,
    actor: Any,
    regions: DemoRegions,
    units: DemoAssist,
    producers: DemoProducers,
    say: Callable[[str], None],
) -> list[User]:
    orgs = _organisations(actor, regions, units, producers)
    users = [
        user_create(
            actor=actor,
            username=login.username,
            password=DEMO_PASSWORD,
            role=login.role,
            organisation=orgs.get(login.username),
            display_name=login.display_name,
            can_reveal_pii=login.can_reveal_pii,
        )
        for login in LOGINS
    ]
    say(f"演示账号：{len(users)} 个（每个角色一个），统一密码见 yigou demo --logins。")
    return users


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text))


def _role_label(user: User) -> str:
    label = Role(user.role).label
    return f"{label}，可查看完整个人信息" if user.can_reveal_pii else label


def _place(user: User) -> str:
    org = user.organisation
    if org is None:
        return "—"
    region = org.region
    level = "" if region.level == Level.CITY else f"（{region.get_level_display()}）"
    return f"{region.name}{level} / {org.name}"


def logins_table() -> str:
    """The demo accounts as they are in the database, as an aligned Chinese table."""
    found = {
        u.username: u
        for u in User.objects.filter(username__in=USERNAMES).select_related("organisation__region")
    }
    rows = [["账号", "密码", "角色", "所属区域/组织"]]
    rows += [
        [name, DEMO_PASSWORD, _role_label(found[name]), _place(found[name])]
        for name in USERNAMES
        if name in found
    ]
    if len(rows) == 1:
        return "尚未加载演示数据，请先运行：yigou demo"
    widths = [max(_width(row[i]) for row in rows) for i in range(3)]
    lines = ["  ".join([*(_pad(row[i], widths[i]) for i in range(3)), row[3]]).rstrip() for row in rows]
    lines.insert(1, "-" * (sum(widths) + 6 + max(_width(row[3]) for row in rows)))
    return "演示账号（仅供演示，正式使用前请删除或修改密码）：\n" + "\n".join(lines)
