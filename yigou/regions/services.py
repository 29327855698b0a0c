"""Loading the national division list and importing local regions (townships, villages, zones)."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.db import transaction

from yigou.accounts.scope import ensure_can, ensure_region_in_scope
from yigou.core import audit
from yigou.core.importing import ImportReport, require_headers, row_dicts, run_import
from yigou.core.tabular import Table

from .enums import PREFIX_LENGTH, Kind, Level
from .models import Region, prefix_of

NATIONAL_LIST = Path(__file__).parent / "data" / "adcodes.csv"
PLACEHOLDER_NAMES = {"市辖区", "县"}  # groupings without a place of their own
IMPORT_COLUMNS = ["code", "name", "parent_code", "level", "kind", "poor"]
LEVEL_WORDS = {
    "province": Level.PROVINCE,
    "city": Level.CITY,
    "county": Level.COUNTY,
    "township": Level.TOWNSHIP,
    "village": Level.VILLAGE,
    "省": Level.PROVINCE,
    "市": Level.CITY,
    "县": Level.COUNTY,
    "乡": Level.TOWNSHIP,
    "村": Level.VILLAGE,
    "1": Level.PROVINCE,
    "2": Level.CITY,
    "3": Level.COUNTY,
    "4": Level.TOWNSHIP,
    "5": Level.VILLAGE,
}
TRUE_WORDS = {"1", "true", "yes", "y", "是", "贫困村", "贫困"}
FALSE_WORDS = {"", "0", "false", "no", "n", "否", "非贫困村"}


def level_of_code(code: str) -> Level:
    return {2: Level.PROVINCE, 4: Level.CITY, 6: Level.COUNTY, 9: Level.TOWNSHIP, 12: Level.VILLAGE}[
        len(prefix_of(code))
    ]


def _national_rows() -> list[tuple[str, str]]:
    with NATIONAL_LIST.open(encoding="utf-8") as handle:
        rows = [(r["adcode"], r["name"]) for r in csv.DictReader(handle)]
    return sorted((c, n) for c, n in rows if len(c) == 12 and n not in PLACEHOLDER_NAMES)


def _parent_code(code: str, known: set[str]) -> str | None:
    """Nearest existing ancestor: a county under a province-administered grouping or straight under a province."""
    level = level_of_code(code)
    for ancestor_level in range(level - 1, 0, -1):
        length = PREFIX_LENGTH[Level(ancestor_level)]
        candidate = code[:length].ljust(12, "0")
        if candidate in known:
            return candidate
    return None


@transaction.atomic
def load_national_list() -> int:
    """Provinces, cities and counties; existing rows keep local changes (poor flags, zones) except the name."""
    rows = _national_rows()
    known = {c for c, _ in rows}
    existing = set(Region.objects.values_list("code", flat=True))
    created = 0
    for code, name in rows:  # sorted: parents come first
        if code in existing:
            Region.objects.filter(code=code).update(name=name)
            continue
        Region.objects.create(
            code=code,
            name=name,
            parent_id=_parent_code(code, known),
            level=level_of_code(code),
            kind=Kind.ADMIN,
        )
        created += 1
    audit.record(
        actor=None, action="regions_load", target_type="regions.region", note=f"新增 {created} 个区划"
    )
    return created


@dataclass
class RegionRow:
    code: str
    name: str
    parent_code: str
    level: Level
    kind: str
    poor: bool
    poor_since: int | None


def _parse_poor(text: str) -> tuple[bool, int | None]:
    value = text.strip().lower()
    if value.isdigit() and len(value) == 4:
        return True, int(value)
    if value in TRUE_WORDS:
        return True, None
    if value in FALSE_WORDS:
        return False, None
    raise ValueError(f"“{text}”无法识别，应填 是/否 或认定年份（如 2014）")


def _parse_row(cells: dict[str, str], known: dict[str, int]) -> RegionRow:
    code = cells["code"].strip()
    if len(code) != 12 or not code.isdigit():
        raise ValueError("code|区划代码应为12位数字")
    level = LEVEL_WORDS.get(cells["level"].strip().lower())
    if level is None:
        raise ValueError("level|层级应为 province/city/county/township/village 或 省/市/县/乡/村")
    kind = cells["kind"].strip().lower() or Kind.ADMIN
    if kind not in Kind.values:
        raise ValueError("kind|类型应为 admin 或 zone")
    parent = cells["parent_code"].strip()
    if level > Level.PROVINCE and parent not in known:
        raise ValueError(f"parent_code|上级区划“{parent}”不存在")
    if level > Level.PROVINCE and known[parent] >= level:
        raise ValueError("parent_code|上级区划的层级必须高于本级")
    if not code.startswith(prefix_of(parent)) and kind == Kind.ADMIN and level > Level.PROVINCE:
        raise ValueError("code|区划代码与上级区划代码前缀不一致")
    if not cells["name"].strip():
        raise ValueError("name|名称不能为空")
    try:
        poor, since = _parse_poor(cells.get("poor", ""))
    except ValueError as exc:
        raise ValueError(f"poor|{exc}") from None
    return RegionRow(code, cells["name"].strip()[:100], parent, level, kind, poor, since)


def import_regions(*, actor: Any, table: Table, dry_run: bool) -> ImportReport:
    ensure_can(actor, "regions.change")
    require_headers(table, IMPORT_COLUMNS[:5])
    known = dict(Region.objects.values_list("code", "level"))
    report = ImportReport()
    parsed: list[RegionRow] = []
    for line, cells in row_dicts(table):
        report.total_rows += 1
        try:
            row = _parse_row(cells, known)
            ensure_region_in_scope(actor, row.parent_code or row.code)
        except ValueError as exc:
            column, _, message = str(exc).partition("|")
            report.add(line, column, message)
            continue
        except Exception as exc:  # DomainError from the scope check
            report.add(line, "parent_code", getattr(exc, "message", str(exc)))
            continue
        known[row.code] = row.level
        parsed.append(row)
    return run_import(parsed=parsed, report=report, dry_run=dry_run, write=lambda rows: _write(actor, rows))


def _write(actor: Any, rows: list[RegionRow]) -> int:
    for row in rows:
        Region.objects.update_or_create(
            code=row.code,
            defaults={
                "name": row.name,
                "parent_id": row.parent_code or None,
                "level": row.level,
                "kind": row.kind,
                "is_poor": row.poor,
                "poor_since": row.poor_since,
            },
        )
    audit.record(
        actor=actor, action="regions_import", target_type="regions.region", note=f"导入 {len(rows)} 个区划"
    )
    return len(rows)


@transaction.atomic
def region_set_poor(*, actor: Any, region: Region, poor: bool, year: int) -> Region:
    """Set or lift the poor flag in a year; the years stay, so statistics of earlier periods stay true."""
    ensure_can(actor, "regions.change")
    ensure_region_in_scope(actor, region.code)
    before = audit.snapshot(region, ["is_poor", "poor_since", "poor_until"])
    if poor:
        region.is_poor, region.poor_since, region.poor_until = True, year, None
    else:
        region.is_poor, region.poor_until = False, year
    region.save(update_fields=["is_poor", "poor_since", "poor_until"])
    audit.record(
        actor=actor,
        action="set_poor",
        target=region,
        changes=audit.diff(before, audit.snapshot(region, ["is_poor", "poor_since", "poor_until"])),
    )
    return region
