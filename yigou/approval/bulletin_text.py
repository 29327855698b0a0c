"""The words of the bulletin (简报), written from a statistics table in the style of an official bulletin.

Everything here is plain text from a StatsTable, so the worked example can assert it exactly.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from yigou.ledger.columns import BY_CODE
from yigou.ledger.table import Row, StatsTable
from yigou.regions.enums import Kind, Level
from yigou.regions.models import Region

OUTLET_CODES = (
    "outlets_counter",
    "outlets_online_shop",
    "outlets_service_store",
    "outlets_temp_market",
    "outlets_ecommerce",
)
# The last character of a name says what "the whole of it" is called: 全市, 全区, 全县, 全州, 全镇, 全乡 …
AREA_BY_SUFFIX = {
    "省": "全省",
    "州": "全州",
    "盟": "全盟",
    "市": "全市",
    "区": "全区",
    "县": "全县",
    "旗": "全旗",
    "镇": "全镇",
    "乡": "全乡",
    "道": "全街道",
    "村": "全村",
}
AREA_BY_LEVEL = {
    Level.PROVINCE: "全省",
    Level.CITY: "全市",
    Level.COUNTY: "全县",
    Level.TOWNSHIP: "全乡镇",
    Level.VILLAGE: "全村",
}


def area_word(region: Region) -> str:
    """How a bulletin names the whole region: 全市 for a city, 全区 for a district or a functional zone."""
    if region.kind == Kind.ZONE:
        return "全区"
    return AREA_BY_SUFFIX.get(region.name[-1:], AREA_BY_LEVEL[Level(region.level)])


def money(value: Decimal | int) -> str:
    return f"{Decimal(value):.2f}"


def _buyers(values: dict, *, keep_zero: bool) -> str:
    parts = [
        (f"帮扶单位{values['buyer_units']}个", values["buyer_units"]),
        (f"帮扶干部{values['buyer_cadres']}人", values["buyer_cadres"]),
    ]
    shown = [text for text, n in parts if n or keep_zero]
    return "参与购买的" + "、".join(shown) if shown else ""


def summary_sentence(table: StatsTable) -> str:
    """The region's results in one sentence: activities, outlets, villages, buyers, amount, households helped."""
    v = table.total.values
    parts = [f"{table.period.label}，{area_word(table.region)}共开展以购助扶活动{v['activities']}次"]
    outlets = [f"{BY_CODE[code].label}{v[code]}个" for code in OUTLET_CODES if v[code]]
    if outlets:
        parts.append("累计开办" + "、".join(outlets))
    if v["fees_waived_wan"]:
        parts.append(f"免收费用{money(v['fees_waived_wan'])}万元")
    if v["villages_poor"] or v["villages_nonpoor"]:
        parts.append(f"覆盖贫困村{v['villages_poor']}个、非贫困村{v['villages_nonpoor']}个")
    parts.append(_buyers(v, keep_zero=True))
    parts.append(f"购买金额共计{money(v['amount_total'])}元")
    parts.append(f"带动贫困户{v['poor_households']}户增收{money(v['poor_income'])}元")
    return "，".join(parts) + "。"


def child_sentence(row: Row) -> str:
    """One child region in one sentence; figures that are zero are left out, as a bulletin would."""
    v = row.values
    if not v["activities"] and not v["amount_total"]:
        return f"{row.region_name}本期暂无以购助扶购买记录。"
    parts = []
    if v["activities"]:
        parts.append(f"开展以购助扶活动{v['activities']}次")
    buyers = _buyers(v, keep_zero=False)
    if buyers:
        parts.append(buyers)
    parts.append(f"购买金额{money(v['amount_total'])}元")
    if v["poor_households"]:
        parts.append(f"带动贫困户{v['poor_households']}户增收{money(v['poor_income'])}元")
    return row.region_name + "，".join(parts) + "。"


def children_paragraph(table: StatsTable) -> str:
    if not table.rows:
        return ""
    return "分地区看，" + "".join(child_sentence(row) for row in table.rows)


@dataclass(frozen=True)
class Ranked:
    rank: int
    name: str
    figures: tuple[str, ...]


def _ranked(rows: list[Row], key: str, then: str, figures: tuple[str, ...]) -> list[Ranked]:
    """Highest first; equal figures share a rank (1, 1, 3), ties listed by the second figure, then by code."""
    ordered = sorted(rows, key=lambda r: (-r.values[key], -r.values[then], r.region_code))
    result, rank, previous = [], 0, None
    for position, row in enumerate(ordered, start=1):
        if row.values[key] != previous:
            rank, previous = position, row.values[key]
        shown = tuple(
            money(row.values[c]) if isinstance(row.values[c], Decimal) else str(row.values[c])
            for c in figures
        )
        result.append(Ranked(rank, row.region_name, shown))
    return result


def ranking_by_amount(table: StatsTable) -> list[Ranked]:
    return _ranked(table.rows, "amount_total", "poor_income", ("amount_total", "poor_income"))


def ranking_by_households(table: StatsTable) -> list[Ranked]:
    return _ranked(table.rows, "poor_households", "poor_income", ("poor_households", "poor_income"))


def headline(table: StatsTable) -> str:
    return f"{table.region.name}{table.period.label}以购助扶工作进展情况"
