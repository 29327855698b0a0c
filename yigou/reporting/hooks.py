"""Guards that may refuse a write of reported values, without the reporting app knowing who they are.

`ENTRY_GUARDS` is a list of callables `guard(region_code, year, month) -> None`. Every service that writes form
values (`services.values_save`, the importer) calls `services.ensure_entry_allowed(region_code, year, month)`
before writing, which calls each guard in turn; a guard refuses by raising a `DomainError` with a Chinese
message (for example "该期间已审核锁定"). Nothing has been written when a guard refuses.

Another app registers its guard once, typically from its `AppConfig.ready()`:

    from yigou.reporting.hooks import ENTRY_GUARDS
    from yigou.approval.locks import ensure_unlocked

    if ensure_unlocked not in ENTRY_GUARDS:
        ENTRY_GUARDS.append(ensure_unlocked)

Submission (by the approval app) should call `services.ensure_submittable(region_code, year, month)`, which
runs the rules and refuses while a blocking rule fails or a non-blocking violation has no comment.
"""

from __future__ import annotations

from collections.abc import Callable

EntryGuard = Callable[[str, int, int], None]

ENTRY_GUARDS: list[EntryGuard] = []
