"""Assessment (考核): each subject's score under a scheme, the ranking, the XLSX in the official layout and the
ranking section a bulletin includes.

For each item and subject: the completion rate (a target item: the subject's targets of that indicator, done ÷
target; a task item: tasks the subject leads that were due by the day, done by their deadline ÷ due — 100% when
none was due). Below the item's threshold it scores 0; above its cap it counts as the cap; otherwise weight ×
rate ÷ 100, to the cent. Each supervision finding of the subject whose rectification was late on the day deducts
the scheme's points, up to its cap. A total never falls below 0. Ranks are shared by equal totals (1, 1, 3).
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from yigou.core.xlsx import Sheet, write_workbook
from yigou.regions.models import prefix_of

from .enums import ItemSource, SubjectKind
from .models import Finding, Scheme, SchemeItem, Target, Task
from .status import FULL, on_time_q
from .targets import Progress, progress_trees, rate

CENT = Decimal("0.01")
ZERO = Decimal("0")


@dataclass
class ItemScore:
    item: SchemeItem
    done: Decimal | None
    value: Decimal | None
    rate: Decimal | None
    score: Decimal


@dataclass
class SubjectScore:
    key: str  # region code or unit name
    name: str
    items: list[ItemScore] = field(default_factory=list)
    overdue: int = 0
    deduction: Decimal = ZERO
    rank: int = 0

    @property
    def earned(self) -> Decimal:
        return sum((i.score for i in self.items), ZERO)

    @property
    def total(self) -> Decimal:
        return max(self.earned - self.deduction, ZERO)


@dataclass
class Ranking:
    scheme: Scheme
    as_of: dt.date
    rows: list[SubjectScore]

    @property
    def items(self) -> list[SchemeItem]:
        return list(self.scheme.items.all())


def item_score(item: SchemeItem, completion: Decimal | None) -> Decimal:
    if completion is None or completion < item.threshold:
        return ZERO
    counted = min(completion, item.cap)
    return (item.weight * counted / 100).quantize(CENT, rounding=ROUND_HALF_UP)


def _subjects(scheme: Scheme, progress: list[Progress], tasks: list[Task]) -> list[tuple[str, str]]:
    if scheme.subject_kind == SubjectKind.REGION:
        seen: dict[str, str] = {}
        for root in progress:
            for part in root.parts:
                if not part.target.unit_name:
                    seen.setdefault(part.target.region_id, part.target.region.name)
        return sorted(seen.items())
    names = {t.lead_unit for t in tasks} | {p.target.unit_name for r in progress for p in r.walk()}
    return [(n, n) for n in sorted(names - {""})]


def _matches(scheme: Scheme, key: str, target: Target) -> bool:
    if scheme.subject_kind == SubjectKind.REGION:
        return target.region_id == key and not target.unit_name
    return target.unit_name == key


def _target_item(scheme: Scheme, item: SchemeItem, key: str, rows: list[Progress]) -> ItemScore:
    chosen = [
        p
        for p in rows
        if p.target.indicator == item.indicator
        and (not item.target_name or p.target.name == item.target_name)
        and _matches(scheme, key, p.target)
    ]
    if not chosen:
        return ItemScore(item, None, None, None, ZERO)
    done = sum((p.done for p in chosen), ZERO)
    value = sum((p.target.value for p in chosen), ZERO)
    completion = rate(done, value)
    return ItemScore(item, done, value, completion, item_score(item, completion))


def _task_item(item: SchemeItem, key: str, tasks: list[Task], as_of: dt.date, on_time: set[int]) -> ItemScore:
    due = [t for t in tasks if t.lead_unit == key and t.due_on is not None and t.due_on <= as_of]
    if not due:
        return ItemScore(item, None, None, FULL, item_score(item, FULL))
    done = Decimal(sum(1 for t in due if t.pk in on_time))
    completion = rate(done, Decimal(len(due)))
    return ItemScore(item, done, Decimal(len(due)), completion, item_score(item, completion))


def _overdue(scheme: Scheme, key: str, findings: list[Finding], as_of: dt.date) -> int:
    def concerns(f: Finding) -> bool:
        if scheme.subject_kind == SubjectKind.REGION:
            return f.region_id.startswith(prefix_of(key))
        return f.unit_name == key

    return sum(1 for f in findings if concerns(f) and f.overdue_on(as_of))


def rank(rows: list[SubjectScore]) -> list[SubjectScore]:
    ordered = sorted(rows, key=lambda r: (-r.total, r.name, r.key))
    for index, row in enumerate(ordered):
        same = index > 0 and ordered[index - 1].total == row.total
        row.rank = ordered[index - 1].rank if same else index + 1
    return ordered


def score(scheme: Scheme, as_of: dt.date) -> Ranking:
    """Every subject of the scheme scored on `as_of` (reads every target of the plan, whoever asks: a ranking is
    published, and each row needs the whole tree)."""
    plan = scheme.plan
    targets = list(Target.objects.filter(plan=plan).select_related("region"))
    progress = progress_trees(targets, as_of)
    rows = [p for root in progress for p in root.walk()]
    tasks = list(Task.objects.filter(plan=plan))
    on_time = set(Task.objects.filter(on_time_q(), plan=plan).values_list("pk", flat=True))
    findings = list(Finding.objects.filter(plan=plan))
    items = list(scheme.items.all())
    result = []
    for key, name in _subjects(scheme, progress, tasks):
        subject = SubjectScore(key, name)
        for item in items:
            if item.source == ItemSource.TASKS:
                subject.items.append(_task_item(item, key, tasks, as_of, on_time))
            else:
                subject.items.append(_target_item(scheme, item, key, rows))
        subject.overdue = _overdue(scheme, key, findings, as_of)
        deduction = scheme.deduction * subject.overdue
        if scheme.deduction_cap > 0:
            deduction = min(deduction, scheme.deduction_cap)
        subject.deduction = deduction
        result.append(subject)
    return Ranking(scheme, as_of, rank(result))


# --- the official table and the bulletin section ---------------------------------------------------------------


def title(r: Ranking) -> str:
    return f"{r.scheme.plan.region.name}{r.scheme.name}得分排名表（截至{r.as_of:%Y年%m月%d日}）"


def _subject_heading(r: Ranking) -> str:
    return "县（区）" if r.scheme.subject_kind == SubjectKind.REGION else "责任单位"


def _plain(value: Decimal) -> str:
    """5.00 → 5, 2.50 → 2.5: how a scheme's points are written in its text."""
    return f"{value.normalize():f}"


def _fmt(value: Decimal | None) -> str:
    return "—" if value is None else f"{value:.2f}"


def ranking_xlsx(r: Ranking) -> bytes:
    headers = ["名次", _subject_heading(r)]
    for item in r.items:
        headers += [f"{item.name}（{_plain(item.weight)}分）完成率（%）", f"{item.name}得分"]
    headers += ["整改逾期（项）", "扣分", "总分"]
    rows = []
    for s in r.rows:
        cells: list[Any] = [s.rank, s.name]
        for i in s.items:
            cells += [_fmt(i.rate), _fmt(i.score)]
        cells += [s.overdue, _fmt(s.deduction), _fmt(s.total)]
        rows.append(cells)
    return write_workbook([Sheet(name="考核排名", headers=headers, rows=rows, title=title(r))])


@dataclass
class Section:
    """What a bulletin prints under its ranking heading: paragraphs, then a table."""

    heading: str
    paragraphs: list[str]
    headers: list[str]
    rows: list[list[str]]


def ranking_section(r: Ranking) -> Section:
    headers = ["名次", _subject_heading(r), "总分", "扣分"]
    rows = [[str(s.rank), s.name, _fmt(s.total), _fmt(s.deduction)] for s in r.rows]
    if not r.rows:
        text = [f"《{r.scheme.name}》暂无考核对象。"]
    else:
        top, last = r.rows[0], r.rows[-1]
        overdue = sum(s.overdue for s in r.rows)
        text = [
            f"按照《{r.scheme.name}》，截至{r.as_of:%Y年%m月%d日}，{top.name}得分最高（{top.total:.2f}分），"
            f"{last.name}得分最低（{last.total:.2f}分）。",
            f"督查发现问题整改逾期共{overdue}项，已按每项{_plain(r.scheme.deduction)}分扣减。"
            if overdue
            else "督查发现问题均在期限内整改。",
        ]
    return Section(f"{r.scheme.name}排名", text, headers, rows)


def add_section(doc: Any, section: Section) -> None:
    """Write the section into a bulletin document with the bulletin's own fonts and table style."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    from yigou.approval import bulletin_docx as d

    d.paragraph(doc, section.heading, font=d.HEI, size=16, heading=True)
    for text in section.paragraphs:
        d.paragraph(doc, text, size=16, indent=True)
    table = d.grid(doc, len(section.rows) + 1, len(section.headers), [1.8, 6.0, 3.6, 3.6])
    for cell, text in zip(table.rows[0].cells, section.headers, strict=True):
        d.cell_text(cell, text, size=12, bold=True, font=d.HEI)
    for row, cells in zip(table.rows[1:], section.rows, strict=True):
        for index, (cell, text) in enumerate(zip(row.cells, cells, strict=True)):
            align = WD_ALIGN_PARAGRAPH.RIGHT if index >= 2 else WD_ALIGN_PARAGRAPH.CENTER
            d.cell_text(cell, text, size=12, align=align, font=d.FANGSONG)


def ranking_docx(r: Ranking) -> bytes:
    from docx import Document

    from yigou.approval import bulletin_docx as d

    doc = Document()
    d.portrait(doc)
    add_section(doc, ranking_section(r))
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()
