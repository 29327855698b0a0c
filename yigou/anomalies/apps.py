from django.apps import AppConfig


class AnomaliesConfig(AppConfig):
    name = "yigou.anomalies"
    verbose_name = "虚报数字识别与核查"
