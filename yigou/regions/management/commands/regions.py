"""`yigou regions load` — the national province/city/county list; `yigou regions import FILE` — local regions."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from yigou.accounts.services import system_actor
from yigou.core.errors import DomainError
from yigou.core.tabular import read_table
from yigou.regions.services import import_regions, load_national_list


class Command(BaseCommand):
    help = "加载全国省/市/县区划（load），或从 CSV/XLSX 导入乡镇、村和功能区（import FILE）。"

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("load", help="加载随软件发布的全国省、市、县区划")
        imp = sub.add_parser("import", help="导入 code,name,parent_code,level,kind,poor 格式的文件")
        imp.add_argument("file")
        imp.add_argument("--dry-run", action="store_true", help="只检查，不写入")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "load":
            created = load_national_list()
            self.stdout.write(f"已加载全国区划，新增 {created} 个。")
            return
        path = Path(options["file"])
        if not path.exists():
            raise CommandError(f"文件不存在：{path}")
        try:
            report = import_regions(
                actor=system_actor(),
                table=read_table(path.read_bytes(), path.name),
                dry_run=options["dry_run"],
            )
        except DomainError as exc:
            raise CommandError(exc.message) from None
        self.stdout.write(json.dumps(report.as_dict(), ensure_ascii=False, indent=2))
        if not report.ok:
            raise CommandError(f"导入未执行：共 {len(report.errors)} 处错误。")
