"""`yigou import-households FILE [--dry-run] [--as USERNAME] [--json]` — households, one row per person."""

from yigou.accounts.commands import ImportCommand
from yigou.registry.importers import import_households


class Command(ImportCommand):
    help = "从 XLSX/CSV 批量导入农户（每名成员一行，按户编号归户）；有任何错误则全部不导入。"
    importer = staticmethod(import_households)
