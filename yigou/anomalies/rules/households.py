"""Income a household could not have earned: credited as a poor household's after its exit (脱贫退出), or as a
registered household's after its removal by 回头看 (错评清退) — unless it was taken back in before the sale —
and sales beyond what the household's own supply book says it produces."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from typing import Any

from yigou.registry.enums import EventKind

from ..enums import RuleCode
from .base import MILLI, Raised, Scope, clamp_score, decimal, fetch, live_cte, plain, threshold, yuan

BACK_IN = (EventKind.RETURNED, EventKind.IDENTIFIED, EventKind.LOOKBACK_ADDED)
AFTER_EXIT = (
    live_cte()
    + f"""
SELECT live.id, live.external_id, live.date, h.number, h.village_id, b.amount, e.kind, e.date
FROM live JOIN ledger_beneficiary b ON b.purchase_id = live.id
JOIN registry_household h ON h.id = b.household_id
JOIN registry_statusevent e ON e.household_id = b.household_id
WHERE ((e.kind = '{EventKind.EXITED}' AND b.status = 'poor') OR (e.kind = '{EventKind.LOOKBACK_REMOVED}' AND b.registered))
  AND e.date <= live.date
  AND NOT EXISTS (
    SELECT 1 FROM registry_statusevent back
    WHERE back.household_id = e.household_id AND back.kind IN ({", ".join(f"'{k}'" for k in BACK_IN)})
      AND back.date > e.date AND back.date <= live.date)
ORDER BY h.number, live.id
"""
)
LABELS = {
    EventKind.EXITED: ("脱贫退出", "贫困户"),
    EventKind.LOOKBACK_REMOVED: ("回头看错评清退", "建档立卡户"),
}


def find_after_exit(scope: Scope) -> list[Raised]:
    by_household: dict[str, list[tuple[Any, ...]]] = defaultdict(list)
    seen: set[tuple[str, int]] = set()
    for pk, external, day, number, village, amount, kind, event_day in fetch(AFTER_EXIT, scope.params):
        if (number, pk) not in seen:
            seen.add((number, pk))
            by_household[number].append((pk, external, day, village, decimal(amount), kind, event_day))
    found = []
    for number, rows in by_household.items():
        kind, event_day = rows[0][5], rows[0][6]
        what, counted_as = LABELS[kind]
        amount = sum((r[4] for r in rows), Decimal("0.00"))
        evidence = (
            f"农户 {number} 已于 {event_day} {what}，此后 {rows[0][2]} 至 {rows[-1][2]} 的 {len(rows)} 笔购买仍按"
            f"{counted_as}计入收入 {yuan(amount)}。应按购买当日的实际状态统计。"
        )
        found.append(
            Raised(
                rule=RuleCode.AFTER_EXIT,
                score=int(threshold("after_exit", "score")),
                region_code=rows[0][3],
                evidence=evidence,
                key=f"{number}|" + ",".join(str(r[0]) for r in rows),
                purchases=[(r[0], r[1]) for r in rows],
                amount=amount,
                households=[number],
            )
        )
    return found


BEYOND = (
    live_cte()
    + """
SELECT s.id, s.name, s.unit, s.quantity, s.available_from, s.available_to, h.number, s.village_id,
       live.id, live.external_id, l.quantity
FROM supply_supplyentry s
JOIN registry_household h ON h.id = s.household_id
JOIN live ON live.seller_household_id = s.household_id AND live.date BETWEEN s.available_from AND s.available_to
JOIN ledger_purchaseline l ON l.purchase_id = live.id AND l.product = s.name AND l.unit = s.unit
WHERE s.village_id LIKE %(prefix)s
ORDER BY s.id, live.id
"""
)


def find_beyond_supply(scope: Scope) -> list[Raised]:
    margin = Decimal(threshold("beyond_supply", "margin"))
    entries: dict[int, dict[str, Any]] = {}
    for sid, name, unit, stated, start, end, number, village, pk, external, quantity in fetch(
        BEYOND, scope.params
    ):
        entry = entries.setdefault(
            sid,
            {
                "name": name,
                "unit": unit,
                "stated": decimal(stated, MILLI),
                "window": (start, end),
                "number": number,
                "village": village,
                "sold": Decimal(0),
                "purchases": {},
            },
        )
        entry["sold"] += decimal(quantity, MILLI)
        entry["purchases"][pk] = external
    found = []
    for sid, e in entries.items():
        if e["sold"] <= e["stated"] * (1 + margin):
            continue
        ratio = e["sold"] / e["stated"]
        evidence = (
            f"农户 {e['number']} 在供给台账中登记“{e['name']}”预计可售 {plain(e['stated'])}{e['unit']}"
            f"（{e['window'][0]} 至 {e['window'][1]}），同期台账销售 {plain(e['sold'])}{e['unit']}，"
            f"是登记产量的 {ratio:.1f} 倍（允许超出 {margin:.0%}）。"
        )
        found.append(
            Raised(
                rule=RuleCode.BEYOND_SUPPLY,
                score=clamp_score(50 + 25 * float(ratio - 1 - margin)),
                region_code=e["village"],
                evidence=evidence,
                key=str(sid),
                purchases=list(e["purchases"].items()),
                households=[e["number"]],
            )
        )
    return found
