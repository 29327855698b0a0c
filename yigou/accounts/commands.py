"""What every app's import and export commands share: the acting user (`--as`), reading the file, printing the report."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from yigou.core.errors import DomainError
from yigou.core.importing import ImportReport
from yigou.core.tabular import read_table
from yigou.core.xlsx import display_width

from .models import User
from .services import system_actor


def add_actor_argument(parser: CommandParser) -> None:
    parser.add_argument(
        "--as", dest="username", default="", help="以该用户的身份和管辖范围执行（默认：系统管理员 system）"
    )


def actor_from(username: str) -> User:
    if not username:
        return system_actor()
    user = User.objects.filter(username=username, is_active=True).first()
    if user is None:
        raise CommandError(f"用户 {username} 不存在或已停用")
    return user


def _pad(text: str, width: int) -> str:
    return text + " " * max(width - display_width(text), 0)


def report_table(report: ImportReport) -> str:
    """The report as an aligned Chinese table, for reading in a terminal."""
    if report.ok:
        if report.dry_run:
            return f"检查通过：共 {report.total_rows} 行，未发现错误（仅检查，未写入）。"
        return f"导入完成：共 {report.total_rows} 行，已导入 {report.written} 条。"
    column_width = max([display_width("列")] + [display_width(e.column) for e in report.errors]) + 2
    lines = [f"共 {report.total_rows} 行，发现 {len(report.errors)} 处错误，全部数据均未导入：", ""]
    lines.append(f"{_pad('行', 8)}{_pad('列', column_width)}原因")
    lines += [f"{_pad(str(e.row), 8)}{_pad(e.column, column_width)}{e.message}" for e in report.errors]
    return "\n".join(lines)


class ImportCommand(BaseCommand):
    """`yigou import-… FILE [--dry-run] [--as USERNAME] [--json]`; exits non-zero when the file has errors."""

    importer: Callable[..., ImportReport]

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="XLSX 文件，或 UTF-8 / GBK 编码的 CSV 文件")
        parser.add_argument("--dry-run", action="store_true", help="只检查，不写入")
        parser.add_argument("--json", action="store_true", help="以 JSON 输出检查结果")
        add_actor_argument(parser)

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"文件不存在：{path}")
        actor = actor_from(options["username"])
        try:
            table = read_table(path.read_bytes(), path.name)
            report = type(self).importer(actor=actor, table=table, dry_run=options["dry_run"])
        except DomainError as exc:
            raise CommandError(exc.message) from None
        if options["json"]:
            self.stdout.write(json.dumps(report.as_dict(), ensure_ascii=False, indent=2))
        else:
            self.stdout.write(report_table(report))
        if not report.ok:
            raise CommandError(f"导入未执行：共 {len(report.errors)} 处错误，请修改后重新导入。")


def write_export(command: BaseCommand, out: str, content: bytes, rows: int) -> None:
    path = Path(out)
    if path.suffix.lower() != ".xlsx":
        raise CommandError("--out 须为 .xlsx 文件")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content)
    command.stdout.write(f"已导出 {rows} 行到 {path}")
