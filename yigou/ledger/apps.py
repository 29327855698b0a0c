from django.apps import AppConfig


class LedgerConfig(AppConfig):
    name = "yigou.ledger"
    verbose_name = "以购助扶台账"
