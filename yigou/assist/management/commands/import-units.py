"""`yigou import-units FILE [--dry-run] [--as USERNAME] [--json]` — assisting units."""

from yigou.accounts.commands import ImportCommand
from yigou.assist.importers import import_units


class Command(ImportCommand):
    help = "从 XLSX/CSV 批量导入帮扶单位；有任何错误则全部不导入。"
    importer = staticmethod(import_units)
