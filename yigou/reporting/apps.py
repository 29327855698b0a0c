from django.apps import AppConfig


class ReportingConfig(AppConfig):
    name = "yigou.reporting"
    verbose_name = "统计报表与校验"
