"""`yigou export-households --region CODE --out FILE.xlsx` — the household list, one row per person."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from yigou.accounts.commands import actor_from, add_actor_argument, write_export
from yigou.core.errors import DomainError
from yigou.registry.enums import HouseholdStatus
from yigou.registry.exports import export_households
from yigou.registry.selectors import HouseholdFilter


class Command(BaseCommand):
    help = "导出农户名单（每名成员一行）为 XLSX；身份证号、电话默认脱敏。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--region", default="", help="区划代码：只导出该区划内的农户")
        parser.add_argument(
            "--status", default="", choices=["", *HouseholdStatus.values], help="按当前状态筛选"
        )
        parser.add_argument("--q", default="", help="姓名、拼音首字母、身份证号后几位或户编号")
        parser.add_argument("--out", required=True, help="输出的 .xlsx 文件")
        parser.add_argument(
            "--reveal", action="store_true", help="含完整证件号（须有查看个人信息权限，记入审计）"
        )
        add_actor_argument(parser)

    def handle(self, *args: Any, **options: Any) -> None:
        actor = actor_from(options["username"])
        flt = HouseholdFilter(q=options["q"], region=options["region"], status=options["status"])
        try:
            result = export_households(actor=actor, flt=flt, reveal=options["reveal"])
        except DomainError as exc:
            raise CommandError(exc.message) from None
        write_export(self, options["out"], result.content, result.rows)
