"""Reading the spreadsheets offices actually send: XLSX, or CSV in UTF-8, UTF-8 with BOM, or GBK."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import zipfile
from dataclasses import dataclass

from .errors import DomainError

XLSX_MAGIC = b"PK\x03\x04"


@dataclass
class Table:
    headers: list[str]
    rows: list[list[str]]  # cell text, stripped; the first data row is spreadsheet row 2
    encoding: str


def decode_text(data: bytes) -> tuple[str, str]:
    """UTF-8 (with or without BOM) first, then GB18030, the superset of the GBK that Chinese Excel writes."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8"), "utf-8-sig"
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030"), "gbk"
    except UnicodeDecodeError:
        raise DomainError(
            "import_file_unreadable", detail="编码无法识别，请另存为 UTF-8 或 GBK 编码的 CSV"
        ) from None


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _read_xlsx(data: bytes) -> Table:
    from .sheet_reader import first_sheet_rows

    try:
        rows = first_sheet_rows(data, _cell_text)
    except (zipfile.BadZipFile, KeyError, OSError) as exc:
        raise DomainError("import_file_unreadable", detail=f"不是有效的 XLSX 文件（{exc}）") from None
    return _table_from_rows(rows, "xlsx")


def _read_xlsx_openpyxl(data: bytes) -> Table:
    """openpyxl's own reading, which `_read_xlsx` must equal cell for cell (the equality tests use it)."""
    from .sheet_reader import openpyxl_rows

    return _table_from_rows(openpyxl_rows(data, _cell_text), "xlsx")


def _read_csv(data: bytes) -> Table:
    text, encoding = decode_text(data)
    rows = [[cell.strip() for cell in row] for row in csv.reader(io.StringIO(text))]
    return _table_from_rows(rows, encoding)


def _table_from_rows(rows: list[list[str]], encoding: str) -> Table:
    while rows and not any(rows[-1]):
        rows.pop()
    if not rows:
        raise DomainError("import_file_unreadable", detail="文件是空的")
    headers = [h.strip().lstrip("\ufeff") for h in rows[0]]
    width = len(headers)
    body = [(r + [""] * width)[:width] for r in rows[1:]]
    return Table(headers=headers, rows=body, encoding=encoding)


def read_table(data: bytes, filename: str = "") -> Table:
    if data.startswith(XLSX_MAGIC) or filename.lower().endswith(".xlsx"):
        return _read_xlsx(data)
    return _read_csv(data)


DATE_PATTERNS = (
    re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$"),
    re.compile(r"^(\d{4})/(\d{1,2})/(\d{1,2})$"),
    re.compile(r"^(\d{4})\.(\d{1,2})\.(\d{1,2})$"),
    re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日$"),
    re.compile(r"^(\d{4})(\d{2})(\d{2})$"),
)


def parse_date(text: str) -> dt.date:
    """2018-04-01, 2018/4/1, 2018.4.1, 2018年4月1日 or 20180401; anything else is refused in Chinese."""
    value = (text or "").strip().split(" ")[0]
    for pattern in DATE_PATTERNS:
        match = pattern.match(value)
        if match:
            year, month, day = (int(g) for g in match.groups())
            try:
                return dt.date(year, month, day)
            except ValueError:
                break
    raise DomainError(
        "invalid_input", detail=f"日期“{text}”无效，应写作 2018-04-01、2018/4/1 或 2018年4月1日"
    )
