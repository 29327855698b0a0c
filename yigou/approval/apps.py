from django.apps import AppConfig


class ApprovalConfig(AppConfig):
    name = "yigou.approval"
    verbose_name = "审核与简报"

    def ready(self) -> None:
        # Approved months refuse form value writes; the ledger and its import call locks.ensure_unlocked directly.
        from yigou.reporting.hooks import ENTRY_GUARDS

        from .locks import ensure_month_unlocked

        if ensure_month_unlocked not in ENTRY_GUARDS:
            ENTRY_GUARDS.append(ensure_month_unlocked)
