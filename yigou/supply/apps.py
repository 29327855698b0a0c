from django.apps import AppConfig


class SupplyConfig(AppConfig):
    name = "yigou.supply"
    verbose_name = "供需台账与滞销预警"
