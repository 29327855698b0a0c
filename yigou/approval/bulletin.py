"""The bulletin (以购助扶工作简报) for a region and period as DOCX, and as PDF through LibreOffice.

Title block (issuing office, issue number, date), the results written from the statistics table, rankings by
amount and by households helped, the validation warnings still standing, and the statistics table itself as
the attachment in the official layout (two-row merged header) on a landscape page.
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH

from yigou.core.errors import DomainError
from yigou.core.periods import Period, parse_period
from yigou.ledger import render as table_render
from yigou.ledger.columns import COLUMNS
from yigou.ledger.selectors import statistics_region
from yigou.ledger.table import Row, StatsTable
from yigou.plans import selectors as plan_selectors
from yigou.plans.scoring import Section, add_section, ranking_section, score
from yigou.regions.models import Region
from yigou.reporting.merge import build_merged_table

from . import bulletin_docx as d
from .bulletin_text import (
    Ranked,
    children_paragraph,
    headline,
    ranking_by_amount,
    ranking_by_households,
    summary_sentence,
)
from .office import docx_to_pdf
from .warnings import validation_warnings

DOCX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
PDF_CONTENT_TYPE = "application/pdf"
NO_WARNINGS = "经校验，本期数据未发现需要核实的问题。"


@dataclass
class Bulletin:
    table: StatsTable
    issue: int
    office: str
    date: dt.date
    summary: str
    children: str
    by_amount: list[Ranked]
    by_households: list[Ranked]
    warnings: list[str] = field(default_factory=list)
    assessment: Section | None = (
        None  # an assessment scheme's ranking (考核排名), when the office asks for one
    )

    @property
    def title(self) -> str:
        return headline(self.table)

    def filename(self, extension: str) -> str:
        return f"以购助扶工作简报第{self.issue}期（{self.table.region.name}{self.table.period.label}）.{extension}"

    @property
    def text(self) -> list[str]:
        """The narrative as paragraphs, in reading order (what a test or a page preview shows)."""
        return [p for p in (self.summary, self.children) if p]


def statistics(region: Region, period: Period) -> StatsTable:
    """The table the bulletin reports: the merged table (ledger where it exists, reported values elsewhere)."""
    return build_merged_table(region, period)


def default_office(region: Region) -> str:
    return f"{region.name}扶贫开发领导小组办公室"


def compose(
    region: Region,
    period: Period,
    *,
    issue: int = 1,
    office: str = "",
    date: dt.date | None = None,
    assessment: Section | None = None,
) -> Bulletin:
    table = statistics(region, period)
    return Bulletin(
        table=table,
        issue=issue,
        office=office.strip() or default_office(region),
        date=date or dt.date.today(),
        summary=summary_sentence(table),
        children=children_paragraph(table),
        by_amount=ranking_by_amount(table),
        by_households=ranking_by_households(table),
        warnings=validation_warnings(region, period),
        assessment=assessment,
    )


def bulletin_for(actor: Any, region_code: str, period_text: str, **options: Any) -> Bulletin:
    """The bulletin of a region the user may see statistics for (their own region by default)."""
    if int(options.get("issue") or 1) < 1:
        raise DomainError("invalid_input", detail="期号必须是正整数")
    scheme_id = options.pop("scheme", None)
    if scheme_id:
        # The ranking as it stands on the bulletin's date, of a scheme the user may see (else 'not found').
        day = options.get("date") or dt.date.today()
        options["assessment"] = ranking_section(score(plan_selectors.scheme(actor, int(scheme_id)), day))
    return compose(statistics_region(actor, region_code), parse_period(period_text), **options)


# --- the document -----------------------------------------------------------------------------------------


def _title_block(doc: Any, b: Bulletin) -> None:
    d.paragraph(
        doc,
        "以购助扶工作简报",
        font=d.TITLE_FONT,
        size=36,
        bold=True,
        color=d.RED,
        align=WD_ALIGN_PARAGRAPH.CENTER,
        after=12,
    )
    d.paragraph(doc, f"第{b.issue}期", size=16, align=WD_ALIGN_PARAGRAPH.CENTER, after=12)
    p = d.paragraph(doc, after=18)
    d.right_tab(p, 15.6)
    d.run(p, b.office, size=16)
    d.run(p, f"\t{b.date.year}年{b.date.month}月{b.date.day}日", size=16)
    d.red_rule(p)
    d.paragraph(doc, b.title, font=d.TITLE_FONT, size=20, align=WD_ALIGN_PARAGRAPH.CENTER, after=12)


def _ranking_table(doc: Any, heading: str, columns: list[str], rows: list[Ranked]) -> None:
    widths = [1.8, 5.4, 4.2, 4.2]
    table = d.grid(doc, len(rows) + 1, 4, widths)
    for cell, text in zip(table.rows[0].cells, ["名次", heading, *columns], strict=True):
        d.cell_text(cell, text, size=12, bold=True, font=d.HEI)
    for row, ranked in zip(table.rows[1:], rows, strict=True):
        texts = [str(ranked.rank), ranked.name, *ranked.figures]
        for index, (cell, text) in enumerate(zip(row.cells, texts, strict=True)):
            align = WD_ALIGN_PARAGRAPH.RIGHT if index >= 2 else WD_ALIGN_PARAGRAPH.CENTER
            d.cell_text(cell, text, size=12, align=align, font=d.FANGSONG)


def _rankings(doc: Any, b: Bulletin) -> None:
    d.paragraph(doc, "二、各地排名", font=d.HEI, size=16, heading=True)
    if not b.table.rows:
        d.paragraph(doc, "本区域没有下级区域，不作排名。", size=16, indent=True)
        return
    heading = table_render.row_heading(b.table)
    d.paragraph(doc, "（一）按购买金额", font="楷体", size=16, indent=True, heading=True)
    _ranking_table(doc, heading, ["购买金额（元）", "贫困户增收（元）"], b.by_amount)
    d.paragraph(doc, "（二）按带动贫困户", font="楷体", size=16, indent=True, heading=True)
    _ranking_table(doc, heading, ["带动贫困户（户）", "贫困户增收（元）"], b.by_households)


def _warnings(doc: Any, b: Bulletin) -> None:
    d.paragraph(doc, "三、数据校验提示", font=d.HEI, size=16, heading=True)
    if not b.warnings:
        d.paragraph(doc, NO_WARNINGS, size=16, indent=True)
        return
    for n, warning in enumerate(b.warnings, start=1):
        d.paragraph(doc, f"{n}. {warning}", size=16, indent=True)


def _number(value: Decimal | int) -> str:
    return f"{value:.2f}" if isinstance(value, Decimal) else str(int(value))


def _widths() -> list[float]:
    """Fits landscape A4 (26.7 cm between the margins): money columns wider than counts."""
    wide = {"money": 1.55, "wan": 1.0}
    return [2.5] + [1.1 if c.code == "activities" else wide.get(c.kind, 0.85) for c in COLUMNS]


def _attachment_header(table: Any, heading: str) -> None:
    top, sub = table.rows[0].cells, table.rows[1].cells
    d.cell_text(top[0].merge(sub[0]), heading, bold=True, font=d.HEI)
    col = 1
    for group in table_render.header_groups():
        span = len(group.columns)
        if group.standalone:
            d.cell_text(top[col].merge(sub[col]), group.heading, bold=True, font=d.HEI)
        else:
            d.cell_text(top[col].merge(top[col + span - 1]), group.heading, bold=True, font=d.HEI)
            for offset, column in enumerate(group.columns):
                d.cell_text(sub[col + offset], group.sub_heading(column), bold=True, font=d.HEI)
        col += span
    d.repeat_header(table.rows[0])
    d.repeat_header(table.rows[1])


def _attachment_row(cells: Any, row: Row, *, total: bool) -> None:
    d.cell_text(cells[0], row.region_name, bold=total, align=WD_ALIGN_PARAGRAPH.CENTER)
    for cell, column in zip(cells[1:], COLUMNS, strict=True):
        d.cell_text(
            cell, _number(row.values[column.code]), size=6, bold=total, align=WD_ALIGN_PARAGRAPH.RIGHT
        )


def _attachment(doc: Any, b: Bulletin) -> None:
    d.landscape(doc)
    d.paragraph(doc, "附件", font=d.HEI, size=16, after=6, heading=True)
    d.paragraph(
        doc, table_render.title(b.table), font=d.TITLE_FONT, size=18, align=WD_ALIGN_PARAGRAPH.CENTER, after=6
    )
    rows = [*b.table.rows, Row(b.table.total.region_code, "合计", b.table.total.values)]
    table = d.grid(doc, len(rows) + 2, len(COLUMNS) + 1, _widths())
    d.narrow_margins(table)
    _attachment_header(table, table_render.row_heading(b.table))
    for index, row in enumerate(rows):
        _attachment_row(table.rows[index + 2].cells, row, total=index == len(rows) - 1)
    for note in b.table.footnotes:
        d.paragraph(doc, f"注：{note}", font=d.SONG, size=9)


def render_docx(b: Bulletin) -> bytes:
    doc = Document()
    d.portrait(doc)
    _title_block(doc, b)
    d.paragraph(doc, "一、总体情况", font=d.HEI, size=16, heading=True)
    for text in b.text:
        d.paragraph(doc, text, size=16, indent=True)
    _rankings(doc, b)
    if b.assessment is not None:
        add_section(doc, b.assessment)
    _warnings(doc, b)
    d.paragraph(doc, f"附件：{table_render.title(b.table)}", size=16, indent=True)
    _attachment(doc, b)
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


def render_pdf(b: Bulletin) -> bytes:
    return docx_to_pdf(render_docx(b))
