"""The approval tests' world: the shared test world plus one staff account for every region of 遂宁 that has
none there, so each region can submit and each parent can decide."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from django.test import Client
from rest_framework.test import APIClient

from tests.world import PASSWORD, World
from yigou.accounts.enums import OrgKind, Role
from yigou.accounts.services import organisation_create, system_actor, user_create
from yigou.approval import services
from yigou.approval.models import Submission
from yigou.regions.enums import Level

# Region code → the world's user who works there (offices for towns and up, village staff for villages).
STAFF = {
    "510900000000": "city",
    "510903000000": "chuanshan",
    "510904000000": "anju",
    "510971000000": "zone",
    "510903101000": "yongxing",
    "510903101001": "village",
}
EXTRA = [
    "510903101002",
    "510903102000",
    "510903102001",
    "510904101000",
    "510904101001",
    "510971001000",
    "510971001001",
]


@pytest.fixture
def staff(world: World) -> dict[str, str]:
    """Region code → username of its staff; adds the missing accounts to the world."""
    found = dict(STAFF)
    for code in EXTRA:
        region = world.regions[code]
        village = region.level == Level.VILLAGE
        org = organisation_create(
            actor=None,
            name=f"{region.name}{'村委会' if village else '扶贫办'}",
            kind=OrgKind.VILLAGE if village else OrgKind.OFFICE,
            region=region,
        )
        username = f"staff{code}"
        world.users[username] = user_create(
            actor=system_actor(),
            username=username,
            password=PASSWORD,
            role=Role.VILLAGE if village else Role.OFFICE,
            organisation=org,
            display_name=region.name,
            check_password=False,
        )
        found[code] = username
    return found


class Chain:
    """Drives submissions as the right people: `submit(code)` by the region's staff, `approve(code)` by its
    parent's office, `approve_up(code)` approves the whole subtree bottom-up, then the region itself."""

    def __init__(self, world: World, staff: dict[str, str], month: str = "2018-04"):
        self.world, self.staff = world, staff
        self.year, self.month = (int(part) for part in month.split("-"))

    def user(self, code: str):
        return self.world.users[self.staff[code]]

    def submit(self, code: str) -> Submission:
        return services.submission_submit(
            actor=self.user(code), region=self.world.regions[code], year=self.year, month=self.month
        )

    def submission(self, code: str) -> Submission:
        return Submission.objects.get(region_id=code, year=self.year, month=self.month)

    def approve(self, code: str) -> Submission:
        parent = self.world.regions[code].parent_id
        return services.submission_approve(actor=self.user(parent), submission=self.submission(code))

    def approve_up(self, code: str) -> None:
        for child in self.world.regions[code].children.order_by("code"):
            self.approve_up(child.code)
        self.submit(code)
        self.approve(code)


@pytest.fixture
def chain(world: World, staff: dict[str, str]) -> Callable[[str], Chain]:
    return lambda month="2018-04": Chain(world, staff, month)


@pytest.fixture
def page_for(world: World, staff: dict[str, str]) -> Callable[[str], Client]:
    def make(username: str) -> Client:
        client = Client()
        client.force_login(world.users[username])
        return client

    return make


@pytest.fixture
def api_for(world: World, staff: dict[str, str]) -> Callable[[str], APIClient]:
    def make(username: str) -> APIClient:
        client = APIClient()
        client.force_authenticate(world.users[username])
        return client

    return make


def at(text: str) -> dt.datetime:
    """A Beijing-time moment, for submissions made 'at' a given time."""
    from django.utils import timezone

    return timezone.make_aware(dt.datetime.fromisoformat(text))
