from django.apps import AppConfig


class NoticesConfig(AppConfig):
    name = "yigou.notices"
    verbose_name = "消息通知"
