"""`yigou form-import FILE [--dry-run] [--period P] [--as USERNAME] [--json]` — reported form values."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from yigou.accounts.commands import actor_from, add_actor_argument, report_table
from yigou.core.errors import DomainError
from yigou.core.tabular import read_table
from yigou.reporting.importing import FormImport, form_import

from .validate import IMPORTANCE


class Command(BaseCommand):
    help = (
        "从 XLSX/CSV 导入统计报表填报数据：每个区域一行（region 列为区划代码，其余列为指标代码），"
        "或长表 region,period,element,value；有任何错误则全部不导入。"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="XLSX 文件，或 UTF-8 / GBK 编码的 CSV 文件")
        parser.add_argument("--dry-run", action="store_true", help="只检查，不写入")
        parser.add_argument("--period", default="", help="文件没有 period 列时的填报月份，如 2018-04")
        parser.add_argument("--json", action="store_true", help="以 JSON 输出检查结果")
        add_actor_argument(parser)

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"文件不存在：{path}")
        actor = actor_from(options["username"])
        try:
            result = form_import(
                actor=actor,
                table=read_table(path.read_bytes(), path.name),
                dry_run=options["dry_run"],
                period=options["period"],
            )
        except DomainError as exc:
            raise CommandError(exc.message) from None
        self.stdout.write(self._render(result, as_json=options["json"]))
        if not result.report.ok:
            raise CommandError(f"导入未执行：共 {len(result.report.errors)} 处错误，请修改后重新导入。")

    def _render(self, result: FormImport, *, as_json: bool) -> str:
        report = result.report
        if as_json:
            return json.dumps(report.as_dict(), ensure_ascii=False, indent=2)
        if not report.ok or report.dry_run:
            return report_table(report)
        lines = [f"导入完成：共 {report.total_rows} 行，更新 {report.written} 个数值。"]
        for (region, year, month), v in result.violations:
            lines.append(
                f"  校验：{region} {year}-{month:02d} {v.rule.code} [{IMPORTANCE[v.rule.importance]}] "
                f"{v.message}"
            )
        return "\n".join(lines)
