"""Low-level DOCX helpers for the bulletin: Chinese fonts, red rule, merged table headers, landscape section."""

from __future__ import annotations

from typing import Any

from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

RED = RGBColor(0xC0, 0x00, 0x00)
# Word's names for the official fonts; LibreOffice falls back to the installed CJK fonts (fonts-noto-cjk).
TITLE_FONT, HEI, FANGSONG, SONG = "方正小标宋简体", "黑体", "仿宋", "宋体"


def run(
    paragraph: Any,
    text: str,
    *,
    font: str = FANGSONG,
    size: float = 16,
    bold: bool = False,
    color: RGBColor | None = None,
) -> Any:
    r = paragraph.add_run(text)
    r.font.name = font
    r.font.size = Pt(size)
    r.font.bold = bold
    if color is not None:
        r.font.color.rgb = color
    r._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), font)
    return r


def paragraph(
    doc: Any,
    text: str = "",
    *,
    font: str = FANGSONG,
    size: float = 16,
    bold: bool = False,
    align: Any = None,
    indent: bool = False,
    color: RGBColor | None = None,
    after: float = 0,
    heading: bool = False,
) -> Any:
    p = doc.add_paragraph()
    if align is not None:
        p.alignment = align
    fmt = p.paragraph_format
    fmt.space_after = Pt(after)
    fmt.space_before = Pt(0)
    fmt.line_spacing = 1.25
    fmt.keep_with_next = heading  # a heading never ends a page alone
    if indent:
        fmt.first_line_indent = Pt(size * 2)  # two characters, as official documents indent
    if text:
        run(p, text, font=font, size=size, bold=bold, color=color)
    return p


def red_rule(p: Any) -> None:
    """The red line under a bulletin's title block: a thick bottom border on the paragraph."""
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for key, value in (("w:val", "single"), ("w:sz", "18"), ("w:space", "1"), ("w:color", "C00000")):
        bottom.set(qn(key), value)
    borders.append(bottom)
    p._p.get_or_add_pPr().append(borders)


def right_tab(p: Any, position_cm: float) -> None:
    tabs = p.paragraph_format.tab_stops
    tabs.add_tab_stop(Cm(position_cm), alignment=2)  # WD_TAB_ALIGNMENT.RIGHT


def portrait(doc: Any) -> None:
    section = doc.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.top_margin, section.bottom_margin = Cm(3.7), Cm(3.5)
    section.left_margin, section.right_margin = Cm(2.8), Cm(2.6)


def landscape(doc: Any) -> Any:
    from docx.enum.section import WD_SECTION

    section = doc.add_section(WD_SECTION.NEW_PAGE)
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Cm(29.7), Cm(21)
    for side in ("top_margin", "bottom_margin"):
        setattr(section, side, Cm(1.8))
    for side in ("left_margin", "right_margin"):
        setattr(section, side, Cm(1.5))
    return section


def cell_text(
    cell: Any,
    text: str,
    *,
    size: float = 7,
    bold: bool = False,
    align: Any = WD_ALIGN_PARAGRAPH.CENTER,
    font: str = SONG,
) -> None:
    cell.text = ""
    p = cell.paragraphs[0]
    p.alignment = align
    p.paragraph_format.space_after = Pt(0)
    p.paragraph_format.line_spacing = 1.0
    run(p, text, font=font, size=size, bold=bold)


def grid(doc: Any, rows: int, cols: int, widths_cm: list[float]) -> Any:
    table = doc.add_table(rows=rows, cols=cols)
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    for column, width in zip(table.columns, widths_cm, strict=True):
        column.width = Cm(width)  # the grid LibreOffice lays out by
    for row in table.rows:
        for cell, width in zip(row.cells, widths_cm, strict=True):
            cell.width = Cm(width)
    return table


def narrow_margins(table: Any, twips: int = 28) -> None:
    """Cell padding of about 0.05 cm left and right, so the 24 columns of the statistics table keep their
    numbers on one line in landscape A4."""
    margins = OxmlElement("w:tblCellMar")
    for side in ("left", "right"):
        element = OxmlElement(f"w:{side}")
        element.set(qn("w:w"), str(twips))
        element.set(qn("w:type"), "dxa")
        margins.append(element)
    table._tbl.tblPr.append(margins)


def repeat_header(row: Any) -> None:
    """A header row repeated at the top of every page the table runs onto."""
    tr_pr = row._tr.get_or_add_trPr()
    flag = OxmlElement("w:tblHeader")
    flag.set(qn("w:val"), "true")
    tr_pr.append(flag)
