"""`yigou market-list-due [--date YYYY-MM-DD]`: list every product whose public notice has ended.

A product on notice whose notice end lies before the date and that has no open objection enters the catalog.
Running it again lists nothing new, so it may be scheduled daily.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from yigou.accounts.services import system_actor
from yigou.market.listing import list_due


class Command(BaseCommand):
    help = "公示期满且无未处理异议的扶贫产品列入目录（可重复执行）。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--date", default="", help="按该日期办理（默认今天），格式 YYYY-MM-DD")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            day = dt.date.fromisoformat(options["date"]) if options["date"] else dt.date.today()
        except ValueError:
            raise CommandError(f"日期“{options['date']}”格式应为 YYYY-MM-DD") from None
        listed = list_due(actor=system_actor(), today=day)
        for product in listed:
            self.stdout.write(
                f"{product.certificate_no}\t{product.name}（{product.specification}）\t有效期至 {product.valid_until}"
            )
        self.stdout.write(f"共 {len(listed)} 个产品列入目录。")
