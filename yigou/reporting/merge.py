"""The merged 以购助扶成果统计表 of a parent region: the ledger where it exists, reported forms where it does not.

For each child row:
- the child *has ledger data* when its row in the ledger-only table (`yigou.ledger.table.build_table`) has any
  figure other than zero — a purchase (net of reversals) in the period, an activity held in the period, or an
  outlet open at the end of the period anywhere in its subtree;
- the child *has reported values* when a value of the form is stored for it or any region below it in a month
  the period touches (see values.py for how the nearest reporting level and the months combine);
- ledger data → the ledger row; reported values only → the reported row (missing elements are 0); both → the
  ledger row, and every element whose reported value differs goes to the reconciliation report; neither → the
  (zero) ledger row.
The total is the ledger total (exact, de-duplicated across children, including what sits at the parent itself)
plus the rows of the children that use reported values, each element by its aggregation (sum or max). Distinct
counts (households, villages, buyers) of reported rows are summed: a household reported by two children is
counted twice — the footnotes say so. A child decides for its whole subtree: to see a county whose townships
mix ledger and forms, open the county's own merged table. The parent's own reported figures are not used in its
table (the table is built from its children), except for a region without children, such as a village.
Forms are monthly: a period that is not whole months counts every month it touches (a footnote says so).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from yigou.core.periods import Period
from yigou.ledger.columns import BY_CODE, CODES
from yigou.ledger.table import Number, Row, StatsTable, build_table, table_footnotes
from yigou.regions.models import Region

from .builtin import ensure_builtin_form
from .enums import Aggregation, ValueType
from .models import DataElement, Form
from .values import Values, elements, has_values, reported

LEDGER, FORM, BOTH, NONE = "ledger", "form", "both", "none"
SOURCE_LABELS = {LEDGER: "台账", FORM: "填报", BOTH: "台账（另有填报）", NONE: "无数据"}
CENT = Decimal("0.01")


@dataclass(frozen=True)
class Difference:
    region_code: str
    region_name: str
    element: str
    label: str
    unit: str
    ledger: Number
    reported: Number

    @property
    def difference(self) -> Number:
        return self.reported - self.ledger


@dataclass
class Merged:
    table: StatsTable
    sources: dict[str, str]  # child region code → LEDGER | FORM | BOTH | NONE
    differences: list[Difference] = field(default_factory=list)


def _typed(element: DataElement, value: Decimal | None) -> Number:
    if element.value_type == ValueType.INTEGER:
        return int(value or 0)
    return (value or Decimal(0)).quantize(CENT)


def _reported_row(region: Region, values: Values, by_code: dict[str, DataElement]) -> Row:
    return Row(region.code, region.name, {code: _typed(by_code[code], values.get(code)) for code in CODES})


def _has_ledger(row: Row) -> bool:
    return any(value != 0 for value in row.values.values())


def _differences(row: Row, values: Values, by_code: dict[str, DataElement]) -> list[Difference]:
    found = []
    for code in CODES:
        if values.get(code) is None:
            continue
        figure = _typed(by_code[code], values[code])
        if figure != row.values[code]:
            column = BY_CODE[code]
            found.append(
                Difference(
                    row.region_code,
                    row.region_name,
                    code,
                    _column_label(code),
                    column.unit,
                    row.values[code],
                    figure,
                )
            )
    return found


def _column_label(code: str) -> str:
    column = BY_CODE[code]
    return column.label if column.group == column.label else f"{column.group}·{column.label}"


def _add(total: Row, row: Row, by_code: dict[str, DataElement]) -> None:
    for code in CODES:
        if by_code[code].aggregation == Aggregation.MAX:
            total.values[code] = max(total.values[code], row.values[code])
        elif by_code[code].aggregation == Aggregation.SUM:
            total.values[code] = total.values[code] + row.values[code]


def _notes(
    sources: dict[str, str], names: dict[str, str], differences: list[Difference], period: Period
) -> list[str]:
    reported_names = [names[c] for c, s in sources.items() if s == FORM]
    notes = []
    if reported_names:
        listed = "、".join(reported_names)
        notes.append(f"{listed}无台账数据，采用填报数据；合计 = 台账合计 + 上述填报数据。")
        notes.append("填报数据中的户数、村数、人数、单位数等去重计数按下级及各月相加，可能重复计算。")
        if not period.month_aligned:
            notes.append("填报数据按月填报，按本期间涉及的整月计入。")
    both = [names[c] for c, s in sources.items() if s == BOTH]
    if both:
        notes.append(
            f"{'、'.join(both)}同时有台账和填报数据，采用台账数据；"
            f"两者不一致 {len(differences)} 项，见核对表。"
        )
    return notes


def merge(region: Region, period: Period, form: Form | None = None) -> Merged:
    form = form or ensure_builtin_form()
    by_code = {e.code: e for e in elements(form)}
    ledger = build_table(region, period)
    children = {c.code: c for c in region.children.all()}
    sources: dict[str, str] = {}
    differences: list[Difference] = []
    rows: list[Row] = []
    total = Row(ledger.total.region_code, ledger.total.region_name, dict(ledger.total.values))
    for row in ledger.rows:
        values = reported(form, children[row.region_code], period)
        in_ledger, in_forms = _has_ledger(row), has_values(values)
        if in_forms and not in_ledger:
            row = _reported_row(children[row.region_code], values, by_code)
            _add(total, row, by_code)
        elif in_forms:
            differences += _differences(row, values, by_code)
        sources[row.region_code] = (
            BOTH if in_forms and in_ledger else FORM if in_forms else LEDGER if in_ledger else NONE
        )
        rows.append(row)
    if not ledger.rows and not _has_ledger(ledger.total):
        values = reported(form, region, period)  # a region without children (a village) reporting itself
        if has_values(values):
            total = _reported_row(region, values, by_code)
    names = {r.region_code: r.region_name for r in rows}
    notes = table_footnotes(rows, total) + _notes(sources, names, differences, period)
    return Merged(StatsTable(region, period, rows, total, notes), sources, differences)


def build_merged_table(region: Region, period: Period) -> StatsTable:
    """The same StatsTable as `yigou.ledger.table.build_table`, with children without ledger data from forms."""
    return merge(region, period).table


def reconciliation(region: Region, period: Period) -> list[Difference]:
    """Children with both ledger data and reported values: each element where the two differ."""
    return merge(region, period).differences
