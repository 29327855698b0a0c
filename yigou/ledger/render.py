"""The 以购助扶成果统计表 as JSON, CSV and XLSX (the official paper layout), from one StatsTable."""

from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import xlsxwriter

from yigou.regions.enums import Level

from .columns import COLUMNS, Column
from .table import Number, Row, StatsTable

TITLE_SUFFIX = "以购助扶成果统计表"
# The name column's heading says what the rows are: the bulletin's city table heads it 县(区).
ROW_HEADING = {Level.PROVINCE: "市(州)", Level.CITY: "县(区)", Level.COUNTY: "乡镇", Level.TOWNSHIP: "村"}
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
JSON_CONTENT_TYPE = "application/json; charset=utf-8"


@dataclass(frozen=True)
class HeaderGroup:
    """One cell of the upper header row: a group spanning its columns, or a column standing alone."""

    title: str
    columns: list[Column]

    @property
    def standalone(self) -> bool:
        return len(self.columns) == 1 and self.columns[0].label == self.title

    @property
    def shared_unit(self) -> str:
        units = {c.unit for c in self.columns}
        return units.pop() if len(units) == 1 else ""

    @property
    def heading(self) -> str:
        unit = self.shared_unit
        return f"{self.title}({unit})" if unit else self.title

    def sub_heading(self, column: Column) -> str:
        return column.label if self.shared_unit else f"{column.label}({column.unit})"


def header_groups() -> list[HeaderGroup]:
    groups: list[HeaderGroup] = []
    for column in COLUMNS:
        if groups and groups[-1].title == column.group and not groups[-1].standalone:
            groups[-1].columns.append(column)
        else:
            groups.append(HeaderGroup(column.group, [column]))
    return groups


def flat_headings() -> list[str]:
    """The two header rows as one line, "group·label(unit)", for CSV."""
    headings = []
    for group in header_groups():
        for column in group.columns:
            if group.standalone:
                headings.append(f"{column.label}({column.unit})")
            else:
                headings.append(f"{group.title}·{column.label}({column.unit})")
    return headings


def title(table: StatsTable) -> str:
    return f"{table.region.name}{table.period.label}{TITLE_SUFFIX}"


def row_heading(table: StatsTable) -> str:
    return ROW_HEADING.get(Level(table.region.level), "区域")


def period_text(table: StatsTable) -> str:
    """The period in the form the command line and the API accept back: 2018-04, 2018-01..2018-04 or dates."""
    period = table.period
    if period.month_aligned:
        start, end = f"{period.start:%Y-%m}", f"{period.end:%Y-%m}"
        return start if start == end else f"{start}..{end}"
    return f"{period.start:%Y-%m-%d}..{period.end:%Y-%m-%d}"


def filename(table: StatsTable, extension: str) -> str:
    return f"{title(table)}.{extension}"


# --- JSON -----------------------------------------------------------------------------------------------

_MONEY = "\u0000money:"
_MONEY_RE = re.compile(r'"\\u0000money:(-?\d+\.\d\d)"')


def _json_number(value: Number) -> Any:
    # Money keeps its two decimals in the text (2050.00); json would print a float as 2050.0.
    return f"{_MONEY}{value:.2f}" if isinstance(value, Decimal) else int(value)


def table_data(table: StatsTable) -> dict[str, Any]:
    """The table as plain data (Decimals for money), for the API's serializer and for render_json."""
    return {
        "region": table.region.code,
        "region_name": table.region.name,
        "period": period_text(table),
        "period_label": table.period.label,
        "title": title(table),
        "rows": [
            {"region_code": r.region_code, "region_name": r.region_name, "values": dict(r.values)}
            for r in table.rows
        ],
        "total": {"values": dict(table.total.values)},
        "footnotes": list(table.footnotes),
    }


def render_json(table: StatsTable) -> str:
    data = table_data(table)
    for row in [*data["rows"], data["total"]]:
        row["values"] = {code: _json_number(value) for code, value in row["values"].items()}
    text = json.dumps(data, ensure_ascii=False, indent=2)
    return _MONEY_RE.sub(r"\1", text)


# --- CSV ------------------------------------------------------------------------------------------------


def _cell_text(value: Number) -> str:
    return f"{value:.2f}" if isinstance(value, Decimal) else str(int(value))


def render_csv(table: StatsTable) -> bytes:
    """UTF-8 with a BOM so Excel on Windows opens the Chinese text correctly."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(["区划代码", row_heading(table), *flat_headings()])
    for row in [*table.rows, _total_row(table)]:
        writer.writerow(
            [row.region_code, row.region_name, *(_cell_text(row.values[c.code]) for c in COLUMNS)]
        )
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def _total_row(table: StatsTable) -> Row:
    return Row(table.total.region_code, "合计", table.total.values)


# --- XLSX -----------------------------------------------------------------------------------------------

BODY_FONT, TITLE_FONT = "宋体", "黑体"
NUMBER_FORMATS = {"money": "#,##0.00", "wan": "0.00", "count": "0", "distinct": "0"}
NAME_WIDTH, COLUMN_WIDTH = 18, 10


class _XlsxFormats:
    def __init__(self, book: xlsxwriter.Workbook) -> None:
        base = {"font_name": BODY_FONT, "font_size": 10, "border": 1, "valign": "vcenter"}
        self.title = book.add_format(
            {"font_name": TITLE_FONT, "font_size": 16, "bold": True, "align": "center", "valign": "vcenter"}
        )
        self.header = book.add_format({**base, "bold": True, "align": "center", "text_wrap": True})
        self.name = book.add_format({**base, "align": "left"})
        self.total_name = book.add_format({**base, "align": "center", "bold": True})
        self.numbers = {
            kind: book.add_format({**base, "align": "right", "num_format": fmt})
            for kind, fmt in NUMBER_FORMATS.items()
        }
        self.totals = {
            kind: book.add_format({**base, "align": "right", "num_format": fmt, "bold": True})
            for kind, fmt in NUMBER_FORMATS.items()
        }
        self.note = book.add_format(
            {"font_name": BODY_FONT, "font_size": 10, "text_wrap": True, "valign": "top"}
        )


def _write_header(ws: Any, fmt: _XlsxFormats, heading: str) -> None:
    ws.merge_range(1, 0, 2, 0, heading, fmt.header)
    col = 1
    for group in header_groups():
        span = len(group.columns)
        if group.standalone:
            ws.merge_range(1, col, 2, col, group.heading, fmt.header)
        else:
            if span > 1:
                ws.merge_range(1, col, 1, col + span - 1, group.heading, fmt.header)
            else:
                ws.write_string(1, col, group.heading, fmt.header)
            for offset, column in enumerate(group.columns):
                ws.write_string(2, col + offset, group.sub_heading(column), fmt.header)
        col += span
    ws.set_row(1, 30)
    ws.set_row(2, 42)


def _write_row(ws: Any, fmt: _XlsxFormats, index: int, row: Row, *, total: bool) -> None:
    ws.write_string(index, 0, row.region_name, fmt.total_name if total else fmt.name)
    formats = fmt.totals if total else fmt.numbers
    for col, column in enumerate(COLUMNS, start=1):
        value = row.values[column.code]
        number = float(value) if isinstance(value, Decimal) else int(value)
        ws.write_number(index, col, number, formats[column.kind])


def render_xlsx(table: StatsTable) -> bytes:
    """The official layout: a title row, the two-row merged header with units, one row per region, 合计, notes."""
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    fmt = _XlsxFormats(book)
    ws = book.add_worksheet("以购助扶成果统计表")
    last_col = len(COLUMNS)
    ws.merge_range(0, 0, 0, last_col, title(table), fmt.title)
    ws.set_row(0, 32)
    _write_header(ws, fmt, row_heading(table))
    index = 3
    for row in table.rows:
        _write_row(ws, fmt, index, row, total=False)
        index += 1
    _write_row(ws, fmt, index, _total_row(table), total=True)
    for n, note in enumerate(table.footnotes, start=index + 2):
        ws.merge_range(n, 0, n, last_col, note, fmt.note)
        ws.set_row(n, 30 if len(note) > 60 else 18)
    ws.set_column(0, 0, NAME_WIDTH)
    ws.set_column(1, last_col, COLUMN_WIDTH)
    ws.freeze_panes(3, 1)
    ws.set_landscape()
    ws.set_paper(9)  # A4, as bulletins are printed
    ws.fit_to_pages(1, 0)
    ws.repeat_rows(1, 2)
    book.close()
    return buffer.getvalue()
