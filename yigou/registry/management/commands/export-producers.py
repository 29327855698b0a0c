"""`yigou export-producers [--region CODE] --out FILE.xlsx` — the producer list."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from yigou.accounts.commands import actor_from, add_actor_argument, write_export
from yigou.core.errors import DomainError
from yigou.registry.exports import export_producers


class Command(BaseCommand):
    help = "导出经营主体名单为 XLSX；联系电话默认脱敏。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--region", default="", help="区划代码：只导出该区划内的经营主体")
        parser.add_argument("--q", default="", help="名称、拼音首字母或信用代码")
        parser.add_argument("--out", required=True, help="输出的 .xlsx 文件")
        parser.add_argument(
            "--reveal", action="store_true", help="含完整电话（须有查看个人信息权限，记入审计）"
        )
        add_actor_argument(parser)

    def handle(self, *args: Any, **options: Any) -> None:
        actor = actor_from(options["username"])
        try:
            result = export_producers(
                actor=actor, q=options["q"], region=options["region"], reveal=options["reveal"]
            )
        except DomainError as exc:
            raise CommandError(exc.message) from None
        write_export(self, options["out"], result.content, result.rows)
