"""Column layouts of the import files: one definition drives parsing, the XLSX template and its notes sheet."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import TypeVar

from django.db import models

from .errors import DomainError
from .importing import ImportReport
from .xlsx import Sheet, write_workbook

T = TypeVar("T")

NOTES_HEADERS = ["列名", "是否必填", "说明", "可填写的值", "示例"]
FOOTNOTES = [
    "第1行为表头，请勿修改；示例行请删除后再导入。文件可另存为 CSV（UTF-8 或 GBK）。",
    "身份证号、户编号、区划代码等长数字须为文本格式（模板已设置），否则 Excel 会改成科学计数法。",
]


class CellError(Exception):
    """One cell that cannot be accepted: the Chinese column header and the reason."""

    def __init__(self, column: str, message: str):
        super().__init__(message)
        self.column = column
        self.message = message


@dataclass(frozen=True)
class Column:
    header: str
    required: bool
    help: str
    accepted: str = ""
    example: str = ""


class Choices:
    """Chinese labels (and the variants offices write) for one TextChoices enum."""

    def __init__(
        self,
        enum: type[models.TextChoices],
        synonyms: dict[str, str] | None = None,
        default: str | None = None,
    ):
        self.default = default
        self.lookup: dict[str, str] = {}
        for member in enum:
            self.lookup[_normal(member.label)] = member.value
            if member.value:
                self.lookup[_normal(member.value)] = member.value
        for word, value in (synonyms or {}).items():
            self.lookup[_normal(word)] = value
        self.labels = [str(m.label) for m in enum if m.value]

    def parse(self, column: str, text: str) -> str:
        value = _normal(text)
        if not value and self.default is not None:
            return self.default
        if value not in self.lookup:
            allowed = "、".join(self.labels)
            raise CellError(
                column, f"“{text}”不在可选范围内，可填：{allowed}" if text else f"不能为空，可填：{allowed}"
            )
        return self.lookup[value]


class RowReader:
    """Reads the cells of one spreadsheet row, putting every refused cell into the report instead of stopping."""

    def __init__(self, line: int, cells: dict[str, str], report: ImportReport):
        self.line, self.cells, self.report = line, cells, report
        self.failed = False

    def text(self, column: str) -> str:
        return (self.cells.get(column) or "").strip()

    def get(self, column: str, parse: Callable[[str], T]) -> T | None:
        try:
            return parse(self.text(column))
        except CellError as exc:
            self.error(exc.column, exc.message)
        except DomainError as exc:
            self.error(column, exc.message)
        return None

    def error(self, column: str, message: str) -> None:
        self.report.add(self.line, column, message)
        self.failed = True


def required_text(column: str, max_length: int) -> Callable[[str], str]:
    def parse(text: str) -> str:
        if not text:
            raise CellError(column, "不能为空")
        if len(text) > max_length:
            raise CellError(column, f"不能超过{max_length}个字")
        return text

    return parse


def optional_text(column: str, max_length: int) -> Callable[[str], str]:
    def parse(text: str) -> str:
        if len(text) > max_length:
            raise CellError(column, f"不能超过{max_length}个字")
        return text

    return parse


def _normal(text: str) -> str:
    return (text or "").strip().replace(" ", "").replace("（", "(").replace("）", ")").lower()


TRUE_WORDS = {"是", "有", "1", "y", "yes", "true", "√"}
FALSE_WORDS = {"", "否", "无", "没有", "0", "n", "no", "false", "×"}


def parse_bool(column: str, text: str) -> bool:
    value = _normal(text)
    if value in TRUE_WORDS:
        return True
    if value in FALSE_WORDS:
        return False
    raise CellError(column, f"“{text}”无法识别，请填“是”或“否”（“有”或“无”）")


def required_headers(columns: Iterable[Column]) -> list[str]:
    return [c.header for c in columns if c.required]


def template_sheets(name: str, columns: Sequence[Column], examples: Sequence[Sequence[str]]) -> list[Sheet]:
    """The data sheet (headers in row 1, as the importer reads them) and a 填写说明 sheet."""
    headers = [c.header for c in columns]
    notes = [[c.header, "必填" if c.required else "选填", c.help, c.accepted, c.example] for c in columns]
    for footnote in FOOTNOTES:
        notes.append(["", "", footnote, "", ""])
    return [
        Sheet(name=name, headers=headers, rows=[list(r) for r in examples]),
        Sheet(name="填写说明", headers=NOTES_HEADERS, rows=notes, widths={2: 50, 3: 40}),
    ]


def template_bytes(name: str, columns: Sequence[Column]) -> bytes:
    """The downloadable XLSX template: headers, one example row, and the notes sheet."""
    return write_workbook(template_sheets(name, columns, [[c.example for c in columns]]))
