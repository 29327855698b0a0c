"""`yigou validate --region CODE --period P --format json|text`: each child and the aggregated parent."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from yigou.accounts.services import system_actor
from yigou.core.errors import DomainError
from yigou.reporting.selectors import validation_run
from yigou.reporting.validation import RegionViolation

IMPORTANCE = {"high": "高", "medium": "中", "low": "低"}


def text_line(item: RegionViolation) -> str:
    data = item.as_dict()
    return (
        f"{data['region_name']}（{data['region_code']}） {data['rule']} [{IMPORTANCE[str(data['importance'])]}] "
        f"{data['description']}：左式 {_show(data['left'])}，右式 {_show(data['right'])}"
    )


def _show(value: object) -> str:
    return "缺失" if value is None else str(value)


class Command(BaseCommand):
    help = "按校验规则检查某区域各下级及汇总数据（填报数据），输出每一处违反。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--region", required=True, help="区划代码，如 510900000000")
        parser.add_argument("--period", required=True, help="期间：2018-04 或 2018-01..2018-04")
        parser.add_argument("--format", default="text", choices=("json", "text"), help="输出格式，默认 text")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            found = validation_run(system_actor(), options["region"], options["period"])
        except DomainError as exc:
            raise CommandError(exc.message) from None
        if options["format"] == "json":
            self.stdout.write(json.dumps([v.as_dict() for v in found], ensure_ascii=False, indent=2))
            return
        for item in found:
            self.stdout.write(text_line(item))
        self.stdout.write(f"共 {len(found)} 处违反校验规则。" if found else "未发现违反校验规则的数据。")
