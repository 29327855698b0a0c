from yigou.registry.enums import HouseholdStatus


def test_world_builds_with_derived_statuses(world):
    assert world.households["zhang"].status == HouseholdStatus.POOR
    assert world.households["wang"].status == HouseholdStatus.NON_POOR
    assert world.households["zhang"].size == 2
