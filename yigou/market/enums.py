from django.db import models


class OutletKind(models.TextChoices):
    """The five outlet columns of the 以购助扶成果统计表, in its column order."""

    COUNTER = "counter", "社区超市专柜"
    ONLINE_SHOP = "online_shop", "QQ/微信超市"
    SERVICE_STORE = "service_store", "便民服务店"
    TEMP_MARKET = "temp_market", "临时小集市"
    ECOMMERCE = "ecommerce", "电商网点"


class ActivityKind(models.TextChoices):
    FAIR = "fair", "展销会/采购节"
    ONSITE = "onsite", "现场采购"
    CANTEEN = "canteen", "食堂采购"
    ONLINE = "online", "网络促销"
    MATCHING = "matching", "产销对接会"
    OTHER = "other", "其他"
