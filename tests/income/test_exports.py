"""XLSX exports of the income cards: exact cell values of a region and year, head's ID number masked unless an
office that may reveal asks (audited twice), another county's export refused, and the list page's XLSX link."""

from __future__ import annotations

import datetime as dt
import io

import openpyxl
import pytest
from django.test import Client

from tests.anomalies.conftest import sell
from tests.income.conftest import card_of
from tests.world import person
from yigou.core.errors import PermissionDeniedError
from yigou.core.models import AuditEntry
from yigou.income.exports import CARD_HEADERS, export_cards
from yigou.income.services import security_check_record

pytestmark = pytest.mark.django_db

ZHANG_ID, WANG_ID = person("510903", 1962, 1), person("510903", 1970, 3)


def masked(id_number: str) -> str:
    return id_number[:6] + "********" + id_number[-4:]


MASKED = masked(ZHANG_ID)


@pytest.fixture
def cards(world):
    """张德明户 (2 people, registered) and 王建国户 (1 person) in 2020; 张家 has a housing gap and a ledger sale."""
    zhang, wang = world.households["zhang"], world.households["wang"]
    card_of(world, zhang, 2020, wage="6000.00", business="1000.00", cost="400.00")
    sell(world, zhang, "10", "60.00", day=dt.date(2020, 5, 10))
    card_of(world, wang, 2020, wage="3000.50", transfer="1200.00")
    security_check_record(
        actor=world.users["chuanshan"],
        household=zhang,
        year=2020,
        item="housing",
        ok=False,
        checked_on=dt.date(2020, 6, 30),
        evidence="C级危房",
    )
    return zhang, wang


def values(content: bytes) -> list[list[object]]:
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    return [[c.value for c in row] for row in sheet.iter_rows()]


def test_the_cards_of_a_county_with_exact_values_and_masked_ids(world, cards):
    zhang, wang = cards
    result = export_cards(actor=world.users["chuanshan"], region=world.region("510903000000"), year=2020)
    rows = values(result.content)
    assert rows[0][0].startswith("船山区2020年收入台账（导出时间 ") and rows[0][0].endswith(
        "共 2 行，身份证号、电话等个人信息已脱敏）"
    )
    assert rows[1] == CARD_HEADERS
    assert rows[1][8:13] == ["工资性收入", "经营性收入", "财产性收入", "转移性收入", "生产经营性支出"]
    assert rows[2:] == [
        # (6000 + 1000 + 600 − 400) / 2 = 3600
        [
            zhang.number,
            "510903101001",
            "永兴村",
            "张德明",
            MASKED,
            "建档立卡贫困户",
            None,
            2,
            6000,
            1600,
            0,
            0,
            400,
            7200,
            3600,
            4000,
            "住房安全有保障（鉴定）",
        ],
        [
            wang.number,
            "510903101002",
            "石佛村",
            "王建国",
            masked(WANG_ID),
            "一般农户",
            None,
            1,
            3000.5,
            0,
            0,
            1200,
            0,
            4200.5,
            4200.5,
            4000,
            None,
        ],
    ]
    assert (result.rows, result.revealed) == (2, False)
    assert AuditEntry.objects.filter(action="export", note="导出船山区2020年收入台账 2 行").count() == 1


def test_a_village_sees_only_its_households(world, cards):
    zhang, _ = cards
    result = export_cards(actor=world.users["village"], region=world.region("510903101001"), year=2020)
    assert [r[0] for r in values(result.content)[2:]] == [zhang.number]


def test_a_reveal_shows_the_full_id_and_is_audited(world, cards):
    result = export_cards(
        actor=world.users["chuanshan"], region=world.region("510903101001"), year=2020, reveal=True
    )
    assert values(result.content)[2][4] == ZHANG_ID and result.revealed
    assert AuditEntry.objects.filter(action="reveal_export").count() == 1


def test_asking_to_reveal_without_the_right_stays_masked(world, cards):
    result = export_cards(
        actor=world.users["yongxing"], region=world.region("510903101001"), year=2020, reveal=True
    )
    assert values(result.content)[2][4] == MASKED and not result.revealed
    assert not AuditEntry.objects.filter(action="reveal_export").exists()


def test_another_county_is_refused_and_sees_nothing_of_its_own(world, cards):
    with pytest.raises(PermissionDeniedError):
        export_cards(actor=world.users["anju"], region=world.region("510903000000"), year=2020)
    result = export_cards(actor=world.users["anju"], region=world.region("510904000000"), year=2020)
    assert values(result.content)[2:] == []


def test_the_list_page_and_its_xlsx_link(world, cards):
    zhang, wang = cards
    client = Client()
    client.force_login(world.users["chuanshan"])
    page = client.get("/income/?year=2020").content.decode()
    assert f'?year=2020">{zhang.number}</a>' in page and "住房安全有保障（鉴定）未达标" in page
    assert "export=xlsx" in page
    response = client.get("/income/?region=510903101002&year=2020&export=xlsx")
    assert [r[0] for r in values(response.content)[2:]] == [wang.number]
    anju = Client()
    anju.force_login(world.users["anju"])
    assert anju.get("/income/?region=510903000000&year=2020").status_code == 403
    assert zhang.number not in anju.get("/income/?year=2020").content.decode()
