from django.apps import AppConfig


class SupplyConfig(AppConfig):
    name = "yigou.supply"
    verbose_name = "供需台账与滞销预警"

    def ready(self) -> None:
        from yigou.market.hooks import PAID_HOOKS

        from .cases import refresh_after_payment

        if refresh_after_payment not in PAID_HOOKS:
            PAID_HOOKS.append(refresh_after_payment)
