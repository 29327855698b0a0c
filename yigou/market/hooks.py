"""Callbacks run when an order is paid, without the market app knowing who they are.

`PAID_HOOKS` is a list of callables `hook(order) -> None`, called by `ordering.order_pay` inside its transaction
after the order's purchases are in the ledger (so a hook reads them, and a hook that fails undoes the payment).
The supply app registers one from its `AppConfig.ready()`: a quick-response case whose produce the order bought
closes at once when it is sold out, rather than at the next scan.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

PaidHook = Callable[[Any], None]

PAID_HOOKS: list[PaidHook] = []
