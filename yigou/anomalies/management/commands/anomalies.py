"""`yigou anomalies scan --region CODE --period P [--format json|text]`: run every fake-figure rule over one region
and period, keep the findings (one per fingerprint; a dismissed one is not raised again) and print them, highest
score first. JSON: a list of {rule, score, region_code, purchases: [{id, external_id}], households, evidence}.
"""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from yigou.anomalies.enums import RuleCode
from yigou.anomalies.scan import as_json, scan
from yigou.core.errors import DomainError
from yigou.core.periods import parse_period
from yigou.regions.checks import get_region


class Command(BaseCommand):
    help = "虚报数字识别：对一个区划和期间运行全部识别规则，保存并输出疑点（按可疑度从高到低）。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["scan"], help="scan：执行识别")
        parser.add_argument("--region", required=True, help="区划代码（含全部下级）")
        parser.add_argument("--period", required=True, help="期间，如 2018、2018-03、2018-01..2018-06")
        parser.add_argument("--format", default="json", choices=["json", "text"], help="输出格式，默认 json")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            region = get_region(options["region"].strip())
            period = parse_period(options["period"].strip())
        except DomainError as exc:
            raise CommandError(exc.message) from None
        result = scan(region, period)
        if options["format"] == "json":
            self.stdout.write(json.dumps([as_json(r) for r in result.findings], ensure_ascii=False, indent=2))
            return
        for r in result.findings:
            self.stdout.write(
                f"{r.score}\t{RuleCode(r.rule).label}\t{r.region_code}\t{len(r.purchases)} 笔\t{r.evidence}"
            )
        self.stdout.write(
            f"共 {len(result.findings)} 个疑点（{region.name} {period.label}）；新增 {result.created}，更新 {result.updated}，"
            f"不再出现而移除 {result.dropped}，已排除而不再提示 {result.suppressed}"
        )
