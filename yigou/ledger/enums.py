from django.db import models


class BuyerKind(models.TextChoices):
    UNIT = "unit", "帮扶单位"
    CADRE = "cadre", "帮扶干部"
    CANTEEN = "canteen", "机关食堂"
    ENTERPRISE = "enterprise", "民营企业"
    SOCIAL_ORG = "social_org", "社会组织"
    INDIVIDUAL = "individual", "个人"


class Channel(models.TextChoices):
    OUTLET = "outlet", "销售网点"
    PLATFORM_832 = "platform_832", "832平台"
    ECOMMERCE = "ecommerce", "其他电商平台"
    CANTEEN = "canteen", "食堂采购"
    ONSITE = "onsite", "现场采购"
    CONTRACT = "contract", "合同供货"
    PLATFORM = "platform", "以购助扶平台订单"


class SellerKind(models.TextChoices):
    HOUSEHOLD = "household", "农户"
    COOPERATIVE = "cooperative", "合作社"
    ENTERPRISE = "enterprise", "企业"
    FAMILY_FARM = "family_farm", "家庭农场"


class LineSource(models.TextChoices):
    OWN = "own", "农户自产"
    COOP = "coop", "合作社产品"
    ENTERPRISE = "enterprise", "企业产品"


class Attribution(models.TextChoices):
    """How the households that earned from a purchase were decided — always stated, never implied."""

    SELF = "self", "农户自销（本户受益）"
    ENTERED = "entered", "逐户录入"
    EQUAL_LINKED = "equal_linked", "按带贫联结户平均分配"
    COOP_SHARES = "coop_shares", "按合作社社员股份分配"


class Source(models.TextChoices):
    PAGE = "page", "页面录入"
    API = "api", "接口"
    IMPORT = "import", "批量导入"
    ORDER = "order", "订单"
