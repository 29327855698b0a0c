"""`yigou plans remind [--date D]`: send the dispatch reminders due on a day (idempotent)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from yigou.plans.reminders import remind


class Command(BaseCommand):
    help = "工作方案调度提醒：任务临近截止、本轮未报送进展、督查整改临近期限（站内消息并按消息通道发送）。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["remind"], help="remind：发送提醒")
        parser.add_argument("--date", default="", help="日期 YYYY-MM-DD，默认今天")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            day = dt.date.fromisoformat(options["date"]) if options["date"] else dt.date.today()
        except ValueError:
            raise CommandError(f"日期“{options['date']}”无效，应写作 2018-05-05") from None
        sent = remind(day)
        self.stdout.write(
            f"已发送提醒 {sent.total} 条：临近截止 {sent.due}，调度报送 {sent.round}，整改期限 {sent.rectify}"
        )
