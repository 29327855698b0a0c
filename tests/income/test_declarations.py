"""农户自主申报: the same receipt for a registered and an unknown ID, the ID and phone stored encrypted, the matched
household flagged to its village and offices, the unmatched one to the county of the ID, rate limits per IP and per
ID at their edge (the refusal stores nothing), and staff turning a declaration into a case or dismissing it."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.db import connection

from tests.world import person
from yigou.core.errors import DomainError, NotFoundError
from yigou.income.declarations import declaration_dismiss, declaration_open_case, submit
from yigou.income.enums import CaseStatus, Channel, DeclarationStatus
from yigou.income.models import Declaration
from yigou.income.selectors import declarations_pending

pytestmark = pytest.mark.django_db
ZHANG_ID = person("510903", 1962, 1)
UNKNOWN_ID = person("510903", 1980, 77)
RECEIPT = "申报已收到，村干部将在7个工作日内入户核实。"


@pytest.fixture(autouse=True)
def fresh_limits():
    cache.clear()
    yield
    cache.clear()


def declare(id_number=ZHANG_ID, ip="10.0.0.1", **extra):
    data = {
        "name": "张德明",
        "id_number": id_number,
        "phone": "13800001111",
        "risk_type": "illness",
        "description": "老伴住院，医疗费用三万余元",
        "client_ip": ip,
    }
    return submit(**{**data, **extra})


def test_a_registered_and_an_unknown_id_get_the_same_answer(world):
    known, unknown = declare(), declare(UNKNOWN_ID, ip="10.0.0.2")
    assert known.message == unknown.message == RECEIPT
    assert known.reference.startswith("SB") and unknown.reference.startswith("SB")
    assert len(known.reference) == len(unknown.reference) == 15
    found, lost = (
        Declaration.objects.get(reference=known.reference),
        Declaration.objects.get(reference=unknown.reference),
    )
    assert (found.household, found.county_code) == (world.households["zhang"], "510903000000")
    assert (lost.household, lost.member, lost.county_code) == (None, None, "510903000000")


def test_the_id_number_and_phone_are_stored_encrypted(world):
    declare()
    with connection.cursor() as cursor:
        cursor.execute("SELECT id_number, phone, name FROM income_declaration")
        stored = cursor.fetchone()
    assert ZHANG_ID not in stored[0] and "13800001111" not in stored[1] and "张德明" not in stored[2]
    row = Declaration.objects.get()
    assert (row.id_number, row.phone, row.name) == (ZHANG_ID, "13800001111", "张德明")


def test_bad_input_is_refused_and_stores_nothing(world):
    with pytest.raises(DomainError, match="身份证号码无效"):
        declare("51090319620315001")
    with pytest.raises(DomainError, match="电话号码格式不正确"):
        declare(phone="12345")
    with pytest.raises(DomainError, match="风险类型“flood”不在可选范围内"):
        declare(risk_type="flood")
    assert not Declaration.objects.exists()


def test_the_fifth_declaration_from_one_ip_passes_the_sixth_is_refused(world):
    for n in range(5):
        declare(person("510903", 1980, 100 + n))
    with pytest.raises(DomainError) as refused:
        declare(person("510903", 1980, 200))
    assert refused.value.code == "rate_limited"
    assert "申报过于频繁，请稍后再试" in refused.value.message
    assert Declaration.objects.count() == 5
    declare(person("510903", 1980, 200), ip="10.0.0.9")  # another client is not limited


def test_the_third_declaration_of_one_id_passes_the_fourth_is_refused(world):
    for n in range(3):
        declare(ip=f"10.0.1.{n}")
    with pytest.raises(DomainError) as refused:
        declare(ip="10.0.1.9")
    assert refused.value.code == "rate_limited"
    assert Declaration.objects.count() == 3


def test_the_limits_come_from_the_settings(world, settings):
    settings.YIGOU_MONITORING_RULES = {**settings.YIGOU_MONITORING_RULES, "declaration_per_ip": 1}
    declare()
    with pytest.raises(DomainError, match="申报过于频繁"):
        declare(UNKNOWN_ID)


def test_who_sees_a_declaration(world):
    declare()
    declare(UNKNOWN_ID, ip="10.0.0.2")
    declare(person("510904", 1975, 90), ip="10.0.0.3")  # an ID issued in 安居区, unknown to the registry
    users = world.users
    assert [d.household for d in declarations_pending(users["village"])] == [world.households["zhang"]]
    assert [d.matched for d in declarations_pending(users["chuanshan"])] == [True, False]
    assert declarations_pending(users["chuanshan"], matched=False).count() == 1
    assert [d.county_code for d in declarations_pending(users["anju"])] == ["510904000000"]
    assert declarations_pending(users["city"]).count() == 3


def test_a_declaration_becomes_a_case_once(world):
    receipt = declare()
    row = Declaration.objects.get(reference=receipt.reference)
    case = declaration_open_case(actor=world.users["village"], declaration=row, group="unstable")
    assert (case.channel, case.risks, case.status, case.household) == (
        Channel.DECLARATION,
        ["illness"],
        CaseStatus.IDENTIFYING,
        world.households["zhang"],
    )
    assert case.note == f"农户自主申报 {receipt.reference}：老伴住院，医疗费用三万余元"
    row.refresh_from_db()
    assert (row.status, row.case) == (DeclarationStatus.CASE_OPENED, case)
    with pytest.raises(DomainError, match="当前为“已立为监测对象”，不能重复处理"):
        declaration_open_case(actor=world.users["village"], declaration=row, group="unstable")
    assert declarations_pending(world.users["village"]).count() == 0


def test_an_unmatched_declaration_needs_a_household_and_another_county_cannot_touch_it(world):
    row = Declaration.objects.get(reference=declare(UNKNOWN_ID).reference)
    with pytest.raises(NotFoundError):
        declaration_dismiss(actor=world.users["anju"], declaration=row, reason="查无此人")
    with pytest.raises(DomainError, match="该申报未匹配到登记农户，请核实后指定农户"):
        declaration_open_case(actor=world.users["chuanshan"], declaration=row, group="marginal")
    case = declaration_open_case(
        actor=world.users["chuanshan"], declaration=row, group="marginal", household=world.households["wang"]
    )
    assert case.household == world.households["wang"]


def test_a_dismissed_declaration_keeps_its_reason(world):
    row = Declaration.objects.get(reference=declare().reference)
    declaration_dismiss(actor=world.users["village"], declaration=row, reason="入户核实，医疗费用已报销")
    row.refresh_from_db()
    assert (row.status, row.handled_note) == (DeclarationStatus.DISMISSED, "入户核实，医疗费用已报销")
