from django.apps import AppConfig


class AssistConfig(AppConfig):
    name = "yigou.assist"
    verbose_name = "帮扶单位与结对"
