"""Exports: the list filters and scope, masked personal data, and an audit entry for each file."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook

from tests.world import person
from yigou.assist.exports import export_units
from yigou.core.errors import PermissionDeniedError
from yigou.core.masking import mask_id_number
from yigou.core.models import AuditEntry
from yigou.registry.exports import export_households, export_producers
from yigou.registry.selectors import HouseholdFilter


def sheet_rows(content: bytes) -> tuple[str, list[str], list[list[str]]]:
    """(title, headers, data rows) of the first sheet, cells as text."""
    book = load_workbook(io.BytesIO(content), read_only=True)
    rows = [["" if v is None else str(v) for v in r] for r in book.worksheets[0].iter_rows(values_only=True)]
    name = book.sheetnames[0]
    book.close()
    return name, rows[1], rows[2:]


def _ids_and_phones(rows):
    return [(r[0], r[3], r[4], r[9]) for r in rows]


def test_anju_export_has_exactly_the_anju_household_with_a_masked_id(world):
    result = export_households(actor=world.users["anju"], flt=HouseholdFilter(), reveal=False)
    name, headers, rows = sheet_rows(result.content)
    assert name == "农户名单"
    assert headers[:5] == ["户编号", "村代码", "所在村", "姓名", "身份证号"]
    liu = world.households["liu"]
    assert _ids_and_phones(rows) == [
        (liu.number, "刘永福", mask_id_number(person("510904", 1958, 4)), "139****2222")
    ]
    assert (result.rows, result.revealed) == (1, False)
    entry = AuditEntry.objects.get(action="export")
    assert (entry.actor_name, entry.note, entry.region_code) == ("anju", "导出农户名单 1 行", "510904000000")
    assert not AuditEntry.objects.filter(action="reveal_export").exists()


def test_chuanshan_export_with_reveal_has_full_ids_and_writes_the_reveal_entry(world):
    result = export_households(actor=world.users["chuanshan"], flt=HouseholdFilter(), reveal=True)
    _, _, rows = sheet_rows(result.content)
    zhang, wang = world.households["zhang"], world.households["wang"]
    assert _ids_and_phones(rows) == [
        (zhang.number, "张德明", person("510903", 1962, 1), "13800001111"),
        (zhang.number, "李秀英", person("510903", 1965, 2, male=False), "13800001111"),
        (wang.number, "王建国", person("510903", 1970, 3), ""),
    ]
    assert [r[8] for r in rows] == ["健康", "长期慢性病", "健康"]
    reveal = AuditEntry.objects.get(action="reveal_export")
    assert (reveal.actor_name, reveal.note) == ("chuanshan", "导出含完整身份证号和电话的农户名单 3 行")
    assert AuditEntry.objects.filter(action="export", actor_name="chuanshan").count() == 1


def test_city_asking_for_reveal_without_permission_gets_masked_output_and_no_reveal_entry(world):
    result = export_households(actor=world.users["city"], flt=HouseholdFilter(), reveal=True)
    _, _, rows = sheet_rows(result.content)
    assert [r[4] for r in rows] == [
        mask_id_number(person("510903", 1962, 1)),
        mask_id_number(person("510903", 1965, 2, male=False)),
        mask_id_number(person("510903", 1970, 3)),
        mask_id_number(person("510904", 1958, 4)),
    ]
    assert [r[8] for r in rows] == ["******"] * 4
    assert result.revealed is False
    assert not AuditEntry.objects.filter(action="reveal_export").exists()
    assert AuditEntry.objects.get(action="export").changes == {"filters": {}, "revealed": False}


def test_household_export_uses_the_list_filters(world):
    flt = HouseholdFilter(status="poor", q="张")
    result = export_households(actor=world.users["city"], flt=flt)
    _, _, rows = sheet_rows(result.content)
    assert [(r[3], r[11]) for r in rows] == [("张德明", "建档立卡贫困户"), ("李秀英", "建档立卡贫困户")]
    assert AuditEntry.objects.get(action="export").changes == {
        "filters": {"q": "张", "status": "poor"},
        "revealed": False,
    }


def test_producer_export_respects_scope_and_masks_phones(world):
    result = export_producers(actor=world.users["chuanshan"])
    _, headers, rows = sheet_rows(result.content)
    assert headers == [
        "类型",
        "名称",
        "统一社会信用代码",
        "区划代码",
        "所在区划",
        "联系人",
        "联系电话",
        "地址",
        "主营产品",
        "龙头企业级别",
        "带贫农户数",
        "状态",
    ]
    coop = world.producers["coop"]
    assert rows == [
        [
            "农民专业合作社",
            coop.name,
            coop.uscc,
            "510903101000",
            "永兴镇",
            "赵社长",
            "138****2222",
            "",
            "",
            "",
            "1",
            "有效",
        ]
    ]


def test_unit_export_for_anju_lists_the_units_reaching_anju(world):
    result = export_units(actor=world.users["anju"], reveal=True)
    _, _, rows = sheet_rows(result.content)
    # 财政局 is paired with 拦江村 in 安居区; 船山区农商银行 is not visible from 安居.
    assert [(r[0], r[1], r[5], r[6], r[7], r[8], r[12], r[13]) for r in rows] == [
        ("遂宁市财政局", "党政机关", "是", "有", "有", "120", "1", "1"),
    ]
    assert result.revealed is False


def test_a_producer_user_may_export_but_a_user_without_scope_may_not(world, django_user_model):
    assert export_producers(actor=world.users["producer"]).rows == 1
    stranger = django_user_model.objects.create(username="stranger", role="office")
    with pytest.raises(PermissionDeniedError):
        export_households(actor=stranger, flt=HouseholdFilter())


def test_household_export_queries_do_not_grow_with_the_rows(world, django_assert_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from yigou.registry import services

    with CaptureQueriesContext(connection) as few:
        export_households(actor=world.users["city"], flt=HouseholdFilter())
    for seq in range(5):
        services.household_register(
            actor=world.users["admin"],
            village=world.region("510903101002"),
            members=[services.MemberInput(f"新户{seq}", person("510903", 1990, 400 + seq))],
        )
    with django_assert_num_queries(len(few.captured_queries)):
        result = export_households(actor=world.users["city"], flt=HouseholdFilter())
    assert result.rows == 9
