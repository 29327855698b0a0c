"""Turning the rows of an import file into checked purchase drafts, with every problem named by row and column."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from types import SimpleNamespace
from typing import Any

from yigou.approval.locks import LockBook
from yigou.core.errors import DomainError
from yigou.core.importing import ImportReport, require_headers, row_dicts
from yigou.core.tabular import Table, parse_date

from ..attribution import LinkageBook, Share, by_rule, check_entered
from ..buyers import buyer_key, check_buyer
from ..enums import Attribution, BuyerKind, Channel, LineSource, SellerKind
from ..services import EARLIEST, check_may_record, check_paid
from . import layout
from .references import References, load

CENT = Decimal("0.01")
PURCHASE_COLUMNS = ("日期", "购买方类型", "购买方", "渠道", "网点", "销售方", "分配方式")


class RowError(Exception):
    def __init__(self, column: str, message: str):
        super().__init__(message)
        self.column, self.message = column, message


@dataclass
class Draft:
    external_id: str
    row: int
    date: dt.date
    buyer_kind: str
    buyer_unit_id: int | None
    buyer_cadre_id: int | None
    buyer_name: str
    buyer_key: str
    channel: str
    outlet_id: int | None
    seller_kind: str
    seller_household_id: int | None
    seller_producer_id: int | None
    region_id: str
    county_code: str
    attribution: str = Attribution.SELF
    lines: list[tuple[str, str, Decimal, str, Decimal, Decimal, str]] = field(default_factory=list)
    shares: list[Share] = field(default_factory=list)
    entered: str = ""

    @property
    def total(self) -> Decimal:
        return sum((line[5] for line in self.lines), Decimal("0.00"))


def _choice(cells: dict[str, str], column: str, mapping: dict[str, str], default: str = "") -> str:
    text = cells.get(column, "").strip()
    if not text:
        if default:
            return default
        raise RowError(column, "不能为空")
    if text not in mapping:
        raise RowError(column, f"“{text}”不在可选范围内")
    return mapping[text]


def _number(cells: dict[str, str], column: str, *, money: bool) -> Decimal:
    text = cells.get(column, "").strip().replace(",", "")
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise RowError(column, f"“{text}”不是有效数字") from None
    if not value.is_finite() or value < 0 or (money and value != value.quantize(CENT)):
        raise RowError(column, f"“{text}”须为非负数{'，最多两位小数' if money else ''}")
    return value


def _date(cells: dict[str, str]) -> dt.date:
    try:
        day = parse_date(cells.get("日期", ""))
    except DomainError as exc:
        raise RowError("日期", exc.message.removeprefix("输入有误：")) from None
    if day > dt.date.today() or day < EARLIEST:
        raise RowError("日期", f"{day} 不在 2013-01-01 至今天之间")
    return day


def _unit(refs: References, text: str) -> Any:
    if text.upper() in refs.units_by_code:
        return refs.units_by_code[text.upper()]
    units = refs.units_by_name.get(text, [])
    if len(units) != 1:
        reason = "未登记" if not units else "有重名，请改填统一社会信用代码"
        raise RowError("购买方", f"单位“{text}”{reason}")
    return units[0]


def _buyer(refs: References, cells: dict[str, str], kind: str) -> SimpleNamespace:
    text = cells.get("购买方", "").strip()
    buyer = SimpleNamespace(buyer_kind=kind, buyer_unit=None, buyer_cadre=None, buyer_name="")
    if kind == BuyerKind.INDIVIDUAL:
        buyer.buyer_name = text[:100]
    elif kind == BuyerKind.CADRE:
        unit_text, _, name = text.partition("/")
        cadres = refs.cadres.get((_unit(refs, unit_text.strip()).pk, name.strip()), []) if name else []
        if len(cadres) != 1:
            raise RowError("购买方", f"干部“{text}”未找到或有重名，请写“单位名称/干部姓名”")
        buyer.buyer_cadre = cadres[0]
    else:
        if not text:
            raise RowError("购买方", "不能为空")
        buyer.buyer_unit = _unit(refs, text)
    try:
        check_buyer(buyer)
    except DomainError as exc:
        raise RowError("购买方", exc.message) from None
    return buyer


def _seller(refs: References, cells: dict[str, str]) -> tuple[str, Any, Any, Any]:
    """(seller kind, household, producer, region) of the 销售方 cell."""
    text = cells.get("销售方", "").strip()
    producer = refs.producers.get(text.upper())
    if producer is not None:
        kind = SellerKind.HOUSEHOLD if producer.kind == "household" else producer.kind
        return kind, None, producer, producer.region
    household = refs.households.get(text)
    if household is None:
        raise RowError("销售方", f"“{text}”既不是已登记的户编号，也不是本区域经营主体的统一社会信用代码")
    return SellerKind.HOUSEHOLD, household, None, household.village


def _outlet(
    refs: References, cells: dict[str, str], channel: str, county_code: str, day: dt.date
) -> int | None:
    name = cells.get("网点", "").strip()
    if channel != Channel.OUTLET:
        if name:
            raise RowError("网点", "渠道不是销售网点时不填网点")
        return None
    matches = refs.outlets.get((county_code, name), [])
    if len(matches) != 1:
        raise RowError("网点", f"销售方所在县没有名为“{name}”的网点" if not matches else f"网点“{name}”重名")
    outlet = matches[0]
    if not (outlet.opened_on <= day and (outlet.closed_on is None or day < outlet.closed_on)):
        raise RowError("网点", f"网点“{name}”在 {day} 未营业")
    return outlet.pk


def _line(cells: dict[str, str], seller_kind: str) -> tuple[str, str, Decimal, str, Decimal, Decimal, str]:
    product, unit = cells.get("产品", "").strip(), cells.get("单位", "").strip()
    if not product:
        raise RowError("产品", "不能为空")
    if not unit:
        raise RowError("单位", "不能为空")
    quantity, price = _number(cells, "数量", money=False), _number(cells, "单价", money=True)
    if quantity == 0:
        raise RowError("数量", "必须大于0")
    amount = (quantity * price).quantize(CENT)
    if cells.get("金额", "").strip() and _number(cells, "金额", money=True) != amount:
        raise RowError("金额", f"{cells['金额']} 不等于数量×单价 {amount}")
    defaults: dict[str, str] = {SellerKind.HOUSEHOLD: LineSource.OWN, SellerKind.COOPERATIVE: LineSource.COOP}
    default = defaults.get(seller_kind, LineSource.ENTERPRISE)
    source = _choice(cells, "产品来源", layout.SOURCES, default=default)
    if seller_kind == SellerKind.HOUSEHOLD and source != LineSource.OWN:
        raise RowError("产品来源", "农户销售的产品来源只能是农户自产")
    return (product[:100], cells.get("品类", "").strip()[:50], quantity, unit[:16], price, amount, source)


def _draft(actor: Any, refs: References, external_id: str, row: int, cells: dict[str, str]) -> Draft:
    day = _date(cells)
    kind = _choice(cells, "购买方类型", layout.BUYER_KINDS)
    buyer = _buyer(refs, cells, kind)
    channel = _choice(cells, "渠道", layout.CHANNELS)
    seller_kind, household, producer, region = _seller(refs, cells)
    unit_id = (
        buyer.buyer_unit.pk
        if buyer.buyer_unit
        else (buyer.buyer_cadre.unit_id if buyer.buyer_cadre else None)
    )
    try:
        check_may_record(
            actor,
            seller_region_code=region.code,
            buyer_unit_id=unit_id,
            seller_producer_id=producer.pk if producer else None,
        )
    except DomainError as exc:
        raise RowError("销售方", exc.message) from None
    self_selling = household is not None or (producer is not None and producer.household_id)
    rule = (
        Attribution.SELF
        if self_selling
        else _choice(cells, "分配方式", layout.RULES, default=Attribution.ENTERED)
    )
    return Draft(
        external_id=external_id,
        row=row,
        date=day,
        buyer_kind=kind,
        buyer_unit_id=buyer.buyer_unit.pk if buyer.buyer_unit else None,
        buyer_cadre_id=buyer.buyer_cadre.pk if buyer.buyer_cadre else None,
        buyer_name=buyer.buyer_name,
        buyer_key=buyer_key(buyer),
        channel=channel,
        outlet_id=_outlet(refs, cells, channel, region.county_code, day),
        seller_kind=seller_kind,
        seller_household_id=household.pk if household else None,
        seller_producer_id=producer.pk if producer else None,
        region_id=region.code,
        county_code=region.county_code,
        attribution=rule,
        entered=cells.get("受益农户", "").strip(),
    )


def _entered_shares(refs: References, text: str) -> list[Share]:
    shares = []
    for part in filter(None, (p.strip() for p in text.replace("；", ";").replace("：", ":").split(";"))):
        number, _, amount = part.partition(":")
        household = refs.households.get(number.strip())
        if household is None:
            raise RowError("受益农户", f"户编号“{number.strip()}”未登记")
        try:
            value = Decimal(amount.strip())
        except InvalidOperation:
            raise RowError("受益农户", f"“{part}”的金额无效，应写作 户编号:金额") from None
        shares.append(Share(household.pk, value))
    if not shares:
        raise RowError("受益农户", "逐户录入时须填写受益农户，如 5109031010010001:300")
    return shares


def _attribute(draft: Draft, refs: References, book: LinkageBook, producers: dict[int, Any]) -> None:
    total = draft.total
    if draft.attribution == Attribution.SELF:
        household_id = draft.seller_household_id or producers[draft.seller_producer_id].household_id  # type: ignore[index]
        draft.shares = [Share(household_id, total)]
        return
    producer = producers[draft.seller_producer_id]  # type: ignore[index]
    try:
        if draft.attribution == Attribution.ENTERED:
            draft.shares = _entered_shares(refs, draft.entered)
            check_entered(book, producer, draft.date, draft.shares)
        else:
            draft.shares = by_rule(draft.attribution, book, producer, draft.date, total)
        check_paid(draft.shares, total)
    except DomainError as exc:
        raise RowError("受益农户", exc.message) from None


def _attribution_step(
    draft: Draft, refs: References, book: LinkageBook, producers: dict[int, Any]
) -> Callable[[], None]:
    return lambda: _attribute(draft, refs, book, producers)


def _lock_step(draft: Draft, locks: LockBook) -> Callable[[], None]:
    def check() -> None:
        try:
            locks.check(draft.region_id, draft.date)
        except DomainError as exc:
            raise RowError("日期", exc.message) from None

    return check


@dataclass
class Parsed:
    drafts: list[Draft]
    report: ImportReport
    skipped: int = 0  # purchases whose external id is already in the ledger


def _collect(rows: list[tuple[int, dict[str, str]]]) -> dict[str, set[str]]:
    wanted: dict[str, set[str]] = {
        "sellers": set(),
        "beneficiaries": set(),
        "buyers": set(),
        "outlets": set(),
        "external_ids": set(),
    }
    for _, cells in rows:
        wanted["sellers"].add(cells.get("销售方", "").strip())
        wanted["buyers"].add(cells.get("购买方", "").strip())
        wanted["outlets"].add(cells.get("网点", "").strip())
        wanted["external_ids"].add(cells.get("外部编号", "").strip())
        for part in cells.get("受益农户", "").replace("；", ";").split(";"):
            wanted["beneficiaries"].add(part.replace("：", ":").split(":")[0].strip())
    return wanted


def _guard(report: ImportReport, line: int, step: Callable[[], None]) -> bool:
    try:
        step()
    except RowError as exc:
        report.add(line, exc.column, exc.message)
        return False
    return True


def parse(actor: Any, table: Table, progress: Callable[[int], None] | None = None) -> Parsed:
    require_headers(table, layout.REQUIRED)
    rows = row_dicts(table)
    refs = load(actor, **_collect(rows))
    report = ImportReport(total_rows=len(rows))
    drafts: list[Draft] = []
    by_id: dict[str, Draft] = {}
    skipped: set[str] = set()
    for index, (line, cells) in enumerate(rows):
        if progress and index % 10000 == 0:
            progress(index)
        _parse_row(actor, refs, report, drafts, by_id, skipped, line, cells)
    producers = {p.pk: p for p in refs.producers.values()}
    book = LinkageBook(producers)
    for draft in drafts:
        _guard(report, draft.row, _attribution_step(draft, refs, book, producers))
    locks = LockBook()  # months approved up the region tree are locked (yigou.approval)
    for draft in drafts:
        _guard(report, draft.row, _lock_step(draft, locks))
    return Parsed(drafts if report.ok else [], report, len(skipped))


def _parse_row(
    actor: Any,
    refs: References,
    report: ImportReport,
    drafts: list[Draft],
    by_id: dict[str, Draft],
    skipped: set[str],
    line: int,
    cells: dict[str, str],
) -> None:
    external_id = cells.get("外部编号", "").strip()
    if not external_id or len(external_id) > 64:
        report.add(line, "外部编号", "不能为空，且不超过64个字符")
        return
    if external_id in refs.existing_ids:
        skipped.add(external_id)
        return
    draft = by_id.get(external_id)
    if draft is None:

        def start() -> None:
            by_id[external_id] = _draft(actor, refs, external_id, line, cells)
            drafts.append(by_id[external_id])

        if not _guard(report, line, start):
            return
        draft = by_id[external_id]
    elif cells.get("日期", "").strip() and not _guard(report, line, lambda: _same_date(cells, draft)):  # type: ignore[arg-type]
        return
    _guard(report, line, lambda: draft.lines.append(_line(cells, draft.seller_kind)))  # type: ignore[union-attr]


def _same_date(cells: dict[str, str], draft: Draft) -> None:
    """Continuation rows of a purchase only add lines; a date that disagrees with the first row is an error."""
    if _date(cells) != draft.date:
        raise RowError("日期", f"与外部编号 {draft.external_id} 第一行（第{draft.row}行）的日期不一致")
