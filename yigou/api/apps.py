from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "yigou.api"
    verbose_name = "接口"
