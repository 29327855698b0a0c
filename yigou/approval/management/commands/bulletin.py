"""`yigou bulletin --region CODE --period P --out FILE.docx [--issue N] [--office NAME] [--date YYYY-MM-DD]`.

Writes the 以购助扶工作简报 as DOCX, or as PDF (through LibreOffice) when FILE ends in .pdf.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from yigou.accounts.services import system_actor
from yigou.approval.bulletin import bulletin_for, render_docx, render_pdf
from yigou.core.errors import DomainError


class Command(BaseCommand):
    help = "生成以购助扶工作简报（DOCX；输出文件以 .pdf 结尾时经 LibreOffice 转为 PDF）。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--region", required=True, help="区划代码，如 510900000000")
        parser.add_argument("--period", required=True, help="期间：2018-04 或 2018-01..2018-04")
        parser.add_argument("--out", required=True, help="输出文件，如 简报.docx 或 简报.pdf")
        parser.add_argument("--issue", type=int, default=1, help="期号，默认 1")
        parser.add_argument("--office", default="", help="发文单位，默认“<区域>扶贫开发领导小组办公室”")
        parser.add_argument("--date", default="", help="落款日期，如 2018-05-05，默认今天")
        parser.add_argument(
            "--scheme", type=int, default=None, help="附上该考核方案（编号）截至落款日期的排名"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        out = Path(options["out"])
        if out.suffix.lower() not in (".docx", ".pdf"):
            raise CommandError("--out 须以 .docx 或 .pdf 结尾")
        try:
            date = dt.date.fromisoformat(options["date"]) if options["date"] else None
        except ValueError:
            raise CommandError(f"日期“{options['date']}”无效，应写作 2018-05-05") from None
        try:
            bulletin = bulletin_for(
                system_actor(),
                options["region"],
                options["period"],
                issue=options["issue"],
                office=options["office"],
                date=date,
                scheme=options["scheme"],
            )
            data = render_pdf(bulletin) if out.suffix.lower() == ".pdf" else render_docx(bulletin)
        except DomainError as exc:
            raise CommandError(exc.message) from None
        out.write_bytes(data)
        self.stderr.write(f"已写入 {out}：{bulletin.title}（第{bulletin.issue}期）")
