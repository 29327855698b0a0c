"""Who a distribution's steps are told to (in-app notices, through yigou.notices): the township and county offices
when the holder has approved, the payees' village staff and the holder when the 公示 starts and when it is paid,
and whoever raised an objection when it is answered."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.urls import reverse

from yigou.accounts.enums import Role
from yigou.accounts.models import User
from yigou.notices.services import notify
from yigou.regions.enums import Level
from yigou.regions.selectors import ancestors

from .models import Distribution

KIND = "benefits"


def _active(rows: Any) -> list[User]:
    return list(rows.filter(is_active=True).select_related("organisation"))


def reviewers(distribution: Distribution) -> list[User]:
    """Offices of the township and the county the distribution belongs to."""
    chain = [*ancestors(distribution.region), distribution.region]
    codes = [r.code for r in chain if r.level in (Level.TOWNSHIP, Level.COUNTY)]
    return _active(User.objects.filter(role=Role.OFFICE, organisation__region__code__in=codes))


def villages_and_holder(distribution: Distribution) -> list[User]:
    villages = set(
        distribution.allocations.exclude(household=None).values_list("household__village_id", flat=True)
    )
    villages |= (
        set(distribution.station.villages.values_list("village_id", flat=True))
        if distribution.station
        else set()
    )
    users = _active(User.objects.filter(role=Role.VILLAGE, organisation__region__code__in=villages))
    if distribution.producer_id is not None:
        users += _active(
            User.objects.filter(role=Role.PRODUCER, organisation__producer_id=distribution.producer_id)
        )
    return users


def tell(
    distribution: Distribution, recipients: Iterable[User], title: str, actor: Any, body: str = ""
) -> None:
    notify(
        [u for u in recipients if u.pk != getattr(actor, "pk", None)],
        kind=KIND,
        title=title,
        body=body,
        link=reverse("www:benefit", args=[distribution.pk]),
        region_code=distribution.region_id,
        actor=actor,
    )
