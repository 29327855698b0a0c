"""The first sheet of a workbook as rows of cell text, read straight from its XML.

openpyxl's read-only mode builds a dict and runs a dozen Python calls per cell; for a 50,000-row purchase file
that reading alone took longer than writing the rows into the ledger. Here the sheet XML and the shared strings
are cut with regular expressions and each cell becomes the very value openpyxl would give (the same number
casts, date styles, epoch, booleans, rich and inline text, missing rows and cells, the dimension's bounds), so
`read_table` yields the same text either way — equality tests compare both on workbooks of every kind.

openpyxl still reads the workbook's parts (manifest, sheet order, styles, 1904 calendar). Whatever this reader does
not recognise — namespace prefixes, CDATA, comments, a DOCTYPE, another layout of a cell — makes it hand the
sheet back to openpyxl, so an odd file is read slowly but never differently.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable, Iterator
from typing import Any

from openpyxl.reader.excel import ExcelReader
from openpyxl.styles.stylesheet import apply_stylesheet
from openpyxl.utils.cell import column_index_from_string, range_boundaries
from openpyxl.utils.datetime import from_excel, from_ISO8601


class Unsupported(Exception):
    """The XML uses a construct this reader does not mirror; openpyxl reads it instead."""


OFF_PATH_MARKS = (b"<![CDATA[", b"<!--", b"<!DOCTYPE", b"<?xml-stylesheet", b":row", b":c ", b":v>", b":t>")
PREFIXED_ROOT = re.compile(rb"<[A-Za-z_][\w.-]*:(?:worksheet|sst)\b")
MAIN_NAMESPACE = b'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
ENTITY = re.compile(r"&(#x[0-9A-Fa-f]+|#[0-9]+|lt|gt|amp|quot|apos);")
NAMED = {"lt": "<", "gt": ">", "amp": "&", "quot": '"', "apos": "'"}
ATTRIBUTE = re.compile(r"""([\w:.-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')""")
USUAL_ROW = re.compile(r'\s*r="([0-9]+)"')
DIMENSION = re.compile(r"<dimension\b([^>]*?)/?>")
# One token a row opening or a cell. The usual cell (r, then s, then t, in double quotes) has its attributes taken
# apart by the expression itself, in C; any other cell's attributes are parsed one by one.
TOKEN = re.compile(
    r"<(row)\b([^>]*?)/?>"
    r'|<c r="([A-Z]{1,3})[0-9]+"(?: s="([0-9]+)")?(?: t="([a-zA-Z]+)")?\s*(?:/>|>(.*?)</c>)'
    r"|<c\b([^>]*?)(?:/>|>(.*?)</c>)",
    re.S,
)
VALUE = re.compile(r"<v\b[^>]*?(?:/>|>(.*?)</v>)", re.S)
INLINE = re.compile(r"<is\b[^>]*?(?:/>|>(.*?)</is>)", re.S)
STRING_ITEM = re.compile(r"<si\b[^>]*?(?:/>|>(.*?)</si>)", re.S)
PHONETIC = re.compile(r"<rPh\b.*?</rPh>|<rPh\b[^>]*/>|<phoneticPr\b[^>]*/>", re.S)
TEXT = re.compile(r"<t\b[^>]*?(?:/>|>(.*?)</t>)", re.S)
COLUMN = re.compile(r"([A-Za-z]+)")


def _unescape(text: str) -> str:
    """Character data as an XML parser gives it: line ends normalised, then the five entities and references."""
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if "&" not in text:
        return text
    return ENTITY.sub(_entity, text)


def _entity(match: re.Match[str]) -> str:
    name = match.group(1)
    if name[0] != "#":
        return NAMED[name]
    return chr(int(name[2:], 16) if name[1] in "xX" else int(name[1:]))


def _attributes(text: str) -> dict[str, str]:
    found = {}
    for name, double, single in ATTRIBUTE.findall(text):
        found[name] = _unescape(double or single)
    return found


def _style(attribute: str | None) -> int:
    """openpyxl looks a cell's style up as given: no s is style 0, an empty s matches no style at all."""
    if attribute is None:
        return 0
    return int(attribute) if attribute else -1


def _decoded(data: bytes) -> str:
    # Plain substring tests scan a 50 MB sheet in milliseconds; a false alarm only costs the slow reading.
    if any(mark in data for mark in OFF_PATH_MARKS) or PREFIXED_ROOT.search(data[:2000]):
        raise Unsupported("prefix, CDATA, comment or DOCTYPE")
    if MAIN_NAMESPACE not in data[:2000]:
        raise Unsupported("not the transitional SpreadsheetML namespace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        raise Unsupported("not UTF-8") from None


def _rich_text(inner: str | None) -> str:
    """openpyxl's Text.content: the plain text and every run's text, phonetic guides left out."""
    if not inner:
        return ""
    if "<rPh" in inner or "<phoneticPr" in inner:
        inner = PHONETIC.sub("", inner)
    return "".join(_unescape(t) for t in TEXT.findall(inner) if t)


def shared_strings(data: bytes) -> list[str]:
    text = _decoded(data)
    return [_rich_text(inner).replace("x005F_", "") for inner in STRING_ITEM.findall(text)]


class FastStringsReader(ExcelReader):
    """openpyxl's reader of the workbook's parts, its shared strings read by `shared_strings`, no sheet opened."""

    def read_strings(self) -> None:
        from openpyxl.xml.constants import SHARED_STRINGS

        part = self.package.find(SHARED_STRINGS)
        if part is None:
            return
        try:
            self.shared_strings = shared_strings(self.archive.read(part.PartName[1:]))
        except Unsupported:
            super().read_strings()

    def read_parts(self) -> None:
        self.read_manifest()
        self.read_strings()
        self.read_workbook()
        apply_stylesheet(self.archive, self.wb)

    def first_worksheet_path(self) -> str | None:
        """The part `load_workbook(...).worksheets[0]` would read (chartsheets and dangling links skipped)."""
        for _sheet, rel in self.parser.find_sheets():
            if rel.target in self.valid_files and "chartsheet" not in rel.Type:
                return str(rel.target)
        return None


class SheetParser:
    """One sheet's cells as text: each value as openpyxl's WorkSheetParser (data_only) gives it, then `text_of`.

    Offices' files repeat most cells (the same unit, product, unit of measure, price), so each distinct raw cell
    is converted once.
    """

    def __init__(self, reader: FastStringsReader, text_of: Callable[[Any], str]):
        book = reader.wb
        self.strings = reader.shared_strings
        self.epoch = book.epoch
        self.date_styles = set(book._date_formats)
        self.timedelta_styles = set(book._timedelta_formats)
        self.text_of = text_of
        self.texts: dict[tuple[str, int, str], str] = {}

    def rows(self, data: bytes) -> tuple[Iterator[tuple[int, list[tuple[int, str]]]], tuple[int, ...] | None]:
        text = _decoded(data)
        start, end = text.find("<sheetData"), text.rfind("</sheetData>")
        if start < 0 or text.find("<sheetData", start + 1) >= 0:
            raise Unsupported("no sheetData, or more than one")
        opened = text.index(">", start) + 1
        body = "" if text[opened - 2] == "/" else text[opened:end] if end > opened else None
        if body is None:
            raise Unsupported("sheetData not closed")
        return self._rows(body), _dimension(text[:start])

    def _rows(self, xml: str) -> Iterator[tuple[int, list[tuple[int, str]]]]:
        number, column, started = 0, 0, False
        cells: list[tuple[int, str]] = []
        columns: dict[str, int] = {}
        texts, text_of = self.texts, self._text
        for row_tag, row_attrs, letters, style, kind, body, other_attrs, other_body in TOKEN.findall(xml):
            if row_tag:
                if started:
                    yield number, cells
                number, cells, column, started = _row_number(row_attrs, number), [], 0, True
                continue
            if not started:
                raise Unsupported("a cell outside any row")
            if letters:
                key = (kind or "n", int(style) if style else 0, body)
            else:
                letters, style_id, kind = _cell_attributes(other_attrs)
                key = (kind, style_id, other_body)
            found = texts.get(key)
            if found is None:
                found = text_of(*key)
            if letters:
                column = columns.get(letters) or columns.setdefault(
                    letters, column_index_from_string(letters)
                )
            else:
                column += 1
            cells.append((column, found))
        if started:
            yield number, cells

    def _text(self, kind: str, style: int, body: str) -> str:
        """A raw cell not met before: its value's text, kept for the next cell like it."""
        found = self.texts[(kind, style, body)] = self.text_of(self._value(kind, style, body))
        return found

    def _value(self, kind: str, style: int, body: str) -> Any:
        if kind == "inlineStr":
            inline = INLINE.search(body) if body else None
            return None if inline is None else _rich_text(inline.group(1))
        found = VALUE.search(body) if body else None
        text = _unescape(found.group(1)) if found and found.group(1) else None
        if text is None:
            return None
        if kind == "n":
            return self._number(text, style)
        if kind == "s":
            return self.strings[int(text)]
        if kind == "b":
            return bool(int(text))
        if kind == "d":
            return from_ISO8601(text)
        return text  # str (a formula's cached text), e (an error such as #N/A)

    def _number(self, text: str, style: int) -> Any:
        value: Any = float(text) if ("." in text or "E" in text or "e" in text) else int(text)
        if style in self.date_styles:
            try:
                return from_excel(value, self.epoch, timedelta=style in self.timedelta_styles)
            except (OverflowError, ValueError):
                return "#VALUE!"
        return value


def _cell_attributes(attrs: str) -> tuple[str, int, str]:
    cell = _attributes(attrs)
    coordinate = cell.get("r")
    letters = ""
    if coordinate:
        match = COLUMN.match(coordinate)
        if match is None or not match.group(1).isupper():
            raise Unsupported("cell reference")
        letters = match.group(1)
    return letters, _style(cell.get("s")), cell.get("t", "n")


def _row_number(row_attrs: str, counter: int) -> int:
    usual = USUAL_ROW.match(row_attrs)
    if usual is not None:
        return int(usual.group(1))
    attrs = _attributes(row_attrs)
    if "r" not in attrs:
        return counter + 1
    try:
        return int(attrs["r"])
    except ValueError:
        number = float(attrs["r"])
        if not number.is_integer():
            raise Unsupported("fractional row number") from None
        return int(number)


def _dimension(head: str) -> tuple[int, ...] | None:
    """openpyxl's sheet size: the `<dimension>` before the cells, (min col, min row, max col, max row)."""
    found = DIMENSION.search(head)
    if found is None:
        return None
    ref = _attributes(found.group(1)).get("ref")
    if not ref:
        raise Unsupported("dimension without ref")
    return tuple(range_boundaries(ref))


def first_sheet_rows(data: bytes, text_of: Callable[[Any], str]) -> list[list[str]]:
    """The first worksheet's rows as `iter_rows(values_only=True)` of openpyxl's read-only mode, each value as text."""
    reader = FastStringsReader(io.BytesIO(data), read_only=True, data_only=True)
    try:
        reader.read_parts()
        path = reader.first_worksheet_path()
        if path is None:
            raise Unsupported("no worksheet")
        rows, size = SheetParser(reader, text_of).rows(reader.archive.read(path))
        return list(_bounded(rows, size, text_of(None)))
    except Unsupported:
        return openpyxl_rows(data, text_of)
    finally:
        reader.archive.close()


def openpyxl_rows(data: bytes, text_of: Callable[[Any], str]) -> list[list[str]]:
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    try:
        return [[text_of(v) for v in row] for row in book.worksheets[0].iter_rows(values_only=True)]
    finally:
        book.close()


def _bounded(
    rows: Iterator[tuple[int, list[tuple[int, str]]]], size: tuple[int, ...] | None, blank: str
) -> Iterator[list[str]]:
    """openpyxl's `_cells_by_row` from row 1 and column 1: missing rows filled, the dimension's bounds obeyed."""
    max_col, max_row = (size[2], size[3]) if size else (None, None)
    empty = [blank] * max_col if max_col is not None else []
    counter, number = 1, 1
    for number, cells in rows:
        if max_row is not None and number > max_row:
            break
        while counter < number:
            counter += 1
            yield list(empty)
        if counter <= number:
            counter += 1
            yield _row_texts(cells, max_col, blank)
    if max_row is not None and max_row < number:
        while counter <= max_row:
            counter += 1
            yield list(empty)


def _row_texts(cells: list[tuple[int, str]], max_col: int | None, blank: str) -> list[str]:
    if not cells and not max_col:
        return []
    width = max_col or cells[-1][0]
    texts = [blank] * width
    for column, text in cells:
        if 1 <= column <= width:
            texts[column - 1] = text
    return texts
