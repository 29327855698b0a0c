from django.apps import AppConfig


class PlansConfig(AppConfig):
    name = "yigou.plans"
    verbose_name = "工作方案、任务台账与考核"
