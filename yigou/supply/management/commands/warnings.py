"""`yigou warnings scan [--date D] [--region CODE] [--format json|text]`: assess every supply entry on sale.

Idempotent: each entry keeps one warning, rewritten by every scan of the day, and each open 预警/严重 warning
one open quick-response case (`cases.sync`); the daily Celery beat entry (`yigou.supply.tasks.scan_today`) runs
the same scan for the whole country.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from yigou.core.errors import DomainError
from yigou.regions.checks import get_region
from yigou.supply import cases, monitoring
from yigou.supply.enums import Level


class Command(BaseCommand):
    help = "滞销预警监测：按供给台账、台账销售和未完成订单计算剩余数量与剩余天数，给出关注/预警/严重。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["scan"], help="scan：执行监测")
        parser.add_argument("--date", default="", help="监测日期 YYYY-MM-DD，默认今天")
        parser.add_argument("--region", default="", help="区划代码（含全部下级），默认全部")
        parser.add_argument("--format", default="json", choices=["json", "text"], help="输出格式，默认 json")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            day = dt.date.fromisoformat(options["date"]) if options["date"] else dt.date.today()
        except ValueError:
            raise CommandError(f"日期“{options['date']}”无效，应写作 2018-05-05") from None
        region = options["region"].strip()
        try:
            if region:
                get_region(region)
        except DomainError as exc:
            raise CommandError(exc.message) from None
        findings = monitoring.scan(day, region)
        monitoring.store(findings, day, region)
        done = cases.sync(region=region)
        rows = [f.as_dict() for f in findings]
        if options["format"] == "json":
            self.stdout.write(json.dumps(rows, ensure_ascii=False, indent=2))
            return
        for row in rows:
            label = Level(row["level"]).label
            self.stdout.write(
                f"{label}\t{row['region_code']}\t{row['supply_id']}\t{row['product']}\t{row['reason']}"
            )
        self.stdout.write(
            f"快速响应：新立案 {done.opened} 件，超时上报 {done.escalated} 件，售完结案 {done.closed} 件"
        )
        self.stdout.write(f"共 {len(rows)} 条预警（{day}）")
