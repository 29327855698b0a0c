from django.db import models


class HouseholdStatus(models.TextChoices):
    NON_POOR = "non_poor", "一般农户"
    IDENTIFYING = "identifying", "识别中"
    POOR = "poor", "建档立卡贫困户"
    EXITED = "exited", "已脱贫户"
    REMOVED = "removed", "已清退"


class MonitorType(models.TextChoices):
    NONE = "", "无"
    UNSTABLE = "unstable", "脱贫不稳定户"
    MARGINAL = "marginal", "边缘易致贫户"
    SUDDEN = "sudden", "突发严重困难户"


class EventKind(models.TextChoices):
    IDENTIFIED = "identified", "识别纳入"
    EXITED = "exited", "脱贫退出"
    LOOKBACK_REMOVED = "lookback_removed", "回头看：错评清退"
    LOOKBACK_ADDED = "lookback_added", "回头看：漏评补录"
    RETURNED = "returned", "返贫"
    MONITOR_STARTED = "monitor_started", "纳入监测"
    MONITOR_ENDED = "monitor_ended", "解除监测（风险消除）"


class EventSource(models.TextChoices):
    PROCEDURE = "procedure", "识别程序"
    MANUAL = "manual", "人工登记"
    IMPORT = "import", "历史数据导入"


class IdentificationStepKind(models.TextChoices):
    """精准识别 in its legal order: two public notices and one announcement (两公示一公告)."""

    APPLICATION = "application", "农户申请"
    VILLAGE_REVIEW = "village_review", "村民代表大会评议"
    FIRST_NOTICE = "first_notice", "村级第一次公示"
    TOWNSHIP_REVIEW = "township_review", "乡镇审核"
    SECOND_NOTICE = "second_notice", "乡镇第二次公示"
    COUNTY_CHECK = "county_check", "县级审定"
    ANNOUNCEMENT = "announcement", "县级公告"


STEP_ORDER: list[str] = [s.value for s in IdentificationStepKind]


class Relation(models.TextChoices):
    HEAD = "head", "户主"
    SPOUSE = "spouse", "配偶"
    CHILD = "child", "子女"
    PARENT = "parent", "父母"
    GRANDCHILD = "grandchild", "孙子女"
    SIBLING = "sibling", "兄弟姐妹"
    CHILD_IN_LAW = "child_in_law", "儿媳/女婿"
    OTHER = "other", "其他"


class Sex(models.TextChoices):
    MALE = "male", "男"
    FEMALE = "female", "女"


class Labour(models.TextChoices):
    SKILLED = "skilled", "技能劳动力"
    ORDINARY = "ordinary", "普通劳动力"
    WEAK = "weak", "弱劳动力或半劳动力"
    LOST = "lost", "丧失劳动力"
    NONE = "none", "无劳动力"


class Health(models.TextChoices):
    HEALTHY = "healthy", "健康"
    CHRONIC = "chronic", "长期慢性病"
    SERIOUS = "serious", "患有大病"
    DISABLED = "disabled", "残疾"


class ProducerKind(models.TextChoices):
    COOPERATIVE = "cooperative", "农民专业合作社"
    ENTERPRISE = "enterprise", "龙头企业"
    FAMILY_FARM = "family_farm", "家庭农场"
    HOUSEHOLD = "household", "农户（个体销售）"


class EnterpriseGrade(models.TextChoices):
    NONE = "", "—"
    NATIONAL = "national", "国家级"
    PROVINCIAL = "provincial", "省级"
    CITY = "city", "市级"
    COUNTY = "county", "县级"


class Mechanism(models.TextChoices):
    WAGE = "wage", "务工就业"
    ORDER = "order", "订单收购"
    LAND_RENT = "land_rent", "土地流转"
    DIVIDEND = "dividend", "入股分红"
