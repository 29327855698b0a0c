from django.apps import AppConfig


class RegionsConfig(AppConfig):
    name = "yigou.regions"
    verbose_name = "行政区划"
