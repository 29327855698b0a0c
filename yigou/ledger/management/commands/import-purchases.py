"""`yigou import-purchases FILE [--dry-run] [--as USERNAME] [--json]` — purchases, one row per purchase line."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from yigou.accounts.commands import actor_from, add_actor_argument, report_table
from yigou.core.errors import DomainError
from yigou.core.importing import ImportReport
from yigou.core.jobs import report_json
from yigou.core.tabular import read_table
from yigou.ledger.bulk.service import purchases_import


def summary(report: ImportReport) -> str:
    return (
        f"共 {report.total_rows} 行，{report.purchases} 笔购买，"
        f"写入 {report.written} 笔，跳过已导入 {report.skipped} 笔"
    )


class Command(BaseCommand):
    help = (
        "从 XLSX/CSV 批量导入购买记录（每条明细一行，按外部编号归为一笔购买）；"
        "有任何错误则全部不导入，已导入的外部编号跳过。"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="XLSX 文件，或 UTF-8 / GBK 编码的 CSV 文件")
        parser.add_argument("--dry-run", action="store_true", help="只检查，不写入")
        parser.add_argument("--json", action="store_true", help="以 JSON 输出检查结果")
        add_actor_argument(parser)

    def _progress(self, rows: int) -> None:
        if rows:
            self.stderr.write(f"已检查 {rows} 行…")

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"文件不存在：{path}")
        actor = actor_from(options["username"])
        try:
            table = read_table(path.read_bytes(), path.name)
            report = purchases_import(
                actor=actor, table=table, dry_run=options["dry_run"], progress=self._progress
            )
        except DomainError as exc:
            raise CommandError(exc.message) from None
        self.stderr.write(f"已检查 {report.total_rows} 行。")
        self.stdout.write(self._render(report, as_json=options["json"]))
        if not report.ok:
            raise CommandError(f"导入未执行：共 {len(report.errors)} 处错误，请修改后重新导入。")

    def _render(self, report: ImportReport, *, as_json: bool) -> str:
        if as_json:
            return json.dumps(report_json(report, limit=None), ensure_ascii=False, indent=2)
        if not report.ok:
            return f"{report_table(report)}\n\n{summary(report)}"
        head = "检查通过（仅检查，未写入）：" if report.dry_run else "导入完成："
        return head + summary(report)
