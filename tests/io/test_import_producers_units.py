"""Importing producers and assisting units: one row each, all-or-nothing, duplicates refused."""

from __future__ import annotations

from tests.io.files import csv_bytes
from yigou.assist.enums import UnitKind
from yigou.assist.importers import import_units
from yigou.assist.models import AssistingUnit
from yigou.core.models import AuditEntry
from yigou.core.tabular import read_table
from yigou.demo.identity import fake_uscc
from yigou.registry.enums import ProducerKind
from yigou.registry.importers import import_producers
from yigou.registry.models import Producer

PRODUCER_HEADERS = [
    "类型",
    "名称",
    "统一社会信用代码",
    "区划代码",
    "联系人",
    "联系电话",
    "地址",
    "主营产品",
    "龙头企业级别",
]
UNIT_HEADERS = [
    "名称",
    "类型",
    "区划代码",
    "统一社会信用代码",
    "是否预算单位",
    "有无食堂",
    "有无工会",
    "职工人数",
    "联系人",
    "联系电话",
]


def _producers(actor, rows, dry_run=False):
    return import_producers(
        actor=actor, table=read_table(csv_bytes(PRODUCER_HEADERS, rows), "p.csv"), dry_run=dry_run
    )


def _units(actor, rows, dry_run=False):
    return import_units(
        actor=actor, table=read_table(csv_bytes(UNIT_HEADERS, rows, "utf-8-sig"), "u.csv"), dry_run=dry_run
    )


def _errors(report):
    return [(e.row, e.column, e.message) for e in report.errors]


GOOD_PRODUCERS = [
    [
        "合作社",
        "船山区石佛柑橘专业合作社",
        fake_uscc("510903", 501),
        "510903101002",
        "钱社长",
        "13811110001",
        "石佛村5组",
        "柑橘",
        "",
    ],
    [
        "龙头企业",
        "遂宁市船山食品有限公司",
        fake_uscc("510903", 502, kind="company"),
        "510903000000",
        "",
        "",
        "",
        "腊肉、香肠",
        "省级",
    ],
    ["家庭农场", "老池村周家庭农场", "", "510903102001", "周场主", "0825-2221234", "", "生猪", ""],
]


def test_producers_import_through_the_service_with_chinese_labels(world, snapshot):
    before = snapshot()
    report = _producers(world.users["chuanshan"], GOOD_PRODUCERS)
    assert (_errors(report), report.written) == ([], 3)
    assert snapshot()["producers"] - before["producers"] == 3
    rows = Producer.objects.filter(name__in=[r[1] for r in GOOD_PRODUCERS]).order_by("name")
    assert [(p.name, p.kind, p.region_id, p.county_code, p.grade, p.contact_phone) for p in rows] == [
        ("老池村周家庭农场", ProducerKind.FAMILY_FARM, "510903102001", "510903000000", "", "0825-2221234"),
        (
            "船山区石佛柑橘专业合作社",
            ProducerKind.COOPERATIVE,
            "510903101002",
            "510903000000",
            "",
            "13811110001",
        ),
        ("遂宁市船山食品有限公司", ProducerKind.ENTERPRISE, "510903000000", "510903000000", "provincial", ""),
    ]
    assert AuditEntry.objects.get(action="import").note == "批量导入经营主体 3 个"


def test_producer_rows_with_errors_are_all_reported_and_nothing_is_written(world, snapshot):
    coop = world.producers["coop"]
    rows = [
        ["合作社", "甲合作社", "", "510903101001", "", "", "", "", ""],
        ["合作社", "乙合作社", coop.uscc, "510903101001", "", "", "", "", ""],
        ["家庭农场", coop.name, "", coop.region_id, "", "", "", "", ""],
        ["农户（个体销售）", "丙", "", "510903101001", "", "", "", "", ""],
        ["家庭农场", "丁农场", "", "510904101001", "", "", "", "", ""],
        ["家庭农场", "戊农场", "", "510903101001", "", "1380000", "", "", "省级"],
        ["合作社", "己合作社", fake_uscc("510903", 503)[:17] + "0", "510903101001", "", "", "", "", ""],
        ["家庭农场", "庚农场", "", "510903101001", "", "", "", "", ""],
        ["家庭农场", "庚农场", "", "510903101001", "", "", "", "", ""],
    ]
    before = snapshot()
    report = _producers(world.users["chuanshan"], rows)
    assert _errors(report) == [
        (2, "统一社会信用代码", "农民专业合作社必须填写统一社会信用代码"),
        (3, "统一社会信用代码", f"统一社会信用代码 {coop.uscc} 已被“船山区永兴蔬菜专业合作社”使用"),
        (4, "名称", "“船山区永兴蔬菜专业合作社”已在永兴镇登记，不能重复导入"),
        (5, "类型", "个体销售的农户请在农户详情页登记为经营主体，不能批量导入"),
        (6, "区划代码", "“拦江村”（510904101001）不在您的管辖范围内"),
        (7, "联系电话", "“1380000”不是有效的手机号或固定电话"),
        (7, "龙头企业级别", "只有龙头企业可以填写级别"),
        (8, "统一社会信用代码", "统一社会信用代码无效：校验位不正确"),
        (10, "名称", "与第9行重复：同一区划内“庚农场”出现两次"),
    ]
    assert (report.total_rows, report.written) == (9, 0)
    assert snapshot() == before


def test_importing_the_same_producers_again_is_refused(world, snapshot):
    _producers(world.users["chuanshan"], GOOD_PRODUCERS)
    before = snapshot()
    report = _producers(world.users["chuanshan"], GOOD_PRODUCERS)
    assert [(e.row, e.column) for e in report.errors] == [
        (2, "名称"),
        (2, "统一社会信用代码"),
        (3, "名称"),
        (3, "统一社会信用代码"),
        (4, "名称"),
    ]
    assert snapshot() == before


GOOD_UNITS = [
    [
        "遂宁市农业农村局",
        "党政机关",
        "510900000000",
        "11510900008800021B",
        "是",
        "有",
        "有",
        "85",
        "李科长",
        "0825-2221234",
    ],
    ["船山区供销社", "事业单位", "510903000000", "", "否", "", "", "", "", ""],
    ["遂宁驻军某部", "部队", "510903101000", "", "", "无", "无", "0", "", ""],
]


def test_units_import_with_flags_and_staff_counts(world, snapshot):
    before = snapshot()
    report = _units(world.users["city"], GOOD_UNITS)
    assert (_errors(report), report.written) == ([], 3)
    assert snapshot()["units"] - before["units"] == 3
    rows = AssistingUnit.objects.filter(name__in=[r[0] for r in GOOD_UNITS]).order_by("region_id")
    assert [
        (
            u.name,
            u.kind,
            u.region_id,
            u.uscc,
            u.is_budget_unit,
            u.has_canteen,
            u.has_union,
            u.staff_count,
            u.contact_phone,
        )
        for u in rows
    ] == [
        (
            "遂宁市农业农村局",
            UnitKind.GOVERNMENT,
            "510900000000",
            "11510900008800021B",
            True,
            True,
            True,
            85,
            "0825-2221234",
        ),
        ("船山区供销社", UnitKind.INSTITUTION, "510903000000", None, False, False, False, 0, ""),
        ("遂宁驻军某部", UnitKind.ARMY, "510903101000", None, False, False, False, 0, ""),
    ]
    assert AuditEntry.objects.get(action="import").note == "批量导入帮扶单位 3 个"


def test_unit_rows_with_errors_are_all_reported_and_nothing_is_written(world, snapshot):
    rows = [
        ["遂宁市财政局", "党政机关", "510900000000", "", "是", "", "", "", "", ""],
        ["甲单位", "外企", "510903000000", "", "否", "有", "", "十", "", ""],
        ["乙单位", "国企", "510904000000", "", "也许", "", "", "", "", ""],
        ["", "国企", "510999000000", "", "", "", "", "", "", ""],
    ]
    before = snapshot()
    report = _units(world.users["chuanshan"], rows)
    assert _errors(report) == [
        (2, "区划代码", "“遂宁市”（510900000000）不在您的管辖范围内"),
        (3, "类型", "“外企”不在可选范围内，可填：党政机关、事业单位、国有企业、民营企业、社会组织、驻地部队"),
        (3, "有无食堂", "只有预算单位登记机关食堂"),
        (3, "职工人数", "“十”不是有效的人数，应为0或正整数"),
        (4, "区划代码", "“安居区”（510904000000）不在您的管辖范围内"),
        (4, "是否预算单位", "“也许”无法识别，请填“是”或“否”（“有”或“无”）"),
        (5, "名称", "不能为空"),
        (5, "区划代码", "区划代码“510999000000”不存在"),
    ]
    assert snapshot() == before


def test_a_unit_already_registered_is_refused_by_name_in_its_region(world):
    report = _units(
        world.users["city"], [["遂宁市财政局", "党政机关", "510900000000", "", "是", "", "", "", "", ""]]
    )
    assert _errors(report) == [(2, "名称", "“遂宁市财政局”已在遂宁市登记，不能重复导入")]
