"""XLSX of the stored rule results and of the reconciliation report, with Chinese headers."""

from __future__ import annotations

from collections.abc import Iterable

from yigou.core.xlsx import Sheet, write_workbook

from .merge import Difference
from .models import ValidationResult
from .validation import number


def results_xlsx(results: Iterable[ValidationResult], title: str) -> bytes:
    headers = [
        "区划代码",
        "区域",
        "期间",
        "规则",
        "说明",
        "左式值",
        "右式值",
        "重要性",
        "阻止上报",
        "情况说明",
    ]
    rows = [
        [r.region_id, r.region.name, r.period_label, r.rule.code, r.rule.description, number(r.left),
         number(r.right), r.get_importance_display(), "是" if r.blocking else "否", r.comment]
        for r in results
    ]  # fmt: skip
    return write_workbook([Sheet("校验结果", headers, rows, title=title)])


def reconciliation_xlsx(differences: Iterable[Difference], title: str) -> bytes:
    headers = ["区划代码", "区域", "指标代码", "指标", "单位", "台账数", "填报数", "差额（填报−台账）"]
    rows = [
        [d.region_code, d.region_name, d.element, d.label, d.unit, number(d.ledger), number(d.reported),
         number(d.difference)]
        for d in differences
    ]  # fmt: skip
    return write_workbook([Sheet("核对表", headers, rows, title=title)])
