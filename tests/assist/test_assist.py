import datetime as dt

import pytest

from yigou.assist import services
from yigou.assist.models import AssistingUnit, CadreHouseholdPairing, UnitVillagePairing
from yigou.core.errors import DomainError, NotFoundError, PermissionDeniedError


def test_unit_staff_edit_their_own_unit_but_not_another(world):
    services.unit_update(actor=world.users["unit"], unit=world.units["finance"], staff_count=130)
    assert AssistingUnit.objects.get(pk=world.units["finance"].pk).staff_count == 130
    with pytest.raises(PermissionDeniedError):
        services.unit_update(actor=world.users["unit"], unit=world.units["chuanshan_bank"], staff_count=1)


def test_only_budget_units_have_canteens(world):
    before = AssistingUnit.objects.count()
    with pytest.raises(DomainError) as err:
        services.unit_register(
            actor=world.users["city"],
            region=world.region("510900000000"),
            name="某民企",
            kind="private",
            is_budget_unit=False,
            has_canteen=True,
        )
    assert err.value.message == "输入有误：只有预算单位登记机关食堂和工会"
    assert AssistingUnit.objects.count() == before


def test_pairing_twice_is_refused_and_ending_keeps_the_history(world):
    actor, unit, village = world.users["city"], world.units["finance"], world.region("510904101001")
    with pytest.raises(DomainError) as err:
        services.pair_unit_village(actor=actor, unit=unit, village=village, start=dt.date(2018, 1, 1))
    assert err.value.code == "pairing_overlap"
    pairing = UnitVillagePairing.objects.get(unit=unit, village=village)
    services.pairing_end(actor=actor, pairing=pairing, end=dt.date(2020, 12, 31))
    again = services.pair_unit_village(actor=actor, unit=unit, village=village, start=dt.date(2021, 1, 1))
    assert list(
        UnitVillagePairing.objects.filter(unit=unit).order_by("start").values_list("start", "end")
    ) == [
        (dt.date(2016, 1, 1), dt.date(2020, 12, 31)),
        (dt.date(2021, 1, 1), None),
    ]
    assert again.pk != pairing.pk


def test_pairing_end_before_start_is_refused(world):
    pairing = CadreHouseholdPairing.objects.get(cadre=world.cadres["chen"])
    with pytest.raises(DomainError) as err:
        services.pairing_end(actor=world.users["anju"], pairing=pairing, end=dt.date(2015, 1, 1))
    assert err.value.message == "结束日期 2015-01-01 不能早于开始日期 2016-03-01。"
    assert CadreHouseholdPairing.objects.get(pk=pairing.pk).end is None


def test_a_county_cannot_pair_into_another_county(world):
    # 安居区 does not see 船山区's household 张德明: told it does not exist, like a missing one.
    with pytest.raises(NotFoundError):
        services.pair_cadre_household(
            actor=world.users["anju"],
            cadre=world.cadres["chen"],
            household=world.households["zhang"],
            start=dt.date(2018, 1, 1),
        )
    with pytest.raises(PermissionDeniedError):
        services.pair_unit_village(
            actor=world.users["unit"],
            unit=world.units["finance"],
            village=world.region("510904101001"),
            start=dt.date(2018, 1, 1),
        )
