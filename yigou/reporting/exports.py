"""XLSX of the stored rule results and of the reconciliation report, with Chinese headers."""

from __future__ import annotations

from collections.abc import Iterable

from yigou.core.xlsx import Sheet, write_workbook

from .merge import Difference
from .models import OutlierFlag, ValidationResult
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
        [
            r.region_id,
            r.region.name,
            r.period_label,
            r.rule.code,
            r.rule.description,
            number(r.left),
            number(r.right),
            r.get_importance_display(),
            "是" if r.blocking else "否",
            r.comment,
        ]
        for r in results
    ]
    return write_workbook([Sheet("校验结果", headers, rows, title=title)])


def reconciliation_xlsx(differences: Iterable[Difference], title: str) -> bytes:
    headers = ["区划代码", "区域", "指标代码", "指标", "单位", "台账数", "填报数", "差额（填报−台账）"]
    rows = [
        [
            d.region_code,
            d.region_name,
            d.element,
            d.label,
            d.unit,
            number(d.ledger),
            number(d.reported),
            number(d.difference),
        ]
        for d in differences
    ]
    return write_workbook([Sheet("核对表", headers, rows, title=title)])


def outliers_xlsx(flags: Iterable[OutlierFlag], title: str) -> bytes:
    headers = [
        "区划代码",
        "区域",
        "月份",
        "指标",
        "单位",
        "数值",
        "原因",
        "历史均值",
        "标准差",
        "下限",
        "上限",
        "状态",
        "核实说明",
    ]
    rows = [
        [
            f.region_id,
            f.region.name,
            f"{f.year}-{f.month:02d}",
            f.element.name,
            f.element.unit,
            number(f.value),
            f.get_kind_display(),
            number(f.expected),
            number(f.spread),
            number(f.low),
            number(f.high),
            f.get_status_display(),
            f.note,
        ]
        for f in flags
    ]
    return write_workbook([Sheet("异常值", headers, rows, title=title)])
