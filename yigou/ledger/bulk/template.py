"""The downloadable XLSX template of the purchase layout: headers, one example row, and a 填写说明 sheet."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from yigou.core.columns import Column, template_sheets
from yigou.core.xlsx import write_workbook
from yigou.registry import selectors as registry

from .layout import COLUMNS

SHEET = "购买记录"
EXAMPLE_HOUSEHOLD = "5109031010010001"


def example_row(actor: Any) -> dict[str, str]:
    """A sale by one of the user's own households to an individual at the market: it passes the check as is."""
    number = registry.households(actor).values_list("number", flat=True).first()
    return {
        "外部编号": "示例-0001",
        "日期": timezone.localdate().isoformat(),
        "购买方类型": "个人",
        "购买方": "张三",
        "渠道": "现场采购",
        "销售方": number or EXAMPLE_HOUSEHOLD,
        "产品": "蜂蜜",
        "品类": "蜂产品",
        "数量": "5",
        "单位": "斤",
        "单价": "50",
        "金额": "250",
        "产品来源": "农户自产",
    }


def purchase_columns(example: dict[str, str]) -> list[Column]:
    return [
        Column(header=header, required=required, help=description, example=example.get(header, ""))
        for header, required, description in COLUMNS
    ]


def purchase_template(actor: Any) -> bytes:
    example = example_row(actor)
    columns = purchase_columns(example)
    return write_workbook(template_sheets(SHEET, columns, [[c.example for c in columns]]))
