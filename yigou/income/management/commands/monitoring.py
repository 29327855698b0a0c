"""`yigou monitoring scan --year Y --region CODE [--format json|text]`: the return-to-poverty monitoring scan of one
region (with every region below it) and year. A read: nothing is stored. JSON: a list, by household number, of
{household: <household number>, suggested_group: unstable|marginal|sudden, reasons: [Chinese texts]}.
"""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from yigou.core.errors import DomainError
from yigou.income.checks import check_region, check_year
from yigou.income.figures import yuan
from yigou.income.monitoring import ScanResult, as_json, scan
from yigou.registry.enums import MonitorType


class Command(BaseCommand):
    help = (
        "防止返贫动态监测：对一个区划（含全部下级）和年度逐户检查收入与三保障，输出建议纳入监测的农户及理由。"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["scan"], help="scan：执行监测排查（只读，不保存）")
        parser.add_argument("--year", required=True, help="年度，如 2020")
        parser.add_argument("--region", required=True, help="区划代码（12 位，含全部下级）")
        parser.add_argument("--format", default="json", choices=["json", "text"], help="输出格式，默认 json")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            year = check_year(options["year"])
            region = check_region(options["region"])
        except DomainError as exc:
            raise CommandError(exc.message) from None
        result = scan(region, year)
        self._warn(result)
        if options["format"] == "json":
            self.stdout.write(
                json.dumps([as_json(s) for s in result.suggestions], ensure_ascii=False, indent=2)
            )
            return
        for s in result.suggestions:
            self.stdout.write(f"{s.household}\t{MonitorType(s.group).label}\t{'；'.join(s.reasons)}")
        line = f"监测线 {yuan(result.line.amount)}/人·年" if result.line else "未设置监测线"
        self.stdout.write(
            f"共 {len(result.suggestions)} 户建议纳入监测（{region.name} {year}年，{line}；"
            f"按收入研判 {result.judged} 户）"
        )

    def _warn(self, result: ScanResult) -> None:
        if result.line is None:
            self.stderr.write(
                f"提示：{result.year}年未设置本省或全国的防止返贫监测线，未按收入低于监测线研判。"
            )
        if result.unsized:
            self.stderr.write(f"提示：以下农户家庭人口为 0，未按收入研判：{'、'.join(result.unsized)}")
