"""`yigou import-supply FILE [--dry-run] [--as USERNAME] [--json]` — the supply book (供给台账), all or nothing."""

from yigou.accounts.commands import ImportCommand
from yigou.supply.importing import import_supply


class Command(ImportCommand):
    help = "从 XLSX/CSV 批量导入供给台账（各村、农户预计可售的农产品）；有任何错误则全部不导入。"
    importer = staticmethod(import_supply)
