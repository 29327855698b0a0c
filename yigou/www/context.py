"""What every page's layout needs: the signed-in user's region and what the menu may offer."""

from typing import Any

from django.http import HttpRequest

from yigou.accounts.scope import can, works_over_regions
from yigou.notices.selectors import unread_count


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {
        "nav_region": user.region,
        "nav_unread": unread_count(user),  # the badge "消息 N": one COUNT over an index
        "nav_can_import": can(user, "import") or can(user, "ledger.record"),
        "nav_can_audit": can(user, "audit.view"),
        # Statistics are by region: unit and producer accounts are refused there, so the menu does not offer them.
        "nav_can_stats": works_over_regions(user),
        "nav_can_supply": can(user, "supply.enter"),
        "nav_can_respond": works_over_regions(user),
        # 疑点核查: offices and auditors start from the findings, village staff from the cases they explain.
        "nav_can_findings": can(user, "anomalies.view"),
        "nav_can_explain": can(user, "anomalies.explain"),
        # 收入台账与监测帮扶: offices, village staff and auditors.
        "nav_can_income": can(user, "income.view"),
    }
