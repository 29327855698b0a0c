from django.apps import AppConfig


class MarketConfig(AppConfig):
    name = "yigou.market"
    verbose_name = "销售网点与活动"
