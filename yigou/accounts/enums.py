from django.db import models


class Role(models.TextChoices):
    ADMIN = "admin", "系统管理员"
    OFFICE = "office", "扶贫办（市/县/乡）"
    VILLAGE = "village", "村级工作人员"
    UNIT = "unit", "帮扶单位工作人员"
    PRODUCER = "producer", "经营主体工作人员"
    AUDITOR = "auditor", "审计监督（只读）"
    BUYER = "buyer", "个人采购人"


class OrgKind(models.TextChoices):
    PLATFORM = "platform", "平台运营"
    OFFICE = "office", "扶贫办/乡镇政府"
    VILLAGE = "village", "村委会"
    UNIT = "unit", "帮扶单位"
    PRODUCER = "producer", "经营主体"
    SUPERVISION = "supervision", "审计/纪检监督机构"
