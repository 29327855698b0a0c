from django.apps import AppConfig


class IncomeConfig(AppConfig):
    name = "yigou.income"
    verbose_name = "收入台账与防止返贫动态监测"
