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


class ProductCategory(models.TextChoices):
    GRAIN_OIL = "grain_oil", "粮油"
    MEAT_EGG = "meat_egg", "肉禽蛋奶"
    FRUIT_VEG = "fruit_veg", "果蔬"
    TEA = "tea", "茶叶"
    AQUATIC = "aquatic", "水产"
    PROCESSED = "processed", "加工食品"
    HERBS = "herbs", "中药材"
    CRAFT = "craft", "手工艺品"
    OTHER = "other", "其他"


class CapacityPeriod(models.TextChoices):
    SEASON = "season", "每季"
    YEAR = "year", "每年"


class ProductStatus(models.TextChoices):
    """The certification workflow: submitted → reviewed → certified (on notice) → listed; or returned/rejected."""

    SUBMITTED = "submitted", "已申报"
    RETURNED = "returned", "已退回补正"
    REVIEWED = "reviewed", "乡镇（行业部门）已审核"
    NOTICE = "notice", "公示中"
    LISTED = "listed", "已列入目录"
    REJECTED = "rejected", "未通过认定"
    REVOKED = "revoked", "已撤销"


class ProductAction(models.TextChoices):
    SUBMIT = "submit", "申报"
    RESUBMIT = "resubmit", "补正后重新申报"
    REVIEW_PASS = "review_pass", "审核通过"
    REVIEW_RETURN = "review_return", "审核退回"
    CERTIFY = "certify", "县级认定，进入公示"
    REJECT = "reject", "县级不予认定"
    OBJECTION = "objection", "收到异议"
    RESOLVE = "resolve", "异议处理"
    LIST = "list", "公示期满，列入目录"
    RECHECK = "recheck", "年度复核通过"
    REVOKE = "revoke", "撤销认定"
    BLACKLIST = "blacklist", "主体列入黑名单"


class FileKind(models.TextChoices):
    PRICE_EVIDENCE = "price_evidence", "价格依据（发票/合同）"
    INSPECTION = "inspection", "检验检测报告"
    CERTIFICATE = "certificate", "合格证"
    COMMITMENT = "commitment", "承诺函"
    OTHER = "other", "其他"


class Delivery(models.TextChoices):
    PICKUP = "pickup", "自提"
    DELIVERY = "delivery", "配送"
    BOTH = "both", "自提或配送"


class OrderStatus(models.TextChoices):
    PLACED = "placed", "已下单"
    CONFIRMED = "confirmed", "卖方已确认"
    SHIPPED = "shipped", "已发货/待提货"
    RECEIVED = "received", "已验收"
    PAID = "paid", "已付款"
    RATED = "rated", "已评价"
    REJECTED = "rejected", "验收全部拒收"
    CANCELLED = "cancelled", "已取消"
    REFUNDED = "refunded", "已退款"


class Inspection(models.TextChoices):
    PENDING = "pending", "待验收"
    ACCEPTED = "accepted", "验收合格"
    REJECTED = "rejected", "拒收"


class AfterSaleKind(models.TextChoices):
    RETURN = "return", "退货"
    REFUND = "refund", "退款"


class AfterSaleStatus(models.TextChoices):
    REQUESTED = "requested", "待处理"
    APPROVED = "approved", "已同意"
    DECLINED = "declined", "已拒绝"
