from django.apps import AppConfig


class BenefitsConfig(AppConfig):
    name = "yigou.benefits"
    verbose_name = "收益分配"
