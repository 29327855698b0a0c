"""报表数大于台账数: a region that both keeps the ledger and reports the statistical form, whose reported figures
exceed what its ledger (and the certified sales in it) supports. Read from the reconciliation of the merged table,
which compares the two element by element for every child of the region scanned."""

from __future__ import annotations

from decimal import Decimal

from yigou.reporting.merge import reconciliation

from ..enums import RuleCode
from .base import Raised, Scope, clamp_score, threshold


def find(scope: Scope) -> list[Raised]:
    tolerance = Decimal(threshold("forms", "tolerance"))
    found = []
    for d in reconciliation(scope.region, scope.period):
        ledger, reported = Decimal(str(d.ledger)), Decimal(str(d.reported))
        if reported <= ledger * (1 + tolerance) or reported <= 0:
            continue
        over = (reported - ledger) / ledger if ledger > 0 else Decimal(1)
        evidence = (
            f"{d.region_name}报表填报“{d.label}” {reported}{d.unit}，台账（含认定扶贫产品销售）只支持 "
            f"{ledger}{d.unit}，多报 {reported - ledger}{d.unit}"
            + (f"（{over:.0%}，容差 {tolerance:.0%}）" if ledger > 0 else "（台账为 0）")
            + "。报表数字应以台账为依据。"
        )
        found.append(
            Raised(
                rule=RuleCode.FORMS,
                score=clamp_score(50 + 50 * float(min(over, Decimal(1)))),
                region_code=d.region_code,
                evidence=evidence,
                key=f"{d.region_code}|{d.element}|{scope.period.start}|{scope.period.end}",
            )
        )
    return found
