"""`yigou import-producers FILE [--dry-run] [--as USERNAME] [--json]` — cooperatives, enterprises, family farms."""

from yigou.accounts.commands import ImportCommand
from yigou.registry.importers import import_producers


class Command(ImportCommand):
    help = "从 XLSX/CSV 批量导入经营主体（合作社、龙头企业、家庭农场）；有任何错误则全部不导入。"
    importer = staticmethod(import_producers)
