from django.db import models


class UnitKind(models.TextChoices):
    GOVERNMENT = "government", "党政机关"
    INSTITUTION = "institution", "事业单位"
    SOE = "soe", "国有企业"
    PRIVATE = "private", "民营企业"
    SOCIAL_ORG = "social_org", "社会组织"
    ARMY = "army", "驻地部队"
