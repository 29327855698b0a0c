"""`yigou export-units [--region CODE] --out FILE.xlsx` — the assisting-unit list."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from yigou.accounts.commands import actor_from, add_actor_argument, write_export
from yigou.assist.exports import export_units
from yigou.core.errors import DomainError


class Command(BaseCommand):
    help = "导出帮扶单位名单为 XLSX；联系电话默认脱敏。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--region", default="", help="区划代码：只导出该区划内的帮扶单位")
        parser.add_argument("--q", default="", help="名称或拼音首字母")
        parser.add_argument("--out", required=True, help="输出的 .xlsx 文件")
        parser.add_argument(
            "--reveal", action="store_true", help="含完整电话（须有查看个人信息权限，记入审计）"
        )
        add_actor_argument(parser)

    def handle(self, *args: Any, **options: Any) -> None:
        actor = actor_from(options["username"])
        try:
            result = export_units(
                actor=actor, q=options["q"], region=options["region"], reveal=options["reveal"]
            )
        except DomainError as exc:
            raise CommandError(exc.message) from None
        write_export(self, options["out"], result.content, result.rows)
