"""`yigou stats --region CODE --period 2018-01..2018-04 --format json|csv|xlsx [--out FILE]`.

The action is a positional word defaulting to "table", so further actions (such as `verify`) are added to
ACTIONS with their own handler without changing how the table is asked for.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from yigou.accounts.services import system_actor
from yigou.core.errors import DomainError
from yigou.ledger import render
from yigou.ledger.rebuild import rebuild_all
from yigou.ledger.verify import verify
from yigou.regions.checks import get_region
from yigou.reporting.selectors import merged_stats_table

FORMATS = ("json", "csv", "xlsx")


def _rendered(table: Any, fmt: str) -> bytes:
    if fmt == "xlsx":
        return render.render_xlsx(table)
    if fmt == "csv":
        return render.render_csv(table)
    return (render.render_json(table) + "\n").encode("utf-8")


class Command(BaseCommand):
    help = "输出以购助扶成果统计表（JSON、CSV 或 XLSX）。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "action",
            nargs="?",
            default="table",
            choices=sorted(self.actions()),
            help="table（默认）：输出统计表；verify：用原始台账重算全部汇总并报告差异；"
            "rebuild：用原始台账重建全部汇总",
        )
        parser.add_argument("--region", default="", help="区划代码，如 510900000000")
        parser.add_argument(
            "--period", default="", help="期间：2018-04、2018-01..2018-04 或 2018-01-05..2018-03-20"
        )
        parser.add_argument("--format", default="json", choices=FORMATS, help="输出格式，默认 json")
        parser.add_argument("--out", default="", help="写入文件；不给则写到标准输出（xlsx 必须给）")

    def actions(self) -> dict[str, Callable[[dict[str, Any]], None]]:
        return {"table": self.table, "verify": self.verify, "rebuild": self.rebuild}

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            self.actions()[options["action"]](options)
        except DomainError as exc:
            raise CommandError(exc.message) from None

    def table(self, options: dict[str, Any]) -> None:
        if not options["region"]:
            raise CommandError("请用 --region 指定区划代码，如 --region 510900000000")
        if not options["period"]:
            raise CommandError("请用 --period 指定统计期间，如 --period 2018-01..2018-04")
        fmt = options["format"]
        if fmt == "xlsx" and not options["out"]:
            raise CommandError("XLSX 格式须用 --out 指定输出文件")
        table = merged_stats_table(system_actor(), options["region"], options["period"])
        data = _rendered(table, fmt)
        if options["out"]:
            Path(options["out"]).write_bytes(data)
            self.stderr.write(f"已写入 {options['out']}：{render.title(table)}")
        elif fmt == "json":
            self.stdout.write(data.decode("utf-8"), ending="")
        else:
            # CSV goes out byte for byte, BOM included, so a redirected file opens in Excel as written.
            self.stdout.flush()
            sys.stdout.buffer.write(data)
            sys.stdout.buffer.flush()

    def verify(self, options: dict[str, Any]) -> None:
        region = get_region(options["region"]) if options["region"] else None
        result = verify(region)
        scope = f"{region.name}（{region.code}）" if region else "全部区域"
        self.stdout.write(
            f"核对范围：{scope}；购买记录 {result.purchases} 笔，汇总行 {result.rows_checked} 行。"
        )
        for difference in result.differences[:50]:
            self.stdout.write(f"  差异：{difference}")
        if not result.ok:
            raise CommandError(
                f"发现 {len(result.differences)} 处差异，可运行 yigou stats rebuild 重建汇总。"
            )
        self.stdout.write("未发现差异：统计表与原始台账一致。")

    def rebuild(self, options: dict[str, Any]) -> None:
        rebuild_all()
        self.stdout.write("已用原始台账重建全部汇总。")
