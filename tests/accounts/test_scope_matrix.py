"""Role × region matrix over every scoped model: exactly these rows, no more, for each demo user."""

import pytest

from yigou.accounts.scope import can, restrict
from yigou.assist.models import AssistingUnit, Cadre, CadreHouseholdPairing, UnitVillagePairing
from yigou.registry.models import Household, Member, Producer

ALL = {
    "households": {"zhang", "wang", "liu"},
    "producers": {"coop", "anju_coop"},
    "units": {"finance", "chuanshan_bank"},
    "cadres": {"chen", "sun"},
    "village_pairings": {"finance", "chuanshan_bank"},
    "household_pairings": {"chen", "sun"},
}
CHUANSHAN = {
    "households": {"zhang", "wang"},
    "producers": {"coop"},
    "units": {"chuanshan_bank"},
    "cadres": {"sun"},
    "village_pairings": {"chuanshan_bank"},
    "household_pairings": {"sun"},
}
NOTHING = {key: set() for key in ALL}

EXPECTED = {
    "admin": ALL,
    "city": ALL,
    "auditor": ALL,
    "chuanshan": CHUANSHAN,
    "yongxing": CHUANSHAN,
    "anju": {
        "households": {"liu"},
        "producers": {"anju_coop"},
        "units": {"finance"},
        "cadres": {"chen"},
        "village_pairings": {"finance"},
        "household_pairings": {"chen"},
    },
    "zone": NOTHING,
    "village": {**CHUANSHAN, "households": {"zhang"}, "producers": set()},
    "unit": {
        "households": {"liu"},
        "producers": set(),
        "units": {"finance"},
        "cadres": {"chen"},
        "village_pairings": {"finance"},
        "household_pairings": {"chen"},
    },
    "producer": {**NOTHING, "households": {"zhang"}, "producers": {"coop"}},
}


def visible(world, user):
    hh = {v.pk: k for k, v in world.households.items()}
    pr = {v.pk: k for k, v in world.producers.items()}
    un = {v.pk: k for k, v in world.units.items()}
    ca = {v.pk: k for k, v in world.cadres.items()}
    return {
        "households": {hh[pk] for pk in restrict(user, Household.objects.all()).values_list("pk", flat=True)},
        "producers": {pr[pk] for pk in restrict(user, Producer.objects.all()).values_list("pk", flat=True)},
        "units": {un[pk] for pk in restrict(user, AssistingUnit.objects.all()).values_list("pk", flat=True)},
        "cadres": {ca[pk] for pk in restrict(user, Cadre.objects.all()).values_list("pk", flat=True)},
        "village_pairings": {un[p.unit_id] for p in restrict(user, UnitVillagePairing.objects.all())},
        "household_pairings": {ca[p.cadre_id] for p in restrict(user, CadreHouseholdPairing.objects.all())},
    }


@pytest.mark.parametrize("username", sorted(EXPECTED))
def test_each_user_sees_exactly_their_rows(world, username):
    assert visible(world, world.users[username]) == EXPECTED[username]


def test_members_follow_their_household(world):
    names = set(restrict(world.users["anju"], Member.objects.all()).values_list("name", flat=True))
    assert names == {"刘永福"}


def test_restricted_querysets_have_no_duplicate_rows(world):
    # A household reached both by the unit's village pairing and by its cadre's pairing is listed once.
    assert restrict(world.users["unit"], Household.objects.all()).count() == 1


def test_anonymous_and_inactive_users_see_nothing(world):
    from django.contrib.auth.models import AnonymousUser

    inactive = world.users["city"]
    inactive.is_active = False
    for user in (AnonymousUser(), inactive):
        assert restrict(user, Household.objects.all()).count() == 0
        assert not can(user, "export")


@pytest.mark.parametrize(
    ("username", "capability", "allowed"),
    [
        ("chuanshan", "pii.reveal", True),
        ("city", "pii.reveal", False),
        ("auditor", "registry.change", False),
        ("auditor", "audit.view", True),
        ("village", "registry.change", True),
        ("village", "import", False),
        ("unit", "registry.change", False),
        ("unit", "assist.change_own", True),
        ("producer", "registry.change", False),
        ("admin", "users.manage", True),
    ],
)
def test_capabilities_by_role(world, username, capability, allowed):
    assert can(world.users[username], capability) is allowed
