from django.apps import AppConfig


class SharesConfig(AppConfig):
    name = "yigou.shares"
    verbose_name = "预留份额"
