"""`yigou demo` — load the deterministic 遂宁市 demo; `--logins` prints the demo accounts."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from yigou.core.errors import DomainError
from yigou.demo.loader import DEFAULT_HOUSEHOLDS, demo_present, load_demo
from yigou.demo.users import logins_table

LABELS = {
    "villages": "村（社区）",
    "poor_villages": "贫困村",
    "households": "农户",
    "registered": "建档立卡户",
    "producers": "经营主体",
    "linkages": "带贫联结",
    "units": "帮扶单位",
    "cadres": "帮扶干部",
    "household_pairings": "干部结对户",
    "users": "演示账号",
    "outlets": "销售网点",
    "activities": "以购助扶活动",
    "purchases": "购买记录",
    "reversals": "其中冲销",
    "presale_lists": "预售清单",
    "orders": "订单",
    "findings": "虚假数据疑点",
    "cases": "核查案件",
    "distributions": "收益分配",
    "plan_tasks": "工作任务",
    "monitoring_cases": "防返贫监测案件",
}


def _how_to_start_over() -> str:
    db = settings.DATABASES["default"]
    if str(db["ENGINE"]).endswith("sqlite3"):
        return f"如需重新加载，请删除数据库文件 {db['NAME']}，再运行 make run（或 yigou migrate 后 yigou demo）。"
    return "如需重新加载，请新建一个空数据库并执行 yigou migrate 后再运行 yigou demo。"


class Command(BaseCommand):
    help = (
        "加载演示数据：遂宁市（2018年区划）的乡镇、村、农户、经营主体、帮扶单位、每个角色一个演示账号，"
        "以及2018年的销售网点、以购助扶活动和购买台账。"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--households", type=int, default=DEFAULT_HOUSEHOLDS, help="农户数（默认 3000）")
        parser.add_argument("--if-empty", action="store_true", help="已有演示数据时不做任何事")
        parser.add_argument("--logins", action="store_true", help="只打印演示账号和密码")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["logins"]:
            self.stdout.write(logins_table())
            return
        total = options["households"]
        if not 1 <= total <= 100_000:
            raise CommandError("--households 应在 1 到 100000 之间。")
        if demo_present():
            if options["if_empty"]:
                self.stdout.write("数据库中已有演示数据（或农户数据），跳过加载。")
                return
            raise CommandError(
                "数据库中已有演示数据（或农户数据），为避免重复，本次未加载。" + _how_to_start_over()
            )
        self.stdout.write(f"开始加载演示数据：遂宁市（2018年区划），{total} 户……")
        try:
            summary = load_demo(households=total, say=self.stdout.write)
        except DomainError as exc:
            raise CommandError(f"演示数据加载失败，已全部撤销：{exc.message}") from None
        counts = "，".join(f"{LABELS[key]} {value}" for key, value in summary.counts.items())
        self.stdout.write(f"演示数据加载完成，用时 {summary.seconds:.1f} 秒：{counts}。")
