from django.db import models


class ContractStatus(models.TextChoices):
    DRAFT = "draft", "草拟"
    ACTIVE = "active", "履行中"
    CLOSED = "closed", "已结束"
    TERMINATED = "terminated", "已终止"


class PriceRule(models.TextChoices):
    FIXED = "fixed", "固定价"
    MARKET = "market", "随行就市（市场参考价）"
    MARKET_PLUS = "market_plus", "市场参考价上浮N%"


class PartySide(models.TextChoices):
    BUYER = "buyer", "购买方"
    SELLER = "seller", "销售方"


class PartyKind(models.TextChoices):
    UNIT = "unit", "帮扶单位"
    CADRE = "cadre", "帮扶干部"
    VILLAGE = "village", "村"
    HOUSEHOLD = "household", "农户"
    PRODUCER = "producer", "经营主体"


class PreOrderStatus(models.TextChoices):
    OPEN = "open", "履行中"
    CLOSED = "closed", "已结清"
    CANCELLED = "cancelled", "已取消"


class BuyBackStatus(models.TextChoices):
    ACTIVE = "active", "收购中"
    CLOSED = "closed", "已结束"
