from django.apps import AppConfig


class WwwConfig(AppConfig):
    name = "yigou.www"
    verbose_name = "页面"
