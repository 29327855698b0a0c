"""Writing the XLSX files officials open in Excel: a title row, a header row, data rows, sensible widths.

Every cell is written as text (or a number when it is one): ID numbers and 12-digit region codes must never
become 5.10903E+11 in Excel.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import xlsxwriter
from xlsxwriter.worksheet import Worksheet

SHEET_NAME_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
MAX_WIDTH = 60
MIN_WIDTH = 6
WIDTH_SAMPLE_ROWS = 500  # widths from the first rows are good enough and keep big exports fast

Cell = str | int | float | None


@dataclass
class Sheet:
    name: str  # Chinese sheet name; cleaned to Excel's rules
    headers: list[str]
    rows: Iterable[Sequence[Cell]]
    title: str = ""  # merged row above the headers; none when empty (import templates)
    widths: dict[int, float] = field(default_factory=dict)  # column index → width; others measured


def display_width(text: str) -> int:
    """Columns Excel needs for `text`: Chinese characters take two."""
    return sum(2 if ord(ch) > 0x2E7F else 1 for ch in text)


def sheet_name(name: str) -> str:
    cleaned = SHEET_NAME_FORBIDDEN.sub("_", name).strip("'") or "Sheet1"
    return cleaned[:31]


class _Formats:
    def __init__(self, book: xlsxwriter.Workbook):
        self.title = book.add_format({"bold": True, "font_size": 14, "align": "center", "valign": "vcenter"})
        self.header = book.add_format(
            {
                "bold": True,
                "bg_color": "#DDEBF7",
                "border": 1,
                "align": "center",
                "valign": "vcenter",
                "text_wrap": True,
            }
        )
        self.text = book.add_format({"border": 1, "num_format": "@", "valign": "top"})
        self.number = book.add_format({"border": 1, "valign": "top"})
        self.plain_text = book.add_format({"num_format": "@"})


def _write_sheet(book: xlsxwriter.Workbook, formats: _Formats, sheet: Sheet) -> None:
    ws = book.add_worksheet(sheet_name(sheet.name))
    widths = [display_width(h) + 2 for h in sheet.headers]
    top = 0
    if sheet.title:
        if len(sheet.headers) > 1:
            ws.merge_range(0, 0, 0, len(sheet.headers) - 1, sheet.title, formats.title)
        else:
            ws.write_string(0, 0, sheet.title, formats.title)
        ws.set_row(0, 28)
        top = 1
    for col, header in enumerate(sheet.headers):
        ws.write_string(top, col, header, formats.header)
    row_index = top
    for row_index, row in enumerate(sheet.rows, start=top + 1):
        for col, value in enumerate(row):
            _write_cell(ws, formats, row_index, col, value)
            if row_index <= top + WIDTH_SAMPLE_ROWS and value is not None:
                widths[col] = max(widths[col], display_width(str(value)) + 2)
    for col, width in enumerate(widths):
        # Text format for the whole column: what an official types below stays text (ID numbers keep 18 digits).
        ws.set_column(
            col, col, sheet.widths.get(col, min(max(width, MIN_WIDTH), MAX_WIDTH)), formats.plain_text
        )
    ws.freeze_panes(top + 1, 0)
    if row_index > top:
        ws.autofilter(top, 0, row_index, len(sheet.headers) - 1)


def _write_cell(ws: Worksheet, formats: _Formats, row: int, col: int, value: Cell) -> None:
    if value is None or value == "":
        ws.write_blank(row, col, None, formats.text)
    elif isinstance(value, bool):
        ws.write_string(row, col, "是" if value else "否", formats.text)
    elif isinstance(value, int | float):
        ws.write_number(row, col, value, formats.number)
    else:
        ws.write_string(row, col, str(value), formats.text)


def write_workbook(sheets: Sequence[Sheet]) -> bytes:
    """The sheets as one XLSX file, in memory (exports stay well below what fits)."""
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_numbers": False})
    formats = _Formats(book)
    for sheet in sheets:
        _write_sheet(book, formats, sheet)
    book.close()
    return buffer.getvalue()


XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
