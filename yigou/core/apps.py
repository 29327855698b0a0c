from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "yigou.core"
    verbose_name = "基础"
